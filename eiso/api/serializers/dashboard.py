"""The overseer's dashboard of a subtree on a day (the home page's panels as data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class DashboardQuerySerializer(serializers.Serializer):
    root = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("The code of the agency whose subtree to show (one you oversee)."),
    )
    date = serializers.DateField(
        required=False, input_formats=["%Y-%m-%d"], help_text=_("YYYY-MM-DD; default today.")
    )
    ranking = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=500,
        help_text=_("How many agencies of the league table to return (default 20)."),
    )


class TierSerializer(serializers.Serializer):
    tier = serializers.CharField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    statuses = serializers.DictField(child=serializers.IntegerField())


class ObligationTotalSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    agencies = serializers.IntegerField()
    met = serializers.IntegerField()
    on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    due_soon = serializers.IntegerField()


class AverageSerializer(serializers.Serializer):
    known = serializers.BooleanField(help_text=_("Whether the system computes it (module)."))
    agencies = serializers.IntegerField(help_text=_("Agencies with a value."))
    value = serializers.FloatField(allow_null=True)


class ScoreSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    code = serializers.CharField(source="agency.code")
    name = serializers.CharField(source="agency.name")
    score = serializers.FloatField(allow_null=True)
    values = serializers.DictField(child=serializers.FloatField(allow_null=True))


class TrendsSerializer(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField())
    announced = serializers.ListField(child=serializers.FloatField(allow_null=True))
    reported_on_time = serializers.ListField(child=serializers.FloatField(allow_null=True))
    audited = serializers.ListField(child=serializers.FloatField(allow_null=True))
    objectives_met = serializers.ListField(child=serializers.FloatField(allow_null=True))


class DashboardInspectedSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        help_text=_(
            "Agencies with an inspection record made by the day in an approved inspection plan "
            "of the year."
        )
    )
    agencies = serializers.IntegerField(help_text=_("Agencies in scope on the day."))
    pct = serializers.FloatField(allow_null=True, help_text=_("Their share of those in scope."))
    by_tier = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("Agencies inspected, by tier.")
    )


class DashboardSerializer(serializers.Serializer):
    root = serializers.CharField(allow_null=True, help_text=_("The subtree's agency code."))
    date = serializers.DateField()
    year = serializers.IntegerField()
    agencies = serializers.IntegerField()
    concerned = serializers.IntegerField(help_text=_("Agencies bound by the obligations."))
    tiers = TierSerializer(many=True)
    awaiting_receipt = serializers.IntegerField()
    obligations = ObligationTotalSerializer(many=True)
    nonconformities = serializers.DictField(child=serializers.IntegerField())
    objectives = serializers.DictField(child=serializers.FloatField(allow_null=True))
    on_time_rate = AverageSerializer()
    satisfaction = AverageSerializer()
    formula = serializers.CharField(help_text=_("The composite score's formula, in words."))
    weights = serializers.DictField(child=serializers.IntegerField())
    ranking = ScoreSerializer(many=True)
    trends = TrendsSerializer()
    inspected = DashboardInspectedSerializer()
    computed_at = serializers.DateTimeField(
        help_text=_(
            "When these numbers were computed: a dashboard is kept while nothing changes, and "
            "for a few minutes while other people change data."
        )
    )
