"""The annual cycle: an agency's obligations of a year (computed from the evidence, on a day),
the overseer's matrix of a subtree, and the rule sets (versioned data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from eiso.api.serializers.fields import (
    EnumChoiceField,
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
)
from eiso.cycle import display
from eiso.cycle.choices import DueKind, ObligationState, RuleSetStatus
from eiso.cycle.models import Rule, RuleSet
from eiso.organizations import selectors as org_selectors
from eiso.organizations.choices import Tier

DATE_HELP = _("YYYY-MM-DD; default today. Only what existed that day counts.")


class ObligationQuerySerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=lambda user: org_selectors.agency_choices(user=user),
        required=False,
        allow_null=True,
        help_text=_("The agency's id (default: the agency of your role)."),
    )
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text=_("Default: the date's year.")
    )
    date = serializers.DateField(required=False, input_formats=["%Y-%m-%d"], help_text=DATE_HELP)


class MatrixQuerySerializer(serializers.Serializer):
    root = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("The code of the agency whose subtree to show (one you oversee)."),
    )
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    date = serializers.DateField(required=False, input_formats=["%Y-%m-%d"], help_text=DATE_HELP)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    tier = serializers.ChoiceField(choices=Tier.choices, required=False, allow_blank=True)
    kind = serializers.CharField(required=False, allow_blank=True, max_length=40)
    rule = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text=_("An obligation's code.")
    )
    state = EnumChoiceField(ObligationState, required=False, allow_blank=True)


class EvidenceSerializer(serializers.Serializer):
    date = serializers.DateField()
    title = serializers.CharField()
    url = serializers.CharField()


class ObligationSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("The rule's code."))
    title = serializers.CharField()
    instance = serializers.CharField(help_text=_("'' (yearly), Q1–Q4, or the event's reference."))
    label = serializers.CharField(help_text=_("The year, the quarter or the event."))
    legal_basis = serializers.CharField(source="rule.legal_basis")
    opens = serializers.DateField(allow_null=True)
    due = serializers.DateField()
    state = EnumChoiceField(ObligationState)
    met_on = serializers.DateField(allow_null=True)
    days_late = serializers.IntegerField()
    evidence = EvidenceSerializer(allow_null=True)
    trigger = EvidenceSerializer(allow_null=True, help_text=_("The event that called for it."))
    anchor = EvidenceSerializer(
        allow_null=True, help_text=_("What the due date was counted from (relative rules).")
    )


class AgencyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class RuleSetRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AgencyObligationsSerializer(serializers.Serializer):
    agency = AgencyRefSerializer()
    year = serializers.IntegerField()
    date = serializers.DateField(source="on")
    rule_set = RuleSetRefSerializer(allow_null=True)
    concerned = serializers.BooleanField(
        help_text=_("Whether the agency must apply a QMS or has started one.")
    )
    obligations = ObligationSerializer(many=True)


class MatrixCellSerializer(serializers.Serializer):
    code = serializers.CharField()
    state = EnumChoiceField(ObligationState)
    met = serializers.IntegerField()
    total = serializers.IntegerField()


class MatrixRowSerializer(serializers.Serializer):
    agency = AgencyRefSerializer()
    tier = serializers.CharField(source="agency.tier")
    overdue = serializers.IntegerField(source="year.overdue")
    met = serializers.IntegerField(source="year.met")
    cells = MatrixCellSerializer(many=True)


class RuleSerializer(ModelSerializer):
    due_kind = EnumChoiceField(DueKind)
    kinds = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    due_text = serializers.SerializerMethodField()

    class Meta:
        model = Rule
        fields = [
            "id",
            "code",
            "title",
            "description",
            "legal_basis",
            "order",
            "kinds",
            "due_kind",
            "due_day",
            "due_month",
            "opens_day",
            "opens_month",
            "opens_previous_year",
            "anchor_key",
            "offset_days",
            "trigger_key",
            "within_months",
            "within_days",
            "evidence_key",
            "remind_before_days",
            "escalate_after_days",
            "due_text",
        ]
        read_only_fields = fields

    def get_due_text(self, rule) -> str:
        return display.describe_due(rule)


class RuleSetSerializer(ModelSerializer):
    status = EnumChoiceField(RuleSetStatus)
    scope = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    based_on = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    rules = RuleSerializer(many=True, read_only=True)

    class Meta:
        model = RuleSet
        fields = [
            "id",
            "name",
            "legal_basis",
            "scope",
            "effective_from",
            "effective_to",
            "status",
            "based_on",
            "report_from_day",
            "report_from_month",
            "report_to_day",
            "report_to_month",
            "adopted_at",
            "rules",
        ]
        read_only_fields = fields


class RuleSetQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Only the adopted sets in force in this year."),
    )
