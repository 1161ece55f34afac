"""Spreadsheet uploads and their per-row report."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers


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
