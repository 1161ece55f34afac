"""Inspections by the Sở KH&CN: the year's plans — their agencies (added, or imported from a
spreadsheet with every bad row reported), the approving decision, the team and its decision, the
signed files, the summary — and one inspection per agency of a plan: the checklist pre-filled
with what the platform knows, each item's result, the findings sent back as nonconformities,
the record (DOCX/PDF, signed file), the agency's remediation and the team's follow-up.

Reads go through the inspections' selectors (out of scope is 404; the team of a plan reads its
plan and inspections, eiso.core.scoping); writes load their object as its keeper — the plan's
overseers, the plan's team, or the inspected agency's ISO secretary and head — and call one
service, whose workflow table says when (a refusal is the one error shape)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from eiso.api.errors import error_body
from eiso.api.parsers import DepthLimitedJSONParser
from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.serializers.imports import (
    ImportJobSerializer,
    ImportQuerySerializer,
    ImportRejectedSerializer,
    ImportReportSerializer,
    ImportResultSerializer,
    ImportUploadSerializer,
    RowErrorSerializer,
)
from eiso.api.serializers.inspections import (
    InspectionAgencyAddSerializer,
    InspectionApproveSerializer,
    InspectionAttachSerializer,
    InspectionChecklistItemSerializer,
    InspectionFileSerializer,
    InspectionFilterSerializer,
    InspectionFindingSerializer,
    InspectionFindingWriteSerializer,
    InspectionNoteSerializer,
    InspectionPlanAgencySerializer,
    InspectionPlanCreateSerializer,
    InspectionPlanFilterSerializer,
    InspectionPlanSerializer,
    InspectionPlanSummarySerializer,
    InspectionPlanWriteSerializer,
    InspectionRecordSerializer,
    InspectionRemediationSerializer,
    InspectionResultSerializer,
    InspectionSerializer,
    InspectionSummaryWriteSerializer,
    InspectionTeamDecisionSerializer,
    InspectionTeamMemberSerializer,
    InspectionTeamWriteSerializer,
    InspectionVisitSerializer,
)
from eiso.api.views.base import ApiViewSet
from eiso.api.views.documents import FileDownloadNegotiation
from eiso.core import imports
from eiso.core.errors import ValidationFailed
from eiso.core.exports import XLSX_TYPE
from eiso.core.files import DOCX, PDF
from eiso.core.generic import official_response
from eiso.core.imports.reading import sync_rows
from eiso.core.official import content_disposition
from eiso.inspections import outputs, selectors, services
from eiso.inspections.choices import PlanStatus

CHANGE_RESPONSES = {**ERROR_RESPONSES, 409: ErrorSerializer}
IMPORT_KIND = "inspection_agencies"
UPLOAD_PARSERS = [DepthLimitedJSONParser, MultiPartParser, FormParser]


# --- plans -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("List the inspection plans you may read"),
        description=gettext_lazy(
            "The overseers of the Department of Science and Technology: their subtree's plans; "
            "a member of an inspection team: the plans they are on."
        ),
        parameters=[InspectionPlanFilterSerializer],
        responses={200: InspectionPlanSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(responses={200: InspectionPlanSerializer, 404: ErrorSerializer}),
    create=extend_schema(
        summary=gettext_lazy("Draft the inspection plan of a year"),
        request=InspectionPlanCreateSerializer,
        responses={201: InspectionPlanSerializer, **CHANGE_RESPONSES},
    ),
    partial_update=extend_schema(
        summary=gettext_lazy("Change a draft plan's title or period"),
        request=InspectionPlanWriteSerializer,
        responses={200: InspectionPlanSerializer, **CHANGE_RESPONSES},
    ),
    approve=extend_schema(
        summary=gettext_lazy("Record the People's Committee's decision approving the plan"),
        request=InspectionApproveSerializer,
        responses={200: InspectionPlanSerializer, **CHANGE_RESPONSES},
    ),
    team_decision=extend_schema(
        summary=gettext_lazy("Record the decision forming the team (its members are told)"),
        request=InspectionTeamDecisionSerializer,
        responses={200: InspectionPlanSerializer, **CHANGE_RESPONSES},
    ),
    team_remove=extend_schema(
        summary=gettext_lazy("Take a person off the team"),
        request=None,
        responses={204: None, **CHANGE_RESPONSES},
    ),
    attach=extend_schema(
        summary=gettext_lazy("Attach a signed decision (approving, or forming the team)"),
        request={"multipart/form-data": InspectionAttachSerializer},
        responses={200: InspectionPlanSerializer, **CHANGE_RESPONSES},
    ),
    import_agencies=extend_schema(
        summary=gettext_lazy("Import the agencies of a draft plan from a spreadsheet"),
        description=gettext_lazy(
            "Columns: agency code, mode (“tại chỗ” or “qua hồ sơ”), date, place. With "
            "dry_run=1 every bad row is reported and nothing saved; without it every row is "
            "added, or none (400 with the bad rows)."
        ),
        parameters=[ImportQuerySerializer],
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            200: ImportReportSerializer,
            201: ImportResultSerializer,
            202: ImportJobSerializer,
            400: ImportRejectedSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    ),
    complete=extend_schema(
        summary=gettext_lazy("Complete the plan (every record made, the summary written)"),
        request=None,
        responses={200: InspectionPlanSerializer, **CHANGE_RESPONSES},
    ),
    summary_docx=extend_schema(
        summary=gettext_lazy("The summary of the inspections as DOCX"),
        responses={(200, DOCX): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
    summary_pdf=extend_schema(
        summary=gettext_lazy("The summary of the inspections as PDF"),
        responses={(200, PDF): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
    summary_xlsx=extend_schema(
        summary=gettext_lazy("The figures of the summary as XLSX"),
        responses={(200, XLSX_TYPE): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
)
class InspectionPlanViewSet(ApiViewSet):
    serializer_class = InspectionPlanSerializer

    def list(self, request):
        filters = self.query(InspectionPlanFilterSerializer)
        return self.paginated(
            selectors.plan_list(user=request.user, **filters), InspectionPlanSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(self._read(request, pk), InspectionPlanSerializer)

    def create(self, request):
        agency = self.target_agency(InspectionPlanAgencySerializer)
        data = self.body(InspectionPlanCreateSerializer)
        data.pop("agency", None)
        created = services.plan_create(actor=request.user, agency=agency, data=data)
        return self.show(self._read(request, created.pk), InspectionPlanSerializer, status=201)

    def partial_update(self, request, pk: int):
        plan = self._load(request, pk)
        data = self.body(InspectionPlanWriteSerializer, partial=True)
        services.plan_update(actor=request.user, plan=plan, data=data)
        return self.show(self._read(request, pk), InspectionPlanSerializer)

    @extend_schema(
        methods=["GET"],
        summary=gettext_lazy("The agencies of the plan: mode, date, place and progress"),
        request=None,
        responses={200: InspectionSerializer(many=True), 404: ErrorSerializer},
    )
    @extend_schema(
        methods=["POST"],
        summary=gettext_lazy("Add an agency to a draft plan"),
        request=InspectionAgencyAddSerializer,
        responses={201: InspectionSerializer, **CHANGE_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"])
    def agencies(self, request, pk: int):
        if request.method == "GET":
            plan = selectors.plan_get(user=request.user, pk=pk)
            return self.paginated(
                selectors.inspections_of(user=request.user, plan=plan).select_related("plan"),
                InspectionSerializer,
            )
        plan = self._load(request, pk)
        data = self.body(InspectionAgencyAddSerializer)
        created = services.plan_agency_add(
            actor=request.user,
            plan=plan,
            agency=data["agency"],
            mode=data["mode"],
            date=data.get("date"),
            place=data.get("place", ""),
        )
        return self.show(_read_inspection(request, created.pk), InspectionSerializer, status=201)

    @action(
        detail=True,
        methods=["post"],
        url_path="agencies/import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_agencies(self, request, pk: int):
        plan = self._load(request, pk)
        if plan.status != PlanStatus.DRAFT:
            message = _("Agencies are added while the plan is a draft.")
            raise ValidationFailed(message, fields={"file": [message]})
        query = ImportQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        upload = self.body(ImportUploadSerializer)["file"]
        dry_run = query.validated_data["dry_run"]
        arguments = {
            "actor": request.user,
            "agency": plan.agency,
            "kind": IMPORT_KIND,
            "filename": upload.name,
            "content": upload.read(),
        }
        if imports.count_rows(arguments["filename"], arguments["content"]) > sync_rows():
            batch = imports.import_job_start(**arguments, apply=not dry_run)
            data = ImportJobSerializer(batch, context={"request": request}).data
            return Response(data, status=status.HTTP_202_ACCEPTED)
        if dry_run:
            report = imports.validate_file(**arguments)
            return Response(ImportReportSerializer(report).data)
        report = imports.import_file(**arguments)
        if not report.ok:
            body = error_body(
                "import_rejected",
                _("The file has %(n)s error(s); nothing was saved.") % {"n": len(report.errors)},
                rows=RowErrorSerializer(report.errors, many=True).data,
            )
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response({"imported": len(report.cleaned)}, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk: int):
        plan = self._load(request, pk)
        data = self.body(InspectionApproveSerializer)
        services.plan_approve(
            actor=request.user,
            plan=plan,
            number=data["number"],
            date=data["date"],
            signer=data["signer"],
            signer_title=data.get("signer_title", ""),
        )
        return self.show(self._read(request, pk), InspectionPlanSerializer)

    @extend_schema(
        methods=["GET"],
        summary=gettext_lazy("The inspection team: leader, deputy, members, secretary"),
        request=None,
        responses={200: InspectionTeamMemberSerializer(many=True), 404: ErrorSerializer},
    )
    @extend_schema(
        methods=["POST"],
        summary=gettext_lazy(
            "Add a person to the team (never one who works in an agency the plan inspects)"
        ),
        request=InspectionTeamWriteSerializer,
        responses={201: InspectionTeamMemberSerializer, **CHANGE_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"])
    def team(self, request, pk: int):
        if request.method == "GET":
            plan = selectors.plan_get(user=request.user, pk=pk)
            return self.paginated(selectors.team_of(plan=plan), InspectionTeamMemberSerializer)
        plan = self._load(request, pk)
        data = self.body(InspectionTeamWriteSerializer)
        member = services.team_add(
            actor=request.user,
            plan=plan,
            role=data["role"],
            user=data.get("user"),
            name=data.get("name", ""),
            position=data.get("position", ""),
            organisation=data.get("organisation", ""),
        )
        return self.show(member, InspectionTeamMemberSerializer, status=201)

    @action(
        detail=True,
        methods=["delete"],
        url_path="team/<int:member_id>",
        url_name="team-remove",
    )
    def team_remove(self, request, pk: int, member_id: int):
        member = selectors.team_member_get(user=request.user, pk=member_id)
        if member.plan_id != int(pk):
            raise Http404
        services.team_remove(actor=request.user, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], url_path="team-decision", url_name="team-decision")
    def team_decision(self, request, pk: int):
        plan = self._load(request, pk)
        data = self.body(InspectionTeamDecisionSerializer)
        services.plan_team_decision(
            actor=request.user,
            plan=plan,
            number=data["number"],
            date=data["date"],
            signer=data["signer"],
        )
        return self.show(self._read(request, pk), InspectionPlanSerializer)

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attach(self, request, pk: int):
        plan = self._load(request, pk)
        data = self.body(InspectionAttachSerializer)
        services.plan_attach(actor=request.user, plan=plan, which=data["which"], file=data["file"])
        return self.show(self._read(request, pk), InspectionPlanSerializer)

    @extend_schema(
        methods=["GET"],
        summary=gettext_lazy("The summary of the plan's inspections (báo cáo kết quả kiểm tra)"),
        description=gettext_lazy(
            "Counted, never typed: by tier and mode, applied and announced by each agency's "
            "inspection day (from the announcements), records made, items not met, findings, "
            "the common shortcomings and the nonconformities raised; with the summary's words."
        ),
        request=None,
        responses={200: InspectionPlanSummarySerializer, 404: ErrorSerializer},
    )
    @extend_schema(
        methods=["POST"],
        summary=gettext_lazy("Write the summary's assessment, shortcomings, recommendations"),
        request=InspectionSummaryWriteSerializer,
        responses={200: InspectionPlanSummarySerializer, **CHANGE_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"])
    def summary(self, request, pk: int):
        if request.method == "POST":
            plan = self._load(request, pk)
            data = self.body(InspectionSummaryWriteSerializer)
            services.plan_summary_save(actor=request.user, plan=plan, data=data)
        plan = selectors.plan_get(user=request.user, pk=pk)
        figures = selectors.plan_summary(plan=plan)
        data = {
            "plan": plan.pk,
            "announced_line": figures.announced_line,
            "rows": figures.rows,
            "total": figures.total,
            "common": figures.common,
            "nonconformities_open": figures.nonconformities_open,
            "nonconformities_closed": figures.nonconformities_closed,
            "summary_conclusion": plan.summary_conclusion,
            "summary_common_findings": plan.summary_common_findings,
            "summary_recommendations": plan.summary_recommendations,
            "summary_number": plan.summary_number,
            "summary_date": plan.summary_date,
            "agencies": list(selectors.summary_rows(plan=plan)),
        }
        return Response(InspectionPlanSummarySerializer(data).data)

    @action(detail=True, methods=["post"])
    def complete(self, request, pk: int):
        services.plan_complete(actor=request.user, plan=self._load(request, pk))
        return self.show(self._read(request, pk), InspectionPlanSerializer)

    @action(
        detail=True,
        methods=["get"],
        url_path="summary/docx",
        content_negotiation_class=FileDownloadNegotiation,
    )
    def summary_docx(self, request, pk: int):
        return self._summary_file(request, pk, "docx")

    @action(
        detail=True,
        methods=["get"],
        url_path="summary/pdf",
        content_negotiation_class=FileDownloadNegotiation,
    )
    def summary_pdf(self, request, pk: int):
        return self._summary_file(request, pk, "pdf")

    @action(
        detail=True,
        methods=["get"],
        url_path="summary/xlsx",
        content_negotiation_class=FileDownloadNegotiation,
    )
    def summary_xlsx(self, request, pk: int):
        plan = selectors.plan_get(user=request.user, pk=pk)
        figures = selectors.plan_summary(plan=plan)
        rows = selectors.summary_rows(plan=plan)
        response = HttpResponse(outputs.summary_xlsx(plan, figures, rows), content_type=XLSX_TYPE)
        name = outputs.summary_filename(plan)
        response["Content-Disposition"] = content_disposition(f"{name}.xlsx")
        return response

    def _summary_file(self, request, pk: int, file_format: str):
        plan = selectors.plan_get(user=request.user, pk=pk)
        document = outputs.summary_document(
            plan,
            selectors.plan_summary(plan=plan),
            selectors.team_of(plan=plan),
            selectors.recommendations_of(plan=plan),
        )
        return official_response(document, outputs.summary_filename(plan), file_format)

    def _read(self, request, pk: int):
        found = selectors.plan_list(user=request.user).filter(pk=pk).first()
        if found is None:
            raise Http404
        return found

    def _load(self, request, pk: int):
        """A plan the user keeps (the overseers of its subtree), else 404."""
        return selectors.plan_get(user=request.user, pk=pk, manage=True)


# --- one agency's inspection -----------------------------------------------------------------


def _read_inspection(request, pk: int):
    found = selectors.inspection_list(user=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("List the inspections you may read"),
        description=gettext_lazy(
            "An agency: its own; the overseers: their subtree's; a member of an inspection "
            "team: those of the plans they are on."
        ),
        parameters=[InspectionFilterSerializer],
        responses={200: InspectionSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(responses={200: InspectionSerializer, 404: ErrorSerializer}),
    destroy=extend_schema(
        summary=gettext_lazy("Take an agency out of a draft plan (the plan's overseers)"),
        responses={204: None, **CHANGE_RESPONSES},
    ),
    schedule=extend_schema(
        summary=gettext_lazy("Change how, when and where the agency is inspected"),
        request=InspectionVisitSerializer,
        responses={200: InspectionSerializer, **CHANGE_RESPONSES},
    ),
    start=extend_schema(
        summary=gettext_lazy("Start the checklist, pre-filled with what the platform knows"),
        request=None,
        responses={200: InspectionSerializer, **CHANGE_RESPONSES},
    ),
    refresh=extend_schema(
        summary=gettext_lazy("Read again what the platform knows, for items without a result"),
        request=None,
        responses={200: InspectionSerializer, **CHANGE_RESPONSES},
    ),
    checklist=extend_schema(
        summary=gettext_lazy("The checklist: each item, what the platform knows, the result"),
        responses={200: InspectionChecklistItemSerializer(many=True), 404: ErrorSerializer},
    ),
    result=extend_schema(
        summary=gettext_lazy("Give an item its result (a correction says why)"),
        request=InspectionResultSerializer,
        responses={200: InspectionChecklistItemSerializer, **CHANGE_RESPONSES},
    ),
    record=extend_schema(
        summary=gettext_lazy("Write the conclusion, or make the record (make: true)"),
        request=InspectionRecordSerializer,
        responses={200: InspectionSerializer, **CHANGE_RESPONSES},
    ),
    record_attach=extend_schema(
        summary=gettext_lazy("Attach the signed inspection record"),
        request={"multipart/form-data": InspectionFileSerializer},
        responses={200: InspectionSerializer, **CHANGE_RESPONSES},
    ),
    record_docx=extend_schema(
        summary=gettext_lazy("The inspection record as DOCX, in the official layout"),
        responses={(200, DOCX): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
    record_pdf=extend_schema(
        summary=gettext_lazy("The inspection record as PDF, in the official layout"),
        responses={(200, PDF): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
    remediation=extend_schema(
        summary=gettext_lazy("Report the remediation of the findings (the inspected agency)"),
        request={
            "application/json": InspectionRemediationSerializer,
            "multipart/form-data": InspectionRemediationSerializer,
        },
        responses={200: InspectionSerializer, **CHANGE_RESPONSES},
    ),
    return_remediation=extend_schema(
        summary=gettext_lazy("Return the remediation report with what is still missing"),
        request=InspectionNoteSerializer,
        responses={200: InspectionSerializer, **CHANGE_RESPONSES},
    ),
    close=extend_schema(
        summary=gettext_lazy("Close the inspection (the remediation accepted)"),
        request=InspectionNoteSerializer,
        responses={200: InspectionSerializer, **CHANGE_RESPONSES},
    ),
)
class InspectionViewSet(ApiViewSet):
    serializer_class = InspectionSerializer

    def list(self, request):
        filters = self.query(InspectionFilterSerializer)
        plan = filters.pop("plan", None)
        if plan is not None:
            filters["plan"] = selectors.plan_get(user=request.user, pk=plan)
        return self.paginated(
            selectors.inspection_list(user=request.user, **filters), InspectionSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(_read_inspection(request, pk), InspectionSerializer)

    def destroy(self, request, pk: int):
        inspection = selectors.inspection_for_manager(user=request.user, pk=pk)
        services.plan_agency_remove(actor=request.user, inspection=inspection)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def schedule(self, request, pk: int):
        inspection = selectors.inspection_for_manager(user=request.user, pk=pk)
        data = self.body(InspectionVisitSerializer)
        services.plan_visit_update(
            actor=request.user,
            inspection=inspection,
            mode=data["mode"],
            date=data.get("date"),
            place=data.get("place", ""),
        )
        return self.show(_read_inspection(request, pk), InspectionSerializer)

    @action(detail=True, methods=["post"])
    def start(self, request, pk: int):
        services.inspection_start(actor=request.user, inspection=self._team(request, pk))
        return self.show(_read_inspection(request, pk), InspectionSerializer)

    @action(detail=True, methods=["post"])
    def refresh(self, request, pk: int):
        services.inspection_refresh(actor=request.user, inspection=self._team(request, pk))
        return self.show(_read_inspection(request, pk), InspectionSerializer)

    @action(detail=True, methods=["get"])
    def checklist(self, request, pk: int):
        inspection = selectors.inspection_get(user=request.user, pk=pk)
        return self.paginated(
            selectors.answers_of(inspection=inspection), InspectionChecklistItemSerializer
        )

    @action(
        detail=True,
        methods=["post"],
        url_path="checklist/<int:answer_id>/result",
        url_name="result",
    )
    def result(self, request, pk: int, answer_id: int):
        answer = selectors.answer_get(user=request.user, pk=answer_id)
        if answer.inspection_id != int(pk):
            raise Http404
        data = self.body(InspectionResultSerializer)
        answer = services.answer_give(
            actor=request.user, answer=answer, result=data["result"], note=data.get("note", "")
        )
        return self.show(answer, InspectionChecklistItemSerializer)

    @extend_schema(
        methods=["GET"],
        summary=gettext_lazy("The findings, each with the nonconformity it raised"),
        request=None,
        responses={200: InspectionFindingSerializer(many=True), 404: ErrorSerializer},
    )
    @extend_schema(
        methods=["POST"],
        summary=gettext_lazy("Record a finding: it goes back to the agency as a nonconformity"),
        request=InspectionFindingWriteSerializer,
        responses={201: InspectionFindingSerializer, **CHANGE_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"])
    def findings(self, request, pk: int):
        if request.method == "GET":
            inspection = selectors.inspection_get(user=request.user, pk=pk)
            return self.paginated(
                selectors.findings_of(inspection=inspection), InspectionFindingSerializer
            )
        inspection = self._team(request, pk)
        data = self.body(InspectionFindingWriteSerializer)
        answer = None
        if data.get("answer"):
            answer = selectors.answer_get(user=request.user, pk=data["answer"])
        finding = services.finding_record(
            actor=request.user,
            inspection=inspection,
            description=data["description"],
            requirement=data.get("requirement", ""),
            due_date=data["due_date"],
            answer=answer,
        )
        return self.show(finding, InspectionFindingSerializer, status=201)

    @action(detail=True, methods=["post"])
    def record(self, request, pk: int):
        inspection = self._team(request, pk)
        data = self.body(InspectionRecordSerializer)
        if data.get("make"):
            services.inspection_conclude(
                actor=request.user,
                inspection=inspection,
                record_date=data.get("record_date"),
                conclusion=data.get("conclusion"),
                recommendations=data.get("recommendations"),
            )
        else:
            services.inspection_write(
                actor=request.user,
                inspection=inspection,
                conclusion=data.get("conclusion", inspection.conclusion),
                recommendations=data.get("recommendations", inspection.recommendations),
            )
        return self.show(_read_inspection(request, pk), InspectionSerializer)

    @action(
        detail=True,
        methods=["post"],
        url_path="record/attach",
        url_name="record-attach",
        parser_classes=[MultiPartParser, FormParser],
    )
    def record_attach(self, request, pk: int):
        inspection = self._team(request, pk)
        data = self.body(InspectionFileSerializer)
        services.record_attach(actor=request.user, inspection=inspection, file=data["file"])
        return self.show(_read_inspection(request, pk), InspectionSerializer)

    @action(
        detail=True,
        methods=["get"],
        url_path="record/docx",
        content_negotiation_class=FileDownloadNegotiation,
    )
    def record_docx(self, request, pk: int):
        return self._record_file(request, pk, "docx")

    @action(
        detail=True,
        methods=["get"],
        url_path="record/pdf",
        content_negotiation_class=FileDownloadNegotiation,
    )
    def record_pdf(self, request, pk: int):
        return self._record_file(request, pk, "pdf")

    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def remediation(self, request, pk: int):
        inspection = selectors.inspection_for_agency(user=request.user, pk=pk)
        data = self.body(InspectionRemediationSerializer)
        services.remediation_report(
            actor=request.user,
            inspection=inspection,
            report=data["report"],
            file=data.get("file"),
        )
        return self.show(_read_inspection(request, pk), InspectionSerializer)

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_remediation(self, request, pk: int):
        inspection = self._team(request, pk)
        data = self.body(InspectionNoteSerializer)
        services.remediation_return(
            actor=request.user, inspection=inspection, note=data.get("note", "")
        )
        return self.show(_read_inspection(request, pk), InspectionSerializer)

    @action(detail=True, methods=["post"])
    def close(self, request, pk: int):
        inspection = self._team(request, pk)
        data = self.body(InspectionNoteSerializer)
        services.inspection_close(
            actor=request.user, inspection=inspection, note=data.get("note", "")
        )
        return self.show(_read_inspection(request, pk), InspectionSerializer)

    def _record_file(self, request, pk: int, file_format: str):
        inspection = selectors.inspection_get(user=request.user, pk=pk)
        document = outputs.record_document(
            inspection,
            selectors.team_of(plan=inspection.plan),
            selectors.answers_of(inspection=inspection),
            selectors.findings_of(inspection=inspection),
        )
        return official_response(document, outputs.record_filename(inspection), file_format)

    def _team(self, request, pk: int):
        """An inspection of a plan the user is on (the team's writes), else 404."""
        return selectors.inspection_for_team(user=request.user, pk=pk)
