"""The QMS documents of every other agency of the demo province (part of the "documents" step,
after the personas' four agencies of documents.py): the quality policy and the six system
procedures of the framework model (CSCL, QT-01…QT-06), issued by a signed decision of the
agency's head, and for a share of the agencies (REVISING_PERCENT, every tier) one to three later
decisions that revise some of them, the revisions they replace kept as superseded.

Who and when come from the province's records (qms.planned_status): an agency that has not
started its QMS has no documents (and no keepers); one still building it issued them in 2026; a
long-standing department issued them a few months before its first announcement (2019–2022);
the departments merged in 2025 and the communes of the two-tier government (from 01/07/2025)
soon after they were set up. Each decision is replayed through the services with the clock
(context.clock_at): drafted by the ISO secretary two weeks before, submitted, approved by the
head, put in a decision and signed on its day, numbered as the agency numbers its decisions
("45/QĐ-SNV", "112/QĐ-UBND"), restarting every year.

Idempotent: a decision is made only when the agency has no signed decision of that number and
day; a round that the app's own work has made impossible (a document withdrawn, a revision
already in preparation) is left out and counted, never forced."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from eiso.core.errors import ApplicationError
from eiso.core.numbers import agency_symbol, official_number
from eiso.demo import data_documents as plan_data
from eiso.demo.builders import keeper_agencies, office_of
from eiso.demo.context import (
    DemoContext,
    DemoDataError,
    Keepers,
    clock_at,
    digest,
    working_day_between,
)
from eiso.demo.files import docx_upload, revision_docx
from eiso.demo.qms import first_announced_on, is_long_standing, planned_status, qms_started
from eiso.documents import services
from eiso.documents.choices import DecisionStatus
from eiso.documents.models import (
    Document,
    DocumentTemplate,
    IssuingDecision,
    MasterListReview,
    Revision,
)
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency, Department
from eiso.qms.choices import QmsStatus

D = datetime.date
DAY = datetime.timedelta(days=1)
CODES = plan_data.TEMPLATE_CODES

# --- the plan -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Round:
    """One decision: its day, number, subject and the documents it issues with their change
    summaries (the first round issues every document of the framework model)."""

    day: datetime.date
    number: str
    subject: str
    items: tuple[tuple[str, str], ...]


def first_issue_day(agency: Agency) -> datetime.date | None:
    """The day the agency's head signed the decision issuing its QMS documents (None: the
    agency has not started its QMS)."""
    if not qms_started(agency):
        return None
    key = f"system/{agency.code}/first"
    status = planned_status(agency)
    if status == QmsStatus.BUILDING:
        return working_day_between(key, D(2026, 2, 2), D(2026, 6, 30))
    if agency.tier == Tier.COMMUNE:  # before the first announcements, from 21/07/2025
        return working_day_between(key, D(2025, 7, 15), D(2025, 7, 18))
    if is_long_standing(agency):
        if status == QmsStatus.ANNOUNCED:  # applied for three months at least, then announced
            announced = first_announced_on(agency)
            return working_day_between(key, announced - 150 * DAY, announced - 100 * DAY)
        return working_day_between(key, D(2024, 3, 1), D(2025, 1, 24))
    start = agency.active_from  # merged on 01/03/2025: announced a month later at the earliest
    return working_day_between(key, start + 17 * DAY, start + 24 * DAY)


def revision_items(agency: Agency, first: datetime.date) -> list[tuple[datetime.date, tuple]]:
    """The later decisions of an agency that revises its documents: one to three occasions of
    data_documents.OCCASIONS at least three months after the first issue, each revising one to
    three of the documents it concerns."""
    code = agency.code
    if planned_status(agency) == QmsStatus.BUILDING:
        return []
    if digest(f"system/{code}/revises") % 100 >= plan_data.REVISING_PERCENT:
        return []
    eligible = [
        occasion
        for occasion in plan_data.OCCASIONS
        if occasion.end >= first + 90 * DAY
        and (is_long_standing(agency) or not occasion.long_standing_only)
    ]
    count = 1 + digest(f"system/{code}/occasions") % 3
    chosen = sorted(eligible, key=lambda o: digest(f"system/{code}/{o.start}"))[:count]
    # The document the agency works on most: revised on every chosen occasion that concerns it.
    offered = Counter(c for occasion in chosen for c in occasion.changes)
    repeated = sorted(c for c, times in offered.items() if times > 1)
    focus = repeated[digest(f"system/{code}/focus") % len(repeated)] if repeated else None
    rounds = []
    for occasion in sorted(chosen, key=lambda o: o.start):
        key = f"system/{code}/{occasion.start}"
        day = working_day_between(f"{key}/day", max(occasion.start, first + 90 * DAY), occasion.end)
        wanted = 1 + digest(f"{key}/count") % min(3, len(occasion.changes))
        codes = sorted(occasion.changes, key=lambda c: digest(f"{key}/{c}"))[:wanted]
        if focus in occasion.changes and focus not in codes:
            codes = [focus, *codes[: wanted - 1]]
        rounds.append((day, tuple((c, occasion.changes[c]) for c in CODES if c in codes)))
    return rounds


def decision_number(agency: Agency, day: datetime.date, taken: set[tuple[int, int]]) -> str:
    """As the agency numbers all its decisions through the year: about its yearly volume
    times the share of the year gone, e.g. ``"45/QĐ-SNV"``, ``"112/QĐ-UBND"``."""
    volume = 120 + digest(f"system/{agency.code}/volume") % 380
    number = max(1, day.timetuple().tm_yday * volume // 366) + digest(f"{agency.code}/{day}") % 4
    while (number, day.year) in taken:
        number += 1
    taken.add((number, day.year))
    return official_number(str(number), symbol=agency_symbol(agency))


def last_quarter_review_day(today: datetime.date) -> datetime.date:
    """The 26th of the last month of the quarter before ``today``'s."""
    quarter = (today.month - 1) // 3  # the previous one, 0 meaning the last of last year
    year = today.year if quarter else today.year - 1
    return datetime.date(year, (quarter or 4) * 3, plan_data.REVIEW_DAY)


def plan_rounds(agency: Agency, today: datetime.date) -> list[Round]:
    """Every decision of the agency's QMS documents up to ``today``."""
    first = first_issue_day(agency)
    if first is None or first > today:
        return []
    taken: set[tuple[int, int]] = set()
    rounds = [
        Round(
            first,
            decision_number(agency, first, taken),
            plan_data.SYSTEM_SUBJECT,
            tuple((code, plan_data.ADOPTED) for code in CODES),
        )
    ]
    for day, items in revision_items(agency, first):
        if day <= today:
            number = decision_number(agency, day, taken)
            rounds.append(Round(day, number, plan_data.SYSTEM_REVISED_SUBJECT, items))
    return rounds


# --- building -------------------------------------------------------------------------------------


@dataclass
class SystemAdded:
    agencies: int = 0  # agencies that issued their first documents in this run
    decisions: int = 0
    skipped: int = 0  # rounds left out because of what the app's users did
    reviews: int = 0  # quarterly reviews of the master list


class SystemDocumentsBuilder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.added = SystemAdded()
        self.agencies = [
            a for a in keeper_agencies(ctx) if a.code.upper() in ctx.keepers and ctx.builds(a)
        ]
        self.templates = {t.code: t for t in DocumentTemplate.objects.filter(code__in=CODES)}
        self.signed = set(
            IssuingDecision.objects.filter(
                agency__in=self.agencies, status=DecisionStatus.SIGNED
            ).values_list("agency_id", "number", "date")
        )
        self.reviewed = set(
            MasterListReview.objects.filter(agency__in=self.agencies).values_list(
                "agency_id", "year", "quarter"
            )
        )
        self.documents: dict[int, dict[str, Document]] = {}
        for document in Document.objects.filter(agency__in=self.agencies, code__in=CODES):
            self.documents.setdefault(document.agency_id, {})[document.code] = document
        departments: dict[int, list[Department]] = {}
        for department in Department.objects.filter(agency__in=self.agencies):
            departments.setdefault(department.agency_id, []).append(department)
        self.offices = {pk: office_of(found) for pk, found in departments.items()}

    def build(self) -> SystemAdded:
        missing = [code for code in CODES if code not in self.templates]
        if missing:
            raise DemoDataError(f"Framework-model templates missing: {missing}")
        for agency in self.agencies:
            keepers = self.ctx.keepers[agency.code.upper()]
            for index, plan in enumerate(plan_rounds(agency, self.ctx.today)):
                if (agency.pk, plan.number, plan.day) in self.signed:
                    continue
                try:
                    with transaction.atomic():
                        self.issue(agency, keepers, plan)
                except ApplicationError:  # rolled back: read what the agency has again
                    self.documents[agency.pk] = {
                        d.code: d for d in Document.objects.filter(agency=agency, code__in=CODES)
                    }
                    self.added.skipped += 1
                    continue
                self.added.decisions += 1
                self.added.agencies += int(index == 0)
            self.review(agency, keepers)
        return self.added

    def review(self, agency: Agency, keepers: Keepers) -> None:
        """Last quarter's review of the master list, by the secretary on the 26th of its last
        month — but for one agency in five, late with it (the overseer sees them overdue)."""
        day = last_quarter_review_day(self.ctx.today)
        rounds = plan_rounds(agency, self.ctx.today)
        if not rounds or rounds[0].day >= day or digest(f"system/{agency.code}/late") % 5 == 0:
            return
        quarter = (day.month - 1) // 3 + 1
        if (agency.pk, day.year, quarter) in self.reviewed:
            return
        with clock_at(day, hour=16):
            services.master_list_review_record(
                actor=keepers.secretary,
                agency=agency,
                reviewed_on=day,
                result=MasterListReview.Result.UP_TO_DATE,
                notes=plan_data.REVIEW_OK,
            )
        self.reviewed.add((agency.pk, day.year, quarter))
        self.added.reviews += 1

    def issue(self, agency: Agency, keepers: Keepers, plan: Round) -> None:
        """Draft (two weeks before), submit, approve, decide and sign one round."""
        secretary, head = keepers.secretary, keepers.head
        documents = self.documents.setdefault(agency.pk, {})
        revisions: list[Revision] = []
        with clock_at(plan.day - 14 * DAY):
            for code, summary in plan.items:
                revisions.append(self.draft(agency, secretary, documents, code, summary, plan))
        with clock_at(plan.day - 10 * DAY):
            revisions = [services.revision_submit(actor=secretary, revision=r) for r in revisions]
        with clock_at(plan.day - 5 * DAY, hour=14):
            revisions = [services.revision_approve(actor=head, revision=r) for r in revisions]
        with clock_at(plan.day - 3 * DAY):
            decision = services.decision_create(
                actor=secretary,
                agency=agency,
                subject=plan.subject,
                signer_name=head.full_name,
                signer_title=(agency.head_title or head.position).upper(),
                revisions=revisions,
            )
        with clock_at(plan.day, hour=15):
            services.decision_sign(actor=head, decision=decision, number=plan.number, date=plan.day)
        self.signed.add((agency.pk, plan.number, plan.day))

    def draft(
        self, agency: Agency, secretary, documents: dict[str, Document], code, summary, plan
    ) -> Revision:
        document = documents.get(code)
        if document is None:
            template = self.templates[code]
            content = f"{template.content}\nÁp dụng tại: {agency.name}."
            document = services.document_create(
                actor=secretary,
                agency=agency,
                code=template.code,
                title=template.title,
                kind=template.kind,
                department=self.offices.get(agency.pk),
                change_summary=summary,
                content=content,
            )
            documents[code] = document
            revision = Revision.objects.get(document=document, number=1)
        else:
            revision = services.revision_start(
                actor=secretary, document=document, change_summary=summary
            )
            content = (
                f"{revision.content}\nSửa đổi, bổ sung (lần ban hành {revision.number:02d}, "
                f"Quyết định số {plan.number}): {summary}."
            )
            revision = services.revision_update(
                actor=secretary, revision=revision, data={"content": content}
            )
        payload = revision_docx(
            agency_name=agency.name,
            code=document.code,
            title=document.title,
            kind=document.kind,
            number=revision.number,
            effective=plan.day,
            change_summary=summary,
            content=content,
        )
        services.revision_attach_file(
            actor=secretary,
            revision=revision,
            upload=docx_upload(f"{document.code}_lan-{revision.number:02d}.docx", payload),
        )
        return revision


def build_system_documents(ctx: DemoContext) -> SystemAdded:
    """Build (or complete) the QMS documents of every agency kept by generated keepers."""
    return SystemDocumentsBuilder(ctx).build()
