"""Internal audits: the year's programmes (lines, approval) and the audits — the plan (team,
schedule, approval with its number), the checklist (copied from the question bank, answered),
findings (a nonconformity opens its corrective-action record), the report and closing; the plan
and the report as DOCX/PDF.

Reads go through the audits' selectors (out of scope is 404); writes load their object in the
CHANGE scope — overseers read, they change nothing — and call one service."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from eiso.api.serializers.audits import (
    ApproveSerializer,
    AuditFilterSerializer,
    AuditProgrammeSerializer,
    AuditWriteSerializer,
    ChecklistAnswerSerializer,
    ChecklistCopySerializer,
    ChecklistItemSerializer,
    FindingSerializer,
    FindingWriteSerializer,
    InternalAuditSerializer,
    ProgrammeCreateSerializer,
    ProgrammeFilterSerializer,
    ProgrammeItemSerializer,
    ProgrammeItemWriteSerializer,
    ProgrammeWriteSerializer,
    ReplySerializer,
    ReportSerializer,
    SessionSerializer,
    SessionWriteSerializer,
    TeamMemberSerializer,
    TeamWriteSerializer,
)
from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.serializers.objectives import ReasonSerializer
from eiso.api.views.base import ApiViewSet
from eiso.api.views.documents import FileDownloadNegotiation
from eiso.audits import outputs, selectors, services
from eiso.core.files import DOCX, PDF
from eiso.core.generic import official_response
from eiso.core.roles import Action

CHANGE_RESPONSES = {**ERROR_RESPONSES, 409: ErrorSerializer}


@extend_schema_view(
    list=extend_schema(
        summary=_("List the audit programmes you may read"),
        parameters=[ProgrammeFilterSerializer],
        responses={200: AuditProgrammeSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(responses={200: AuditProgrammeSerializer, 404: ErrorSerializer}),
    create=extend_schema(
        summary=_("Draft the audit programme of a year"),
        request=ProgrammeCreateSerializer,
        responses={201: AuditProgrammeSerializer, **CHANGE_RESPONSES},
    ),
    partial_update=extend_schema(
        request=ProgrammeWriteSerializer,
        responses={200: AuditProgrammeSerializer, **CHANGE_RESPONSES},
    ),
    items=extend_schema(
        summary=_("Add a line: a department or process, its month and how often"),
        request=ProgrammeItemWriteSerializer,
        responses={201: ProgrammeItemSerializer, **CHANGE_RESPONSES},
    ),
    approve=extend_schema(
        summary=_("Approve the programme (the head)"),
        request=None,
        responses={200: AuditProgrammeSerializer, **CHANGE_RESPONSES},
    ),
    revise=extend_schema(
        summary=_("Open an approved programme for changes again"),
        request=None,
        responses={200: AuditProgrammeSerializer, **CHANGE_RESPONSES},
    ),
)
class AuditProgrammeViewSet(ApiViewSet):
    serializer_class = AuditProgrammeSerializer

    def list(self, request):
        filters = self.query(ProgrammeFilterSerializer)
        queryset = selectors.with_items(selectors.programme_list(user=request.user, **filters))
        return self.paginated(queryset, AuditProgrammeSerializer)

    def retrieve(self, request, pk: int):
        return self.show(self._load(request, pk), AuditProgrammeSerializer)

    def create(self, request):
        agency = self.target_agency(ProgrammeCreateSerializer)
        data = self.body(ProgrammeCreateSerializer)
        created = services.programme_create(
            actor=request.user, agency=agency, year=data["year"], data=data
        )
        return self.show(self._load(request, created.pk), AuditProgrammeSerializer, status=201)

    def partial_update(self, request, pk: int):
        data = self.body(ProgrammeWriteSerializer, partial=True)
        services.programme_update(
            actor=request.user, programme=self._load(request, pk, Action.CHANGE), data=data
        )
        return self.show(self._load(request, pk), AuditProgrammeSerializer)

    @action(detail=True, methods=["post"])
    def items(self, request, pk: int):
        programme = self._load(request, pk, Action.CHANGE)
        data = self.body(ProgrammeItemWriteSerializer, context={"target": programme.agency})
        created = services.programme_item_add(actor=request.user, programme=programme, data=data)
        return self.show(created, ProgrammeItemSerializer, status=201)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk: int):
        services.programme_approve(
            actor=request.user, programme=self._load(request, pk, Action.CHANGE)
        )
        return self.show(self._load(request, pk), AuditProgrammeSerializer)

    @action(detail=True, methods=["post"])
    def revise(self, request, pk: int):
        services.programme_revise(
            actor=request.user, programme=self._load(request, pk, Action.CHANGE)
        )
        return self.show(self._load(request, pk), AuditProgrammeSerializer)

    def _load(self, request, pk: int, action: Action = Action.VIEW):
        return selectors.programme_get(user=request.user, pk=pk, action=action)


@extend_schema_view(
    list=extend_schema(
        summary=_("List the internal audits you may read, with their plan"),
        parameters=[AuditFilterSerializer],
        responses={200: InternalAuditSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(responses={200: InternalAuditSerializer, 404: ErrorSerializer}),
    create=extend_schema(
        summary=_("Draft an audit plan"),
        request=AuditWriteSerializer,
        responses={201: InternalAuditSerializer, **CHANGE_RESPONSES},
    ),
    partial_update=extend_schema(
        request=AuditWriteSerializer, responses={200: InternalAuditSerializer, **CHANGE_RESPONSES}
    ),
    team=extend_schema(
        summary=_("Add an auditor to the team (a warning without a valid certificate)"),
        request=TeamWriteSerializer,
        responses={201: TeamMemberSerializer, **CHANGE_RESPONSES},
    ),
    schedule=extend_schema(
        summary=_("Add a line to the schedule (never an auditor of the department audited)"),
        request=SessionWriteSerializer,
        responses={201: SessionSerializer, **CHANGE_RESPONSES},
    ),
    approve=extend_schema(
        summary=_("Approve the plan with its number and date (the head)"),
        request=ApproveSerializer,
        responses={200: InternalAuditSerializer, **CHANGE_RESPONSES},
    ),
    revise=extend_schema(
        summary=_("Open an approved plan for changes again"),
        request=ReasonSerializer,
        responses={200: InternalAuditSerializer, **CHANGE_RESPONSES},
    ),
    checklist=extend_schema(
        methods=["GET"],
        summary=_("The checklist: every question, its answer and evidence"),
        request=None,
        responses={200: ChecklistItemSerializer(many=True), 404: ErrorSerializer},
    ),
    answer=extend_schema(
        summary=_("Answer a question of the checklist (the audit team)"),
        request=ChecklistAnswerSerializer,
        responses={200: ChecklistItemSerializer, **CHANGE_RESPONSES},
    ),
    findings=extend_schema(
        methods=["GET"],
        summary=_("The findings of the audit"),
        request=None,
        responses={200: FindingSerializer(many=True), 404: ErrorSerializer},
    ),
    reply=extend_schema(
        summary=_("Reply to an observation or an opportunity for improvement"),
        request=ReplySerializer,
        responses={200: FindingSerializer, **CHANGE_RESPONSES},
    ),
    report=extend_schema(
        summary=_("Write the report, or issue it (issue: true)"),
        request=ReportSerializer,
        responses={200: InternalAuditSerializer, **CHANGE_RESPONSES},
    ),
    close=extend_schema(
        summary=_("Close the audit once every finding is answered"),
        request=None,
        responses={200: InternalAuditSerializer, **CHANGE_RESPONSES},
    ),
    plan_docx=extend_schema(
        summary=_("The audit plan as DOCX"),
        responses={(200, DOCX): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
    plan_pdf=extend_schema(
        summary=_("The audit plan as PDF"),
        responses={(200, PDF): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
    report_docx=extend_schema(
        summary=_("The audit report as DOCX"),
        responses={(200, DOCX): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
    report_pdf=extend_schema(
        summary=_("The audit report as PDF"),
        responses={(200, PDF): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
)
class AuditViewSet(ApiViewSet):
    serializer_class = InternalAuditSerializer

    def list(self, request):
        filters = self.query(AuditFilterSerializer)
        return self.paginated(
            selectors.with_plan(selectors.audit_list(user=request.user, **filters)),
            InternalAuditSerializer,
        )

    def retrieve(self, request, pk: int):
        return self.show(self._read(request, pk), InternalAuditSerializer)

    def create(self, request):
        agency = self.target_agency(AuditWriteSerializer)
        data = self.body(AuditWriteSerializer)
        data.pop("agency", None)
        created = services.audit_create(actor=request.user, agency=agency, data=data)
        return self.show(self._read(request, created.pk), InternalAuditSerializer, status=201)

    def partial_update(self, request, pk: int):
        data = self.body(AuditWriteSerializer, partial=True)
        data.pop("agency", None)
        services.audit_update(actor=request.user, audit=self._load(request, pk), data=data)
        return self.show(self._read(request, pk), InternalAuditSerializer)

    @action(detail=True, methods=["post"])
    def team(self, request, pk: int):
        audit = self._load(request, pk)
        data = self.body(TeamWriteSerializer, context={"target": audit.agency})
        member = services.team_add(
            actor=request.user, audit=audit, user=data["user"], role=data["role"]
        )
        return self.show(member, TeamMemberSerializer, status=201)

    @action(detail=True, methods=["post"])
    def schedule(self, request, pk: int):
        audit = self._load(request, pk)
        data = self.body(SessionWriteSerializer, context={"target": audit.agency})
        clauses = data.pop("clauses", [])
        session = services.session_add(actor=request.user, audit=audit, data=data, clauses=clauses)
        return self.show(session, SessionSerializer, status=201)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk: int):
        data = self.body(ApproveSerializer)
        services.audit_approve(
            actor=request.user,
            audit=self._load(request, pk),
            number=data["number"],
            date=data["date"],
        )
        return self.show(self._read(request, pk), InternalAuditSerializer)

    @action(detail=True, methods=["post"])
    def revise(self, request, pk: int):
        data = self.body(ReasonSerializer)
        services.audit_revise(
            actor=request.user, audit=self._load(request, pk), reason=data["reason"]
        )
        return self.show(self._read(request, pk), InternalAuditSerializer)

    @extend_schema(
        methods=["POST"],
        summary=_("Copy the bank's questions of some clauses into the checklist"),
        request=ChecklistCopySerializer,
        responses={201: ChecklistItemSerializer(many=True), **CHANGE_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"])
    def checklist(self, request, pk: int):
        if request.method == "GET":
            audit = self._read(request, pk)
            items = selectors.checklist_of(user=request.user, audit=audit)
            return self.paginated(items, ChecklistItemSerializer)
        audit = self._load(request, pk)
        data = self.body(ChecklistCopySerializer)
        session = None
        if data.get("session"):
            session = selectors.session_get(
                user=request.user, pk=data["session"], action=Action.CHANGE
            )
        services.checklist_copy(
            actor=request.user,
            audit=audit,
            session=session,
            clauses=data["clauses"],
            processes=data.get("processes") or [],
        )
        items = selectors.checklist_of(user=request.user, audit=audit, session=session)
        return self.paginated(items, ChecklistItemSerializer)

    @action(
        detail=True,
        methods=["post"],
        url_path="checklist/<int:item_id>/answer",
        url_name="answer",
    )
    def answer(self, request, pk: int, item_id: int):
        item = selectors.item_get(user=request.user, pk=item_id, action=Action.CHANGE)
        if item.audit_id != int(pk):
            raise Http404
        data = self.body(ChecklistAnswerSerializer)
        services.checklist_answer(
            actor=request.user, item=item, answer=data["answer"], note=data.get("note", "")
        )
        found = selectors.checklist_of(user=request.user, audit=item.audit).get(pk=item.pk)
        return self.show(found, ChecklistItemSerializer)

    @extend_schema(
        methods=["POST"],
        summary=_("Record a finding (a major or minor nonconformity opens its record)"),
        request=FindingWriteSerializer,
        responses={201: FindingSerializer, **CHANGE_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"])
    def findings(self, request, pk: int):
        if request.method == "GET":
            audit = self._read(request, pk)
            return self.paginated(
                selectors.findings_of(user=request.user, audit=audit), FindingSerializer
            )
        audit = self._load(request, pk)
        data = self.body(FindingWriteSerializer, context={"target": audit.agency})
        if data.get("item"):
            data["item"] = selectors.item_get(
                user=request.user, pk=data["item"], action=Action.CHANGE
            )
        finding = services.finding_record(actor=request.user, audit=audit, data=data)
        return self.show(
            selectors.findings_of(user=request.user, audit=audit).get(pk=finding.pk),
            FindingSerializer,
            status=201,
        )

    @action(
        detail=True,
        methods=["post"],
        url_path="findings/<int:finding_id>/reply",
        url_name="reply",
    )
    def reply(self, request, pk: int, finding_id: int):
        finding = selectors.finding_get(user=request.user, pk=finding_id, action=Action.CHANGE)
        if finding.audit_id != int(pk):
            raise Http404
        data = self.body(ReplySerializer)
        services.finding_reply(actor=request.user, finding=finding, reply=data["reply"])
        return self.show(selectors.finding_get(user=request.user, pk=finding_id), FindingSerializer)

    @action(detail=True, methods=["post"])
    def report(self, request, pk: int):
        data = self.body(ReportSerializer)
        issue = data.pop("issue", False)
        call = services.audit_report if issue else services.report_save
        call(actor=request.user, audit=self._load(request, pk), data=data)
        return self.show(self._read(request, pk), InternalAuditSerializer)

    @action(detail=True, methods=["post"])
    def close(self, request, pk: int):
        services.audit_close(actor=request.user, audit=self._load(request, pk))
        return self.show(self._read(request, pk), InternalAuditSerializer)

    @action(
        detail=True,
        methods=["get"],
        url_path="plan/docx",
        content_negotiation_class=FileDownloadNegotiation,
    )
    def plan_docx(self, request, pk: int):
        return self._plan(request, pk, "docx")

    @action(
        detail=True,
        methods=["get"],
        url_path="plan/pdf",
        content_negotiation_class=FileDownloadNegotiation,
    )
    def plan_pdf(self, request, pk: int):
        return self._plan(request, pk, "pdf")

    @action(
        detail=True,
        methods=["get"],
        url_path="report/docx",
        content_negotiation_class=FileDownloadNegotiation,
    )
    def report_docx(self, request, pk: int):
        return self._report(request, pk, "docx")

    @action(
        detail=True,
        methods=["get"],
        url_path="report/pdf",
        content_negotiation_class=FileDownloadNegotiation,
    )
    def report_pdf(self, request, pk: int):
        return self._report(request, pk, "pdf")

    def _plan(self, request, pk: int, file_format: str):
        audit = selectors.audit_get(user=request.user, pk=pk)
        sessions = list(selectors.sessions_of(user=request.user, audit=audit))
        document = outputs.plan_document(audit, list(audit.team.all()), sessions)
        stem = outputs.plan_filename(audit, file_format).rsplit(".", 1)[0]
        return official_response(document, stem, file_format)

    def _report(self, request, pk: int, file_format: str):
        audit = self._read(request, pk)
        document = outputs.report_document(
            audit,
            list(audit.team.all()),
            list(selectors.findings_of(user=request.user, audit=audit)),
            questions=audit.question_count,
            answered=audit.answered_count,
        )
        stem = outputs.report_filename(audit, file_format).rsplit(".", 1)[0]
        return official_response(document, stem, file_format)

    def _read(self, request, pk: int):
        found = selectors.with_plan(selectors.audit_list(user=request.user)).filter(pk=pk).first()
        if found is None:
            raise Http404
        return found

    def _load(self, request, pk: int):
        return selectors.audit_get(user=request.user, pk=pk, action=Action.CHANGE)
