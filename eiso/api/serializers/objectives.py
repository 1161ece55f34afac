"""Quality objectives: the objectives of a year (revisions) and their workflow, objectives with
their plan and measurements, the evaluation report.

Every id in a body or query string is resolved through a scoped selector: an id the user may
not use gets the same answer as one that does not exist. The department, owner and procedures
of an objective are chosen within its agency (``context["target"]``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from eiso.api.serializers.fields import (
    EnumChoiceField,
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
    TargetScopedPrimaryKeyRelatedField,
)
from eiso.core import measures
from eiso.core.roles import Action
from eiso.objectives import selectors
from eiso.objectives.choices import Comparator, Frequency, Result, SetStatus
from eiso.objectives.models import Measurement, ObjectiveSet, PlanAction, QualityObjective
from eiso.organizations.selectors import agency_choices, agency_list, department_list
from eiso.procedures.selectors import handled_procedure_choices

# --- scoped choices ----------------------------------------------------------------------------


def visible_agencies(user):
    return agency_list(user=user)


def kept_agencies(user):
    return agency_choices(user=user, action=Action.CHANGE)


def changeable_sets(user):
    return selectors.set_list(user=user, action=Action.CHANGE)


def departments_of(user, agency):
    return department_list(user=user, agency=agency).filter(is_active=True)


def people_of(user, agency):
    return selectors.people_of(user=user, agency=agency)


def procedures_of(user, agency):
    return handled_procedure_choices(user=user, agency=agency)


COMPARATOR_ALIASES = {"≥": "ge", ">=": "ge", "≤": "le", "<=": "le", "=": "eq", ">": "gt", "<": "lt"}


@extend_schema_field(
    {"type": "string", "description": "ge, le, eq, gt, lt — or ≥ ≤ = > < (>=, <=)"},
)
class ComparatorField(serializers.ChoiceField):
    """``ge``, ``le``, ``eq``, ``gt``, ``lt`` — or the symbols ``≥ ≤ = > <`` (``>=``, ``<=``)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Comparator.choices, **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(COMPARATOR_ALIASES.get(str(data).strip(), data))


# --- reading -----------------------------------------------------------------------------------


class PlanActionSerializer(ModelSerializer):
    class Meta:
        model = PlanAction
        fields = ["id", "number", "what", "resources", "responsible", "due_date", "evaluation"]
        read_only_fields = fields


class MeasurementSerializer(ModelSerializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    objective_version = serializers.IntegerField(source="objective_id")

    class Meta:
        model = Measurement
        fields = [
            "id",
            "period",
            "period_start",
            "period_end",
            "value",
            "met",
            "source",
            "note",
            "evidence_name",
            "objective_version",
            "created_at",
        ]
        read_only_fields = fields


class ObjectiveSerializer(ModelSerializer):
    """An objective with its plan and its measurements (across its versions)."""

    agency_code = serializers.CharField(source="agency.code", read_only=True)
    year = serializers.IntegerField(source="objective_set.year", read_only=True)
    revision = serializers.IntegerField(source="objective_set.revision", read_only=True)
    status = EnumChoiceField(SetStatus, source="objective_set.status", read_only=True)
    comparator = EnumChoiceField(Comparator, read_only=True)
    frequency = EnumChoiceField(Frequency, read_only=True)
    target = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    target_text = serializers.CharField(read_only=True)
    procedures = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    result = EnumChoiceField(Result, read_only=True)
    plan = PlanActionSerializer(source="actions", many=True, read_only=True)
    measurements = MeasurementSerializer(source="lineage_measurements", many=True, read_only=True)

    class Meta:
        model = QualityObjective
        fields = [
            "id",
            "agency",
            "agency_code",
            "objective_set",
            "year",
            "revision",
            "status",
            "lineage",
            "previous",
            "number",
            "department",
            "statement",
            "indicator",
            "comparator",
            "target",
            "unit",
            "target_text",
            "frequency",
            "owner",
            "source",
            "procedures",
            "processes",
            "result",
            "plan",
            "measurements",
        ]
        read_only_fields = fields


class ObjectiveSetSerializer(ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    status = EnumChoiceField(SetStatus, read_only=True)
    objective_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = ObjectiveSet
        fields = [
            "id",
            "agency",
            "agency_code",
            "year",
            "revision",
            "status",
            "objective_count",
            "change_summary",
            "return_comment",
            "decision_number",
            "decision_date",
            "signer_name",
            "signer_title",
            "submitted_at",
            "approved_at",
            "created_at",
        ]
        read_only_fields = fields


# --- filters -------------------------------------------------------------------------------


class SetFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    status = serializers.ChoiceField(choices=SetStatus.choices, required=False, allow_blank=True)


class ObjectiveFilterSerializer(SetFilterSerializer):
    result = EnumChoiceField(Result, required=False, allow_blank=True)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


# --- writing -------------------------------------------------------------------------------


class SetCreateSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=kept_agencies, required=False, help_text=_("Default: the agency of your role.")
    )
    year = serializers.IntegerField()
    start = serializers.ChoiceField(
        choices=[("empty", "empty"), ("last_year", "last_year"), ("template", "template")],
        default="empty",
        help_text=_(
            "empty; last_year (copy last year's objectives and plan as drafts); template (the "
            "framework model's typical objectives for the agency's kind)."
        ),
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class SubmitSerializer(serializers.Serializer):
    change_summary = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Required for a revision after the first.")
    )


class AmendSerializer(serializers.Serializer):
    change_summary = serializers.CharField(allow_blank=True)


class IssueSerializer(serializers.Serializer):
    number = serializers.CharField(
        max_length=60, allow_blank=True, help_text=_("The number only (45) or in full (45/QĐ-STP).")
    )
    date = serializers.DateField(allow_null=True)
    signer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    signer_title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PlanActionWriteSerializer(serializers.Serializer):
    number = serializers.IntegerField(required=False, min_value=1)
    what = serializers.CharField(allow_blank=True)
    resources = serializers.CharField(required=False, allow_blank=True, max_length=300)
    responsible = serializers.CharField(allow_blank=True, max_length=200)
    due_date = serializers.DateField(allow_null=True, help_text=_("Within the objective's year."))
    evaluation = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ObjectiveSetRefSerializer(serializers.Serializer):
    objective_set = ScopedPrimaryKeyRelatedField(
        choices=changeable_sets, help_text=_("The objectives of the year (a draft revision).")
    )


class ObjectiveWriteSerializer(serializers.Serializer):
    """The fields of an objective; a create may give its plan too (``plan``)."""

    number = serializers.IntegerField(required=False, min_value=1, max_value=999)
    statement = serializers.CharField(required=False, allow_blank=True)
    indicator = serializers.CharField(required=False, allow_blank=True, max_length=300)
    comparator = ComparatorField(required=False, allow_blank=True)
    target = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    unit = serializers.CharField(required=False, allow_blank=True, max_length=40)
    frequency = EnumChoiceField(Frequency, required=False)
    source = serializers.ChoiceField(choices=(), required=False)
    department = TargetScopedPrimaryKeyRelatedField(
        choices=departments_of, required=False, allow_null=True
    )
    owner = TargetScopedPrimaryKeyRelatedField(choices=people_of, required=False, allow_null=True)
    procedures = TargetScopedPrimaryKeyRelatedField(
        choices=procedures_of, many=True, required=False
    )
    processes = serializers.CharField(required=False, allow_blank=True)
    plan = PlanActionWriteSerializer(many=True, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = measures.choices()


class MeasurementWriteSerializer(serializers.Serializer):
    period = serializers.IntegerField(
        help_text=_("1-based within the objective's year: 1–4 for quarters, 1–12 for months.")
    )
    value = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=_("Left out for an objective computed from the platform's data."),
    )
    note = serializers.CharField(required=False, allow_blank=True)
