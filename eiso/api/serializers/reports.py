"""Reports: the agencies' annual reports (figures, narrative, workflow, signed file) and the
provinces' summary reports (figures as of a day, narrative, submission)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from eiso.api.serializers.fields import (
    EnumChoiceField,
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
)
from eiso.organizations import selectors as org_selectors
from eiso.reports.choices import ReportStatus, SummaryStatus
from eiso.reports.models import AnnualReport, ProvincialReport
from eiso.reports.rules import OVERSIGHT

YES_NO = [("yes", "yes"), ("no", "no")]


class AnnualFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=lambda user: org_selectors.agency_choices(user=user), required=False
    )
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    status = EnumChoiceField(ReportStatus, required=False, allow_blank=True)
    late = serializers.ChoiceField(choices=YES_NO, required=False, allow_blank=True)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


class SignatureSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("signed, invalid, scan or unreadable"))
    summary = serializers.CharField()


class AnnualReportSerializer(ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = EnumChoiceField(ReportStatus, read_only=True)
    signature = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "agency",
            "year",
            "version",
            "previous",
            "status",
            "period_start",
            "period_end",
            "data",
            "generated_at",
            "assessment",
            "difficulties",
            "recommendations",
            "number",
            "report_date",
            "signer_name",
            "signer_title",
            "approved_at",
            "submitted_on",
            "due",
            "late",
            "signed_file_name",
            "signature",
            "received_on",
            "return_reason",
            "returned_on",
            "edit_version",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(SignatureSerializer(allow_null=True))
    def get_signature(self, report) -> dict | None:
        from eiso.core.signatures import FileCheck

        found = FileCheck.from_dict(report.signature)
        return {"kind": found.kind, "summary": found.summary()} if found else None

    def get_actions(self, report) -> list[str]:
        from eiso.reports.workflows import ANNUAL

        return ANNUAL.available(self.context["request"].user, report)


class AnnualCreateSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=lambda user: org_selectors.agency_choices(user=user),
        required=False,
        help_text=_("Default: the agency of your role."),
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class AnnualNarrativeSerializer(serializers.Serializer):
    assessment = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    difficulties = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    recommendations = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    signer_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    signer_title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    edit_version = serializers.IntegerField(
        required=False, help_text=_("The edit_version read; a different one means a conflict.")
    )


class ReportSubmitSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60, help_text=_("e.g. 12: recorded as 12/BC-…"))
    report_date = serializers.DateField(input_formats=["%Y-%m-%d"])
    signed_file = serializers.FileField(
        help_text=_("The signed file (PDF signed digitally, or a scan; multipart only).")
    )


class ReportReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ProvincialFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    status = EnumChoiceField(SummaryStatus, required=False, allow_blank=True)


class ProvincialReportSerializer(ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = EnumChoiceField(SummaryStatus, read_only=True)
    figures = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = ProvincialReport
        fields = [
            "id",
            "agency",
            "year",
            "version",
            "previous",
            "status",
            "as_of",
            "direction",
            "results",
            "limits",
            "proposals",
            "recipients",
            "number",
            "report_date",
            "signer_name",
            "signer_title",
            "submitted_on",
            "signed_file_name",
            "edit_version",
            "figures",
            "actions",
        ]
        read_only_fields = fields

    def get_figures(self, report) -> dict:
        figures = self.context.get("figures", {}).get(report.pk)
        return figures.as_json() if figures is not None else None

    def get_actions(self, report) -> list[str]:
        from eiso.reports.workflows import SUMMARY

        return SUMMARY.available(self.context["request"].user, report)


class ProvincialCreateSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=lambda user: org_selectors.agency_choices(user=user, action=OVERSIGHT),
        help_text=_("The agency whose subtree the summary covers (one you oversee)."),
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    as_of = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])


class ProvincialNarrativeSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])
    direction = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    results = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    limits = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    proposals = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    recipients = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    signer_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    signer_title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    edit_version = serializers.IntegerField(required=False)
