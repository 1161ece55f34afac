"""Nonconformities and their corrective actions. Ids in bodies are resolved through scoped
selectors; the department and people of a record are chosen within its agency
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
    people_of,
    visible_agencies,
)
from eiso.improvements.choices import CauseCategory, Grade, NcSource, NcStatus
from eiso.improvements.models import CorrectiveAction, EffectivenessCheck, Nonconformity


class CorrectiveActionSerializer(ModelSerializer):
    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "nonconformity",
            "round",
            "number",
            "action",
            "owner",
            "due_date",
            "done_on",
            "result",
            "evidence_name",
        ]
        read_only_fields = fields


class EffectivenessCheckSerializer(ModelSerializer):
    class Meta:
        model = EffectivenessCheck
        fields = ["id", "round", "checked_by", "checked_on", "effective", "note"]
        read_only_fields = fields


class NonconformitySerializer(ModelSerializer):
    """A nonconformity with its corrective-action record: correction, cause (five whys),
    actions of every round and every effectiveness check."""

    agency_code = serializers.CharField(source="agency.code", read_only=True)
    code = serializers.CharField(read_only=True)
    source = EnumChoiceField(NcSource, read_only=True)
    grade = serializers.CharField(read_only=True)
    cause_category = serializers.CharField(read_only=True)
    status = EnumChoiceField(NcStatus, read_only=True)
    actions = CorrectiveActionSerializer(many=True, read_only=True)
    checks = EffectivenessCheckSerializer(many=True, read_only=True)

    class Meta:
        model = Nonconformity
        fields = [
            "id",
            "agency",
            "agency_code",
            "code",
            "year",
            "number",
            "source",
            "source_ref",
            "grade",
            "title",
            "description",
            "evidence_text",
            "evidence_name",
            "department",
            "owner",
            "raised_by",
            "raised_on",
            "due_date",
            "correction",
            "correction_on",
            "cause_category",
            "whys",
            "root_cause",
            "status",
            "round",
            "plan_approved_by",
            "plan_approved_on",
            "closed_on",
            "days_to_close",
            "actions",
            "checks",
        ]
        read_only_fields = fields


class NonconformityFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    status = EnumChoiceField(NcStatus, required=False, allow_blank=True)
    source = EnumChoiceField(NcSource, required=False, allow_blank=True)
    open_only = serializers.BooleanField(required=False, default=False)
    overdue = serializers.BooleanField(required=False, default=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


class OverviewFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    root = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)


class OverviewRowSerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()
    open = serializers.IntegerField(source="nc_open")
    overdue = serializers.IntegerField(source="nc_overdue")
    raised = serializers.IntegerField(source="nc_raised")
    closed = serializers.IntegerField(source="nc_closed")
    average_days_to_close = serializers.FloatField(source="nc_days", allow_null=True)


class RaiseSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies,
        required=False,
        help_text=_("Default: the agency of your role."),
    )
    source = EnumChoiceField(NcSource)
    source_ref = serializers.CharField(required=False, allow_blank=True, max_length=300)
    title = serializers.CharField(allow_blank=True, max_length=300)
    description = serializers.CharField(allow_blank=True)
    evidence_text = serializers.CharField(required=False, allow_blank=True)
    grade = serializers.ChoiceField(choices=Grade.choices, required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    department = TargetScopedPrimaryKeyRelatedField(
        choices=departments_of, required=False, allow_null=True
    )
    owner = TargetScopedPrimaryKeyRelatedField(choices=people_of, required=False, allow_null=True)


class RecordWriteSerializer(serializers.Serializer):
    """The record and its analysis (while the plan is not approved)."""

    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    evidence_text = serializers.CharField(required=False, allow_blank=True)
    grade = serializers.ChoiceField(choices=Grade.choices, required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    department = TargetScopedPrimaryKeyRelatedField(
        choices=departments_of, required=False, allow_null=True
    )
    owner = TargetScopedPrimaryKeyRelatedField(choices=people_of, required=False, allow_null=True)
    correction = serializers.CharField(required=False, allow_blank=True)
    correction_on = serializers.DateField(required=False, allow_null=True)
    cause_category = serializers.ChoiceField(
        choices=CauseCategory.choices, required=False, allow_blank=True
    )
    whys = serializers.ListField(
        child=serializers.CharField(allow_blank=True, max_length=500),
        required=False,
        max_length=5,
        help_text=_("The five whys, in order (at most five)."),
    )
    root_cause = serializers.CharField(required=False, allow_blank=True)


class ActionWriteSerializer(serializers.Serializer):
    action = serializers.CharField(allow_blank=True)
    owner = TargetScopedPrimaryKeyRelatedField(choices=people_of, required=False, allow_null=True)
    due_date = serializers.DateField(allow_null=True)


class ActionDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True)
    result = serializers.CharField(required=False, allow_blank=True)


class VerifySerializer(serializers.Serializer):
    effective = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)
    checked_on = serializers.DateField(required=False, allow_null=True)
