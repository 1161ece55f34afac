"""Inspections by the Sở KH&CN: the year's plans (agencies, decisions, team, summary) and one
inspection per agency (checklist, results, record, findings, remediation). Users of the team
are chosen among the active users the overseer may see; the checklist's items and the findings'
items belong to the inspection in the URL."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from rest_framework import serializers

from eiso.api.serializers.fields import (
    EnumChoiceField,
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
)
from eiso.api.serializers.objectives import visible_agencies
from eiso.inspections.choices import InspectionStatus, Mode, PlanStatus, Result, TeamRole
from eiso.inspections.models import (
    ChecklistAnswer,
    Finding,
    Inspection,
    InspectionPlan,
    TeamMember,
)


class InspectionEnumField(EnumChoiceField):
    """An inspection's choice, named ``Inspection<Enum>Enum`` in the schema: the internal
    audits also have a ``TeamRole``."""


class InspectionEnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = InspectionEnumField

    def map_serializer_field(self, auto_schema, direction):
        enum = self.target.enum
        name = enum.__name__
        name = name if name.startswith("Inspection") else f"Inspection{name}"
        schema = build_choice_field(serializers.ChoiceField(choices=enum.choices))
        schema.pop("x-spec-enum-id", None)
        component = ResolvedComponent(
            name=f"{name}Enum", type=ResolvedComponent.SCHEMA, object=enum, schema=schema
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


def team_candidates(user):
    from eiso.accounts import selectors as account_selectors

    return account_selectors.user_list(user=user, status="active")


# --- reading ---------------------------------------------------------------------------------


class InspectionPlanSerializer(ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    status = InspectionEnumField(PlanStatus, read_only=True)
    checklist_version_code = serializers.CharField(source="checklist_version.code", read_only=True)
    has_decision_file = serializers.SerializerMethodField()
    has_team_decision_file = serializers.SerializerMethodField()
    team_formed = serializers.BooleanField(read_only=True)
    agency_count = serializers.IntegerField(read_only=True, help_text=_("Agencies in the plan."))
    on_site_count = serializers.IntegerField(
        read_only=True, help_text=_("Agencies inspected on site.")
    )
    recorded_count = serializers.IntegerField(
        read_only=True, help_text=_("Agencies whose inspection record is made.")
    )
    team_count = serializers.IntegerField(read_only=True, help_text=_("People on the team."))

    class Meta:
        model = InspectionPlan
        fields = [
            "id",
            "agency",
            "agency_code",
            "year",
            "title",
            "checklist_version",
            "checklist_version_code",
            "period_start",
            "period_end",
            "status",
            "decision_number",
            "decision_date",
            "decision_signer",
            "decision_signer_title",
            "has_decision_file",
            "approved_at",
            "team_decision_number",
            "team_decision_date",
            "team_decision_signer",
            "has_team_decision_file",
            "team_formed",
            "summary_number",
            "summary_date",
            "completed_on",
            "agency_count",
            "on_site_count",
            "recorded_count",
            "team_count",
        ]
        read_only_fields = fields

    def get_has_decision_file(self, plan) -> bool:
        return bool(plan.decision_file)

    def get_has_team_decision_file(self, plan) -> bool:
        return bool(plan.team_decision_file)


class InspectionTeamMemberSerializer(ModelSerializer):
    role = InspectionEnumField(TeamRole, read_only=True)

    class Meta:
        model = TeamMember
        fields = ["id", "plan", "role", "user", "name", "position", "organisation"]
        read_only_fields = fields


class InspectionSerializer(ModelSerializer):
    plan_year = serializers.IntegerField(source="plan.year", read_only=True)
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    mode = InspectionEnumField(Mode, read_only=True)
    status = InspectionEnumField(InspectionStatus, read_only=True)
    has_record_file = serializers.SerializerMethodField()
    has_remediation_file = serializers.SerializerMethodField()
    item_count = serializers.IntegerField(read_only=True, help_text=_("Items of the checklist."))
    given_count = serializers.IntegerField(
        read_only=True, help_text=_("Items the team gave a result.")
    )
    fail_count = serializers.IntegerField(read_only=True, help_text=_("Items not met."))
    finding_count = serializers.IntegerField(read_only=True, help_text=_("Findings recorded."))

    class Meta:
        model = Inspection
        fields = [
            "id",
            "plan",
            "plan_year",
            "agency",
            "agency_code",
            "agency_name",
            "mode",
            "date",
            "place",
            "status",
            "started_on",
            "facts_read_on",
            "conclusion",
            "recommendations",
            "record_date",
            "has_record_file",
            "remediation_report",
            "remediation_on",
            "has_remediation_file",
            "follow_up_note",
            "closed_on",
            "item_count",
            "given_count",
            "fail_count",
            "finding_count",
        ]
        read_only_fields = fields

    def get_has_record_file(self, inspection) -> bool:
        return bool(inspection.record_file)

    def get_has_remediation_file(self, inspection) -> bool:
        return bool(inspection.remediation_file)


class InspectionChecklistItemSerializer(ModelSerializer):
    platform_result = InspectionEnumField(Result, read_only=True, allow_blank=True)
    result = InspectionEnumField(Result, read_only=True, allow_blank=True)
    corrected = serializers.BooleanField(
        read_only=True, help_text=_("The team's result differs from what the platform suggested.")
    )

    class Meta:
        model = ChecklistAnswer
        fields = [
            "id",
            "inspection",
            "section",
            "section_title",
            "number",
            "text",
            "guidance",
            "fact",
            "platform_text",
            "platform_result",
            "platform_url",
            "result",
            "note",
            "corrected",
            "answered_by",
            "answered_at",
        ]
        read_only_fields = fields


class InspectionFindingSerializer(ModelSerializer):
    code = serializers.CharField(read_only=True)
    nonconformity_code = serializers.CharField(
        source="nonconformity.code", read_only=True, default=None
    )

    class Meta:
        model = Finding
        fields = [
            "id",
            "inspection",
            "code",
            "answer",
            "description",
            "requirement",
            "due_date",
            "nonconformity",
            "nonconformity_code",
            "recorded_by",
            "recorded_on",
        ]
        read_only_fields = fields


# --- the summary -----------------------------------------------------------------------------


class InspectionTierRowSerializer(serializers.Serializer):
    tier = serializers.CharField(help_text=_("The tier; empty on the total."))
    label = serializers.CharField()
    in_plan = serializers.IntegerField()
    on_site = serializers.IntegerField()
    records = serializers.IntegerField()
    applied = serializers.IntegerField()
    announced = serializers.IntegerField(
        help_text=_("Announced by the inspection day (from the announcements, never typed).")
    )
    recorded = serializers.IntegerField()
    all_met = serializers.IntegerField()
    with_failures = serializers.IntegerField()
    findings = serializers.IntegerField()


class InspectionCommonFindingSerializer(serializers.Serializer):
    number = serializers.CharField()
    text = serializers.CharField()
    agencies = serializers.IntegerField()


class InspectionSummaryAgencySerializer(serializers.Serializer):
    inspection = serializers.IntegerField(source="pk")
    agency = serializers.IntegerField(source="agency_id")
    agency_code = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    tier = serializers.CharField(source="agency.tier")
    mode = InspectionEnumField(Mode)
    status = InspectionEnumField(InspectionStatus)
    day = serializers.DateField(help_text=_("The record's date, else the visit's."))
    announced = serializers.BooleanField()
    announcement_number = serializers.CharField(allow_null=True)
    announcement_date = serializers.DateField(allow_null=True)
    qms_applied = serializers.BooleanField()
    fail_count = serializers.IntegerField()
    finding_count = serializers.IntegerField()


class InspectionPlanSummarySerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    announced_line = serializers.CharField(
        help_text=_("“x/y”: agencies announced by their inspection day, of those in the plan.")
    )
    rows = InspectionTierRowSerializer(many=True)
    total = InspectionTierRowSerializer()
    common = InspectionCommonFindingSerializer(many=True)
    nonconformities_open = serializers.IntegerField()
    nonconformities_closed = serializers.IntegerField()
    summary_conclusion = serializers.CharField()
    summary_common_findings = serializers.CharField()
    summary_recommendations = serializers.CharField()
    summary_number = serializers.CharField()
    summary_date = serializers.DateField(allow_null=True)
    agencies = InspectionSummaryAgencySerializer(many=True)


# --- filters ---------------------------------------------------------------------------------


class InspectionPlanFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    status = InspectionEnumField(PlanStatus, required=False, allow_blank=True)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    ordering = serializers.ChoiceField(
        choices=["year", "-year", "status", "-status"], required=False, allow_blank=True
    )


class InspectionFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    plan = serializers.IntegerField(required=False, min_value=1)
    status = InspectionEnumField(InspectionStatus, required=False, allow_blank=True)
    mode = InspectionEnumField(Mode, required=False, allow_blank=True)
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    ordering = serializers.ChoiceField(
        choices=["date", "-date", "agency", "-agency", "status", "-status"],
        required=False,
        allow_blank=True,
    )


# --- writing ---------------------------------------------------------------------------------


class InspectionPlanAgencySerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies,
        required=False,
        help_text=_("The overseer's agency. Default: the agency of your role."),
    )


class InspectionPlanCreateSerializer(InspectionPlanAgencySerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)


class InspectionPlanWriteSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)


class InspectionAgencyAddSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies)
    mode = InspectionEnumField(Mode)
    date = serializers.DateField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)


class InspectionVisitSerializer(serializers.Serializer):
    mode = InspectionEnumField(Mode)
    date = serializers.DateField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)


class InspectionApproveSerializer(serializers.Serializer):
    number = serializers.CharField(
        max_length=40,
        allow_blank=True,
        help_text=_("The number only (125) or in full (125/QĐ-UBND)."),
    )
    date = serializers.DateField(allow_null=True)
    signer = serializers.CharField(max_length=200, allow_blank=True)
    signer_title = serializers.CharField(required=False, allow_blank=True, max_length=200)


class InspectionTeamDecisionSerializer(serializers.Serializer):
    number = serializers.CharField(
        max_length=40,
        allow_blank=True,
        help_text=_("The number only (130) or in full (130/QĐ-UBND, 45/QĐ-SKHCN)."),
    )
    date = serializers.DateField(allow_null=True)
    signer = serializers.CharField(max_length=200, allow_blank=True)


class InspectionTeamWriteSerializer(serializers.Serializer):
    role = InspectionEnumField(TeamRole)
    user = ScopedPrimaryKeyRelatedField(
        choices=team_candidates,
        required=False,
        allow_null=True,
        help_text=_("A user of any agency; leave out for someone from outside."),
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    position = serializers.CharField(required=False, allow_blank=True, max_length=200)
    organisation = serializers.CharField(required=False, allow_blank=True, max_length=300)


class InspectionAttachSerializer(serializers.Serializer):
    which = serializers.ChoiceField(
        choices=["decision", "team"],
        help_text=_("decision: the approving decision; team: the team decision."),
    )
    file = serializers.FileField(help_text=_("A digitally signed PDF, or a scan."))


class InspectionSummaryWriteSerializer(serializers.Serializer):
    summary_conclusion = serializers.CharField(required=False, allow_blank=True)
    summary_common_findings = serializers.CharField(required=False, allow_blank=True)
    summary_recommendations = serializers.CharField(required=False, allow_blank=True)
    summary_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    summary_date = serializers.DateField(required=False, allow_null=True)


class InspectionResultSerializer(serializers.Serializer):
    result = InspectionEnumField(Result)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Required when correcting the platform's data, or for an item not met."),
    )


class InspectionFindingWriteSerializer(serializers.Serializer):
    description = serializers.CharField(allow_blank=True)
    requirement = serializers.CharField(required=False, allow_blank=True)
    due_date = serializers.DateField(allow_null=True)
    answer = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("The checklist item it concerns.")
    )


class InspectionRecordSerializer(serializers.Serializer):
    conclusion = serializers.CharField(required=False, allow_blank=True)
    recommendations = serializers.CharField(required=False, allow_blank=True)
    record_date = serializers.DateField(required=False, allow_null=True)
    make = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("true: make the record (every item has its result); else only saved."),
    )


class InspectionFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("A digitally signed PDF, or a scan."))


class InspectionRemediationSerializer(serializers.Serializer):
    report = serializers.CharField(allow_blank=True)
    file = serializers.FileField(required=False, allow_null=True)


class InspectionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)
