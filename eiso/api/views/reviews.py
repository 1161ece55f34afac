"""Management reviews: the meeting, its input pack (9.3.2: assembled again, a section edited),
holding it, the minutes (saved or issued, DOCX/PDF), the decisions (9.3.3) tracked as actions.

Reads go through the reviews' selectors (out of scope is 404); writes load their object in the
CHANGE scope — overseers read, they change nothing — and call one service."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.serializers.reviews import (
    InputWriteSerializer,
    ManagementReviewSerializer,
    MinutesSerializer,
    OutputDoneSerializer,
    OutputWriteSerializer,
    ReviewFilterSerializer,
    ReviewInputSerializer,
    ReviewOutputSerializer,
    ReviewWriteSerializer,
)
from eiso.api.views.base import ApiViewSet
from eiso.api.views.documents import FileDownloadNegotiation
from eiso.core.files import DOCX, PDF
from eiso.core.generic import official_response
from eiso.core.roles import Action
from eiso.reviews import outputs, selectors, services

CHANGE_RESPONSES = {**ERROR_RESPONSES, 409: ErrorSerializer}


@extend_schema_view(
    list=extend_schema(
        summary=_("List the management reviews you may read, with their decisions"),
        parameters=[ReviewFilterSerializer],
        responses={200: ManagementReviewSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(responses={200: ManagementReviewSerializer, 404: ErrorSerializer}),
    create=extend_schema(
        summary=_("Plan a meeting (its input pack is assembled at once)"),
        request=ReviewWriteSerializer,
        responses={201: ManagementReviewSerializer, **CHANGE_RESPONSES},
    ),
    partial_update=extend_schema(
        request=ReviewWriteSerializer,
        responses={200: ManagementReviewSerializer, **CHANGE_RESPONSES},
    ),
    input_pack=extend_schema(
        methods=["GET"],
        summary=_("The input pack: each section with its source, 'no data' when empty"),
        request=None,
        responses={200: ReviewInputSerializer(many=True), 404: ErrorSerializer},
    ),
    input_section=extend_schema(
        summary=_("Edit a section of the pack (kept when the pack is assembled again)"),
        request=InputWriteSerializer,
        responses={200: ReviewInputSerializer, **CHANGE_RESPONSES},
    ),
    hold=extend_schema(
        summary=_("Record the meeting as held (on or after its date)"),
        request=None,
        responses={200: ManagementReviewSerializer, **CHANGE_RESPONSES},
    ),
    minutes=extend_schema(
        summary=_("Save the conclusions and the minutes' number, or issue them (issue: true)"),
        request=MinutesSerializer,
        responses={200: ManagementReviewSerializer, **CHANGE_RESPONSES},
    ),
    outputs=extend_schema(
        methods=["GET"],
        summary=_("The decisions of the meeting"),
        request=None,
        responses={200: ReviewOutputSerializer(many=True), 404: ErrorSerializer},
    ),
    output_detail=extend_schema(
        summary=_("Change or remove a decision (while the meeting is recorded)"),
        request=OutputWriteSerializer,
        responses={200: ReviewOutputSerializer, 204: None, **CHANGE_RESPONSES},
    ),
    complete_output=extend_schema(
        summary=_("Record a decision carried out (its owner, the secretary or the head)"),
        request=OutputDoneSerializer,
        responses={200: ReviewOutputSerializer, **CHANGE_RESPONSES},
    ),
    docx=extend_schema(
        summary=_("The minutes as DOCX"),
        responses={(200, DOCX): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
    pdf=extend_schema(
        summary=_("The minutes as PDF"),
        responses={(200, PDF): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
)
class ManagementReviewViewSet(ApiViewSet):
    serializer_class = ManagementReviewSerializer

    def list(self, request):
        filters = self.query(ReviewFilterSerializer)
        return self.paginated(
            selectors.with_outputs(selectors.review_list(user=request.user, **filters)),
            ManagementReviewSerializer,
        )

    def retrieve(self, request, pk: int):
        return self.show(self._read(request, pk), ManagementReviewSerializer)

    def create(self, request):
        agency = self.target_agency(ReviewWriteSerializer)
        data = self.body(ReviewWriteSerializer, context={"target": agency})
        data.pop("agency", None)
        created = services.review_create(actor=request.user, agency=agency, data=data)
        return self.show(self._read(request, created.pk), ManagementReviewSerializer, status=201)

    def partial_update(self, request, pk: int):
        review = self._load(request, pk)
        data = self.body(ReviewWriteSerializer, partial=True, context={"target": review.agency})
        data.pop("agency", None)
        services.review_update(actor=request.user, review=review, data=data)
        return self.show(self._read(request, pk), ManagementReviewSerializer)

    @extend_schema(
        methods=["POST"],
        summary=_("Assemble the pack again from the other modules"),
        request=None,
        responses={200: ReviewInputSerializer(many=True), **CHANGE_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"], url_path="input-pack")
    def input_pack(self, request, pk: int):
        if request.method == "POST":
            services.inputs_assemble(actor=request.user, review=self._load(request, pk))
        review = self._read(request, pk)
        return self.paginated(
            selectors.inputs_of(user=request.user, review=review), ReviewInputSerializer
        )

    @action(
        detail=True,
        methods=["patch"],
        url_path="input-pack/<int:section_id>",
        url_name="input-section",
    )
    def input_section(self, request, pk: int, section_id: int):
        section = selectors.input_get(user=request.user, pk=section_id, action=Action.CHANGE)
        if section.review_id != int(pk):
            raise Http404
        data = self.body(InputWriteSerializer)
        return self.show(
            services.input_update(actor=request.user, section=section, content=data["content"]),
            ReviewInputSerializer,
        )

    @action(detail=True, methods=["post"])
    def hold(self, request, pk: int):
        services.review_hold(actor=request.user, review=self._load(request, pk))
        return self.show(self._read(request, pk), ManagementReviewSerializer)

    @action(detail=True, methods=["post"])
    def minutes(self, request, pk: int):
        data = self.body(MinutesSerializer)
        issue = data.pop("issue", False)
        call = services.minutes_issue if issue else services.minutes_save
        call(actor=request.user, review=self._load(request, pk), data=data)
        return self.show(self._read(request, pk), ManagementReviewSerializer)

    @extend_schema(
        methods=["POST"],
        summary=_("Record a decision of the meeting as a tracked action"),
        request=OutputWriteSerializer,
        responses={201: ReviewOutputSerializer, **CHANGE_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"])
    def outputs(self, request, pk: int):
        if request.method == "GET":
            review = self._read(request, pk)
            return self.paginated(
                selectors.outputs_of(user=request.user, review=review), ReviewOutputSerializer
            )
        review = self._load(request, pk)
        data = self.body(OutputWriteSerializer, context={"target": review.agency})
        created = services.output_create(actor=request.user, review=review, data=data)
        return self.show(created, ReviewOutputSerializer, status=201)

    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path="outputs/<int:output_id>",
        url_name="output-detail",
    )
    def output_detail(self, request, pk: int, output_id: int):
        output = self._output(request, pk, output_id)
        if request.method == "DELETE":
            services.output_delete(actor=request.user, output=output)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = self.body(OutputWriteSerializer, partial=True, context={"target": output.agency})
        return self.show(
            services.output_update(actor=request.user, output=output, data=data),
            ReviewOutputSerializer,
        )

    @action(
        detail=True,
        methods=["post"],
        url_path="outputs/<int:output_id>/complete",
        url_name="output-complete",
    )
    def complete_output(self, request, pk: int, output_id: int):
        output = self._output(request, pk, output_id)
        data = self.body(OutputDoneSerializer)
        return self.show(
            services.output_complete(
                actor=request.user,
                output=output,
                done_on=data.get("done_on"),
                result=data.get("result", ""),
            ),
            ReviewOutputSerializer,
        )

    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def docx(self, request, pk: int):
        return self._file(request, pk, "docx")

    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def pdf(self, request, pk: int):
        return self._file(request, pk, "pdf")

    def _file(self, request, pk: int, file_format: str):
        review = selectors.review_get(user=request.user, pk=pk)
        document = outputs.minutes_document(
            review,
            list(selectors.inputs_of(user=request.user, review=review)),
            list(selectors.outputs_of(user=request.user, review=review)),
        )
        stem = outputs.minutes_filename(review, file_format).rsplit(".", 1)[0]
        return official_response(document, stem, file_format)

    def _read(self, request, pk: int):
        found = (
            selectors.with_outputs(selectors.review_list(user=request.user)).filter(pk=pk).first()
        )
        if found is None:
            raise Http404
        return found

    def _load(self, request, pk: int):
        return selectors.review_get(user=request.user, pk=pk, action=Action.CHANGE)

    def _output(self, request, pk: int, output_id: int):
        output = selectors.output_get(user=request.user, pk=output_id, action=Action.CHANGE)
        if output.review_id != int(pk):
            raise Http404
        return output
