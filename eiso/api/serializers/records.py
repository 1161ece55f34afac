"""Records and the one-stop dossier log: record types and the list of records to keep,
dossiers, their import (a file, or a system's push of JSON objects) and the monthly figures.
Ids in bodies and query strings are resolved through scoped selectors; the procedure of a
record type is chosen among the agency's procedures in force (``context["target"]``)."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from eiso.api.serializers.fields import (
    EnumChoiceField,
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
    TargetScopedPrimaryKeyRelatedField,
)
from eiso.api.serializers.objectives import kept_agencies, visible_agencies
from eiso.records import selectors
from eiso.records.choices import Channel, Disposal, DossierStatus, LateKind, RecordLocation
from eiso.records.models import Dossier, RecordType
from eiso.records.services import PUSH_MAX_ROWS

AGENCY_HELP = gettext_lazy("Default: the agency of your role. Another must be one you keep.")
MONTH_HELP = gettext_lazy("A month: YYYY-MM (or mm/yyyy).")


def procedures_of(user, agency):
    return selectors.procedure_documents(user=user, agency=agency)


@extend_schema_field(
    {"type": "string", "pattern": r"^(\d{4}-\d{1,2}|\d{1,2}/\d{4})$", "example": "2026-03"}
)
class MonthField(serializers.Field):
    """A month, ``YYYY-MM`` (or ``mm/yyyy``), as the first day of that month."""

    default_error_messages = {"invalid": gettext_lazy("A month is written YYYY-MM, e.g. 2026-03.")}

    def to_internal_value(self, data):
        text = str(data or "").strip()
        match = re.fullmatch(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})", text)
        if not match:
            self.fail("invalid")
        year, month = (match.group(1), match.group(2)) if match.group(1) else match.group(4, 3)
        if not (2000 <= int(year) <= 2100 and 1 <= int(month) <= 12):
            self.fail("invalid")
        return datetime.date(int(year), int(month), 1)

    def to_representation(self, value):
        return value.strftime("%Y-%m")


# --- record types ------------------------------------------------------------------------------


class RecordTypeSerializer(ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    procedure_code = serializers.CharField(
        source="document.code", read_only=True, default=None, allow_null=True
    )
    location = EnumChoiceField(RecordLocation, read_only=True)
    disposal = EnumChoiceField(Disposal, read_only=True)

    class Meta:
        model = RecordType
        fields = [
            "id",
            "agency",
            "agency_code",
            "document",
            "procedure_code",
            "name",
            "form_code",
            "keeper",
            "location",
            "retention_years",
            "permanent",
            "disposal",
            "note",
            "is_active",
        ]
        read_only_fields = fields


class RecordTypeFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)
    location = EnumChoiceField(RecordLocation, required=False)
    q = serializers.CharField(required=False, max_length=100)


class AgencyTargetSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=kept_agencies, required=False, help_text=AGENCY_HELP
    )


class RecordTypeWriteSerializer(serializers.Serializer):
    document = TargetScopedPrimaryKeyRelatedField(
        choices=procedures_of,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The procedure (document) it belongs to; null: the QMS."),
    )
    name = serializers.CharField(required=False, max_length=300)
    form_code = serializers.CharField(required=False, allow_blank=True, max_length=60)
    keeper = serializers.CharField(required=False, max_length=200)
    location = EnumChoiceField(RecordLocation, required=False)
    retention_years = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    permanent = serializers.BooleanField(required=False)
    disposal = EnumChoiceField(Disposal, required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class KeepRowSerializer(serializers.Serializer):
    procedure_code = serializers.SerializerMethodField()
    name = serializers.CharField()
    form_code = serializers.CharField()
    state = serializers.ChoiceField(
        choices=[("kept", "kept"), ("missing", "missing"), ("outdated", "outdated")],
        help_text=gettext_lazy(
            "kept: a record type the procedure in force names; missing: the procedure names "
            "it, no record type yet; outdated: no procedure in force names it any more."
        ),
    )
    record_type = serializers.SerializerMethodField()

    def get_procedure_code(self, row) -> str | None:
        return row.document.code if row.document else None

    def get_record_type(self, row) -> int | None:
        return row.record_type.pk if row.record_type else None


class KeepListSerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="agency.pk")
    on = serializers.DateField()
    rows = KeepRowSerializer(many=True)


# --- dossiers -----------------------------------------------------------------------------------


class DossierSerializer(ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    procedure_code = serializers.CharField(source="procedure.code", read_only=True)
    status = EnumChoiceField(DossierStatus, read_only=True)
    channel = EnumChoiceField(Channel, read_only=True)

    class Meta:
        model = Dossier
        fields = [
            "id",
            "agency",
            "agency_code",
            "code",
            "procedure_code",
            "department",
            "received_at",
            "due_at",
            "finished_at",
            "returned_at",
            "status",
            "channel",
            "on_time",
        ]
        read_only_fields = fields


class DossierFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)
    root = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies,
        required=False,
        help_text=gettext_lazy("The agencies of this subtree."),
    )
    procedure = serializers.CharField(
        required=False, max_length=60, help_text=gettext_lazy("A procedure code.")
    )
    status = EnumChoiceField(DossierStatus, required=False)
    channel = EnumChoiceField(Channel, required=False)
    month_from = MonthField(required=False, help_text=MONTH_HELP)
    month_to = MonthField(required=False, help_text=MONTH_HELP)
    late = serializers.ChoiceField(
        choices=[*LateKind.values, "all"],
        required=False,
        help_text=gettext_lazy(
            "The late list: finished_late, overdue (in progress after the due day) or all."
        ),
    )
    q = serializers.CharField(required=False, max_length=64, help_text=gettext_lazy("Code start."))

    def validate_procedure(self, value):
        found = selectors.catalogue_procedure(value)
        if found is None:
            raise serializers.ValidationError(_("Unknown procedure code."))
        return found


class DossierImportQuerySerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy("1: check the file and report every bad row; save nothing."),
    )
    agency = ScopedPrimaryKeyRelatedField(
        choices=kept_agencies,
        required=False,
        help_text=gettext_lazy(
            "The agency the rows belong to (default: your role's). An administrator may leave "
            "it out when every row names its agency (column Mã đơn vị)."
        ),
    )


class DossierRecordSerializer(serializers.Serializer):
    """One dossier of a push, keyed like the file's columns."""

    code = serializers.CharField(max_length=64)
    procedure_code = serializers.CharField(max_length=60)
    received_at = serializers.CharField(
        help_text=gettext_lazy("ISO 8601, e.g. 2026-03-03T08:00:00+07:00.")
    )
    due_at = serializers.CharField()
    finished_at = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    returned_at = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    status = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "in_progress, suspended, finished, returned, withdrawn (or the words of the file)."
        ),
    )
    channel = serializers.CharField(required=False, allow_blank=True)
    agency = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("Agency code (a province's push).")
    )
    department = serializers.CharField(required=False, allow_blank=True)


class DossierPushSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=kept_agencies, required=False, help_text=AGENCY_HELP
    )
    dossiers = DossierRecordSerializer(many=True, max_length=PUSH_MAX_ROWS, allow_empty=False)


class DossierImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text=gettext_lazy("Data rows read."))
    imported = serializers.IntegerField(help_text=gettext_lazy("Dossiers written."))
    created = serializers.IntegerField()
    updated = serializers.IntegerField(help_text=gettext_lazy("Dossiers imported before, updated."))


class DossierCheckSerializer(serializers.Serializer):
    ok = serializers.BooleanField(help_text=gettext_lazy("Every row is good."))
    rows = serializers.IntegerField()
    error_count = serializers.IntegerField()
    errors = serializers.ListField(
        child=serializers.DictField(), help_text=gettext_lazy("The first 1,000.")
    )


# --- the monthly figures --------------------------------------------------------------------------

GROUPS = ("month", "procedure", "agency", "tier", "channel")


class StatsFilterSerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=GROUPS, required=False, default="month")
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)
    root = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies,
        required=False,
        help_text=gettext_lazy(
            "The agencies of this subtree (default for an overseer: all theirs)."
        ),
    )
    procedure = serializers.CharField(required=False, max_length=60)
    channel = EnumChoiceField(Channel, required=False)
    month_from = MonthField(required=False, help_text=gettext_lazy("Default: eleven months ago."))
    month_to = MonthField(required=False, help_text=gettext_lazy("Default: this month."))

    validate_procedure = DossierFilterSerializer.validate_procedure

    def validate(self, attrs):
        start, end = attrs.get("month_from"), attrs.get("month_to")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"month_to": [_("The last month is before the first.")]}
            )
        return attrs


class StatsRowSerializer(serializers.Serializer):
    """One group: its key (month, procedure, agency, tier or channel) and its figures."""

    month = serializers.CharField(required=False)
    procedure_code = serializers.CharField(required=False)
    procedure_name = serializers.CharField(required=False)
    agency = serializers.IntegerField(required=False)
    agency_code = serializers.CharField(required=False)
    agency_name = serializers.CharField(required=False)
    tier = serializers.CharField(required=False)
    channel = serializers.CharField(required=False)
    received = serializers.IntegerField()
    finished = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text=gettext_lazy("In progress after the due day."))
    on_time_rate = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("On time / finished, in % (null: none finished).")
    )
