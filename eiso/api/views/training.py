"""Training and competence: courses (with their sessions) and certificates, which follow
their holder across agencies. Reads through the training selectors (out of scope is 404);
writes load their object in the CHANGE scope and call one service."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.serializers.training import (
    AgencyTargetSerializer,
    CertificateFilterSerializer,
    CertificateSerializer,
    CertificateWriteSerializer,
    CourseFilterSerializer,
    CourseSerializer,
    CourseWriteSerializer,
    ReasonSerializer,
    TrainingSessionSerializer,
    TrainingSessionWriteSerializer,
)
from eiso.api.views.base import ApiViewSet, acting_agency
from eiso.core.errors import ValidationFailed
from eiso.core.roles import Action
from eiso.training import selectors, services

CHANGE_RESPONSES = {**ERROR_RESPONSES, 409: ErrorSerializer}


def _agency(view):
    source = view.request.query_params
    data = {"agency": source.get("agency")} if source.get("agency") else {}
    serializer = AgencyTargetSerializer(data=data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    agency = serializer.validated_data.get("agency") or acting_agency(view.request)
    if agency is None:
        message = str(_("Say which agency this is for."))
        raise ValidationFailed(message, fields={"agency": [message]})
    return agency


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("List the training courses you may read"),
        parameters=[CourseFilterSerializer],
        responses={200: CourseSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(responses={200: CourseSerializer, 404: ErrorSerializer}),
    create=extend_schema(
        request=CourseWriteSerializer,
        parameters=[AgencyTargetSerializer],
        responses={201: CourseSerializer, **CHANGE_RESPONSES},
    ),
    partial_update=extend_schema(
        request=CourseWriteSerializer, responses={200: CourseSerializer, **CHANGE_RESPONSES}
    ),
    sessions=extend_schema(
        summary=gettext_lazy("The sessions of a course (GET), or record one (POST)"),
        request=TrainingSessionWriteSerializer,
        responses={
            200: TrainingSessionSerializer(many=True),
            201: TrainingSessionSerializer,
            **CHANGE_RESPONSES,
        },
    ),
)
class CourseViewSet(ApiViewSet):
    serializer_class = CourseSerializer

    def list(self, request):
        filters = self.query(CourseFilterSerializer)
        return self.paginated(selectors.course_list(user=request.user, **filters), CourseSerializer)

    def retrieve(self, request, pk: int):
        return self.show(selectors.course_get(user=request.user, pk=pk), CourseSerializer)

    def create(self, request):
        agency = _agency(self)
        created = services.course_create(
            actor=request.user, agency=agency, data=self.body(CourseWriteSerializer)
        )
        return self.show(created, CourseSerializer, status=201)

    def partial_update(self, request, pk: int):
        course = selectors.course_get(user=request.user, pk=pk, action=Action.CHANGE)
        data = self.body(CourseWriteSerializer, partial=True)
        return self.show(
            services.course_update(actor=request.user, course=course, data=data), CourseSerializer
        )

    @action(detail=True, methods=["get", "post"])
    def sessions(self, request, pk: int):
        if request.method == "GET":
            course = selectors.course_get(user=request.user, pk=pk)
            rows = selectors.sessions_of(user=request.user, course=course)
            return self.paginated(rows, TrainingSessionSerializer)
        course = selectors.course_get(user=request.user, pk=pk, action=Action.CHANGE)
        session = services.session_create(
            actor=request.user, course=course, data=self.body(TrainingSessionWriteSerializer)
        )
        return self.show(session, TrainingSessionSerializer, status=201)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("List the certificates you may read"),
        description=gettext_lazy(
            "A certificate follows its holder: those recorded by the agencies you read, and "
            "those of the people who work in them now. state: valid, expiring (within 60 "
            "days) or expired today."
        ),
        parameters=[CertificateFilterSerializer],
        responses={200: CertificateSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(responses={200: CertificateSerializer, 404: ErrorSerializer}),
    create=extend_schema(
        summary=gettext_lazy("Record a certificate of a person of the agency"),
        request=CertificateWriteSerializer,
        parameters=[AgencyTargetSerializer],
        responses={201: CertificateSerializer, **CHANGE_RESPONSES},
    ),
    partial_update=extend_schema(
        request=CertificateWriteSerializer,
        responses={200: CertificateSerializer, **CHANGE_RESPONSES},
    ),
    destroy=extend_schema(
        summary=gettext_lazy("Remove a certificate recorded by mistake (reason required)"),
        parameters=[ReasonSerializer],
        request=None,
        responses={204: None, **CHANGE_RESPONSES},
    ),
)
class CertificateViewSet(ApiViewSet):
    serializer_class = CertificateSerializer

    def list(self, request):
        filters = self.query(CertificateFilterSerializer)
        return self.paginated(
            selectors.certificate_list(user=request.user, **filters), CertificateSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(selectors.certificate_get(user=request.user, pk=pk), CertificateSerializer)

    def create(self, request):
        agency = _agency(self)
        data = self.body(CertificateWriteSerializer, context={"target": agency})
        holder = data.pop("holder", None)
        if holder is None:
            message = str(_("Say whose certificate it is."))
            raise ValidationFailed(message, fields={"holder": [message]})
        created = services.certificate_create(
            actor=request.user, agency=agency, holder=holder, data=data
        )
        return self.show(created, CertificateSerializer, status=201)

    def partial_update(self, request, pk: int):
        certificate = selectors.certificate_get(user=request.user, pk=pk, action=Action.CHANGE)
        data = self.body(
            CertificateWriteSerializer, partial=True, context={"target": certificate.agency}
        )
        data.pop("holder", None)
        updated = services.certificate_update(
            actor=request.user, certificate=certificate, data=data
        )
        return self.show(updated, CertificateSerializer)

    def destroy(self, request, pk: int):
        certificate = selectors.certificate_get(user=request.user, pk=pk, action=Action.CHANGE)
        reason = self.query(ReasonSerializer)["reason"]
        services.certificate_delete(actor=request.user, certificate=certificate, reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)
