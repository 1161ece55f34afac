"""Context issues, interested parties, and the register of risks and opportunities with their
treatments (re-rating and the review of effectiveness as the workflow allows).

Reads go through the risks' selectors (out of scope is 404); writes load their object in the
CHANGE scope — overseers read, they change nothing — and call one service."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.serializers.risks import (
    AgencyYearSerializer,
    ContextIssueSerializer,
    InterestedPartySerializer,
    IssueFilterSerializer,
    IssueWriteSerializer,
    PartyFilterSerializer,
    PartyWriteSerializer,
    ReopenSerializer,
    RerateSerializer,
    ReviewSerializer,
    RiskFilterSerializer,
    RiskSerializer,
    RiskWriteSerializer,
    TreatmentDoneSerializer,
    TreatmentSerializer,
    TreatmentWriteSerializer,
)
from eiso.api.views.base import ApiViewSet, acting_agency
from eiso.core.errors import ValidationFailed
from eiso.core.roles import Action
from eiso.risks import selectors, services

CHANGE_RESPONSES = {**ERROR_RESPONSES, 409: ErrorSerializer}


def _agency_and_year(view) -> tuple:
    data = view.body(AgencyYearSerializer)
    agency = data.get("agency") or acting_agency(view.request)
    if agency is None:
        message = str(_("Say which agency this is for."))
        raise ValidationFailed(message, fields={"agency": [message]})
    return agency, data["year"]


def _crud_schema(noun: str, read, write, filters):
    return extend_schema_view(
        list=extend_schema(
            summary=_("List the %(noun)s you may read") % {"noun": noun},
            parameters=[filters],
            responses={200: read(many=True), 400: ErrorSerializer},
        ),
        retrieve=extend_schema(responses={200: read, 404: ErrorSerializer}),
        create=extend_schema(
            request=write,
            parameters=[AgencyYearSerializer],
            responses={201: read, **CHANGE_RESPONSES},
        ),
        partial_update=extend_schema(request=write, responses={200: read, **CHANGE_RESPONSES}),
        destroy=extend_schema(request=None, responses={204: None, **CHANGE_RESPONSES}),
    )


@_crud_schema(
    _("context issues"), ContextIssueSerializer, IssueWriteSerializer, IssueFilterSerializer
)
class ContextIssueViewSet(ApiViewSet):
    """Internal and external issues (bối cảnh) of an agency, per year. A create gives
    ``agency`` (default: the agency of your role) and ``year``."""

    serializer_class = ContextIssueSerializer

    def list(self, request):
        filters = self.query(IssueFilterSerializer)
        return self.paginated(
            selectors.issue_list(user=request.user, **filters), ContextIssueSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(selectors.issue_get(user=request.user, pk=pk), ContextIssueSerializer)

    def create(self, request):
        agency, year = _agency_and_year(self)
        issue = services.issue_create(
            actor=request.user, agency=agency, year=year, data=self.body(IssueWriteSerializer)
        )
        return self.show(issue, ContextIssueSerializer, status=201)

    def partial_update(self, request, pk: int):
        issue = selectors.issue_get(user=request.user, pk=pk, action=Action.CHANGE)
        data = self.body(IssueWriteSerializer, partial=True)
        return self.show(
            services.issue_update(actor=request.user, issue=issue, data=data),
            ContextIssueSerializer,
        )

    def destroy(self, request, pk: int):
        issue = selectors.issue_get(user=request.user, pk=pk, action=Action.CHANGE)
        services.issue_delete(actor=request.user, issue=issue)
        return Response(status=status.HTTP_204_NO_CONTENT)


@_crud_schema(
    _("interested parties"), InterestedPartySerializer, PartyWriteSerializer, PartyFilterSerializer
)
class InterestedPartyViewSet(ApiViewSet):
    """Interested parties (bên quan tâm) and their requirements, per year."""

    serializer_class = InterestedPartySerializer

    def list(self, request):
        filters = self.query(PartyFilterSerializer)
        return self.paginated(
            selectors.party_list(user=request.user, **filters), InterestedPartySerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(selectors.party_get(user=request.user, pk=pk), InterestedPartySerializer)

    def create(self, request):
        agency, year = _agency_and_year(self)
        party = services.party_create(
            actor=request.user, agency=agency, year=year, data=self.body(PartyWriteSerializer)
        )
        return self.show(party, InterestedPartySerializer, status=201)

    def partial_update(self, request, pk: int):
        party = selectors.party_get(user=request.user, pk=pk, action=Action.CHANGE)
        data = self.body(PartyWriteSerializer, partial=True)
        return self.show(
            services.party_update(actor=request.user, party=party, data=data),
            InterestedPartySerializer,
        )

    def destroy(self, request, pk: int):
        party = selectors.party_get(user=request.user, pk=pk, action=Action.CHANGE)
        services.party_delete(actor=request.user, party=party)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary=_("List the risks and opportunities you may read, with their treatments"),
        parameters=[RiskFilterSerializer],
        responses={200: RiskSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(responses={200: RiskSerializer, 404: ErrorSerializer}),
    create=extend_schema(
        summary=_("Add a risk or an opportunity to the register of a year"),
        description=_(
            "likelihood and impact are levels of the default scale (1–5); the rating is their "
            "product. process_kind: procedure (give procedure), department (give department) "
            "or internal (give process)."
        ),
        request=RiskWriteSerializer,
        parameters=[AgencyYearSerializer],
        responses={201: RiskSerializer, **CHANGE_RESPONSES},
    ),
    partial_update=extend_schema(
        request=RiskWriteSerializer, responses={200: RiskSerializer, **CHANGE_RESPONSES}
    ),
    destroy=extend_schema(request=None, responses={204: None, **CHANGE_RESPONSES}),
    treatments=extend_schema(
        summary=_("Plan a treatment (due within the register's year)"),
        request=TreatmentWriteSerializer,
        responses={201: TreatmentSerializer, **CHANGE_RESPONSES},
    ),
    rerate=extend_schema(
        summary=_("The rating after treatment"),
        description=_("Every treatment done; a risk above the acceptance threshold needs one."),
        request=RerateSerializer,
        responses={200: RiskSerializer, **CHANGE_RESPONSES},
    ),
    review=extend_schema(
        summary=_("Review the effectiveness of the treatments (closes the risk)"),
        request=ReviewSerializer,
        responses={200: RiskSerializer, **CHANGE_RESPONSES},
    ),
    reopen=extend_schema(
        request=ReopenSerializer, responses={200: RiskSerializer, **CHANGE_RESPONSES}
    ),
)
class RiskViewSet(ApiViewSet):
    serializer_class = RiskSerializer

    def list(self, request):
        filters = self.query(RiskFilterSerializer)
        queryset = selectors.risk_list(user=request.user, **filters).prefetch_related("treatments")
        return self.paginated(queryset, RiskSerializer)

    def retrieve(self, request, pk: int):
        return self.show(self._load(request, pk), RiskSerializer)

    def create(self, request):
        agency, year = _agency_and_year(self)
        data = self.body(RiskWriteSerializer, context={"target": agency})
        code = data.pop("code", "")
        risk = services.risk_create(
            actor=request.user, agency=agency, year=year, data=data, code=code
        )
        return self.show(self._load(request, risk.pk), RiskSerializer, status=201)

    def partial_update(self, request, pk: int):
        risk = self._load(request, pk, Action.CHANGE)
        data = self.body(RiskWriteSerializer, partial=True, context={"target": risk.agency})
        data.pop("code", None)
        services.risk_update(actor=request.user, risk=risk, data=data)
        return self.show(self._load(request, pk), RiskSerializer)

    def destroy(self, request, pk: int):
        services.risk_delete(actor=request.user, risk=self._load(request, pk, Action.CHANGE))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def treatments(self, request, pk: int):
        risk = self._load(request, pk, Action.CHANGE)
        data = self.body(TreatmentWriteSerializer, context={"target": risk.agency})
        created = services.treatment_create(actor=request.user, risk=risk, data=data)
        return self.show(created, TreatmentSerializer, status=201)

    @action(detail=True, methods=["post"])
    def rerate(self, request, pk: int):
        data = self.body(RerateSerializer)
        services.risk_rerate(
            actor=request.user,
            risk=self._load(request, pk, Action.CHANGE),
            likelihood=data["likelihood"],
            impact=data["impact"],
        )
        return self.show(self._load(request, pk), RiskSerializer)

    @action(detail=True, methods=["post"])
    def review(self, request, pk: int):
        data = self.body(ReviewSerializer)
        services.risk_review(
            actor=request.user,
            risk=self._load(request, pk, Action.CHANGE),
            effectiveness=data["effectiveness"],
            reviewed_on=data.get("reviewed_on"),
        )
        return self.show(self._load(request, pk), RiskSerializer)

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk: int):
        data = self.body(ReopenSerializer)
        services.risk_reopen(
            actor=request.user, risk=self._load(request, pk, Action.CHANGE), reason=data["reason"]
        )
        return self.show(self._load(request, pk), RiskSerializer)

    def _load(self, request, pk: int, action: Action = Action.VIEW):
        return selectors.risk_get(user=request.user, pk=pk, action=action)


@extend_schema_view(
    retrieve=extend_schema(responses={200: TreatmentSerializer, 404: ErrorSerializer}),
    partial_update=extend_schema(
        request=TreatmentWriteSerializer, responses={200: TreatmentSerializer, **CHANGE_RESPONSES}
    ),
    destroy=extend_schema(request=None, responses={204: None, **CHANGE_RESPONSES}),
    complete=extend_schema(
        summary=_("Record a treatment as done (its owner, the secretary or the head)"),
        request=TreatmentDoneSerializer,
        responses={200: TreatmentSerializer, **CHANGE_RESPONSES},
    ),
)
class TreatmentViewSet(ApiViewSet):
    serializer_class = TreatmentSerializer

    def retrieve(self, request, pk: int):
        return self.show(selectors.treatment_get(user=request.user, pk=pk), TreatmentSerializer)

    def partial_update(self, request, pk: int):
        treatment = selectors.treatment_get(user=request.user, pk=pk, action=Action.CHANGE)
        data = self.body(
            TreatmentWriteSerializer, partial=True, context={"target": treatment.agency}
        )
        return self.show(
            services.treatment_update(actor=request.user, treatment=treatment, data=data),
            TreatmentSerializer,
        )

    def destroy(self, request, pk: int):
        treatment = selectors.treatment_get(user=request.user, pk=pk, action=Action.CHANGE)
        services.treatment_delete(actor=request.user, treatment=treatment)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def complete(self, request, pk: int):
        treatment = selectors.treatment_get(user=request.user, pk=pk, action=Action.CHANGE)
        data = self.body(TreatmentDoneSerializer)
        return self.show(
            services.treatment_complete(
                actor=request.user,
                treatment=treatment,
                done_on=data.get("done_on"),
                result=data.get("result", ""),
            ),
            TreatmentSerializer,
        )
