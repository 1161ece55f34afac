"""Administrative procedures (TTHC): the province's catalogue (read by everyone, kept by
overseers and administrators), the procedures each agency handles with their coverage, the
overseers' roll-up, and the step table of an ISO procedure.

Reads go through the procedure selectors (agency-owned rows are scoped: out of scope is 404);
writes call one service, which checks who may do it."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.serializers.procedures import (
    AgencyTargetSerializer,
    CoverageFilterSerializer,
    CoverageRowSerializer,
    CoverageSerializer,
    HandledAssignSerializer,
    HandledFilterSerializer,
    HandledProcedureSerializer,
    HandledRemoveSerializer,
    HandledResultSerializer,
    ProcedureCreateSerializer,
    ProcedureFilterSerializer,
    ProcedureLinkSerializer,
    ProcedureSerializer,
    ProcedureUpdateSerializer,
    StepsWriteSerializer,
    StepTableSerializer,
)
from eiso.api.views.base import ApiViewSet
from eiso.core.roles import Action
from eiso.documents import selectors as document_selectors
from eiso.organizations import selectors as org_selectors
from eiso.procedures import selectors, services

# --- the catalogue -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List the province's catalogue of administrative procedures"),
        parameters=[ProcedureFilterSerializer],
        responses={200: ProcedureSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One administrative procedure"),
        responses={200: ProcedureSerializer, 404: ErrorSerializer},
    ),
    create=extend_schema(
        summary=_("Add a procedure to the catalogue (overseers and administrators)"),
        request=ProcedureCreateSerializer,
        responses={201: ProcedureSerializer, **ERROR_RESPONSES},
    ),
    partial_update=extend_schema(
        summary=_("Change a catalogue entry (its code never changes)"),
        request=ProcedureUpdateSerializer,
        responses={200: ProcedureSerializer, **ERROR_RESPONSES},
    ),
)
class ProcedureViewSet(ApiViewSet):
    """The TTHC catalogue, keyed by the national database's codes. Province-wide: everyone
    signed in reads it; overseers and administrators add and change entries."""

    serializer_class = ProcedureSerializer

    def list(self, request):
        filters = self.query(ProcedureFilterSerializer)
        return self.paginated(selectors.catalogue_list(**filters), ProcedureSerializer)

    def retrieve(self, request, pk: int):
        return self.show(selectors.catalogue_entry(pk=pk), ProcedureSerializer)

    def create(self, request):
        data = self.body(ProcedureCreateSerializer)
        procedure = services.procedure_create(actor=request.user, **data)
        return self.show(
            selectors.catalogue_entry(pk=procedure.pk),
            ProcedureSerializer,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request, pk: int):
        procedure = selectors.catalogue_get(pk=pk)
        data = self.body(ProcedureUpdateSerializer, partial=True)
        services.procedure_update(actor=request.user, procedure=procedure, data=data)
        return self.show(selectors.catalogue_entry(pk=pk), ProcedureSerializer)


# --- handled procedures ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("The procedures an agency handles, each covered or a gap"),
        parameters=[HandledFilterSerializer],
        responses={200: HandledProcedureSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One procedure an agency handles"),
        responses={200: HandledProcedureSerializer, 404: ErrorSerializer},
    ),
    create=extend_schema(
        summary=_("Add procedures to those an agency handles (in bulk)"),
        description=_(
            "Abolished procedures are refused; those already handled are left as they are."
        ),
        request=HandledAssignSerializer,
        responses={201: HandledResultSerializer, **ERROR_RESPONSES},
    ),
    destroy=extend_schema(
        summary=_("Stop handling one procedure (its history is kept)"),
        responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer},
    ),
    remove=extend_schema(
        summary=_("Stop handling procedures (in bulk; their history is kept)"),
        request=HandledRemoveSerializer,
        responses={200: HandledResultSerializer, **ERROR_RESPONSES},
    ),
)
class HandledProcedureViewSet(ApiViewSet):
    """An agency's scope of administrative procedures: its ISO secretary or head, and its
    overseers, add and remove them."""

    serializer_class = HandledProcedureSerializer

    def list(self, request):
        agency = self.target_agency(HandledFilterSerializer)
        filters = self.query(HandledFilterSerializer)
        filters.pop("agency", None)
        return self.paginated(
            selectors.handled_list(user=request.user, agency=agency, **filters),
            HandledProcedureSerializer,
        )

    def retrieve(self, request, pk: int):
        return self.show(
            selectors.handled_get(user=request.user, pk=pk), HandledProcedureSerializer
        )

    def create(self, request):
        agency = self.target_agency(AgencyTargetSerializer)
        data = self.body(HandledAssignSerializer)
        added = services.handled_assign(
            actor=request.user,
            agency=agency,
            procedures=data["procedures"],
            since=data.get("since"),
        )
        return Response({"agency": agency.pk, "added": added}, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk: int):
        row = selectors.handled_get(user=request.user, pk=pk)
        services.handled_remove(actor=request.user, agency=row.agency, procedures=[row.procedure])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=False, methods=["post"])
    def remove(self, request):
        agency = self.target_agency(AgencyTargetSerializer)
        data = self.body(HandledRemoveSerializer)
        removed = services.handled_remove(
            actor=request.user,
            agency=agency,
            procedures=data["procedures"],
            reason=data.get("reason", ""),
        )
        return Response({"agency": agency.pk, "removed": removed})


# --- coverage ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("Coverage per agency: handled procedures with an issued ISO procedure"),
        description=_(
            "Every agency you may see (under root, when given), computed in SQL: the query "
            "count does not grow with the number of agencies."
        ),
        parameters=[CoverageFilterSerializer],
        responses={200: CoverageRowSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("The coverage of one agency"),
        responses={200: CoverageSerializer, 404: ErrorSerializer},
    ),
)
class CoverageViewSet(ApiViewSet):
    """The roll-up of coverage (``coverage/?root=<agency id>``) and one agency's coverage
    (``coverage/<agency id>/``)."""

    serializer_class = CoverageRowSerializer

    def list(self, request):
        filters = self.query(CoverageFilterSerializer)
        return self.paginated(
            selectors.coverage_table(user=request.user, **filters), CoverageRowSerializer
        )

    def retrieve(self, request, pk: int):
        agency = org_selectors.agency_get(user=request.user, pk=pk)
        coverage = selectors.coverage_of(user=request.user, agency=agency)
        return self.show({"agency": agency, "coverage": coverage}, CoverageSerializer)


# --- the ISO procedure of a document -----------------------------------------------------------


class DocumentStepsViewSet(ApiViewSet):
    """``documents/<id>/steps/``: the step table of an ISO procedure — the one in force (of
    the revision in force today) with its total against the statutory time limit of the TTHC
    it implements, and, for those who may read drafts, the table of the revision in
    preparation. Only that one is replaced: an issued table changes through a new revision."""

    serializer_class = StepTableSerializer

    @extend_schema(
        summary=_("The step table of an ISO procedure, checked against the statutory time"),
        responses={200: StepTableSerializer, 404: ErrorSerializer},
    )
    def steps(self, request, pk: int):
        document = document_selectors.document_get(user=request.user, pk=pk)
        return self._table(request, document)

    @extend_schema(
        summary=_("Replace the step table of the revision in preparation of an ISO procedure"),
        description=_(
            "The procedure must have a revision in preparation (draft or returned): an issued "
            "step table never changes in place (409 invalid_transition). Start a new revision "
            "(documents/{id}/new-revision/): it begins with a copy of the table in force."
        ),
        request=StepsWriteSerializer,
        responses={200: StepTableSerializer, **ERROR_RESPONSES, 409: ErrorSerializer},
    )
    def replace_steps(self, request, pk: int):
        document = document_selectors.document_get(user=request.user, pk=pk, action=Action.CHANGE)
        data = self.body(StepsWriteSerializer)
        services.steps_replace_in_preparation(
            actor=request.user, document=document, steps=data["steps"]
        )
        return self._table(request, document)

    @extend_schema(
        summary=_("Link an ISO procedure to the administrative procedure it implements"),
        request=ProcedureLinkSerializer,
        responses={200: StepTableSerializer, **ERROR_RESPONSES},
    )
    def link(self, request, pk: int):
        document = document_selectors.document_get(user=request.user, pk=pk, action=Action.CHANGE)
        data = self.body(ProcedureLinkSerializer)
        services.iso_procedure_link(
            actor=request.user, document=document, procedure=data["procedure"]
        )
        return self._table(request, document)

    @extend_schema(
        summary=_("Remove the link to the administrative procedure"),
        responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer},
    )
    def unlink(self, request, pk: int):
        document = document_selectors.document_get(user=request.user, pk=pk, action=Action.CHANGE)
        link = selectors.iso_link_of(user=request.user, document=document)
        if link is None:
            raise Http404
        services.iso_procedure_unlink(actor=request.user, link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _table(self, request, document):
        tables = selectors.step_tables(document=document, user=request.user)
        return self.show(
            {"document": document, "table": tables.shown, "in_preparation": tables.draft},
            StepTableSerializer,
        )
