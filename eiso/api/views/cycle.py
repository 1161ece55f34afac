"""The annual cycle: an agency's obligations of a year with their state on a day and the evidence
(``obligations/?agency=&year=&date=``), the overseer's matrix (``obligations/matrix/``), and the
rule sets (``obligation-rules/``). Reads only, through the cycle's selectors (the pages' own);
the same scoping: another agency's id is refused like an unknown one, another subtree is a 404."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from eiso.api.serializers.cycle import (
    AgencyObligationsSerializer,
    MatrixQuerySerializer,
    MatrixRowSerializer,
    ObligationQuerySerializer,
    RuleSetQuerySerializer,
    RuleSetSerializer,
)
from eiso.api.serializers.fields import ErrorSerializer
from eiso.api.views.base import ApiViewSet
from eiso.cycle import selectors


def _year_and_day(query: dict):
    on = query.get("date") or timezone.localdate()
    return query.get("year") or on.year, on


class _OneObjectAtTheCollection(AutoSchema):
    """GET /obligations/ answers with one agency's obligations (an object): not a list."""

    def _is_list_view(self, serializer=None) -> bool:
        return self.view.action != "list" and super()._is_list_view(serializer)


@extend_schema_view(
    list=extend_schema(
        summary=_("An agency's obligations of a year, on a day"),
        description=_(
            "Each obligation of the rule set in force for the agency and year (one per quarter, "
            "one per event for those that follow an event) with its due date, its state on the "
            "day (not_yet_due, due_soon, overdue, met_on_time, met_late) and the evidence that "
            "met it, computed from the records in the system."
        ),
        parameters=[ObligationQuerySerializer],
        responses={200: AgencyObligationsSerializer, 400: ErrorSerializer},
    ),
    matrix=extend_schema(
        summary=_("The overseer's matrix: agencies of a subtree × the year's obligations"),
        description=_(
            "One row per agency bound by the obligations, a cell per obligation in its worst "
            "state; filtered like the page. A fixed number of queries whatever the number of "
            "agencies."
        ),
        parameters=[MatrixQuerySerializer],
        responses={
            200: MatrixRowSerializer(many=True),
            400: ErrorSerializer,
            404: ErrorSerializer,
        },
    ),
)
class ObligationViewSet(ApiViewSet):
    serializer_class = AgencyObligationsSerializer
    schema = _OneObjectAtTheCollection()
    # The list is one agency's obligations (an object, not a page); the matrix is paginated.
    pagination_class = None

    def list(self, request):
        query = self.query(ObligationQuerySerializer)
        agency = self.target_agency(ObligationQuerySerializer)
        year, on = _year_and_day(query)
        found = selectors.agency_obligations(agency=agency, year=year, on=on)
        found.concerned = selectors.is_concerned(agency=agency, on=on)
        found.obligations.sort(key=lambda o: (o.due, o.rule.order, o.instance))
        return Response(
            AgencyObligationsSerializer(found, context=self.get_serializer_context()).data
        )

    @action(detail=False, methods=["get"], pagination_class=api_settings.DEFAULT_PAGINATION_CLASS)
    def matrix(self, request):
        query = self.query(MatrixQuerySerializer)
        root = selectors.overseen_root(user=request.user, code=query.pop("root", ""))
        year, on = _year_and_day(query)
        query.pop("year", None)
        query.pop("date", None)
        found = selectors.matrix(user=request.user, root=root, year=year, on=on, **query)
        rows = [
            {
                "agency": row.agency,
                "year": row.year,
                "cells": [
                    {
                        "code": column.code,
                        "state": row.cells[column.code].state,
                        "met": row.cells[column.code].met,
                        "total": row.cells[column.code].total,
                    }
                    for column in found.columns
                    if column.code in row.cells
                ],
            }
            for row in found.rows
        ]
        return self.paginated(rows, MatrixRowSerializer)


@extend_schema_view(
    list=extend_schema(
        summary=_("The sets of annual obligations (versioned data with their legal basis)"),
        parameters=[RuleSetQuerySerializer],
        responses={200: RuleSetSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One set of obligations with its rules"),
        responses={200: RuleSetSerializer, 404: ErrorSerializer},
    ),
)
class ObligationRuleViewSet(ApiViewSet):
    serializer_class = RuleSetSerializer

    def list(self, request):
        query = self.query(RuleSetQuerySerializer)
        return self.paginated(selectors.rule_sets_api(year=query.get("year")), RuleSetSerializer)

    def retrieve(self, request, pk: int):
        return self.show(selectors.rule_set_get(pk=pk), RuleSetSerializer)
