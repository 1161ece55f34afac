"""Nonconformities and corrective actions: the record raised (any source), its correction and
cause, its plan (actions), the workflow's steps (submit, return, approve the plan; verify,
close, reopen), the actions done, the form as DOCX/PDF, the overseer's counts per agency.

Reads go through the improvements' selectors (out of scope is 404); writes load their object
in the CHANGE scope — overseers read, they change nothing — and call one service."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.serializers.improvements import (
    ActionDoneSerializer,
    ActionWriteSerializer,
    CorrectiveActionSerializer,
    NonconformityFilterSerializer,
    NonconformitySerializer,
    OverviewFilterSerializer,
    OverviewRowSerializer,
    RaiseSerializer,
    RecordWriteSerializer,
    VerifySerializer,
)
from eiso.api.serializers.objectives import ReasonSerializer
from eiso.api.views.base import ApiViewSet
from eiso.api.views.documents import FileDownloadNegotiation
from eiso.core.files import DOCX, PDF
from eiso.core.generic import official_response
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.improvements import outputs, selectors, services

CHANGE_RESPONSES = {**ERROR_RESPONSES, 409: ErrorSerializer}


@extend_schema_view(
    list=extend_schema(
        summary=_("List the nonconformities you may read, with their actions and checks"),
        parameters=[NonconformityFilterSerializer],
        responses={200: NonconformitySerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(responses={200: NonconformitySerializer, 404: ErrorSerializer}),
    create=extend_schema(
        summary=_("Raise a nonconformity"),
        description=_(
            "source: internal_audit, inspection, complaint, objective, process or staff; "
            "agency defaults to the agency of your role."
        ),
        request=RaiseSerializer,
        responses={201: NonconformitySerializer, **CHANGE_RESPONSES},
    ),
    partial_update=extend_schema(
        summary=_("Change the record, its correction and its cause (before the plan is approved)"),
        request=RecordWriteSerializer,
        responses={200: NonconformitySerializer, **CHANGE_RESPONSES},
    ),
    actions=extend_schema(
        summary=_("Plan a corrective action"),
        request=ActionWriteSerializer,
        responses={201: CorrectiveActionSerializer, **CHANGE_RESPONSES},
    ),
    action_detail=extend_schema(
        summary=_("Change or remove a corrective action (before the plan is approved)"),
        request=ActionWriteSerializer,
        responses={200: CorrectiveActionSerializer, 204: None, **CHANGE_RESPONSES},
    ),
    complete_action=extend_schema(
        summary=_("Record a corrective action done (not before the plan is approved)"),
        request=ActionDoneSerializer,
        responses={200: CorrectiveActionSerializer, **CHANGE_RESPONSES},
    ),
    submit_plan=extend_schema(
        summary=_("Submit the plan for approval"),
        request=None,
        responses={200: NonconformitySerializer, **CHANGE_RESPONSES},
    ),
    return_plan=extend_schema(
        summary=_("Return the plan with the reason"),
        request=ReasonSerializer,
        responses={200: NonconformitySerializer, **CHANGE_RESPONSES},
    ),
    approve_plan=extend_schema(
        summary=_("Approve the plan (the ISO secretary or the head)"),
        request=None,
        responses={200: NonconformitySerializer, **CHANGE_RESPONSES},
    ),
    verify=extend_schema(
        summary=_("Record an effectiveness check (never by the person responsible)"),
        request=VerifySerializer,
        responses={200: NonconformitySerializer, **CHANGE_RESPONSES},
    ),
    close=extend_schema(
        summary=_("Close: every action done and verified effective by someone else"),
        request=None,
        responses={200: NonconformitySerializer, **CHANGE_RESPONSES},
    ),
    reopen=extend_schema(
        summary=_("Reopen a closed record (a new round; the history is kept)"),
        request=ReasonSerializer,
        responses={200: NonconformitySerializer, **CHANGE_RESPONSES},
    ),
    overview=extend_schema(
        summary=_("Per agency: open, overdue, raised and closed in the year, days to close"),
        parameters=[OverviewFilterSerializer],
        responses={200: OverviewRowSerializer(many=True), 400: ErrorSerializer},
    ),
    docx=extend_schema(
        summary=_("The corrective-action request form as DOCX"),
        responses={(200, DOCX): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
    pdf=extend_schema(
        summary=_("The corrective-action request form as PDF"),
        responses={(200, PDF): OpenApiTypes.BINARY, 404: ErrorSerializer},
    ),
)
class NonconformityViewSet(ApiViewSet):
    serializer_class = NonconformitySerializer

    def list(self, request):
        filters = self.query(NonconformityFilterSerializer)
        queryset = selectors.nonconformity_list(user=request.user, **filters)
        return self.paginated(selectors.with_record(queryset), NonconformitySerializer)

    def retrieve(self, request, pk: int):
        return self.show(self._load(request, pk), NonconformitySerializer)

    def create(self, request):
        agency = self.target_agency(RaiseSerializer)
        data = self.body(RaiseSerializer, context={"target": agency})
        data.pop("agency", None)
        created = services.nonconformity_raise(
            actor=request.user,
            agency=agency,
            source=data.pop("source"),
            source_ref=data.pop("source_ref", ""),
            title=data.pop("title"),
            description=data.pop("description"),
            **data,
        )
        return self.show(self._load(request, created.pk), NonconformitySerializer, status=201)

    def partial_update(self, request, pk: int):
        nc = self._load(request, pk, Action.CHANGE)
        data = self.body(RecordWriteSerializer, partial=True, context={"target": nc.agency})
        services.nonconformity_update(actor=request.user, nonconformity=nc, data=data)
        return self.show(self._load(request, pk), NonconformitySerializer)

    @action(detail=True, methods=["post"])
    def actions(self, request, pk: int):
        nc = self._load(request, pk, Action.CHANGE)
        data = self.body(ActionWriteSerializer, context={"target": nc.agency})
        created = services.action_create(actor=request.user, nonconformity=nc, data=data)
        return self.show(created, CorrectiveActionSerializer, status=201)

    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path="actions/<int:action_id>",
        url_name="action-detail",
    )
    def action_detail(self, request, pk: int, action_id: int):
        found = self._action(request, pk, action_id)
        if request.method == "DELETE":
            services.action_delete(actor=request.user, action=found)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = self.body(ActionWriteSerializer, partial=True, context={"target": found.agency})
        return self.show(
            services.action_update(actor=request.user, action=found, data=data),
            CorrectiveActionSerializer,
        )

    @action(
        detail=True,
        methods=["post"],
        url_path="actions/<int:action_id>/complete",
        url_name="action-complete",
    )
    def complete_action(self, request, pk: int, action_id: int):
        found = self._action(request, pk, action_id)
        data = self.body(ActionDoneSerializer)
        return self.show(
            services.action_complete(
                actor=request.user,
                action=found,
                done_on=data.get("done_on"),
                result=data.get("result", ""),
            ),
            CorrectiveActionSerializer,
        )

    @action(detail=True, methods=["post"], url_path="submit-plan")
    def submit_plan(self, request, pk: int):
        services.plan_submit(
            actor=request.user, nonconformity=self._load(request, pk, Action.CHANGE)
        )
        return self.show(self._load(request, pk), NonconformitySerializer)

    @action(detail=True, methods=["post"], url_path="return-plan")
    def return_plan(self, request, pk: int):
        data = self.body(ReasonSerializer)
        services.plan_return(
            actor=request.user,
            nonconformity=self._load(request, pk, Action.CHANGE),
            reason=data["reason"],
        )
        return self.show(self._load(request, pk), NonconformitySerializer)

    @action(detail=True, methods=["post"], url_path="approve-plan")
    def approve_plan(self, request, pk: int):
        services.plan_approve(
            actor=request.user, nonconformity=self._load(request, pk, Action.CHANGE)
        )
        return self.show(self._load(request, pk), NonconformitySerializer)

    @action(detail=True, methods=["post"])
    def verify(self, request, pk: int):
        data = self.body(VerifySerializer)
        services.nonconformity_verify(
            actor=request.user,
            nonconformity=self._load(request, pk, Action.CHANGE),
            effective=data["effective"],
            note=data["note"],
            checked_on=data.get("checked_on"),
        )
        return self.show(self._load(request, pk), NonconformitySerializer)

    @action(detail=True, methods=["post"])
    def close(self, request, pk: int):
        services.nonconformity_close(
            actor=request.user, nonconformity=self._load(request, pk, Action.CHANGE)
        )
        return self.show(self._load(request, pk), NonconformitySerializer)

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk: int):
        data = self.body(ReasonSerializer)
        services.nonconformity_reopen(
            actor=request.user,
            nonconformity=self._load(request, pk, Action.CHANGE),
            reason=data["reason"],
        )
        return self.show(self._load(request, pk), NonconformitySerializer)

    @action(detail=False, methods=["get"])
    def overview(self, request):
        if user_scope(request.user, Action.OVERSEE).empty:
            raise Http404
        filters = self.query(OverviewFilterSerializer)
        rows = selectors.overview_agencies(
            user=request.user,
            year=filters.get("year") or timezone.localdate().year,
            root=filters.get("root"),
        ).order_by("path")
        return self.paginated(rows, OverviewRowSerializer)

    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def docx(self, request, pk: int):
        return self._file(request, pk, "docx")

    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def pdf(self, request, pk: int):
        return self._file(request, pk, "pdf")

    def _file(self, request, pk: int, file_format: str):
        nc = selectors.nonconformity_get(user=request.user, pk=pk)
        document = outputs.form_document(
            nc,
            list(selectors.actions_of(user=request.user, nonconformity=nc)),
            list(selectors.checks_of(user=request.user, nonconformity=nc)),
        )
        stem = outputs.form_filename(nc, file_format).rsplit(".", 1)[0]
        return official_response(document, stem, file_format)

    def _load(self, request, pk: int, action: Action = Action.VIEW):
        if action != Action.VIEW:
            return selectors.nonconformity_get(user=request.user, pk=pk, action=action)
        found = (
            selectors.with_record(selectors.nonconformity_list(user=request.user))
            .filter(pk=pk)
            .first()
        )
        if found is None:
            raise Http404
        return found

    def _action(self, request, pk: int, action_id: int):
        found = selectors.action_get(user=request.user, pk=action_id, action=Action.CHANGE)
        if found.nonconformity_id != int(pk):
            raise Http404
        return found
