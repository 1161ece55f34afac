"""Spreadsheet uploads and their per-row report."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from eiso.api.serializers.fields import ModelSerializer
from eiso.core.models import ImportBatch


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=gettext_lazy("An .xlsx or .csv file; the first row holds the column names.")
    )

    def validate_file(self, upload):
        name = upload.name.lower()
        if not (name.endswith(".xlsx") or name.endswith(".csv")):
            raise serializers.ValidationError(_("Only .xlsx and .csv files can be imported."))
        if upload.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            raise serializers.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB}
            )
        return upload


class ImportQuerySerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy("1: check the file and report every bad row; save nothing."),
    )


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        help_text=gettext_lazy("Spreadsheet row (the header is row 1); 0 for the whole file.")
    )
    column = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    """The result of a dry run."""

    ok = serializers.BooleanField(help_text=gettext_lazy("Every row is good."))
    rows = serializers.SerializerMethodField(help_text=gettext_lazy("Data rows read."))
    errors = RowErrorSerializer(many=True)

    def get_rows(self, report) -> int:
        return len(report.rows)


class ImportResultSerializer(serializers.Serializer):
    imported = serializers.IntegerField(help_text=gettext_lazy("Rows saved."))


class ImportRejectedDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.JSONField())
    rows = RowErrorSerializer(many=True, required=False)  # absent when the file itself is refused


class ImportRejectedSerializer(serializers.Serializer):
    """The error shape with every bad row; nothing was saved."""

    error = ImportRejectedDetailSerializer()


class ImportJobSerializer(ModelSerializer):
    """A background import: status, progress and, once ended, the result."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    rows_total = serializers.IntegerField(source="row_count", read_only=True)
    ok = serializers.SerializerMethodField(
        help_text=gettext_lazy("Every row is good (null while the job runs).")
    )
    imported = serializers.SerializerMethodField(help_text=gettext_lazy("Rows saved."))
    message = serializers.SerializerMethodField()
    errors = serializers.SerializerMethodField(
        help_text=gettext_lazy("The first 1,000 bad cells (error_count says how many in all).")
    )
    status_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("Where to ask for the job's progress and result.")
    )

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "filename",
            "status",
            "status_label",
            "apply_requested",
            "rows_total",
            "rows_done",
            "ok",
            "error_count",
            "errors",
            "imported",
            "message",
            "created_at",
            "finished_at",
            "status_url",
        ]
        read_only_fields = fields

    def get_ok(self, batch) -> bool | None:
        return None if batch.running else bool((batch.result or {}).get("ok"))

    def get_imported(self, batch) -> int:
        return int((batch.result or {}).get("imported") or 0)

    def get_message(self, batch) -> str:
        return str((batch.result or {}).get("message") or "")

    def get_errors(self, batch) -> list[dict]:
        return RowErrorSerializer((batch.result or {}).get("errors", []), many=True).data

    def get_status_url(self, batch) -> str:
        url = reverse("api:import-job", args=[batch.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
