"""The document control of the demo province (see data_documents.py), built through
eiso.documents.services so its audit trail, workflow events, acknowledgements and revision
tasks are the ones a real province would have.

The province's history is replayed in date order with the clock (``django.utils.timezone.now``)
set to the day each step happened: revisions are issued in 2025 and 2026, not all on the day of
the seed. This matters beyond the look of the audit trail: the services date revision tasks from
the day a text is recorded (never before today), so only a replacement recorded in 2025 gives
tasks that are overdue now; and a master-list review is overdue only for an agency whose
documents were issued before this month.

Idempotent: every step first looks at what exists (a decision by its number, a document by its
code, a revision by its number, a text by its number, a review by its quarter) and does nothing
when it is there, so a second run writes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, fields

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.accounts.models import Membership, User
from eiso.core.notifications import notification_mark_read
from eiso.core.roles import Role
from eiso.demo import data
from eiso.demo import data_documents as plan_data
from eiso.demo.context import DemoContext, DemoDataError, StepReport, clock_at
from eiso.demo.data_documents import (
    AgencyPlan,
    DecisionSpec,
    PendingSpec,
    ProcedureSpec,
    TextSpec,
)
from eiso.demo.files import docx_upload, revision_docx
from eiso.demo.procedures import planned_steps, step_signature
from eiso.demo.system_documents import build_system_documents
from eiso.documents import services
from eiso.documents.choices import (
    DecisionStatus,
    DocumentKind,
    RevisionStatus,
    TaskStatus,
)
from eiso.documents.models import (
    Document,
    DocumentTemplate,
    ExternalDocument,
    IssuingDecision,
    MasterListReview,
    Revision,
    RevisionTask,
)
from eiso.organizations.models import Agency
from eiso.procedures import services as procedure_services


class DocumentPlanError(DemoDataError):
    """The document data does not fit the demo province (a missing plan, an unknown code)."""


# --- the agencies that get documents ------------------------------------------------------------


def document_agency_codes() -> list[str]:
    """Agencies where the demo has both an ISO secretary and a head among its personas."""
    return list(data.TEAM_AGENCIES)


PLANS = {plan.agency: plan for plan in plan_data.PLANS}


# --- the files --------------------------------------------------------------------------------


LEGAL_FORMS = (
    ("/QH", "Luật"),
    ("/NĐ-CP", "Nghị định"),
    ("/TT-", "Thông tư"),
    ("/QĐ-", "Quyết định"),
)


def legal_rank(text: ExternalDocument) -> tuple[int, str]:
    """Laws first, then decrees, circulars and decisions (the order of a legal basis)."""
    for rank, (symbol, _name) in enumerate(LEGAL_FORMS):
        if symbol in text.number:
            return rank, text.number
    return len(LEGAL_FORMS), text.number


def legal_name(text: ExternalDocument) -> str:
    """``"Nghị định số 123/2015/NĐ-CP"``, ``"Luật Hộ tịch số 60/2014/QH13"``."""
    for symbol, name in LEGAL_FORMS:
        if symbol in text.number:
            return f"{text.title if name == 'Luật' else name} số {text.number}"
    return text.number


# --- building ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentCounts:
    documents: int = 0
    revisions: int = 0
    decisions: int = 0
    externals: int = 0
    open_tasks: int = 0
    overdue_tasks: int = 0
    agencies: int = 0  # agencies with at least one issued document
    superseded: int = 0  # superseded revisions
    revised_agencies: int = 0  # agencies with at least one superseded revision

    def __sub__(self, other: DocumentCounts) -> DocumentCounts:
        return DocumentCounts(
            *(getattr(self, f.name) - getattr(other, f.name) for f in fields(DocumentCounts))
        )


# Issued revisions keep their status once a later one replaces them (whether a revision is in
# force on a day is computed from dates); the rows written before that rule say "superseded".
ISSUED_STATUSES = tuple(s for s in RevisionStatus.values if s in ("issued", "superseded"))


def replaced_revisions():
    """Issued revisions that a later issued revision of their document replaces (or will, on
    its effective date): the history document control keeps."""
    later = Revision.objects.filter(
        document=OuterRef("document"), status__in=ISSUED_STATUSES, number__gt=OuterRef("number")
    )
    return Revision.objects.filter(status__in=ISSUED_STATUSES).filter(Exists(later))


def document_counts(today: datetime.date | None = None) -> DocumentCounts:
    today = today or timezone.localdate()
    open_tasks = RevisionTask.objects.filter(status=TaskStatus.OPEN)
    superseded = replaced_revisions()
    return DocumentCounts(
        documents=Document.objects.count(),
        revisions=Revision.objects.count(),
        decisions=IssuingDecision.objects.filter(status=DecisionStatus.SIGNED).count(),
        externals=ExternalDocument.objects.count(),
        open_tasks=open_tasks.count(),
        overdue_tasks=open_tasks.filter(due_date__lt=today).count(),
        agencies=Revision.objects.filter(status__in=ISSUED_STATUSES)
        .values("agency")
        .distinct()
        .count(),
        superseded=superseded.count(),
        revised_agencies=superseded.values("agency").distinct().count(),
    )


class Desk:
    """The document-control desk of one demo agency: its people and documents."""

    def __init__(self, plan: AgencyPlan, agency: Agency, users: dict[str, User]) -> None:
        self.plan = plan
        self.agency = agency
        self.secretary = users[f"thuky.{plan.team}"]
        self.head = users[f"thutruong.{plan.team}"]
        self.staff = users[f"canbo.{plan.team}"]
        self.auditor = users[f"dgnb.{plan.team}"]
        self.departments = {d.name: d for d in agency.departments.all()}
        self.documents = {d.code: d for d in Document.objects.filter(agency=agency)}
        self.specs: dict[str, tuple[str, object]] = {}
        for procedure in plan.procedures:
            self.specs[procedure.code] = (DocumentKind.TTHC_PROCEDURE, procedure)
            for form in procedure.forms:
                self.specs[form.code] = (DocumentKind.FORM, (form, procedure))
        for internal in plan.internal:
            self.specs[internal.code] = (DocumentKind.INTERNAL_PROCEDURE, internal)
        one_stop = "Trung tâm Phục vụ hành chính công"
        self.one_stop = (
            one_stop if one_stop in self.departments else f"{one_stop} tỉnh {data.PROVINCE}"
        )

    def department(self, name: str):
        return self.departments.get(name)

    def document(self, code: str) -> Document:
        try:
            return self.documents[code]
        except KeyError:
            raise DocumentPlanError(f"{self.agency.code}: {code} is not built yet") from None


class DocumentBuilder:
    """Replays the document-control history of the demo agencies through the services."""

    def __init__(self, today: datetime.date | None = None) -> None:
        self.today = today or timezone.localdate()
        usernames = [
            f"{prefix}.{plan.team}"
            for plan in plan_data.PLANS
            for prefix in ("thuky", "thutruong", "canbo", "dgnb")
        ]
        self.users = {
            u.username: u
            for u in User.objects.filter(username__in=[*usernames, data.OVERSEER_USERNAME])
        }
        self.overseer = self.users[data.OVERSEER_USERNAME]
        self.root = Agency.objects.get(code=data.ROOT_CODE)
        self.texts: dict[str, ExternalDocument] = {}
        by_number = {e.number: e for e in ExternalDocument.objects.filter(agency=self.root)}
        for spec in plan_data.SHARED_TEXTS:
            if spec.number in by_number:
                self.texts[spec.key] = by_number[spec.number]
        # found by its title: its number carries the year of the run that recorded it
        future = next(
            (e for e in by_number.values() if e.title == plan_data.FUTURE_TEXT.title), None
        )
        if future is not None:
            self.texts[plan_data.FUTURE_TEXT.key] = future
        self.templates = {t.code: t for t in DocumentTemplate.objects.all()}
        self.desks = self.open_desks()

    def open_desks(self) -> list[Desk]:
        codes = document_agency_codes()
        missing = [code for code in codes if code not in PLANS]
        if missing:
            raise DocumentPlanError(f"No document plan for the demo agencies {missing}")
        agencies = {a.code: a for a in Agency.objects.filter(code__in=codes, is_active=True)}
        held = set(
            Membership.objects.filter(agency__in=agencies.values(), is_active=True).values_list(
                "agency__code", "role"
            )
        )
        return [
            Desk(PLANS[code], agencies[code], self.users)
            for code in codes
            if code in agencies and (code, Role.ISO_SECRETARY) in held and (code, Role.HEAD) in held
        ]

    # the story, in date order

    def build(self) -> None:
        events: list[tuple[datetime.date, int, Callable[[], None]]] = []

        def at(day: datetime.date, order: int, action: Callable[[], None]) -> None:
            if day <= self.today:
                events.append((day, order, action))

        first_texts = [s for s in plan_data.SHARED_TEXTS if s.recorded_on is None]
        at(plan_data.CATALOGUE_RECORDED_ON, 0, lambda: self.record_shared(first_texts))
        for spec in plan_data.SHARED_TEXTS:
            if spec.recorded_on is not None:
                at(spec.recorded_on, 0, lambda spec=spec: self.record_shared([spec]))
        future = plan_data.FUTURE_TEXT
        at(self.today - datetime.timedelta(days=future.recorded_days_ago), 0, self.record_future)
        for desk in self.desks:
            decisions = [d for d in desk.plan.decisions if d.date <= self.today]
            first = decisions[0].date - datetime.timedelta(days=15)
            at(first, 1, lambda desk=desk: self.record_standards(desk))
            for decision in decisions:
                last = decision is decisions[-1]
                at(
                    decision.date - datetime.timedelta(days=14),
                    2,
                    lambda desk=desk, d=decision, last=last: self.issue(desk, d, last=last),
                )
            linked = self.today - datetime.timedelta(days=future.linked_days_ago)
            at(linked, 3, lambda desk=desk: self.link_future(desk))
            for pending in desk.plan.pending:
                start = self.today - datetime.timedelta(days=pending.days_ago + 12)
                at(start, 4, lambda desk=desk, p=pending: self.prepare_pending(desk, p))
            for day in self.review_days(desk, decisions[0].date):
                at(day, 5, lambda desk=desk, day=day: self.review(desk, day))
        for _day, _order, action in sorted(events, key=lambda event: (event[0], event[1])):
            action()

    # legal texts

    def future_number(self) -> str:
        spec = plan_data.FUTURE_TEXT
        issued = self.today - datetime.timedelta(days=spec.issued_days_ago)
        return spec.number.format(year=issued.year)

    def record_shared(self, specs: list[TextSpec]) -> None:
        for spec in specs:
            if spec.key in self.texts:
                continue
            with clock_at(spec.recorded_on or plan_data.CATALOGUE_RECORDED_ON, hour=10):
                self.texts[spec.key] = services.external_document_create(
                    actor=self.overseer,
                    agency=self.root,
                    is_shared=True,
                    number=spec.number,
                    title=spec.title,
                    kind=spec.kind,
                    issuer=spec.issuer,
                    issue_date=spec.issue_date,
                    effective_date=spec.effective_date,
                    replaces=self.texts[spec.replaces] if spec.replaces else None,
                    notes=spec.notes,
                )

    def record_future(self) -> None:
        spec = plan_data.FUTURE_TEXT
        if spec.key in self.texts:
            return
        with clock_at(self.today - datetime.timedelta(days=spec.recorded_days_ago), hour=10):
            self.texts[spec.key] = services.external_document_create(
                actor=self.overseer,
                agency=self.root,
                is_shared=True,
                number=self.future_number(),
                title=spec.title,
                issuer=spec.issuer,
                issue_date=self.today - datetime.timedelta(days=spec.issued_days_ago),
                effective_date=self.today + datetime.timedelta(days=spec.effective_in_days),
            )

    def record_standards(self, desk: Desk) -> None:
        kept = set(
            ExternalDocument.objects.filter(agency=desk.agency).values_list("number", flat=True)
        )
        first = desk.plan.decisions[0].date - datetime.timedelta(days=15)
        with clock_at(first):
            for spec in plan_data.AGENCY_STANDARDS:
                if spec.number in kept:
                    continue
                services.external_document_create(
                    actor=desk.secretary,
                    agency=desk.agency,
                    number=spec.number,
                    title=spec.title,
                    kind=spec.kind,
                    issuer=spec.issuer,
                    issue_date=spec.issue_date,
                    effective_date=spec.effective_date,
                )

    def link_future(self, desk: Desk) -> None:
        future = self.texts.get(plan_data.FUTURE_TEXT.key)
        if future is None:
            return
        day = self.today - datetime.timedelta(days=plan_data.FUTURE_TEXT.linked_days_ago)
        with clock_at(day):
            for code in desk.plan.future_links:
                document = desk.document(code)
                bases = list(document.legal_bases.all())
                if future not in bases:
                    services.document_update(
                        actor=desk.secretary,
                        document=document,
                        data={"legal_bases": [*bases, future]},
                    )

    # documents and their revisions

    def content_of(self, desk: Desk, code: str, document: Document | None = None) -> str:
        kind, spec = desk.specs[code]
        agency = desk.agency.short_name or desk.agency.name
        if kind == DocumentKind.FORM:
            form, procedure = spec
            return (
                f"Biểu mẫu “{form.title}” dùng trong quy trình {procedure.code} "
                f"“{procedure.title}”.\nLưu cùng hồ sơ giải quyết thủ tục hành chính."
            )
        if kind == DocumentKind.INTERNAL_PROCEDURE:
            return (
                f"1. Mục đích: {spec.purpose}\n2. Phạm vi: áp dụng trong {agency}.\n"
                f"3. Trách nhiệm: {spec.department} chủ trì; các phòng, bộ phận phối hợp."
            )
        procedure: ProcedureSpec = spec
        if document is not None:
            texts = [t for t in document.legal_bases.all() if t.replaced_by_id is None]
        else:
            texts = [self.texts[key] for key in procedure.bases]
        forms = ", ".join(f"{f.code} {f.title}" for f in procedure.forms) or "Không có"
        return "\n".join(
            (
                f"1. Mục đích: quy định trình tự, trách nhiệm và thời hạn giải quyết thủ tục "
                f"hành chính “{procedure.title}” tại {agency}, bảo đảm đúng quy định, công khai, "
                "minh bạch.",
                f"2. Phạm vi: tổ chức, cá nhân có yêu cầu; {procedure.department} và "
                f"{desk.one_stop}.",
                "3. Căn cứ pháp lý: "
                + "; ".join(legal_name(t) for t in sorted(texts, key=legal_rank))
                + ".",
                f"4. Thời hạn giải quyết: {procedure.time_limit}.",
                f"5. Nơi tiếp nhận và trả kết quả: Bộ phận Một cửa – {desk.one_stop}.",
                f"6. Biểu mẫu: {forms}.",
                f"7. Hồ sơ lưu: tại {procedure.department}, theo thời hạn bảo quản hồ sơ.",
            )
        )

    def write_steps(self, desk: Desk, code: str, revision: Revision, day: datetime.date) -> None:
        """The step table of a draft of a TTHC procedure: the version of the plan
        (data_procedures.LINKS) in force on ``day``, the date of the decision that will issue
        it. A draft starts from a copy of the previous revision's table: written only when the
        version differs from it."""
        rows = planned_steps(desk.agency.code, code, day)
        if rows is None:
            return
        current = revision.steps.order_by("number").values(
            "name", "responsible", "time_days", "forms_results"
        )
        if step_signature(current) != step_signature(rows):
            procedure_services.steps_replace(actor=desk.secretary, revision=revision, steps=rows)

    def docx_steps(self, revision: Revision) -> list[tuple[str, ...]] | None:
        """The revision's step table as printed in its file."""
        rows = [
            (
                f"B{step.number}",
                step.name,
                step.responsible,
                format(step.time_days.normalize(), "f").replace(".", ",") + " ngày"
                if step.time_days is not None
                else "",
                step.forms_results,
            )
            for step in revision.steps.order_by("number")
        ]
        return rows or None

    def create_missing(self, desk: Desk, codes: list[str]) -> None:
        missing_templates = [
            code
            for code in codes
            if code in plan_data.TEMPLATE_CODES and code not in desk.documents
        ]
        if missing_templates:
            self.adopt(desk, missing_templates)
        for code in codes:
            if code in desk.documents or code in plan_data.TEMPLATE_CODES:
                continue
            if code not in desk.specs:
                raise DocumentPlanError(f"{desk.agency.code}: unknown document code {code}")
            kind, spec = desk.specs[code]
            options = {}
            if kind == DocumentKind.FORM:
                form, procedure = spec
                title, department = form.title, procedure.department
            else:
                title, department = spec.title, spec.department
                options["references"] = [
                    desk.documents[c] for c in ("QT-01",) if c in desk.documents
                ]
            if kind == DocumentKind.TTHC_PROCEDURE:
                options["forms"] = [desk.document(f.code) for f in spec.forms]
                options["legal_bases"] = [self.texts[key] for key in spec.bases]
            desk.documents[code] = services.document_create(
                actor=desk.secretary,
                agency=desk.agency,
                code=code,
                title=title,
                kind=kind,
                department=desk.department(department),
                change_summary=plan_data.FIRST_ISSUE,
                content=self.content_of(desk, code),
                **options,
            )

    def adopt(self, desk: Desk, codes: list[str]) -> None:
        templates = [self.templates[code] for code in codes if code in self.templates]
        if len(templates) != len(codes):
            raise DocumentPlanError(f"Framework-model templates missing: {codes}")
        office = desk.department(desk.plan.office)
        for document in services.template_adopt(
            actor=desk.secretary, agency=desk.agency, templates=templates
        ):
            if office is not None:
                document = services.document_update(
                    actor=desk.secretary, document=document, data={"department": office}
                )
            revision = document.revisions.get()
            services.revision_update(
                actor=desk.secretary,
                revision=revision,
                data={
                    "change_summary": plan_data.ADOPTED,
                    "content": f"{revision.content}\nÁp dụng tại: {desk.agency.name}.",
                },
            )
            desk.documents[document.code] = document

    def open_revision(
        self, desk: Desk, code: str, summary: str, effective: datetime.date | None
    ) -> Revision | None:
        """The revision of ``code`` to issue next, drafted with its file (None: nothing to do
        because its latest revision is already issued and no change is asked for)."""
        document = desk.document(code)
        revision = document.revisions.order_by("-number").first()
        if revision is None or revision.status == RevisionStatus.ISSUED:
            if not summary:
                return None
            revision = services.revision_start(
                actor=desk.secretary, document=document, change_summary=summary
            )
            content = self.content_of(desk, code, document) if code in desk.specs else ""
            if content and content != revision.content:
                revision = services.revision_update(
                    actor=desk.secretary, revision=revision, data={"content": content}
                )
        if revision.is_editable:
            self.write_steps(desk, code, revision, effective or self.today)
        if revision.is_editable and not revision.files.exists():
            payload = revision_docx(
                agency_name=desk.agency.name,
                code=document.code,
                title=document.title,
                kind=document.kind,
                number=revision.number,
                effective=effective,
                change_summary=revision.change_summary,
                content=revision.content,
                steps=self.docx_steps(revision),
            )
            services.revision_attach_file(
                actor=desk.secretary,
                revision=revision,
                upload=docx_upload(f"{document.code}_lan-{revision.number:02d}.docx", payload),
            )
        return revision

    def submit_and_approve(
        self, desk: Desk, revisions: list[Revision], submit_on: datetime.date, approve_on
    ) -> list[Revision]:
        with clock_at(submit_on):
            revisions = [
                services.revision_submit(actor=desk.secretary, revision=r) if r.is_editable else r
                for r in revisions
            ]
        if approve_on is None:
            return revisions
        with clock_at(approve_on, hour=14):
            return [
                services.revision_approve(actor=desk.head, revision=r)
                if r.status == RevisionStatus.IN_REVIEW
                else r
                for r in revisions
            ]

    def issue(self, desk: Desk, spec: DecisionSpec, *, last: bool) -> None:
        """One decision of the plan: draft, submit, approve, decide, sign, read."""
        if IssuingDecision.objects.filter(agency=desk.agency, number=spec.number).exists():
            return
        day = spec.date
        with clock_at(day - datetime.timedelta(days=14)):
            self.create_missing(desk, [code for code, _summary in spec.items])
            drafts = [self.open_revision(desk, code, summary, day) for code, summary in spec.items]
        revisions = self.submit_and_approve(
            desk,
            [r for r in drafts if r is not None],
            day - datetime.timedelta(days=10),
            day - datetime.timedelta(days=5),
        )
        with clock_at(day - datetime.timedelta(days=3)):
            decision = services.decision_create(
                actor=desk.secretary,
                agency=desk.agency,
                subject=spec.subject,
                signer_name=desk.head.full_name,
                signer_title=desk.plan.signer_title,
                revisions=revisions,
            )
        with clock_at(day, hour=15):
            services.decision_sign(actor=desk.head, decision=decision, number=spec.number, date=day)
        self.acknowledge(desk, decision, day, last=last)

    def acknowledge(self, desk: Desk, decision: IssuingDecision, day, *, last: bool) -> None:
        """The keepers read at once, staff and auditor within the week, except the newest
        decision which they have not read yet (and the seconded officer reads nothing here)."""
        readers = [(desk.secretary, 1), (desk.head, 1)]
        if not last:
            readers += [(desk.staff, 3), (desk.auditor, 6)]
        issued = list(Revision.objects.filter(decision=decision, status=RevisionStatus.ISSUED))
        for user, after in readers:
            with clock_at(day + datetime.timedelta(days=after), hour=10):
                for revision in issued:
                    services.revision_acknowledge(actor=user, revision=revision)
                notification_mark_read(user=user)

    def prepare_pending(self, desk: Desk, spec: PendingSpec) -> None:
        """A revision left in preparation: a draft, in review, returned, or approved and in a
        decision not signed yet."""
        document = desk.document(spec.code)
        numbers = list(document.revisions.values_list("number", flat=True))
        if spec.number in numbers:
            return
        if max(numbers, default=0) != spec.number - 1:
            raise DocumentPlanError(
                f"{desk.agency.code}: {spec.code} has no revision {spec.number - 1}"
            )
        end = self.today - datetime.timedelta(days=spec.days_ago)
        with clock_at(end - datetime.timedelta(days=12)):
            revision = self.open_revision(desk, spec.code, spec.change_summary, None)
        if spec.state == "draft":
            return
        if spec.state == "in_review":
            self.submit_and_approve(desk, [revision], end, None)
            return
        approve_on = end - datetime.timedelta(days=3) if spec.state == "approved" else None
        [revision] = self.submit_and_approve(
            desk, [revision], end - datetime.timedelta(days=7), approve_on
        )
        if spec.state == "returned":
            with clock_at(end, hour=14):
                services.revision_return(actor=desk.head, revision=revision, comment=spec.comment)
        elif spec.state == "approved":
            with clock_at(end):
                services.decision_create(
                    actor=desk.secretary,
                    agency=desk.agency,
                    subject=plan_data.AMEND_SUBJECT,
                    signer_name=desk.head.full_name,
                    signer_title=desk.plan.signer_title,
                    revisions=[revision],
                )
        else:
            raise DocumentPlanError(f"Unknown state {spec.state}")

    # the quarterly review of the master list

    def review_days(self, desk: Desk, since: datetime.date) -> list[datetime.date]:
        """The day of each quarterly review from the quarter of ``since``: every finished
        quarter; also this one for "current"; only the first one for "first"."""
        days = []
        year, quarter = since.year, (since.month - 1) // 3 + 1
        while True:
            day = datetime.date(year, quarter * 3, plan_data.REVIEW_DAY)
            if day >= self.today:
                break
            days.append(day)
            year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
        if desk.plan.reviews == "first":
            return days[:1]
        if desk.plan.reviews == "current" and (year, quarter) == (
            self.today.year,
            (self.today.month - 1) // 3 + 1,
        ):
            start = datetime.date(year, quarter * 3 - 2, 1)
            days.append(max(start, self.today - datetime.timedelta(days=3)))
        return days

    def review(self, desk: Desk, day: datetime.date) -> None:
        quarter = (day.month - 1) // 3 + 1
        if MasterListReview.objects.filter(
            agency=desk.agency, year=day.year, quarter=quarter
        ).exists():
            return
        late = list(
            RevisionTask.objects.filter(agency=desk.agency, status=TaskStatus.OPEN).select_related(
                "external_document"
            )
        )
        result = MasterListReview.Result.UP_TO_DATE
        notes = plan_data.REVIEW_OK
        if late:
            result = MasterListReview.Result.CHANGES_NEEDED
            notes = plan_data.REVIEW_LATE.format(
                count=len({task.document_id for task in late}),
                texts=", ".join(sorted({task.external_document.number for task in late})),
            )
        with clock_at(day, hour=16):
            services.master_list_review_record(
                actor=desk.secretary,
                agency=desk.agency,
                reviewed_on=day,
                result=result,
                notes=notes,
            )


def build_documents(today: datetime.date | None = None) -> DocumentCounts:
    """Build (or complete) the document control of the demo agencies; what this run added."""
    today = today or timezone.localdate()
    before = document_counts(today)
    DocumentBuilder(today).build()
    return document_counts(today) - before


def build(ctx: DemoContext) -> StepReport:
    """Step "documents": the personas' four agencies (their plans above), then the QMS
    documents of every other agency that has started its QMS (system_documents.py)."""
    before = document_counts(ctx.today)
    DocumentBuilder(ctx.today).build()
    system = build_system_documents(ctx)
    added = document_counts(ctx.today) - before
    text = ""
    if added.documents or added.revisions or added.decisions or added.externals:
        text = _(
            "Document control: added %(documents)d documents, %(revisions)d revisions, "
            "%(decisions)d issuing decisions and %(externals)d legal texts and external "
            "documents."
        ) % {
            "documents": added.documents,
            "revisions": added.revisions,
            "decisions": added.decisions,
            "externals": added.externals,
        }
    if system.skipped:
        text += " " + _(
            "%(count)d decisions of the plan were left out: what the agencies did in the app "
            "no longer allows them."
        ) % {"count": system.skipped}
    return StepReport(added=text.strip(), totals=format_totals(document_counts(ctx.today)))


def format_totals(totals: DocumentCounts) -> str:
    """What the document control of the province now holds."""
    return _(
        "Document control: %(documents)d documents in %(agencies)d agencies, %(revisions)d "
        "revisions (%(superseded)d superseded, in %(revised)d agencies), %(decisions)d signed "
        "issuing decisions, %(externals)d legal texts and external documents; revision tasks: "
        "%(open)d open, %(overdue)d of them overdue."
    ) % {
        "documents": totals.documents,
        "agencies": totals.agencies,
        "revisions": totals.revisions,
        "superseded": totals.superseded,
        "revised": totals.revised_agencies,
        "decisions": totals.decisions,
        "externals": totals.externals,
        "open": totals.open_tasks,
        "overdue": totals.overdue_tasks,
    }
