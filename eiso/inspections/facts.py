"""What the platform already knows about an agency, item by item of the inspection content: the
checklist is pre-filled from it and the team confirms it or corrects it with a note.

Each item of the content (``ChecklistQuestion.fact``) names one fact here. A fact reads the
agency's records as they stood on the inspection day, says in a sentence what it found (in
Vietnamese: the sentence goes into the inspection record), suggests a result when the data
allows one, and links to where the team can check it. Facts kept by other modules are read
through the annual cycle's evidence registry (``eiso.core.evidence``); a module not installed
yet gives "no data", never a guess. A handful of queries per agency, whatever its size."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core import evidence
from eiso.documents.choices import DocumentKind, DocumentStatus, TaskStatus
from eiso.documents.models import Document, Revision, RevisionTask
from eiso.inspections.choices import Result
from eiso.procedures.models import HandledProcedure, IsoProcedure
from eiso.qms.choices import AnnouncementStatus
from eiso.qms.models import Announcement, QualitySystem

SENT = (AnnouncementStatus.SENT, AnnouncementStatus.RECEIVED)
SIGNED = (*SENT, AnnouncementStatus.SIGNED, AnnouncementStatus.RETURNED)
YEAR = datetime.timedelta(days=366)


@dataclass(frozen=True)
class Fact:
    text: str
    result: str = ""  # a Result value the data suggests, or "" (the team judges)
    url: str = ""


NO_DATA = gettext_lazy("The platform holds no data on this yet.")


def _day(value: datetime.date) -> str:
    return f"{value:%d/%m/%Y}"


def _url(name: str, *args, query: str = "") -> str:
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return ""


def documents_in_force(agency, on: datetime.date) -> Fact:
    documents = Document.objects.filter(agency=agency, status=DocumentStatus.ACTIVE).in_force_on(
        on=on
    )
    kinds = list(documents.values_list("kind", flat=True))
    system = sum(1 for k in kinds if k == DocumentKind.SYSTEM_PROCEDURE)
    policy = DocumentKind.QUALITY_POLICY in kinds
    text = _(
        "%(n)s documents in force, of which %(system)s system procedures; quality policy: "
        "%(policy)s."
    ) % {"n": len(kinds), "system": system, "policy": _("issued") if policy else _("none")}
    result = Result.PASS if kinds and policy and system else Result.FAIL
    return Fact(text, result, _url("documents:list", query=f"?agency={agency.pk}"))


def procedure_coverage(agency, on: datetime.date) -> Fact:
    in_force = Revision.objects.in_force(on=on).filter(document=OuterRef("document"))
    covered = IsoProcedure.objects.filter(
        Exists(in_force),
        agency=agency,
        procedure=OuterRef("procedure"),
        document__status=DocumentStatus.ACTIVE,
    )
    handled = HandledProcedure.objects.filter(agency=agency, is_active=True).annotate(
        covered=Exists(covered)
    )
    total = handled.count()
    done = handled.filter(covered=True).count()
    if not total:
        return Fact(_("No administrative procedure is recorded as handled by the agency."))
    text = _(
        "%(done)s of %(total)s administrative procedures handled have an ISO procedure in force."
    ) % {
        "done": done,
        "total": total,
    }
    return Fact(
        text,
        Result.PASS if done == total else Result.FAIL,
        _url("procedures:handled", query=f"?agency={agency.pk}"),
    )


def announced(agency, on: datetime.date) -> Fact:
    latest = (
        Announcement.objects.filter(agency=agency, status__in=SIGNED, date__lte=on)
        .order_by("-date", "-pk")
        .first()
    )
    if latest is None:
        return Fact(
            _("No announcement of conformity signed by %(day)s.") % {"day": _day(on)},
            Result.FAIL,
            _url("qms:announcements", query=f"?agency={agency.pk}"),
        )
    sent = latest.status in SENT
    text = _("%(kind)s %(number)s dated %(date)s; %(sent)s.") % {
        "kind": latest.get_kind_display(),
        "number": latest.number,
        "date": _day(latest.date),
        "sent": _("sent to the Department of Science and Technology")
        if sent
        else _("not sent to the Department of Science and Technology"),
    }
    return Fact(
        text,
        Result.PASS if sent else Result.FAIL,
        _url("qms:announcement_detail", latest.pk),
    )


def legal_updates(agency, on: datetime.date) -> Fact:
    overdue = RevisionTask.objects.filter(
        agency=agency, status=TaskStatus.OPEN, due_date__lt=on
    ).count()
    url = _url("documents:task_list", query=f"?agency={agency.pk}")
    if overdue:
        return Fact(
            _("%(n)s document(s) not revised within the time after a legal text changed.")
            % {"n": overdue},
            Result.FAIL,
            url,
        )
    return Fact(_("No revision after a legal change is overdue."), Result.PASS, url)


def consultant(agency, on: datetime.date) -> Fact:
    qms = QualitySystem.objects.filter(agency=agency).first()
    if qms is None or not qms.consultant:
        return Fact(_("No consultant recorded."), Result.NOT_APPLICABLE)
    return Fact(_("Consultant: %(name)s.") % {"name": qms.consultant})


def nonconformities_overdue(agency, on: datetime.date) -> Fact:
    from django.apps import apps

    if not apps.is_installed("eiso.improvements"):
        return Fact(str(NO_DATA))
    from eiso.improvements.choices import NOT_CLOSED
    from eiso.improvements.models import Nonconformity

    rows = Nonconformity.objects.filter(agency=agency, status__in=NOT_CLOSED)
    late = rows.filter(due_date__lt=on).count()
    url = _url("improvements:list", query=f"?agency={agency.pk}")
    if late:
        return Fact(
            _("%(n)s nonconformity(ies) still open after their due date.") % {"n": late},
            Result.FAIL,
            url,
        )
    return Fact(
        _("No nonconformity open after its due date (%(n)s open).") % {"n": rows.count()},
        Result.PASS,
        url,
    )


def _from_evidence(key: str, *, same_year: bool = False) -> Callable:
    """A fact read from the evidence registry: found within the year before the inspection
    day (``same_year``: for the inspection's year)."""

    def read(agency, on: datetime.date) -> Fact:
        kind = evidence.get(key)
        if kind is None:
            return Fact(str(NO_DATA))
        start = datetime.date(on.year - 1, 1, 1) if same_year else on - YEAR
        found = kind.find(agency, start, on)
        if same_year:
            found = [e for e in found if e.period in ("", str(on.year))]
        if not found:
            return Fact(
                _("Not found on the platform: %(what)s (from %(start)s to %(end)s).")
                % {"what": kind.label, "start": _day(start), "end": _day(on)},
                Result.FAIL,
            )
        latest = max(found, key=lambda e: e.date)
        return Fact(
            _("%(title)s, dated %(date)s.") % {"title": latest.title, "date": _day(latest.date)},
            Result.PASS,
            latest.url,
        )

    return read


FACTS: dict[str, tuple[object, Callable[[object, datetime.date], Fact]]] = {
    "documents.in_force": (gettext_lazy("Documents in force"), documents_in_force),
    "procedures.coverage": (gettext_lazy("Coverage of the procedures handled"), procedure_coverage),
    "qms.announced": (gettext_lazy("Announcement of conformity"), announced),
    "documents.legal_updates": (gettext_lazy("Revisions after legal changes"), legal_updates),
    "objectives.issued": (
        gettext_lazy("Quality objectives of the year"),
        _from_evidence("objectives.issued", same_year=True),
    ),
    "audits.report": (gettext_lazy("Internal audit"), _from_evidence("audits.report")),
    "reviews.held": (gettext_lazy("Management review"), _from_evidence("reviews.held")),
    "improvements.overdue": (gettext_lazy("Nonconformities handled"), nonconformities_overdue),
    "risks.evaluation_report": (
        gettext_lazy("Risks and opportunities addressed"),
        _from_evidence("risks.evaluation_report"),
    ),
    "reports.annual_report": (
        gettext_lazy("Annual report submitted"),
        _from_evidence("reports.annual_report"),
    ),
    "qms.consultant": (gettext_lazy("Consultant"), consultant),
}


def fact_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((key, str(label)) for key, (label, _read) in FACTS.items())]


def read(key: str, agency, on: datetime.date) -> Fact:
    """What the platform knows for ``key`` about ``agency`` on ``on`` (in Vietnamese)."""
    if not key:
        return Fact("")
    entry = FACTS.get(key)
    if entry is None:
        return Fact(str(NO_DATA))
    with translation.override(settings.LANGUAGE_CODE):
        return entry[1](agency, on)
