"""Audit programmes and internal audits: the plan (team, schedule), the checklist, findings.
Departments and people are chosen within the audit's agency (``context["target"]``); clauses
by their code ("7.5")."""

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
from eiso.audits import selectors
from eiso.audits.choices import (
    Answer,
    AuditStatus,
    FindingGrade,
    ProgrammeStatus,
    TeamRole,
)
from eiso.audits.models import (
    AuditProgramme,
    AuditSession,
    AuditTeamMember,
    ChecklistItem,
    Finding,
    InternalAudit,
    ProgrammeItem,
)


class ClauseField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=selectors.clause_list(), **kwargs)


def sessions_of(user, audit):
    return selectors.sessions_of(user=user, audit=audit)


def items_of(user, audit):
    return selectors.checklist_of(user=user, audit=audit)


# --- reading ---------------------------------------------------------------------------------


class ProgrammeItemSerializer(ModelSerializer):
    class Meta:
        model = ProgrammeItem
        fields = ["id", "number", "department", "process", "month", "times", "basis"]
        read_only_fields = fields


class AuditProgrammeSerializer(ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    status = EnumChoiceField(ProgrammeStatus, read_only=True)
    items = ProgrammeItemSerializer(many=True, read_only=True)

    class Meta:
        model = AuditProgramme
        fields = [
            "id",
            "agency",
            "agency_code",
            "year",
            "status",
            "objectives",
            "basis",
            "approved_on",
            "items",
        ]
        read_only_fields = fields


class TeamMemberSerializer(ModelSerializer):
    role = EnumChoiceField(TeamRole, read_only=True)
    name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = AuditTeamMember
        fields = ["id", "user", "name", "role", "warning"]
        read_only_fields = fields


class SessionSerializer(ModelSerializer):
    clauses = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = AuditSession
        fields = [
            "id",
            "department",
            "process",
            "clauses",
            "date",
            "start_time",
            "end_time",
            "auditor",
            "auditee",
        ]
        read_only_fields = fields


class InternalAuditSerializer(ModelSerializer):
    """An audit: its plan (scope, criteria, team, schedule), status and report."""

    agency_code = serializers.CharField(source="agency.code", read_only=True)
    status = EnumChoiceField(AuditStatus, read_only=True)
    team = TeamMemberSerializer(many=True, read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta:
        model = InternalAudit
        fields = [
            "id",
            "agency",
            "agency_code",
            "programme",
            "year",
            "sequence",
            "title",
            "purpose",
            "scope",
            "criteria",
            "start_date",
            "end_date",
            "status",
            "plan_number",
            "plan_date",
            "report_number",
            "report_date",
            "strengths",
            "conclusion",
            "recommendations",
            "closed_on",
            "team",
            "sessions",
        ]
        read_only_fields = fields


class ChecklistItemSerializer(ModelSerializer):
    clause = serializers.SlugRelatedField(slug_field="code", read_only=True)
    answer = serializers.CharField(read_only=True)
    files = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "session",
            "clause",
            "number",
            "question",
            "guidance",
            "answer",
            "note",
            "answered_by",
            "answered_at",
            "files",
        ]
        read_only_fields = fields


class FindingSerializer(ModelSerializer):
    code = serializers.CharField(read_only=True)
    grade = EnumChoiceField(FindingGrade, read_only=True)
    clause = serializers.SlugRelatedField(slug_field="code", read_only=True)
    nonconformity_code = serializers.CharField(
        source="nonconformity.code", read_only=True, default=None
    )

    class Meta:
        model = Finding
        fields = [
            "id",
            "audit",
            "code",
            "item",
            "grade",
            "clause",
            "department",
            "description",
            "evidence",
            "recorded_by",
            "recorded_on",
            "nonconformity",
            "nonconformity_code",
            "reply",
            "replied_on",
        ]
        read_only_fields = fields


# --- filters ----------------------------------------------------------------------------------


class YearAgencyFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class ProgrammeFilterSerializer(YearAgencyFilterSerializer):
    status = EnumChoiceField(ProgrammeStatus, required=False, allow_blank=True)


class AuditFilterSerializer(YearAgencyFilterSerializer):
    status = EnumChoiceField(AuditStatus, required=False, allow_blank=True)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


# --- writing ----------------------------------------------------------------------------------


class ProgrammeCreateSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies, required=False, help_text=_("Default: the agency of your role.")
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    objectives = serializers.CharField(required=False, allow_blank=True)
    basis = serializers.CharField(required=False, allow_blank=True)


class ProgrammeWriteSerializer(serializers.Serializer):
    objectives = serializers.CharField(required=False, allow_blank=True)
    basis = serializers.CharField(required=False, allow_blank=True)


class ProgrammeItemWriteSerializer(serializers.Serializer):
    department = TargetScopedPrimaryKeyRelatedField(
        choices=departments_of, required=False, allow_null=True
    )
    process = serializers.CharField(required=False, allow_blank=True, max_length=300)
    month = serializers.IntegerField(min_value=1, max_value=12)
    times = serializers.IntegerField(required=False, min_value=1, max_value=12)
    basis = serializers.CharField(required=False, allow_blank=True, max_length=300)


class AuditWriteSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies, required=False, help_text=_("Default: the agency of your role.")
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    purpose = serializers.CharField(required=False, allow_blank=True)
    scope = serializers.CharField(required=False, allow_blank=True)
    criteria = serializers.CharField(required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)


class TeamWriteSerializer(serializers.Serializer):
    user = TargetScopedPrimaryKeyRelatedField(choices=people_of)
    role = EnumChoiceField(TeamRole, required=False, default=TeamRole.MEMBER)


class SessionWriteSerializer(serializers.Serializer):
    department = TargetScopedPrimaryKeyRelatedField(
        choices=departments_of, required=False, allow_null=True
    )
    process = serializers.CharField(required=False, allow_blank=True, max_length=300)
    clauses = ClauseField(many=True, required=False)
    date = serializers.DateField(allow_null=True)
    start_time = serializers.TimeField(allow_null=True)
    end_time = serializers.TimeField(allow_null=True)
    auditor = TargetScopedPrimaryKeyRelatedField(choices=people_of, allow_null=True)
    auditee = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ApproveSerializer(serializers.Serializer):
    number = serializers.CharField(
        max_length=40, allow_blank=True, help_text=_("The number only (5) or in full (05/KH-STP).")
    )
    date = serializers.DateField(allow_null=True)


class ChecklistCopySerializer(serializers.Serializer):
    session = serializers.IntegerField(required=False, allow_null=True)
    clauses = ClauseField(many=True)
    processes = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=20
    )


class ChecklistAnswerSerializer(serializers.Serializer):
    answer = EnumChoiceField(Answer)
    note = serializers.CharField(required=False, allow_blank=True)


class FindingWriteSerializer(serializers.Serializer):
    item = serializers.IntegerField(required=False, allow_null=True)
    grade = EnumChoiceField(FindingGrade)
    clause = ClauseField()
    department = TargetScopedPrimaryKeyRelatedField(
        choices=departments_of, required=False, allow_null=True
    )
    description = serializers.CharField(allow_blank=True)
    evidence = serializers.CharField(required=False, allow_blank=True)
    owner = TargetScopedPrimaryKeyRelatedField(choices=people_of, required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)


class ReplySerializer(serializers.Serializer):
    reply = serializers.CharField(allow_blank=True)


class ReportSerializer(serializers.Serializer):
    report_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    report_date = serializers.DateField(required=False, allow_null=True)
    strengths = serializers.CharField(required=False, allow_blank=True)
    conclusion = serializers.CharField(required=False, allow_blank=True)
    recommendations = serializers.CharField(required=False, allow_blank=True)
    issue = serializers.BooleanField(
        required=False, default=False, help_text=_("true: issue the report (else only saved).")
    )
