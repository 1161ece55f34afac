"""Context issues, interested parties, and the register of risks and opportunities with their
treatments. Ids in bodies and query strings are resolved through scoped selectors; the
procedure, department and people of a risk are chosen within its agency
(``context["target"]``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from eiso.api.serializers.fields import (
    EnumChoiceField,
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
    TargetScopedPrimaryKeyRelatedField,
)
from eiso.api.serializers.objectives import (
    departments_of,
    kept_agencies,
    people_of,
    procedures_of,
    visible_agencies,
)
from eiso.risks.choices import (
    IssueCategory,
    IssueKind,
    Level,
    PartyKind,
    ProcessKind,
    RiskKind,
    RiskStatus,
)
from eiso.risks.models import ContextIssue, InterestedParty, Risk, Treatment

AGENCY_HELP = _("Default: the agency of your role. Another must be one you keep.")


class ContextIssueSerializer(ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    kind = EnumChoiceField(IssueKind, read_only=True)
    category = EnumChoiceField(IssueCategory, read_only=True)

    class Meta:
        model = ContextIssue
        fields = [
            "id",
            "agency",
            "agency_code",
            "year",
            "number",
            "kind",
            "category",
            "description",
            "effect",
            "response",
        ]
        read_only_fields = fields


class InterestedPartySerializer(ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    kind = EnumChoiceField(PartyKind, read_only=True)

    class Meta:
        model = InterestedParty
        fields = [
            "id",
            "agency",
            "agency_code",
            "year",
            "number",
            "kind",
            "name",
            "requirements",
            "monitoring",
        ]
        read_only_fields = fields


class TreatmentSerializer(ModelSerializer):
    class Meta:
        model = Treatment
        fields = ["id", "risk", "action", "owner", "due_date", "done_on", "result", "evidence_name"]
        read_only_fields = fields


class RiskSerializer(ModelSerializer):
    """A risk or opportunity with its rating before and after treatment and its treatments."""

    agency_code = serializers.CharField(source="agency.code", read_only=True)
    kind = EnumChoiceField(RiskKind, read_only=True)
    process_kind = EnumChoiceField(ProcessKind, read_only=True)
    procedure_code = serializers.CharField(
        source="procedure.code", read_only=True, default=None, allow_null=True
    )
    status = EnumChoiceField(RiskStatus, read_only=True)
    level = EnumChoiceField(Level, read_only=True)
    residual_level = serializers.CharField(read_only=True)
    scale = serializers.CharField(source="scale.code", read_only=True)
    treatments = TreatmentSerializer(many=True, read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "agency",
            "agency_code",
            "year",
            "kind",
            "code",
            "process_kind",
            "procedure",
            "procedure_code",
            "department",
            "process",
            "description",
            "cause",
            "consequence",
            "scale",
            "likelihood",
            "impact",
            "rating",
            "level",
            "residual_likelihood",
            "residual_impact",
            "residual_rating",
            "residual_level",
            "status",
            "owner",
            "effectiveness",
            "reviewed_on",
            "treatments",
        ]
        read_only_fields = fields


# --- filters -------------------------------------------------------------------------------


class YearAgencyFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class IssueFilterSerializer(YearAgencyFilterSerializer):
    kind = serializers.ChoiceField(choices=IssueKind.choices, required=False, allow_blank=True)
    category = serializers.ChoiceField(
        choices=IssueCategory.choices, required=False, allow_blank=True
    )


class PartyFilterSerializer(YearAgencyFilterSerializer):
    kind = serializers.ChoiceField(choices=PartyKind.choices, required=False, allow_blank=True)


class RiskFilterSerializer(YearAgencyFilterSerializer):
    kind = serializers.ChoiceField(choices=RiskKind.choices, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=RiskStatus.choices, required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


# --- writing -------------------------------------------------------------------------------


class AgencyYearSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=kept_agencies, required=False, help_text=AGENCY_HELP
    )
    year = serializers.IntegerField()


class IssueWriteSerializer(serializers.Serializer):
    kind = serializers.CharField(required=False, allow_blank=True)
    category = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    effect = serializers.CharField(required=False, allow_blank=True)
    response = serializers.CharField(required=False, allow_blank=True)


class PartyWriteSerializer(serializers.Serializer):
    kind = serializers.CharField(required=False, allow_blank=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=300)
    requirements = serializers.CharField(required=False, allow_blank=True)
    monitoring = serializers.CharField(required=False, allow_blank=True)


class RiskWriteSerializer(serializers.Serializer):
    kind = serializers.CharField(required=False, allow_blank=True)
    code = serializers.CharField(required=False, allow_blank=True, max_length=20)
    process_kind = serializers.CharField(required=False, allow_blank=True)
    procedure = TargetScopedPrimaryKeyRelatedField(
        choices=procedures_of, required=False, allow_null=True
    )
    department = TargetScopedPrimaryKeyRelatedField(
        choices=departments_of, required=False, allow_null=True
    )
    process = serializers.CharField(required=False, allow_blank=True, max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    cause = serializers.CharField(required=False, allow_blank=True)
    consequence = serializers.CharField(required=False, allow_blank=True)
    likelihood = serializers.IntegerField(
        required=False, help_text=_("A level of the scale (default 1–5).")
    )
    impact = serializers.IntegerField(
        required=False, help_text=_("A level of the scale (default 1–5).")
    )
    owner = TargetScopedPrimaryKeyRelatedField(choices=people_of, required=False, allow_null=True)


class TreatmentWriteSerializer(serializers.Serializer):
    action = serializers.CharField(required=False, allow_blank=True)
    owner = TargetScopedPrimaryKeyRelatedField(choices=people_of, required=False, allow_null=True)
    due_date = serializers.DateField(
        required=False, allow_null=True, help_text=_("Within the register's year.")
    )


class TreatmentDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True)
    result = serializers.CharField(required=False, allow_blank=True)


class RerateSerializer(serializers.Serializer):
    likelihood = serializers.IntegerField()
    impact = serializers.IntegerField()


class ReviewSerializer(serializers.Serializer):
    effectiveness = serializers.CharField(allow_blank=True)
    reviewed_on = serializers.DateField(required=False, allow_null=True)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
