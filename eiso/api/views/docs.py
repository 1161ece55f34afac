"""The OpenAPI schema of the API, and its Swagger UI page served from the app
(drf-spectacular-sidecar, no CDN) under the Content-Security-Policy: the split view loads its
start-up script from a URL instead of an inline <script>, and our template links its page style
instead of an inline <style>."""

from __future__ import annotations

from typing import ClassVar

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.utils import translation
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.response import Response


# Swagger UI (React) writes style="" attributes into the markup it renders (syntax highlighting,
# the models' expanders): on this page only, inline style attributes are allowed. Scripts stay
# 'self' only.
@method_decorator(csp_update({"style-src": [UNSAFE_INLINE]}), name="dispatch")
class SwaggerUIView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, made once per process, API version and language: it describes the
    code, not the person asking (``SERVE_PUBLIC``), and making it takes about a second of CPU
    (every signed-in person or token could tie a worker with it, and each test that read it paid
    that second)."""

    _made: ClassVar[dict[tuple, dict]] = {}

    @classmethod
    def made_schema(cls, *, version: str | None = None, request=None) -> dict:
        """The schema for ``version`` in the active language (the tests read it here too)."""
        key = (version, translation.get_language(), cls.serve_public)
        schema = cls._made.get(key)
        if schema is None:
            generator = cls.generator_class(
                urlconf=cls.urlconf, api_version=version, patterns=cls.patterns
            )
            schema = cls._made[key] = generator.get_schema(request=request, public=cls.serve_public)
        return schema

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        schema = self.made_schema(version=version, request=request)
        filename = self._get_filename(request, version)
        return Response(
            data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )
