"""The public portal's reads, for visitors who are not signed in: only what agencies made
public. Announcements the agency published (signed, ``is_published``); administrative
procedures and documents the agency marked public (``Publication``), each shown through the
revision in force today (``Revision.objects.in_force``) — never a draft, never a revision no
longer in force except in the history a visitor asks for (and then without its files). Each
read is a fixed number of queries whatever the number of rows.

The agency-side reads (what an agency may publish and has published) start from
``visible_to`` like every other selector."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from eiso.core.roles import Action
from eiso.core.text import vn_fold
from eiso.documents.choices import DocumentKind, DocumentStatus
from eiso.documents.models import Document, Revision, RevisionFile
from eiso.organizations import selectors as org_selectors
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency
from eiso.portal.models import Publication, PublicationKind
from eiso.procedures.models import AdministrativeProcedure, HandledProcedure, IsoProcedure
from eiso.qms.choices import SIGNED_STATUSES
from eiso.qms.models import Announcement

# Documents an agency may show on the portal: forms people fill in, and what it declares to
# the public (quality policy, objectives). Its procedures are shown through the TTHC.
PUBLISHABLE_KINDS = (
    DocumentKind.FORM,
    DocumentKind.QUALITY_POLICY,
    DocumentKind.QUALITY_OBJECTIVES,
    DocumentKind.INSTRUCTION,
)


def _today(on: datetime.date | None = None) -> datetime.date:
    return on or timezone.localdate()


def last_twelve_months(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = _today(today)
    start = (today.replace(day=1) - datetime.timedelta(days=334)).replace(day=1)
    return start, today


# --- agencies and their announcements ------------------------------------------------------------


def published_announcements() -> QuerySet[Announcement]:
    """Every announcement an agency published on the portal (signed ones only)."""
    return Announcement.objects.filter(
        is_published=True, status__in=SIGNED_STATUSES, agency__is_active=True
    )


def announced_agencies(*, q: str = "", tier: str = "", kind: str = "") -> QuerySet[Agency]:
    """Active agencies with a published announcement of conformity, each with its latest
    (``ann_number``, ``ann_date``, ``ann_version``, ``ann_kind``) and how many it published;
    a search (accents ignored) lists the best match first. One query."""
    latest = published_announcements().filter(agency=OuterRef("pk")).order_by("-date", "-id")
    counted = (
        published_announcements()
        .filter(agency=OuterRef("pk"))
        .order_by()
        .values("agency")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        Agency.objects.filter(is_active=True)
        .filter(Exists(latest))
        .select_related("kind")
        .annotate(
            ann_number=Subquery(latest.values("number")[:1]),
            ann_date=Subquery(latest.values("date")[:1]),
            ann_version=Subquery(latest.values("standard_version")[:1]),
            ann_kind=Subquery(latest.values("kind")[:1]),
            ann_count=Subquery(counted),
        )
    )
    if tier:
        qs = qs.filter(tier=tier)
    if kind:
        qs = qs.filter(kind__code=kind)
    if q:
        return org_selectors.search(qs, q).order_by("match", "path", "pk")
    return qs.order_by("path", "pk")


def agency_kinds_announced() -> QuerySet:
    """The kinds of agency the list can be filtered by (those with something published)."""
    kinds = published_announcements().values("agency__kind_id")
    return org_selectors.kind_list().filter(pk__in=kinds)


def public_agency(code: str) -> Agency:
    """An active agency by its code (any case), else 404: its page, its rating form."""
    found = (
        Agency.objects.filter(code__iexact=(code or "").strip(), is_active=True)
        .select_related("kind", "parent")
        .first()
    )
    if found is None:
        raise Http404
    return found


def agency_announcements(agency: Agency) -> list[Announcement]:
    """The agency's published announcements, newest first: the current one and its history
    of re-announcements."""
    return list(published_announcements().filter(agency=agency).order_by("-date", "-id"))


def announcement_file(pk) -> Announcement:
    """A published announcement whose signed decision was attached, else 404."""
    try:
        found = published_announcements().select_related("agency").get(pk=int(pk))
    except (Announcement.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if not found.signed_file:
        raise Http404
    return found


# --- published procedures and documents -------------------------------------------------------------


def _published(agency, kind: str):
    return Publication.objects.filter(agency=agency, kind=kind)


def published_procedures(agency: Agency, *, q: str = "") -> QuerySet[AdministrativeProcedure]:
    """The TTHC ``agency`` handles and marked public, with the code of its ISO procedure
    (``iso_code``, None when it has none), by field and name (one query)."""
    handled = HandledProcedure.objects.filter(agency=agency, is_active=True)
    link = IsoProcedure.objects.filter(
        agency=agency, procedure=OuterRef("pk"), document__status=DocumentStatus.ACTIVE
    )
    qs = (
        AdministrativeProcedure.objects.filter(
            pk__in=_published(agency, PublicationKind.PROCEDURE).values("procedure_id")
        )
        .filter(pk__in=handled.values("procedure_id"))
        .annotate(iso_code=Subquery(link.values("document__code")[:1]))
    )
    if q:
        qs = qs.filter(search_text__contains=vn_fold(q))
    return qs.order_by("field", "name", "code")


@dataclass
class PublicRevision:
    """A document as the public sees it: its revision in force and that revision's files."""

    document: Document
    revision: Revision | None
    files: list[RevisionFile] = field(default_factory=list)


@dataclass
class PublicProcedure:
    procedure: AdministrativeProcedure
    iso: PublicRevision | None
    steps: list = field(default_factory=list)
    forms: list[PublicRevision] = field(default_factory=list)
    history: list[Revision] = field(default_factory=list)
    upcoming: Revision | None = None

    @property
    def total_days(self) -> Decimal | None:
        times = [s.time_days for s in self.steps if s.time_days is not None]
        return sum(times, Decimal(0)) if times else None


def _in_force_with_files(documents, day: datetime.date) -> dict[int, Revision]:
    """The revision in force on ``day`` of each document, its files loaded (two queries)."""
    files = RevisionFile.objects.order_by("created_at", "pk")
    revisions = (
        Revision.objects.in_force(on=day)
        .filter(document__in=documents)
        .select_related("decision")
        .prefetch_related(Prefetch("files", queryset=files, to_attr="public_files"))
    )
    return {r.document_id: r for r in revisions}


def public_procedure(
    agency: Agency, code: str, *, history: bool = False, on: datetime.date | None = None
) -> PublicProcedure:
    """A published procedure of ``agency`` (404 otherwise): the TTHC, its ISO procedure's
    revision in force today with its step table and files, the forms of that procedure the
    agency also marked public (each in its revision in force), and — only when asked — the
    list of earlier revisions (their dates and what changed, no files)."""
    day = _today(on)
    procedure = published_procedures(agency).filter(code=code).first()
    if procedure is None:
        raise Http404
    link = (
        IsoProcedure.objects.filter(
            agency=agency, procedure=procedure, document__status=DocumentStatus.ACTIVE
        )
        .select_related("document")
        .first()
    )
    result = PublicProcedure(procedure=procedure, iso=None)
    if link is None:
        return result
    document = link.document
    forms = list(
        Document.objects.filter(pk__in=document.forms.values("pk"))
        .filter(status=DocumentStatus.ACTIVE)
        .filter(pk__in=_published(agency, PublicationKind.DOCUMENT).values("document_id"))
        .order_by("code")
    )
    in_force = _in_force_with_files([document, *forms], day)
    revision = in_force.get(document.pk)
    result.iso = PublicRevision(
        document=document,
        revision=revision,
        files=getattr(revision, "public_files", []) if revision else [],
    )
    if revision is not None:
        result.steps = list(revision.steps.order_by("number"))
    result.forms = [
        PublicRevision(f, in_force[f.pk], in_force[f.pk].public_files)
        for f in forms
        if f.pk in in_force
    ]
    result.upcoming = (
        Revision.objects.not_yet_in_force(on=day).filter(document=document).order_by("number")
    ).first()
    if history:
        result.history = list(
            Revision.objects.issued()
            .filter(document=document, effective_date__lte=day)
            .with_validity(on=day)
            .order_by("-number")
        )
    return result


def published_documents(agency: Agency, *, on: datetime.date | None = None) -> list[PublicRevision]:
    """The documents ``agency`` marked public that have a revision in force today (the others
    wait for one), by code, with their files (three queries)."""
    day = _today(on)
    documents = list(
        Document.objects.filter(
            agency=agency,
            status=DocumentStatus.ACTIVE,
            pk__in=_published(agency, PublicationKind.DOCUMENT).values("document_id"),
        ).order_by("code")
    )
    in_force = _in_force_with_files(documents, day)
    return [
        PublicRevision(d, in_force[d.pk], in_force[d.pk].public_files)
        for d in documents
        if d.pk in in_force
    ]


def public_file(pk, *, on: datetime.date | None = None) -> RevisionFile:
    """A file visitors may download, else 404: a file of the revision in force today of a
    document its agency marked public, or of the ISO procedure of a procedure it marked
    public (and still handles). Drafts, revisions no longer in force or not yet in force, and
    every other document stay out."""
    day = _today(on)
    try:
        found = (
            RevisionFile.objects.filter(
                pk=int(pk),
                agency__is_active=True,
                revision__in=Revision.objects.in_force(on=day).values("pk"),
                revision__document__status=DocumentStatus.ACTIVE,
            )
            .select_related("revision", "revision__document")
            .first()
        )
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Http404
    document = found.revision.document
    agency_id = found.agency_id
    direct = Publication.objects.filter(
        agency_id=agency_id, kind=PublicationKind.DOCUMENT, document=document
    )
    published_tthc = Publication.objects.filter(
        agency_id=agency_id, kind=PublicationKind.PROCEDURE
    ).values("procedure_id")
    handled = HandledProcedure.objects.filter(agency_id=agency_id, is_active=True).values(
        "procedure_id"
    )
    through_procedure = IsoProcedure.objects.filter(
        agency_id=agency_id,
        document=document,
        procedure__in=published_tthc,
    ).filter(procedure__in=handled)
    if not (direct.exists() or through_procedure.exists()):
        raise Http404
    return found


# --- statistics ----------------------------------------------------------------------------------


@dataclass
class TierRow:
    tier: str
    label: str
    agencies: int
    must_apply: int
    announced: int
    published: int


def tier_counts() -> list[TierRow]:
    """Per tier (then the total): active agencies, how many must apply ISO, how many have
    announced conformity (a signed announcement), how many published it here. One query."""
    signed = Announcement.objects.filter(status__in=SIGNED_STATUSES).values("agency_id")
    published = published_announcements().values("agency_id")
    rows = (
        Agency.objects.filter(is_active=True)
        .order_by()
        .values("tier")
        .annotate(
            n=Count("pk"),
            n_must=Count("pk", filter=Q(must_apply=True)),
            n_announced=Count("pk", filter=Q(pk__in=signed)),
            n_published=Count("pk", filter=Q(pk__in=published)),
        )
    )
    found = {r["tier"]: r for r in rows}
    result = [
        TierRow(
            value,
            str(label),
            found[value]["n"],
            found[value]["n_must"],
            found[value]["n_announced"],
            found[value]["n_published"],
        )
        for value, label in Tier.choices
        if value in found
    ]
    if result:
        result.append(
            TierRow(
                "",
                "",
                sum(r.agencies for r in result),
                sum(r.must_apply for r in result),
                sum(r.announced for r in result),
                sum(r.published for r in result),
            )
        )
    return result


def on_time_rates(agency_ids, start: datetime.date, end: datetime.date) -> dict:
    """``{agency id: on-time rate %}`` of one-stop dossiers finished from ``start`` to ``end``,
    for agencies with such data — from the records app's monthly figures when it is installed
    (one query), else nothing."""
    if not apps.is_installed("eiso.records"):
        return {}
    from eiso.records import kpis
    from eiso.records.models import AgencyMonthStat

    rows = (
        AgencyMonthStat.objects.filter(
            agency_id__in=list(agency_ids),
            month__gte=kpis.month_start(start),
            month__lte=kpis.month_start(end),
        )
        .order_by()
        .values("agency_id")
        .annotate(**kpis.SUMS)
    )
    return {
        r["agency_id"]: kpis.rate_of(r["n_on_time"], r["n_finished"])
        for r in rows
        if r["n_finished"]
    }


def satisfaction_rates(agency_ids, start: datetime.date, end: datetime.date) -> dict:
    """``{agency id: (ratings, satisfied %)}`` from the feedback app (one query)."""
    if not apps.is_installed("eiso.feedback"):
        return {}
    from eiso.feedback import selectors as feedback_selectors

    return feedback_selectors.satisfaction_rates(agency_ids, start, end)


@dataclass
class AgencyFigures:
    agency: Agency
    on_time: Decimal | None = None
    ratings: int = 0
    satisfaction: Decimal | None = None


def agency_figures(agencies: list[Agency], *, today: datetime.date | None = None):
    """The last twelve months' on-time rate and satisfaction of each agency (two queries)."""
    start, end = last_twelve_months(today)
    ids = [a.pk for a in agencies]
    on_time = on_time_rates(ids, start, end)
    satisfaction = satisfaction_rates(ids, start, end)
    return [
        AgencyFigures(
            agency=a,
            on_time=on_time.get(a.pk),
            ratings=satisfaction.get(a.pk, (0, None))[0],
            satisfaction=satisfaction.get(a.pk, (0, None))[1],
        )
        for a in agencies
    ]


def sitemap_agencies() -> QuerySet[Agency]:
    """Agencies with something public: a published announcement or procedure (one query)."""
    procedures = Publication.objects.filter(kind=PublicationKind.PROCEDURE).values("agency_id")
    return (
        Agency.objects.filter(is_active=True)
        .filter(Q(pk__in=published_announcements().values("agency_id")) | Q(pk__in=procedures))
        .order_by("path")
    )


def sitemap_procedures() -> QuerySet[Publication]:
    handled = HandledProcedure.objects.filter(
        agency=OuterRef("agency"), procedure=OuterRef("procedure"), is_active=True
    )
    return (
        Publication.objects.filter(kind=PublicationKind.PROCEDURE, agency__is_active=True)
        .filter(Exists(handled))
        .select_related("agency", "procedure")
        .order_by("agency__path", "procedure__code")
    )


# --- the agency's side: what it may publish and has published ------------------------------------


def publishable_procedures(*, user, agency: Agency, q: str = "") -> QuerySet[HandledProcedure]:
    """The procedures ``agency`` handles, each with whether it is public (``published``) and
    the code of its ISO procedure (one query)."""
    published = Publication.objects.filter(
        agency=agency, kind=PublicationKind.PROCEDURE, procedure=OuterRef("procedure")
    )
    link = IsoProcedure.objects.filter(agency=agency, procedure=OuterRef("procedure"))
    qs = (
        HandledProcedure.objects.visible_to(user)
        .filter(agency=agency, is_active=True)
        .select_related("procedure")
        .annotate(published=Exists(published), iso_code=Subquery(link.values("document__code")[:1]))
    )
    if q:
        qs = qs.filter(procedure__search_text__contains=vn_fold(q))
    return qs.order_by("procedure__field", "procedure__name")


def publishable_documents(
    *, user, agency: Agency, on: datetime.date | None = None
) -> QuerySet[Document]:
    """The agency's forms and declared documents (policy, objectives, instructions) in use,
    each with whether it is public and the number of its revision in force (one query)."""
    day = _today(on)
    published = Publication.objects.filter(
        agency=agency, kind=PublicationKind.DOCUMENT, document=OuterRef("pk")
    )
    in_force = Revision.objects.in_force(on=day).filter(document=OuterRef("pk"))
    return (
        Document.objects.visible_to(user)
        .filter(agency=agency, status=DocumentStatus.ACTIVE, kind__in=PUBLISHABLE_KINDS)
        .annotate(
            published=Exists(published),
            in_force_number=Subquery(in_force.values("number")[:1]),
        )
        .order_by("kind", "code")
    )


def handled_procedure_get(*, user, pk, action: Action = Action.VIEW) -> HandledProcedure:
    try:
        return (
            HandledProcedure.objects.visible_to(user, action=action)
            .select_related("procedure", "agency")
            .get(pk=int(pk))
        )
    except (HandledProcedure.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def document_get(*, user, pk, action: Action = Action.VIEW) -> Document:
    try:
        return (
            Document.objects.visible_to(user, action=action)
            .select_related("agency")
            .get(pk=int(pk), kind__in=PUBLISHABLE_KINDS)
        )
    except (Document.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
