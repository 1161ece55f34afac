"""Training's evidence for the annual cycle (eiso.core.evidence): training sessions held and
internal-auditor certificates issued. One query per kind, for any number of agencies."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eiso.core import evidence
from eiso.training.choices import CertificateKind
from eiso.training.models import Certificate, TrainingSession


@evidence.kind(
    "training.session",
    _("Training session held"),
    description=_("A session of a course the agency organised or sent people to."),
)
def sessions(agency_ids, start, end):
    rows = (
        TrainingSession.objects.filter(agency_id__in=agency_ids, starts_on__range=(start, end))
        .order_by()
        .values_list("pk", "agency_id", "starts_on", "course__title")
    )
    detail = evidence.link("training:session")
    return evidence.group(
        (agency_id, evidence.Evidence(date=day, title=str(title)[:200], url=detail(pk)))
        for pk, agency_id, day, title in rows
    )


@evidence.kind(
    "training.internal_auditor",
    _("Internal-auditor certificate issued"),
    description=_("A certificate of internal auditor issued to someone of the agency."),
)
def auditor_certificates(agency_ids, start, end):
    rows = (
        Certificate.objects.filter(
            agency_id__in=agency_ids,
            kind=CertificateKind.INTERNAL_AUDITOR,
            issued_on__range=(start, end),
        )
        .order_by()
        .values_list("agency_id", "issued_on", "holder__full_name", "number")
    )
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=str(
                    _("Internal-auditor certificate of %(name)s %(number)s")
                    % {"name": name, "number": number}
                ).strip(),
            ),
        )
        for agency_id, day, name, number in rows
    )
