"""Reports: the agencies' annual reports (generate, write, approve, submit with the signed file,
receive, return, correct; DOCX/PDF) and the provinces' summary reports (prepare, write, send;
DOCX/PDF/XLSX). Reads go through the reports' selectors (out of scope is 404); each write calls
one service, which checks the role and the workflow table."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.serializers.reports import (
    AnnualCreateSerializer,
    AnnualFilterSerializer,
    AnnualNarrativeSerializer,
    AnnualReportSerializer,
    ProvincialCreateSerializer,
    ProvincialFilterSerializer,
    ProvincialNarrativeSerializer,
    ProvincialReportSerializer,
    ReportReasonSerializer,
    ReportSubmitSerializer,
)
from eiso.api.views.base import ApiViewSet, acting_agency
from eiso.api.views.documents import FileDownloadNegotiation
from eiso.core.errors import ValidationFailed
from eiso.core.exports import XLSX_TYPE
from eiso.core.files import DOCX, PDF, XLSX
from eiso.core.generic import official_response
from eiso.core.official import content_disposition
from eiso.core.roles import Action
from eiso.reports import outputs, selectors, services

CHANGE_RESPONSES = {**ERROR_RESPONSES, 409: ErrorSerializer}


def _step(summary, request=None, status=200):
    return extend_schema(
        summary=summary,
        request=request,
        responses={status: AnnualReportSerializer, **CHANGE_RESPONSES},
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("List the annual reports you may read (every version)"),
        parameters=[AnnualFilterSerializer],
        responses={200: AnnualReportSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One annual report with its figures, narrative and the actions you may take"),
        responses={200: AnnualReportSerializer, 404: ErrorSerializer},
    ),
    create=extend_schema(
        summary=_("Generate the year's annual report as a draft"),
        description=_(
            "The figures are read from the records of the reporting period (15/12 of the "
            "previous year to 14/12 by default, from the rule set in force)."
        ),
        request=AnnualCreateSerializer,
        responses={201: AnnualReportSerializer, **CHANGE_RESPONSES},
    ),
    partial_update=_step(_("Write the narrative of a draft"), AnnualNarrativeSerializer),
    regenerate=_step(_("Read the period's figures again (a draft)")),
    approve=_step(_("Approve (the head)")),
    reopen=_step(_("Back to draft")),
    submit=_step(
        _("Submit with the signed file (multipart: number, report_date, signed_file)"),
        ReportSubmitSerializer,
    ),
    receive=_step(_("Record as received (the overseer)")),
    return_=_step(
        _("Return for correction with the reason (the overseer)"), ReportReasonSerializer
    ),
    correct=_step(_("Prepare a corrected version of a returned report"), status=201),
    docx=extend_schema(
        summary=_("The report in the official layout (DOCX)"),
        responses={(200, DOCX): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
    pdf=extend_schema(
        summary=_("The report in the official layout (PDF)"),
        responses={(200, PDF): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
)
class AnnualReportViewSet(ApiViewSet):
    serializer_class = AnnualReportSerializer

    def list(self, request):
        filters = self.query(AnnualFilterSerializer)
        return self.paginated(
            selectors.annual_list(user=request.user, **filters), AnnualReportSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(self._load(request, pk), AnnualReportSerializer)

    def create(self, request):
        data = self.body(AnnualCreateSerializer)
        agency = data.get("agency") or acting_agency(request)
        if agency is None:
            message = str(_("Say which agency this is for."))
            raise ValidationFailed(message, fields={"agency": [message]})
        report = services.annual_report_start(actor=request.user, agency=agency, year=data["year"])
        return self.show(self._load(request, report.pk), AnnualReportSerializer, status=201)

    def partial_update(self, request, pk: int):
        data = self.body(AnnualNarrativeSerializer, partial=True)
        services.annual_report_update(
            actor=request.user,
            report=self._load(request, pk, Action.CHANGE),
            data=data,
            edit_version=data.get("edit_version"),
        )
        return self.show(self._load(request, pk), AnnualReportSerializer)

    @action(detail=True, methods=["post"])
    def regenerate(self, request, pk: int):
        services.annual_report_regenerate(
            actor=request.user, report=self._load(request, pk, Action.CHANGE)
        )
        return self.show(self._load(request, pk), AnnualReportSerializer)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk: int):
        services.annual_report_approve(
            actor=request.user, report=self._load(request, pk, Action.CHANGE)
        )
        return self.show(self._load(request, pk), AnnualReportSerializer)

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk: int):
        services.annual_report_reopen(
            actor=request.user, report=self._load(request, pk, Action.CHANGE)
        )
        return self.show(self._load(request, pk), AnnualReportSerializer)

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def submit(self, request, pk: int):
        data = self.body(ReportSubmitSerializer)
        services.annual_report_submit(
            actor=request.user,
            report=self._load(request, pk, Action.CHANGE),
            number=data["number"],
            report_date=data["report_date"],
            upload=data["signed_file"],
        )
        return self.show(self._load(request, pk), AnnualReportSerializer)

    @action(detail=True, methods=["post"])
    def receive(self, request, pk: int):
        services.annual_report_receive(
            actor=request.user, report=selectors.annual_for_oversight(user=request.user, pk=pk)
        )
        return self.show(self._load(request, pk), AnnualReportSerializer)

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk: int):
        data = self.body(ReportReasonSerializer)
        services.annual_report_return(
            actor=request.user,
            report=selectors.annual_for_oversight(user=request.user, pk=pk),
            reason=data["reason"],
        )
        return self.show(self._load(request, pk), AnnualReportSerializer)

    @action(detail=True, methods=["post"])
    def correct(self, request, pk: int):
        corrected = services.annual_report_correct(
            actor=request.user, report=self._load(request, pk, Action.CHANGE)
        )
        return self.show(self._load(request, corrected.pk), AnnualReportSerializer, status=201)

    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def docx(self, request, pk: int):
        report = self._load(request, pk)
        return official_response(
            outputs.annual_document(report), outputs.annual_basename(report), "docx"
        )

    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def pdf(self, request, pk: int):
        report = self._load(request, pk)
        return official_response(
            outputs.annual_document(report), outputs.annual_basename(report), "pdf"
        )

    def _load(self, request, pk: int, action: Action = Action.VIEW):
        return selectors.annual_get(user=request.user, pk=pk, action=action)


def _summary_step(summary, request=None, status=200):
    return extend_schema(
        summary=summary,
        request=request,
        responses={status: ProvincialReportSerializer, **CHANGE_RESPONSES},
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("List the summary reports of the subtrees you oversee"),
        parameters=[ProvincialFilterSerializer],
        responses={200: ProvincialReportSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One summary report with its figures (as sent, or for its day)"),
        description=_(
            "By tier: agencies, must apply, built, applied, announced, re-announced, reported, "
            "audited, reviewed, inspected in the year (an inspection record made in an approved "
            "plan), objectives met, on-time dossier rate where known; the agencies "
            "that have not reported; the annex. The same day gives the same figures."
        ),
        responses={200: ProvincialReportSerializer, 404: ErrorSerializer},
    ),
    create=_summary_step(_("Prepare a summary report as a draft"), ProvincialCreateSerializer, 201),
    partial_update=_summary_step(
        _("Write the narrative of a draft"), ProvincialNarrativeSerializer
    ),
    submit=_summary_step(
        _("Send with the signed file (multipart: number, report_date, signed_file)"),
        ReportSubmitSerializer,
    ),
    correct=_summary_step(_("Prepare a corrected version of a sent summary"), status=201),
    docx=extend_schema(
        summary=_("The summary in the official layout (DOCX)"),
        responses={(200, DOCX): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
    pdf=extend_schema(
        summary=_("The summary in the official layout (PDF)"),
        responses={(200, PDF): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
    xlsx=extend_schema(
        summary=_("The summary as a workbook (by tier, not reported, annex)"),
        responses={(200, XLSX): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
)
class ProvincialReportViewSet(ApiViewSet):
    serializer_class = ProvincialReportSerializer

    def list(self, request):
        filters = self.query(ProvincialFilterSerializer)
        return self.paginated(
            selectors.provincial_list(user=request.user, **filters), ProvincialReportSerializer
        )

    def retrieve(self, request, pk: int):
        return self._show(request, self._load(request, pk))

    def create(self, request):
        data = self.body(ProvincialCreateSerializer)
        report = services.provincial_report_start(
            actor=request.user, agency=data["agency"], year=data["year"], as_of=data.get("as_of")
        )
        return self._show(request, self._load(request, report.pk), status=201)

    def partial_update(self, request, pk: int):
        data = self.body(ProvincialNarrativeSerializer, partial=True)
        services.provincial_report_update(
            actor=request.user,
            report=self._load(request, pk),
            data=data,
            edit_version=data.get("edit_version"),
        )
        return self._show(request, self._load(request, pk))

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def submit(self, request, pk: int):
        data = self.body(ReportSubmitSerializer)
        services.provincial_report_submit(
            actor=request.user,
            report=self._load(request, pk),
            number=data["number"],
            report_date=data["report_date"],
            upload=data["signed_file"],
        )
        return self._show(request, self._load(request, pk))

    @action(detail=True, methods=["post"])
    def correct(self, request, pk: int):
        corrected = services.provincial_report_correct(
            actor=request.user, report=self._load(request, pk)
        )
        return self._show(request, self._load(request, corrected.pk), status=201)

    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def docx(self, request, pk: int):
        return self._file(request, pk, "docx")

    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def pdf(self, request, pk: int):
        return self._file(request, pk, "pdf")

    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def xlsx(self, request, pk: int):
        return self._file(request, pk, "xlsx")

    def _file(self, request, pk: int, file_format: str):
        report = self._load(request, pk)
        figures = selectors.figures_of(user=request.user, report=report)
        name = outputs.summary_basename(report)
        if file_format == "xlsx":
            response = HttpResponse(outputs.summary_xlsx(report, figures), content_type=XLSX_TYPE)
            response["Content-Disposition"] = content_disposition(f"{name}.xlsx")
            return response
        return official_response(outputs.summary_document(report, figures), name, file_format)

    def _show(self, request, report, status: int = 200):
        figures = selectors.figures_of(user=request.user, report=report)
        context = {**self.get_serializer_context(), "figures": {report.pk: figures}}
        return Response(ProvincialReportSerializer(report, context=context).data, status=status)

    def _load(self, request, pk: int):
        return selectors.provincial_get(user=request.user, pk=pk)
