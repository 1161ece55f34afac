"""Quality objectives: the objectives of a year (revisions) with their workflow and decision
(DOCX/PDF), objectives with their plan and measurements.

Reads go through the objectives' selectors (out of scope is 404); writes load their object in
the CHANGE scope — overseers read, they change nothing — and call one service, which checks
the role and the workflow table."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.serializers.objectives import (
    AmendSerializer,
    IssueSerializer,
    MeasurementSerializer,
    MeasurementWriteSerializer,
    ObjectiveFilterSerializer,
    ObjectiveSerializer,
    ObjectiveSetRefSerializer,
    ObjectiveSetSerializer,
    ObjectiveWriteSerializer,
    PlanActionSerializer,
    PlanActionWriteSerializer,
    ReasonSerializer,
    SetCreateSerializer,
    SetFilterSerializer,
    SubmitSerializer,
)
from eiso.api.views.base import ApiViewSet, acting_agency
from eiso.api.views.documents import FileDownloadNegotiation
from eiso.core import measures
from eiso.core.errors import ValidationFailed
from eiso.core.files import DOCX, PDF
from eiso.core.generic import official_response
from eiso.core.roles import Action
from eiso.objectives import outputs, selectors, services

CHANGE_RESPONSES = {**ERROR_RESPONSES, 409: ErrorSerializer}


# --- the objectives of a year ---------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List the objectives of the years (every revision) you may read"),
        parameters=[SetFilterSerializer],
        responses={200: ObjectiveSetSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One revision of the objectives of a year"),
        responses={200: ObjectiveSetSerializer, 404: ErrorSerializer},
    ),
    create=extend_schema(
        summary=_("Start the objectives of a year as a draft"),
        description=_(
            "Empty, copied from last year (objectives and plan, due dates moved to the new year) "
            "or from the framework model's typical objectives for the agency's kind."
        ),
        request=SetCreateSerializer,
        responses={201: ObjectiveSetSerializer, **CHANGE_RESPONSES},
    ),
    submit=extend_schema(
        summary=_("Submit the draft to the head"),
        description=_(
            "Every objective needs its plan; a revision after the first says what changed."
        ),
        request=SubmitSerializer,
        responses={200: ObjectiveSetSerializer, **CHANGE_RESPONSES},
    ),
    return_=extend_schema(
        summary=_("Return for changes (the head)"),
        request=ReasonSerializer,
        responses={200: ObjectiveSetSerializer, **CHANGE_RESPONSES},
    ),
    approve=extend_schema(
        summary=_("Approve (the head; not the person who submitted)"),
        request=None,
        responses={200: ObjectiveSetSerializer, **CHANGE_RESPONSES},
    ),
    issue=extend_schema(
        summary=_("Issue by decision (the head)"),
        description=_(
            "Number (official shape 45/QĐ-STP) and date, not in the future. The revision in "
            "force until now is superseded and kept."
        ),
        request=IssueSerializer,
        responses={200: ObjectiveSetSerializer, **CHANGE_RESPONSES},
    ),
    amend=extend_schema(
        summary=_("Change issued objectives mid-year"),
        description=_(
            "Opens the next revision as a draft with the next version of every objective; the "
            "issued one stays in force until the new one is issued."
        ),
        request=AmendSerializer,
        responses={201: ObjectiveSetSerializer, **CHANGE_RESPONSES},
    ),
    docx=extend_schema(
        summary=_("The decision issuing the objectives as DOCX (the plan in its annex)"),
        responses={(200, DOCX): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
    pdf=extend_schema(
        summary=_("The decision issuing the objectives as PDF (the plan in its annex)"),
        responses={(200, PDF): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
)
class ObjectiveSetViewSet(ApiViewSet):
    serializer_class = ObjectiveSetSerializer

    def list(self, request):
        filters = self.query(SetFilterSerializer)
        return self.paginated(
            selectors.set_list(user=request.user, **filters), ObjectiveSetSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(self._load(request, pk), ObjectiveSetSerializer)

    def create(self, request):
        data = self.body(SetCreateSerializer)
        agency = data.get("agency") or acting_agency(request)
        if agency is None:
            message = str(_("Say which agency this is for."))
            raise ValidationFailed(message, fields={"agency": [message]})
        created = services.objective_set_create(
            actor=request.user, agency=agency, year=data["year"], start=data["start"]
        )
        return self.show(self._load(request, created.pk), ObjectiveSetSerializer, status=201)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk: int):
        data = self.body(SubmitSerializer)
        services.objective_set_submit(
            actor=request.user,
            objective_set=self._load(request, pk, Action.CHANGE),
            change_summary=data.get("change_summary"),
        )
        return self.show(self._load(request, pk), ObjectiveSetSerializer)

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk: int):
        data = self.body(ReasonSerializer)
        services.objective_set_return(
            actor=request.user,
            objective_set=self._load(request, pk, Action.CHANGE),
            reason=data["reason"],
        )
        return self.show(self._load(request, pk), ObjectiveSetSerializer)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk: int):
        services.objective_set_approve(
            actor=request.user, objective_set=self._load(request, pk, Action.CHANGE)
        )
        return self.show(self._load(request, pk), ObjectiveSetSerializer)

    @action(detail=True, methods=["post"])
    def issue(self, request, pk: int):
        data = self.body(IssueSerializer)
        services.objective_set_issue(
            actor=request.user,
            objective_set=self._load(request, pk, Action.CHANGE),
            number=data["number"],
            date=data["date"],
            signer_name=data.get("signer_name", ""),
            signer_title=data.get("signer_title", ""),
        )
        return self.show(self._load(request, pk), ObjectiveSetSerializer)

    @action(detail=True, methods=["post"])
    def amend(self, request, pk: int):
        data = self.body(AmendSerializer)
        draft = services.objective_set_amend(
            actor=request.user,
            objective_set=self._load(request, pk, Action.CHANGE),
            change_summary=data["change_summary"],
        )
        return self.show(self._load(request, draft.pk), ObjectiveSetSerializer, status=201)

    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def docx(self, request, pk: int):
        return self._file(request, pk, "docx")

    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def pdf(self, request, pk: int):
        return self._file(request, pk, "pdf")

    def _file(self, request, pk: int, file_format: str):
        objective_set = self._load(request, pk)
        objectives = selectors.objectives_of_set(user=request.user, objective_set=objective_set)
        stem = outputs.decision_filename(objective_set, file_format).rsplit(".", 1)[0]
        return official_response(
            outputs.decision_document(objective_set, objectives), stem, file_format
        )

    def _load(self, request, pk: int, action: Action = Action.VIEW):
        return selectors.set_get(user=request.user, pk=pk, action=action)


# --- objectives ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List the current objectives you may read, with their plan and measurements"),
        description=_(
            "The latest revision of each agency's year. ``result``: not_met when a period "
            "missed its target, met when every period measured so far met it."
        ),
        parameters=[ObjectiveFilterSerializer],
        responses={200: ObjectiveSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One objective with its plan and measurements"),
        responses={200: ObjectiveSerializer, 404: ErrorSerializer},
    ),
    create=extend_schema(
        summary=_("Add an objective (and its plan) to a draft"),
        description=_(
            "A target needs its comparator (ge, le, eq, gt, lt or ≥ ≤ = > <) and its unit; "
            "plan actions are due within the year."
        ),
        request=ObjectiveWriteSerializer,
        responses={201: ObjectiveSerializer, **CHANGE_RESPONSES},
    ),
    partial_update=extend_schema(
        summary=_("Change an objective of a draft"),
        description=_("Issued objectives are changed through a new revision (amend)."),
        request=ObjectiveWriteSerializer,
        responses={200: ObjectiveSerializer, **CHANGE_RESPONSES},
    ),
    destroy=extend_schema(
        summary=_("Remove an objective from a draft"),
        request=None,
        responses={204: None, **CHANGE_RESPONSES},
    ),
    measurements=extend_schema(
        summary=_("Record (or correct) the measurement of a period"),
        description=_(
            "Only objectives in force; a period of the objective's year that has started. "
            "Without a value, the value is computed from the objective's source."
        ),
        request=MeasurementWriteSerializer,
        responses={201: MeasurementSerializer, **CHANGE_RESPONSES},
    ),
    plan=extend_schema(
        summary=_("Add an action to the objective's plan"),
        request=PlanActionWriteSerializer,
        responses={201: PlanActionSerializer, **CHANGE_RESPONSES},
    ),
)
class ObjectiveViewSet(ApiViewSet):
    serializer_class = ObjectiveSerializer

    def list(self, request):
        filters = self.query(ObjectiveFilterSerializer)
        queryset = selectors.with_plan(selectors.objective_list(user=request.user, **filters))
        page = self.paginate_queryset(queryset)
        rows = selectors.attach_measurements(user=request.user, objectives=page)
        data = ObjectiveSerializer(rows, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def retrieve(self, request, pk: int):
        return self.show(self._load(request, pk), ObjectiveSerializer)

    def create(self, request):
        objective_set = self.body(ObjectiveSetRefSerializer)["objective_set"]
        data = self.body(ObjectiveWriteSerializer, context={"target": objective_set.agency})
        plan = data.pop("plan", [])
        objective = services.objective_create(
            actor=request.user, objective_set=objective_set, data=data, plan=plan
        )
        return self.show(self._load(request, objective.pk), ObjectiveSerializer, status=201)

    def partial_update(self, request, pk: int):
        objective = self._load(request, pk, Action.CHANGE)
        data = self.body(
            ObjectiveWriteSerializer, partial=True, context={"target": objective.agency}
        )
        data.pop("plan", None)
        services.objective_update(actor=request.user, objective=objective, data=data)
        return self.show(self._load(request, pk), ObjectiveSerializer)

    def destroy(self, request, pk: int):
        services.objective_delete(
            actor=request.user, objective=self._load(request, pk, Action.CHANGE)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def measurements(self, request, pk: int):
        objective = self._load(request, pk, Action.CHANGE)
        data = self.body(MeasurementWriteSerializer)
        source = measures.get(objective.source)
        if data.get("value") is None and source is not None and not source.manual:
            measured = services.measurement_compute(
                actor=request.user, objective=objective, period=data["period"]
            )
        else:
            measured = services.measurement_record(
                actor=request.user,
                objective=objective,
                period=data["period"],
                value=data.get("value"),
                note=data.get("note", ""),
            )
        return self.show(measured, MeasurementSerializer, status=201)

    @action(detail=True, methods=["post"])
    def plan(self, request, pk: int):
        objective = self._load(request, pk, Action.CHANGE)
        data = self.body(PlanActionWriteSerializer)
        created = services.plan_action_create(actor=request.user, objective=objective, data=data)
        return self.show(created, PlanActionSerializer, status=201)

    def _load(self, request, pk: int, action: Action = Action.VIEW):
        if action == Action.VIEW:
            return selectors.objective_full(user=request.user, pk=pk)
        return selectors.objective_get(user=request.user, pk=pk, action=action)
