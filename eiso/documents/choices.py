from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    QUALITY_POLICY = "quality_policy", _("Quality policy")
    QUALITY_OBJECTIVES = "quality_objectives", _("Quality objectives")
    QMS_DESCRIPTION = "qms_description", _("QMS description")
    SYSTEM_PROCEDURE = "system_procedure", _("System procedure")
    TTHC_PROCEDURE = "tthc_procedure", _("Procedure of an administrative procedure")
    INTERNAL_PROCEDURE = "internal_procedure", _("Internal-work procedure")
    INSTRUCTION = "instruction", _("Instruction")
    FORM = "form", _("Form")
    OTHER = "other", _("Other")


class DocumentStatus(models.TextChoices):
    ACTIVE = "active", _("In use")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DocumentAction(models.TextChoices):
    REVISE = "revise", _("Start a new revision")
    WITHDRAW = "withdraw", _("Withdraw")


class RevisionStatus(models.TextChoices):
    """Where a revision stands in its workflow. ``ISSUED`` is final: whether an issued
    revision is in force on a day is computed from dates (``Validity``), never stored."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")


class Validity(models.TextChoices):
    """Whether an issued revision is in force on a given day: from its effective date, the
    effective date of the next issued revision of the document and the document's
    withdrawal — computed in the queryset, so the switch needs nobody and no job."""

    PENDING = "pending", pgettext_lazy("revision validity", "Issued, not yet in force")
    IN_FORCE = "in_force", pgettext_lazy("revision validity", "Current")
    EXPIRED = "expired", pgettext_lazy("revision validity", "No longer in force")


# Statuses of the one revision a document may have in preparation at a time.
OPEN_STATUSES = (
    RevisionStatus.DRAFT,
    RevisionStatus.IN_REVIEW,
    RevisionStatus.RETURNED,
    RevisionStatus.APPROVED,
)


class RevisionAction(models.TextChoices):
    CREATE = "create", _("Drafted")
    EDIT = "edit", _("Edited")
    SUBMIT = "submit", _("Submitted for review")
    RETURN = "return", _("Returned for changes")
    APPROVE = "approve", _("Approved")
    ISSUE = "issue", _("Issued")
    SUPERSEDE = "supersede", _("Superseded")  # events recorded before validity was computed
    WITHDRAW = "withdraw", _("Withdrawn")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed and issued")
    DISCARDED = "discarded", _("Discarded")


class DecisionAction(models.TextChoices):
    EDIT = "edit", _("Edit")
    SIGN = "sign", _("Record as signed")
    DISCARD = "discard", _("Discard")
    ATTACH_SCAN = "attach_scan", _("Attach the signed scan")


class ExternalKind(models.TextChoices):
    LEGAL = "legal", _("Legal text (văn bản QPPL)")
    STANDARD = "standard", _("Standard")
    GUIDANCE = "guidance", _("Guidance / administrative document")
    OTHER = "other", _("Other external document")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskReason(models.TextChoices):
    NEW_TEXT = "new_text", _("A linked legal text takes effect")
    REPLACED = "replaced", _("A linked legal text was replaced")
    AMENDED = "amended", _("A linked legal text changed its effective date")
