"""The audit trail, read-only: administrators everywhere, overseers in their subtree."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.permissions import IsAuthenticated

from eiso.api.permissions import HasScopeFor
from eiso.api.serializers.audit import AuditEventSerializer, AuditFilterSerializer
from eiso.api.serializers.fields import ErrorSerializer
from eiso.api.views.base import ApiViewSet
from eiso.core import selectors
from eiso.core.roles import Action


@extend_schema_view(
    list=extend_schema(
        summary=_("List audit events"),
        parameters=[AuditFilterSerializer],
        responses={
            200: AuditEventSerializer(many=True),
            400: ErrorSerializer,
            403: ErrorSerializer,
        },
    ),
    retrieve=extend_schema(
        summary=_("One audit event"),
        responses={200: AuditEventSerializer, 404: ErrorSerializer},
    ),
)
class AuditEventViewSet(ApiViewSet):
    permission_classes = [IsAuthenticated, HasScopeFor]
    required_action = Action.AUDIT
    serializer_class = AuditEventSerializer

    def list(self, request):
        filters = self.query(AuditFilterSerializer)
        return self.paginated(
            selectors.audit_list(user=request.user, **filters), AuditEventSerializer
        )

    def retrieve(self, request, pk: int):
        return self.show(selectors.audit_get(user=request.user, pk=pk), AuditEventSerializer)
