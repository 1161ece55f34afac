"""The base of every viewset: filtering, ordering and scoping are the selectors' job, so the
generic DRF filter backends are off; ids in URLs are integers; answers are JSON only (the
browsable API would build forms from unscoped querysets; the Swagger UI at docs/ is the
human-facing page)."""

from __future__ import annotations

from rest_framework import viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response


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

    def body(self, serializer_class, *, partial: bool = False) -> dict:
        """The request body, validated."""
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def paginated(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def show(self, obj, serializer_class, *, status: int = 200):
        data = serializer_class(obj, context=self.get_serializer_context()).data
        return Response(data, status=status)
