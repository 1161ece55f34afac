"""The overseer's dashboard (``dashboard/?root=<code>&date=<YYYY-MM-DD>``): the home page's
panels for a subtree on a day, from the dashboard's selectors (a fixed number of queries whatever
the number of agencies); another subtree is a 404."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from eiso.api.serializers.dashboard import DashboardQuerySerializer, DashboardSerializer
from eiso.api.serializers.fields import ErrorSerializer
from eiso.api.views.base import ApiViewSet
from eiso.cycle import selectors as cycle_selectors
from eiso.dashboard import selectors


class DashboardViewSet(ApiViewSet):
    serializer_class = DashboardSerializer

    @extend_schema(
        summary=_("The overseer's dashboard of a subtree on a day"),
        description=_(
            "Agencies by tier and QMS status, announcements awaiting receipt, the year's "
            "obligations met and overdue per obligation, nonconformities open and overdue, "
            "objectives met, the on-time dossier rate and satisfaction where known, the agencies "
            "inspected in the year and their share, the league table by the composite score (its "
            "formula in words and as weights) and the trends over the years."
        ),
        parameters=[DashboardQuerySerializer],
        responses={200: DashboardSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def dashboard(self, request):
        query = self.query(DashboardQuerySerializer)
        root = cycle_selectors.overseen_root(user=request.user, code=query.get("root", ""))
        on = query.get("date") or timezone.localdate()
        board = selectors.dashboard_kept(user=request.user, root=root, on=on)
        shown = query.get("ranking", 20)
        data = {
            "root": root.code if root else None,
            "date": on,
            "year": board.year,
            "agencies": board.agencies,
            "concerned": board.concerned,
            "tiers": board.tiers,
            "awaiting_receipt": board.awaiting_receipt,
            "obligations": board.obligations,
            "nonconformities": board.nonconformities,
            "objectives": board.objectives,
            "on_time_rate": board.on_time_rate,
            "satisfaction": board.satisfaction,
            "formula": board.formula_text,
            "weights": board.formula.weights if board.formula else {},
            "ranking": board.scores[:shown],
            "trends": board.trends,
            "inspected": board.inspected,
            "computed_at": board.computed_at,
        }
        return Response(DashboardSerializer(data, context=self.get_serializer_context()).data)
