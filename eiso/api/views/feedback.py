"""Satisfaction and feedback: the ratings (read, with the summary of a period), complaints and
petitions with their workflow, and the public form's endpoints (no sign-in, rate-limited per
client address, with the honeypot and the signed single-use form token of the HTML form).

Reads go through the feedback selectors (out of scope is 404); writes load their object in the
CHANGE scope and call one service, which checks the role and the workflow table."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from eiso.api.serializers.feedback import (
    AnswerSerializer,
    AssignSerializer,
    ComplaintFilterSerializer,
    ComplaintReasonSerializer,
    ComplaintSerializer,
    ComplaintUpdateSerializer,
    ComplaintWriteSerializer,
    NonconformityRefSerializer,
    NonconformitySerializer,
    PublicRatingFormSerializer,
    PublicRatingResultSerializer,
    PublicRatingSerializer,
    PublicTrackingSerializer,
    RatingFilterSerializer,
    RatingSerializer,
    SatisfactionSummarySerializer,
    SummaryQuerySerializer,
)
from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.views.base import ApiViewSet, acting_agency
from eiso.core.errors import ValidationFailed
from eiso.core.roles import Action
from eiso.feedback import selectors, services
from eiso.feedback.choices import Criterion
from eiso.portal import guards
from eiso.portal import selectors as portal_selectors

CHANGE_RESPONSES = {**ERROR_RESPONSES, 409: ErrorSerializer}
TOO_MANY = OpenApiResponse(ErrorSerializer, description=_("Too many requests from your address."))


# --- ratings -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List the ratings of the agencies you may read, newest first"),
        parameters=[RatingFilterSerializer],
        responses={200: RatingSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(responses={200: RatingSerializer, 404: ErrorSerializer}),
    summary=extend_schema(
        summary=_("The satisfaction of one agency over a period"),
        parameters=[SummaryQuerySerializer],
        responses={200: SatisfactionSummarySerializer, 400: ErrorSerializer},
    ),
)
class RatingViewSet(ApiViewSet):
    """Citizens' ratings (anonymous: no personal data) — read only."""

    serializer_class = RatingSerializer

    def list(self, request):
        filters = self.query(RatingFilterSerializer)
        return self.paginated(selectors.rating_list(user=request.user, **filters), RatingSerializer)

    def retrieve(self, request, pk: int):
        return self.show(selectors.rating_get(user=request.user, pk=pk), RatingSerializer)

    @action(detail=False, methods=["get"])
    def summary(self, request):
        query = self.query(SummaryQuerySerializer)
        agency = query.get("agency") or acting_agency(request)
        if agency is None:
            message = str(_("Say which agency this is for."))
            raise ValidationFailed(message, fields={"agency": [message]})
        start, end = selectors.default_period()
        start, end = query.get("start", start), query.get("end", end)
        summary = selectors.satisfaction_summary(
            user=request.user, agency=agency, start=start, end=end
        )
        data = {
            "agency": agency.pk,
            "start": start,
            "end": end,
            "total": summary.total,
            "satisfied": summary.satisfied,
            "index": summary.index,
            "average": summary.average,
            "criteria": [vars(c) for c in summary.criteria],
        }
        return Response(SatisfactionSummarySerializer(data).data)


# --- complaints ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List the complaints and petitions you may read"),
        parameters=[ComplaintFilterSerializer],
        responses={200: ComplaintSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(responses={200: ComplaintSerializer, 404: ErrorSerializer}),
    create=extend_schema(
        summary=_("Register a complaint or petition received by the agency"),
        description=_(
            "The due date of the answer comes from the answer rule of the channel on the day "
            "it was received."
        ),
        request=ComplaintWriteSerializer,
        responses={201: ComplaintSerializer, **CHANGE_RESPONSES},
    ),
    partial_update=extend_schema(
        request=ComplaintUpdateSerializer, responses={200: ComplaintSerializer, **CHANGE_RESPONSES}
    ),
    assign=extend_schema(
        summary=_("Assign a handler (the ISO secretary or the head)"),
        request=AssignSerializer,
        responses={200: ComplaintSerializer, **CHANGE_RESPONSES},
    ),
    answer=extend_schema(
        summary=_("Record the answer to the sender and the outcome"),
        request=AnswerSerializer,
        responses={200: ComplaintSerializer, **CHANGE_RESPONSES},
    ),
    close=extend_schema(request=None, responses={200: ComplaintSerializer, **CHANGE_RESPONSES}),
    decline=extend_schema(
        summary=_("Not accepted: the reason is the answer the sender reads"),
        request=ComplaintReasonSerializer,
        responses={200: ComplaintSerializer, **CHANGE_RESPONSES},
    ),
    reopen=extend_schema(
        request=ComplaintReasonSerializer, responses={200: ComplaintSerializer, **CHANGE_RESPONSES}
    ),
    nonconformity=extend_schema(
        summary=_("Open the nonconformity the complaint revealed"),
        request=NonconformitySerializer,
        responses={201: NonconformityRefSerializer, **CHANGE_RESPONSES},
    ),
)
class ComplaintViewSet(ApiViewSet):
    serializer_class = ComplaintSerializer

    def list(self, request):
        filters = self.query(ComplaintFilterSerializer)
        return self.paginated(
            selectors.complaint_list(user=request.user, **filters), ComplaintSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(self._load(request, pk), ComplaintSerializer)

    def create(self, request):
        agency = self.target_agency(ComplaintWriteSerializer)
        data = self.body(ComplaintWriteSerializer, context={"target": agency})
        data.pop("agency", None)
        complaint = services.complaint_register(actor=request.user, agency=agency, data=data)
        return self.show(self._load(request, complaint.pk), ComplaintSerializer, status=201)

    def partial_update(self, request, pk: int):
        complaint = self._load(request, pk, Action.CHANGE)
        data = self.body(
            ComplaintUpdateSerializer, partial=True, context={"target": complaint.agency}
        )
        services.complaint_update(actor=request.user, complaint=complaint, data=data)
        return self.show(self._load(request, pk), ComplaintSerializer)

    @action(detail=True, methods=["post"])
    def assign(self, request, pk: int):
        complaint = self._load(request, pk, Action.CHANGE)
        data = self.body(AssignSerializer, context={"target": complaint.agency})
        services.complaint_assign(
            actor=request.user,
            complaint=complaint,
            handler=data["handler"],
            department=data.get("department"),
            note=data.get("note", ""),
        )
        return self.show(self._load(request, pk), ComplaintSerializer)

    @action(detail=True, methods=["post"])
    def answer(self, request, pk: int):
        complaint = self._load(request, pk, Action.CHANGE)
        data = self.body(AnswerSerializer)
        services.complaint_answer(
            actor=request.user,
            complaint=complaint,
            answer=data["answer"],
            outcome=data["outcome"],
            answered_on=data.get("answered_on"),
            note=data.get("note", ""),
        )
        return self.show(self._load(request, pk), ComplaintSerializer)

    @action(detail=True, methods=["post"])
    def close(self, request, pk: int):
        services.complaint_close(
            actor=request.user, complaint=self._load(request, pk, Action.CHANGE)
        )
        return self.show(self._load(request, pk), ComplaintSerializer)

    @action(detail=True, methods=["post"])
    def decline(self, request, pk: int):
        data = self.body(ComplaintReasonSerializer)
        services.complaint_decline(
            actor=request.user,
            complaint=self._load(request, pk, Action.CHANGE),
            reason=data["reason"],
        )
        return self.show(self._load(request, pk), ComplaintSerializer)

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk: int):
        data = self.body(ComplaintReasonSerializer)
        services.complaint_reopen(
            actor=request.user,
            complaint=self._load(request, pk, Action.CHANGE),
            reason=data["reason"],
        )
        return self.show(self._load(request, pk), ComplaintSerializer)

    @action(detail=True, methods=["post"])
    def nonconformity(self, request, pk: int):
        data = self.body(NonconformitySerializer)
        nc = services.complaint_raise_nonconformity(
            actor=request.user,
            complaint=self._load(request, pk, Action.CHANGE),
            title=data.get("title", ""),
            description=data.get("description", ""),
            due_date=data.get("due_date"),
        )
        return Response({"id": nc.pk, "code": nc.code}, status=status.HTTP_201_CREATED)

    def _load(self, request, pk: int, action: Action = Action.VIEW):
        return selectors.complaint_get(user=request.user, pk=pk, action=action)


# --- the public form's endpoints (no sign-in) --------------------------------------------------------


class _Public(ApiViewSet):
    """Anonymous and rate-limited per client address: no session, no token, no cookie."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    scope = "page"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        wait = guards.throttle(request, self.throttle_scope(request))
        if wait is not None:
            raise Throttled(wait=wait)

    def throttle_scope(self, request) -> str:
        return self.scope


@extend_schema_view(
    create=extend_schema(
        summary=_("Send a rating (no sign-in, no personal data)"),
        description=_(
            "Rate 1–5 at least one of attitude, timeliness, guidance, result. Refused without "
            "a valid form token (from the form endpoint); the same content from the same "
            "address within ten minutes is kept once; ``website`` must stay empty. "
            "Rate-limited per client address (10 an hour by default)."
        ),
        auth=[],
        request=PublicRatingSerializer,
        responses={
            201: PublicRatingResultSerializer,
            400: ErrorSerializer,
            404: ErrorSerializer,
            429: TOO_MANY,
        },
    ),
)
class PublicRatingViewSet(_Public):
    serializer_class = PublicRatingSerializer

    def throttle_scope(self, request) -> str:
        return "rating" if request.method == "POST" else "page"

    @extend_schema(
        summary=_("The rating form of an agency (or a desk): its token and choices"),
        description=_(
            "No sign-in. The token is valid two hours, once, and not before two seconds have "
            "passed. Rate-limited per client address."
        ),
        auth=[],
        responses={200: PublicRatingFormSerializer, 404: ErrorSerializer, 429: TOO_MANY},
    )
    def form(self, request, code: str):
        agency = portal_selectors.public_agency(code)
        desk = self._desk(agency, request.query_params.get("desk"))
        token = guards.form_token("rating", f"{agency.pk}:{desk.pk if desk else ''}")
        return Response(
            PublicRatingFormSerializer(
                {
                    "agency": agency.code,
                    "agency_name": agency.name,
                    "desk": desk.pk if desk else None,
                    "form_token": token,
                    "criteria": {k: str(v) for k, v in Criterion.choices},
                    "procedures": selectors.procedure_choices(agency),
                }
            ).data
        )

    def create(self, request):
        data = self.body(PublicRatingSerializer)
        agency = portal_selectors.public_agency(data["agency"])
        desk = self._desk(agency, data.get("desk"))
        received = Response({"received": True}, status=status.HTTP_201_CREATED)
        if (data.get("website") or "").strip():
            return received  # a robot: acknowledged, nothing kept
        target = f"{agency.pk}:{desk.pk if desk else ''}"
        try:
            token = guards.check_token(data["form_token"], "rating", target)
        except guards.TokenError as error:
            message = str(_("The form token is missing, expired, too fresh or not for this form."))
            raise ValidationFailed(message, fields={"form_token": [error.reason]}) from None
        scores = {k: data.get(k) for k in Criterion.values}
        procedure = None
        if data.get("procedure"):
            procedure = selectors.procedure_choices(agency).filter(code=data["procedure"]).first()
            if procedure is None:
                message = str(_("Choose one of the procedures this agency handles."))
                raise ValidationFailed(message, fields={"procedure": [message]})
        fresh = guards.spend(token) and guards.first_time(
            request,
            "rating",
            target,
            sorted(scores.items()),
            procedure and procedure.pk,
            data.get("dossier_code", ""),
            data.get("comment", ""),
        )
        if fresh:
            services.rating_submit(
                agency=agency,
                desk=desk,
                scores=scores,
                procedure=procedure,
                dossier_code=data.get("dossier_code", ""),
                comment=data.get("comment", ""),
            )
        return received

    @staticmethod
    def _desk(agency, value):
        if value in (None, ""):
            return None
        desk = selectors.public_desk(agency, value)
        if desk is None:
            raise Http404
        return desk


@extend_schema_view(
    retrieve=extend_schema(
        summary=_("Follow a complaint with its tracking code (no sign-in)"),
        description=_("Its status, dates and the answer; nothing else. Rate-limited."),
        auth=[],
        responses={200: PublicTrackingSerializer, 404: ErrorSerializer, 429: TOO_MANY},
    ),
)
class PublicTrackingViewSet(_Public):
    serializer_class = PublicTrackingSerializer
    scope = "lookup"

    def retrieve(self, request, code: str):
        found = selectors.complaint_by_tracking_code(services.normalize_tracking_code(code))
        if found is None:
            raise Http404
        return Response(PublicTrackingSerializer(found).data)
