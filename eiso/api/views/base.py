"""The base of every viewset: filtering, ordering and scoping are the selectors' job, so the
generic DRF filter backends are off; ids in URLs are integers; answers are JSON only (the
browsable API would build forms from unscoped querysets; the Swagger UI at docs/ is the
human-facing page)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from eiso.accounts.selectors import active_memberships
from eiso.core.errors import ValidationFailed


def acting_agency(request):
    """The agency the actor works for (the role chosen in the header for a browser session,
    else their first active role), or None."""
    membership = getattr(request, "membership", None)  # set by ActiveMembershipMiddleware
    if membership is None:
        memberships = active_memberships(user=request.user)
        membership = memberships[0] if memberships else None
    return membership.agency if membership else None


class ApiViewSet(viewsets.GenericViewSet):
    filter_backends: list = []
    renderer_classes = [JSONRenderer]
    lookup_value_converter = "int"

    def query(self, serializer_class) -> dict:
        """The query-string filters, validated (a bad filter is a 400 with the error shape);
        empty ones left out so the selector's defaults apply."""
        serializer = serializer_class(
            data=self.request.query_params.dict(), context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return {k: v for k, v in serializer.validated_data.items() if v is not None and v != ""}

    def body(self, serializer_class, *, partial: bool = False, context: dict | None = None) -> dict:
        """The request body, validated. ``context`` reaches the serializer's fields (e.g. the
        object whose choices scope a foreign key)."""
        serializer = serializer_class(
            data=self.request.data,
            partial=partial,
            context={**self.get_serializer_context(), **(context or {})},
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def target_agency(self, serializer_class, *, field: str = "agency"):
        """The agency a request is aimed at: ``field`` of the body or query string, resolved by
        ``serializer_class`` among the agencies the user may see (another is refused like an
        unknown id), or, when it is left out, the agency of the actor's role."""
        source = self.request.query_params if self.request.method == "GET" else self.request.data
        value = source.get(field) if hasattr(source, "get") else None
        agency = None
        if value not in (None, ""):
            serializer = serializer_class(
                data={field: value}, context=self.get_serializer_context()
            )
            serializer.is_valid(raise_exception=True)
            agency = serializer.validated_data.get(field)
        agency = agency or acting_agency(self.request)
        if agency is None:
            message = _("Say which agency this is for.")
            raise ValidationFailed(message, fields={field: [message]})
        return agency

    def paginated(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def show(self, obj, serializer_class, *, status: int = 200):
        data = serializer_class(obj, context=self.get_serializer_context()).data
        return Response(data, status=status)
