"""Agencies and departments."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.serializers.organizations import (
    AgencyDeactivateSerializer,
    AgencyFilterSerializer,
    AgencyMergeSerializer,
    AgencySerializer,
    AgencySplitSerializer,
    AgencyWriteSerializer,
    DepartmentCreateSerializer,
    DepartmentFilterSerializer,
    DepartmentSerializer,
    DepartmentUpdateSerializer,
)
from eiso.api.views.base import ApiViewSet
from eiso.core.roles import Action
from eiso.organizations import selectors, services
from eiso.organizations.reorganization import agency_merge, agency_split

CHANGE_RESPONSES = {**ERROR_RESPONSES, 409: ErrorSerializer}


@extend_schema_view(
    list=extend_schema(
        summary=_("List the agencies you may see"),
        parameters=[AgencyFilterSerializer],
        responses={200: AgencySerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One agency"), responses={200: AgencySerializer, 404: ErrorSerializer}
    ),
    create=extend_schema(
        summary=_("Create an agency under one you manage"),
        request=AgencyWriteSerializer,
        responses={201: AgencySerializer, **ERROR_RESPONSES},
    ),
    update=extend_schema(
        summary=_("Change an agency (moving it moves its subtree)"),
        request=AgencyWriteSerializer,
        responses={200: AgencySerializer, **CHANGE_RESPONSES},
    ),
    partial_update=extend_schema(
        summary=_("Change some fields of an agency"),
        request=AgencyWriteSerializer,
        responses={200: AgencySerializer, **CHANGE_RESPONSES},
    ),
    deactivate=extend_schema(
        summary=_("Deactivate an agency (its history is kept)"),
        request=AgencyDeactivateSerializer,
        responses={200: AgencySerializer, **ERROR_RESPONSES},
    ),
    merge=extend_schema(
        summary=_("Merge agencies into an existing or a new one (their history stays reachable)"),
        request=AgencyMergeSerializer,
        responses={200: AgencySerializer, **ERROR_RESPONSES},
    ),
    split=extend_schema(
        summary=_("Split an agency into new ones (the first is its successor)"),
        request=AgencySplitSerializer,
        responses={200: AgencySerializer(many=True), **ERROR_RESPONSES},
    ),
)
class AgencyViewSet(ApiViewSet):
    """The agency tree. Anyone reads the agencies in their scope; overseers and administrators
    create, change and deactivate them in theirs (elsewhere: 404)."""

    serializer_class = AgencySerializer

    def list(self, request):
        filters = self.query(AgencyFilterSerializer)
        filters["action"] = Action(filters.pop("action", "") or Action.VIEW)
        return self.paginated(selectors.agency_list(user=request.user, **filters), AgencySerializer)

    def retrieve(self, request, pk: int):
        return self.show(selectors.agency_get(user=request.user, pk=pk), AgencySerializer)

    def create(self, request):
        data = self.body(AgencyWriteSerializer)
        data.pop("version", None)
        agency = services.agency_create(actor=request.user, parent=data.pop("parent", None), **data)
        return self.show(agency, AgencySerializer, status=status.HTTP_201_CREATED)

    def update(self, request, pk: int):
        return self._change(request, pk, partial=False)

    def partial_update(self, request, pk: int):
        return self._change(request, pk, partial=True)

    def _change(self, request, pk: int, *, partial: bool):
        agency = selectors.agency_get(user=request.user, pk=pk, action=Action.MANAGE_AGENCIES)
        data = self.body(AgencyWriteSerializer, partial=partial)
        expected_version = data.pop("version", None)
        agency = services.agency_update(
            actor=request.user, agency=agency, data=data, expected_version=expected_version
        )
        return self.show(agency, AgencySerializer)

    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk: int):
        agency = selectors.agency_get(user=request.user, pk=pk, action=Action.MANAGE_AGENCIES)
        data = self.body(AgencyDeactivateSerializer)
        agency = services.agency_deactivate(
            actor=request.user, agency=agency, on=data.get("on"), reason=data["reason"]
        )
        return self.show(agency, AgencySerializer)

    @action(detail=False, methods=["post"])
    def merge(self, request):
        data = self.body(AgencyMergeSerializer)
        successor = agency_merge(
            actor=request.user,
            sources=data["sources"],
            into=data.get("into"),
            new=data.get("new"),
            on=data["on"],
            reason=data["reason"],
        )
        return self.show(successor, AgencySerializer)

    @action(detail=False, methods=["post"])
    def split(self, request):
        data = self.body(AgencySplitSerializer)
        parts = agency_split(
            actor=request.user,
            source=data["source"],
            parts=[dict(part) for part in data["parts"]],
            on=data["on"],
            reason=data["reason"],
        )
        return Response(
            AgencySerializer(parts, many=True, context=self.get_serializer_context()).data
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("List the departments you may see"),
        parameters=[DepartmentFilterSerializer],
        responses={200: DepartmentSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One department"), responses={200: DepartmentSerializer, 404: ErrorSerializer}
    ),
    create=extend_schema(
        summary=_("Add a department to an agency"),
        request=DepartmentCreateSerializer,
        responses={201: DepartmentSerializer, **ERROR_RESPONSES},
    ),
    update=extend_schema(
        summary=_("Change a department"),
        request=DepartmentUpdateSerializer,
        responses={200: DepartmentSerializer, **ERROR_RESPONSES},
    ),
    partial_update=extend_schema(
        summary=_("Change some fields of a department"),
        request=DepartmentUpdateSerializer,
        responses={200: DepartmentSerializer, **ERROR_RESPONSES},
    ),
)
class DepartmentViewSet(ApiViewSet):
    """Departments inside agencies. Their agency's managers (overseers, administrators) and
    user managers (the ISO secretary) add and change them; the agency never changes."""

    serializer_class = DepartmentSerializer

    def list(self, request):
        filters = self.query(DepartmentFilterSerializer)
        return self.paginated(
            selectors.department_list(user=request.user, **filters), DepartmentSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(selectors.department_get(user=request.user, pk=pk), DepartmentSerializer)

    def create(self, request):
        data = self.body(DepartmentCreateSerializer)
        department = services.department_create(actor=request.user, **data)
        return self.show(department, DepartmentSerializer, status=status.HTTP_201_CREATED)

    def update(self, request, pk: int):
        return self._change(request, pk, partial=False)

    def partial_update(self, request, pk: int):
        return self._change(request, pk, partial=True)

    def _change(self, request, pk: int, *, partial: bool):
        department = selectors.department_get(user=request.user, pk=pk)
        data = self.body(DepartmentUpdateSerializer, partial=partial)
        department = services.department_update(
            actor=request.user, department=department, data=data
        )
        return self.show(department, DepartmentSerializer)
