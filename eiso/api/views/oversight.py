"""The overseer's registry and provincial summary (``oversight/summary/``,
``oversight/registry/``): reads only, through the oversight app's selectors (the same as the
pages); the subtree is an agency code among those the user oversees (another is a 404)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from eiso.api.serializers.fields import ErrorSerializer
from eiso.api.serializers.oversight import (
    RegistryQuerySerializer,
    RegistryRowSerializer,
    SummaryQuerySerializer,
    SummarySerializer,
)
from eiso.api.views.base import ApiViewSet
from eiso.core.kept import kept_for
from eiso.oversight import selectors
from eiso.oversight.summary import kept_key, summary_report


class OversightViewSet(ApiViewSet):
    serializer_class = SummarySerializer

    @extend_schema(
        summary=_("The provincial summary by tier for a date, with the annex"),
        description=_(
            "Agencies active on the date under root, by tier: how many, must apply, built, "
            "applied, announced, re-announced, announced in the year, not yet announced (with "
            "percentages of those that must apply); kinds gives the same by kind of agency; the "
            "annex lists every agency with its latest announcement. Computed in SQL: the query "
            "count does not grow with agencies."
        ),
        parameters=[SummaryQuerySerializer],
        responses={200: SummarySerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def summary(self, request):
        """Kept like the dashboard (eiso.core.kept): the country's summary is 5,001 annex rows
        and two grouped counts, about 0.3 s, the same for everyone of the same reach until
        something changes."""
        query = self.query(SummaryQuerySerializer)
        user = request.user
        root = selectors.overseen_root(user=user, code=query.get("root", ""))
        on = query.get("date") or timezone.localdate()

        def compute() -> bytes:
            report = summary_report(user=user, root=root, on=on)
            data = {
                "root": root,
                "date": on,
                "rows": report.rows,
                "kinds": report.kinds,
                "annex": selectors.annex_rows(report.annex, user=user),
            }
            serialized = SummarySerializer(data, context=self.get_serializer_context()).data
            # Kept as the JSON itself: 5,001 annex rows as Python objects, unpickled on every
            # request and held by the request's reference cycles until a collection, made the
            # garbage collector's next passes take ~100 ms in whatever request came next.
            return JSONRenderer().render(serialized)

        key = kept_key("summary-api", user=user, root=root, on=on)
        found = kept_for(
            request, key, compute, max_age=settings.DASHBOARD_MAX_AGE, fresh=query["fresh"]
        )
        computed_at = serializers.DateTimeField().to_representation(found.computed_at)
        # The kept JSON object ("{…}") with computed_at put first.
        stamp = JSONRenderer().render(computed_at)
        stamped = b'{"computed_at":' + stamp + b"," + found.value[1:]
        return HttpResponse(stamped, content_type="application/json")

    @extend_schema(
        summary=_("The registry: every agency of the subtree with its QMS and announcement"),
        parameters=[RegistryQuerySerializer],
        responses={
            200: RegistryRowSerializer(many=True),
            400: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def registry(self, request):
        filters = self.query(RegistryQuerySerializer)
        root = selectors.overseen_root(user=request.user, code=filters.pop("root", ""))
        return self.paginated(
            selectors.registry_table(user=request.user, root=root, **filters),
            RegistryRowSerializer,
        )
