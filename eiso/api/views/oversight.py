"""The overseer's registry and provincial summary (``oversight/summary/``,
``oversight/registry/``): reads only, through the oversight app's selectors (the same as the
pages); the subtree is an agency code among those the user oversees (another is a 404)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from eiso.api.serializers.fields import ErrorSerializer
from eiso.api.serializers.oversight import (
    RegistryQuerySerializer,
    RegistryRowSerializer,
    SummaryQuerySerializer,
    SummarySerializer,
)
from eiso.api.views.base import ApiViewSet
from eiso.oversight import selectors
from eiso.oversight.summary import summary_report


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
        query = self.query(SummaryQuerySerializer)
        root = selectors.overseen_root(user=request.user, code=query.get("root", ""))
        on = query.get("date") or timezone.localdate()
        report = summary_report(user=request.user, root=root, on=on)
        data = {
            "root": root,
            "date": on,
            "rows": report.rows,
            "kinds": report.kinds,
            "annex": selectors.annex_rows(report.annex),
        }
        return Response(SummarySerializer(data, context=self.get_serializer_context()).data)

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
