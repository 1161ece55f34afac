"""The Swagger UI page of the API, served from the app (drf-spectacular-sidecar, no CDN) under
the Content-Security-Policy: the split view loads its start-up script from a URL instead of an
inline <script>, and our template links its page style instead of an inline <style>."""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularSwaggerSplitView


# Swagger UI (React) writes style="" attributes into the markup it renders (syntax highlighting,
# the models' expanders): on this page only, inline style attributes are allowed. Scripts stay
# 'self' only.
@method_decorator(csp_update({"style-src": [UNSAFE_INLINE]}), name="dispatch")
class SwaggerUIView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
