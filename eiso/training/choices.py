from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseKind(models.TextChoices):
    AWARENESS = "awareness", _("ISO 9001 awareness")
    INTERNAL_AUDITOR = "internal_auditor", _("Internal auditor")
    TRANSITION = "transition", _("Transition from ISO 9001:2008 to 2015")
    PROCEDURES = "procedures", _("The agency's procedures")
    OTHER = "other", _("Other training")


class CertificateKind(models.TextChoices):
    """What a certificate attests. Internal audits check ``internal_auditor`` before an
    auditor is assigned (``selectors.has_valid_certificate``)."""

    INTERNAL_AUDITOR = "internal_auditor", _("Internal auditor")
    AWARENESS = "awareness", _("ISO 9001 awareness")
    TRANSITION = "transition", _("ISO 9001:2015 transition")
    OTHER = "other", _("Other certificate")


# The contract name other modules use (COMMON.md): the certificate kinds as choices.
certificate_kinds = CertificateKind.choices


class CertificateState(models.TextChoices):
    VALID = "valid", _("Still valid")
    EXPIRING = "expiring", _("Expires within 60 days")
    EXPIRED = "expired", _("Expired")
