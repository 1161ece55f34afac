"""Document control's evidence for the annual cycle (eiso.core.evidence): the master list
reviewed each quarter, legal texts taking effect for a document (events) and the revisions that
answer them, and the year's QMS plan issued as a document. One query per kind, for any number
of agencies."""

from __future__ import annotations

from django.db.models import DateField
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core import evidence
from eiso.documents.choices import DocumentKind, RevisionStatus, TaskStatus
from eiso.documents.models import MasterListReview, Revision, RevisionTask

# The year's plan (kế hoạch duy trì, cải tiến HTQLCL) is a document the agency issues; it is
# recognised by its title ("Kế hoạch …", folded) among the kinds a plan is filed under.
PLAN_TITLE = "ke hoach"
PLAN_KINDS = (DocumentKind.OTHER, DocumentKind.QMS_DESCRIPTION, DocumentKind.INSTRUCTION)


@evidence.kind(
    "documents.master_list_review",
    _("Master list of documents reviewed"),
    per=evidence.QUARTER,
    description=_("A review of the master list recorded for the quarter."),
)
def master_list_reviews(agency_ids, start, end):
    rows = (
        MasterListReview.objects.filter(agency_id__in=agency_ids, reviewed_on__range=(start, end))
        .order_by()
        .values_list("agency_id", "year", "quarter", "reviewed_on", "result")
    )
    url = reverse("documents:master_list")
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=str(_("Master list reviewed (Q%(q)s/%(year)s)") % {"q": q, "year": year}),
                url=f"{url}?agency={agency_id}",
                period=f"{year}-Q{q}",
            ),
        )
        for agency_id, year, q, day, _result in rows
    )


def _tasks(agency_ids):
    return (
        RevisionTask.objects.filter(agency_id__in=agency_ids)
        .exclude(status=TaskStatus.CANCELLED)
        .order_by()
    )


@evidence.kind(
    "documents.legal_change",
    _("A legal text a document rests on takes effect"),
    event=True,
    description=_("A revision task: a linked legal text takes effect, is replaced or amended."),
)
def legal_changes(agency_ids, start, end):
    rows = (
        _tasks(agency_ids)
        .annotate(
            day=Coalesce(
                "external_document__effective_date", "created_at__date", output_field=DateField()
            )
        )
        .filter(day__range=(start, end))
        .values_list(
            "pk", "agency_id", "day", "document_id", "document__code", "external_document__number"
        )
    )
    detail = evidence.link("documents:detail")
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=f"{number} → {code}",
                url=detail(document_id),
                ref=f"task-{pk}",
            ),
        )
        for pk, agency_id, day, document_id, code, number in rows
    )


@evidence.kind(
    "documents.legal_update",
    _("Document revised after a legal change"),
    description=_("A revision task closed by a new revision of the document."),
)
def legal_updates(agency_ids, start, end):
    rows = (
        _tasks(agency_ids)
        .filter(status=TaskStatus.DONE, closed_at__range=evidence.moments(start, end))
        .values_list("pk", "agency_id", "closed_at", "document_id", "document__code")
    )
    detail = evidence.link("documents:detail")
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=timezone.localdate(closed_at),
                title=str(_("%(code)s revised") % {"code": code}),
                url=detail(document_id),
                ref=f"task-{pk}",
            ),
        )
        for pk, agency_id, closed_at, document_id, code in rows
    )


@evidence.kind(
    "documents.year_plan",
    _("The year's QMS plan issued"),
    description=_(
        "An issued document titled “Kế hoạch …” (the plan to maintain and improve the QMS), "
        "counted from its issuing decision's date."
    ),
)
def year_plans(agency_ids, start, end):
    rows = (
        Revision.objects.filter(
            agency_id__in=agency_ids,
            status=RevisionStatus.ISSUED,
            document__kind__in=PLAN_KINDS,
            document__search_text__contains=PLAN_TITLE,
        )
        .annotate(day=Coalesce("decision__date", "effective_date", output_field=DateField()))
        .filter(day__range=(start, end))
        .order_by()
        .values_list("agency_id", "day", "document_id", "document__code", "document__title")
    )
    detail = evidence.link("documents:detail")
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=f"{code} {title}",
                url=detail(document_id),
            ),
        )
        for agency_id, day, document_id, code, title in rows
    )
