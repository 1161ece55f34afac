"""Administrative procedures (TTHC): the province's catalogue, the procedures each agency
handles and their coverage, the step table of an ISO procedure.

Every agency id in a body or query string is resolved among the agencies the user may see (an
id outside gets the same answer as one that does not exist). The catalogue is province-wide:
any of its ids may be named."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from eiso.api.serializers.fields import (
    EnumChoiceField,
    ModelSerializer,
    OptionalBooleanField,
    ScopedPrimaryKeyRelatedField,
)
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency
from eiso.organizations.selectors import agency_choices, agency_list
from eiso.procedures import selectors
from eiso.procedures.models import AdministrativeProcedure, HandledProcedure, ProcedureStep
from eiso.procedures.parsing import parse_time_limit

AGENCY_HELP = gettext_lazy(
    "Default: the agency of your role (the one chosen in the header in a browser, else your "
    "first role). Another agency must be one you may see."
)


class ProcedureLevel(models.TextChoices):
    """The level a TTHC is handled at: the agency tiers, under their own name in the schema
    (the agencies' ``tier`` is a plain choice of the same values)."""

    PROVINCIAL = Tier.PROVINCIAL.value, Tier.PROVINCIAL.label
    DISTRICT = Tier.DISTRICT.value, Tier.DISTRICT.label
    COMMUNE = Tier.COMMUNE.value, Tier.COMMUNE.label


def visible_agencies(user):
    return agency_list(user=user)


def active_agencies(user):
    return agency_choices(user=user)


def catalogue(user):
    return selectors.catalogue_list()


# --- the catalogue -----------------------------------------------------------------------------


class ProcedureSerializer(ModelSerializer):
    """A catalogue entry as the API shows it."""

    level = EnumChoiceField(ProcedureLevel, read_only=True)
    statutory_days = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("The statutory time in days: 0 for “within the day”."),
    )
    agency_count = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("How many agencies handle it.")
    )

    class Meta:
        model = AdministrativeProcedure
        fields = [
            "id",
            "code",
            "name",
            "field",
            "level",
            "time_limit_text",
            "time_limit_days",
            "within_the_day",
            "statutory_days",
            "fee",
            "published_by",
            "is_active",
            "agency_count",
        ]
        read_only_fields = fields


class _ProcedureFieldsSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    field = serializers.CharField(max_length=200, required=False, allow_blank=True)
    level = EnumChoiceField(ProcedureLevel)
    time_limit = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "As published: “05 ngày làm việc”, “0,5” or “Trong ngày”; empty when not set."
        ),
    )
    fee = serializers.CharField(max_length=300, required=False, allow_blank=True)
    published_by = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_active = OptionalBooleanField(required=False, help_text=gettext_lazy("In force."))

    def validate_time_limit(self, value: str) -> str:
        try:
            parse_time_limit(value)
        except ValueError:
            raise serializers.ValidationError(
                _("Unreadable time limit: write days (e.g. 05 or 0,5) or “Trong ngày”.")
            ) from None
        return value.strip()

    def validate(self, attrs: dict) -> dict:
        """The text as published, and the days read from it."""
        if "time_limit" in attrs:
            text = attrs.pop("time_limit")
            days, within_the_day = parse_time_limit(text)
            attrs.update(time_limit_text=text, time_limit_days=days, within_the_day=within_the_day)
        return attrs


class ProcedureCreateSerializer(_ProcedureFieldsSerializer):
    code = serializers.CharField(
        max_length=60,
        help_text=gettext_lazy("As in the national database, kept exactly as given."),
    )


class ProcedureUpdateSerializer(_ProcedureFieldsSerializer):
    """The code of an entry never changes."""


class ProcedureFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=gettext_lazy("Code, name or field; accents and đ are ignored."),
    )
    field = serializers.CharField(required=False, allow_blank=True, max_length=200)
    level = EnumChoiceField(ProcedureLevel, required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=[("active", gettext_lazy("In force")), ("abolished", gettext_lazy("Abolished"))],
        required=False,
        allow_blank=True,
    )
    ordering = serializers.ChoiceField(
        choices=list(selectors.CATALOGUE_ORDERINGS), required=False, allow_blank=True
    )


# --- handled procedures ------------------------------------------------------------------------


class ProcedureBriefSerializer(ModelSerializer):
    level = EnumChoiceField(ProcedureLevel, read_only=True)

    class Meta:
        model = AdministrativeProcedure
        fields = ["id", "code", "name", "field", "level", "time_limit_days", "within_the_day"]
        read_only_fields = fields


class HandledProcedureSerializer(ModelSerializer):
    procedure = ProcedureBriefSerializer(read_only=True)
    covered = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy("An issued ISO procedure of the agency implements it."),
    )
    iso_document = serializers.IntegerField(
        source="iso_document_id",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("The agency's ISO procedure linked to it (issued or not)."),
    )
    iso_document_code = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = HandledProcedure
        fields = [
            "id",
            "agency",
            "procedure",
            "since",
            "covered",
            "iso_document",
            "iso_document_code",
        ]
        read_only_fields = fields


class HandledFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies, required=False, help_text=AGENCY_HELP
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    field = serializers.CharField(required=False, allow_blank=True, max_length=200)
    level = EnumChoiceField(ProcedureLevel, required=False, allow_blank=True)
    coverage = serializers.ChoiceField(
        choices=[("covered", gettext_lazy("Covered")), ("gap", gettext_lazy("Gap"))],
        required=False,
        allow_blank=True,
    )


class AgencyTargetSerializer(serializers.Serializer):
    """The agency a change is aimed at (resolved before the rest of the body)."""

    agency = ScopedPrimaryKeyRelatedField(
        choices=active_agencies, required=False, help_text=AGENCY_HELP
    )


class _ProcedureIdsSerializer(AgencyTargetSerializer):
    procedures = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        allow_empty=False,
        max_length=5000,
        help_text=gettext_lazy("Ids of catalogue entries."),
    )

    def validate_procedures(self, ids: list[int]) -> list[AdministrativeProcedure]:
        found = {p.pk: p for p in selectors.catalogue_list().filter(pk__in=set(ids))}
        unknown = sorted({pk for pk in ids if pk not in found})
        if unknown:
            raise serializers.ValidationError(
                _("Unknown procedure id(s): %(ids)s.") % {"ids": ", ".join(map(str, unknown))}
            )
        return [found[pk] for pk in dict.fromkeys(ids)]


class HandledAssignSerializer(_ProcedureIdsSerializer):
    since = serializers.DateField(required=False, allow_null=True)


class HandledRemoveSerializer(_ProcedureIdsSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class HandledResultSerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    added = serializers.IntegerField(required=False)
    removed = serializers.IntegerField(required=False)


# --- coverage ----------------------------------------------------------------------------------


def _rounded(percent) -> int | None:
    return round(percent) if percent is not None else None


class CoverageRowSerializer(ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    tier = serializers.ChoiceField(choices=Tier.choices, read_only=True)
    handled = serializers.IntegerField(read_only=True)
    covered = serializers.IntegerField(read_only=True)
    gaps = serializers.IntegerField(read_only=True)
    percent = serializers.SerializerMethodField(
        help_text=gettext_lazy("Covered / handled, rounded; null when nothing is handled.")
    )

    class Meta:
        model = Agency
        fields = ["id", "code", "name", "kind", "tier", "handled", "covered", "gaps", "percent"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_percent(self, agency) -> int | None:
        return _rounded(agency.percent)


class CoverageFilterSerializer(serializers.Serializer):
    root = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies,
        required=False,
        help_text=gettext_lazy("Only this agency and the agencies below it."),
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    kind = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("A kind code.")
    )
    tier = serializers.ChoiceField(choices=Tier.choices, required=False, allow_blank=True)
    ordering = serializers.ChoiceField(
        choices=list(selectors.COVERAGE_ORDERINGS), required=False, allow_blank=True
    )


class CoverageSerializer(serializers.Serializer):
    """The coverage of one agency."""

    agency = serializers.IntegerField(source="agency.pk")
    agency_code = serializers.CharField(source="agency.code")
    handled = serializers.IntegerField(source="coverage.handled")
    covered = serializers.IntegerField(source="coverage.covered")
    gaps = serializers.IntegerField(source="coverage.gaps")
    percent = serializers.IntegerField(source="coverage.percent", allow_null=True)


# --- ISO procedures and their steps -----------------------------------------------------------


class StepSerializer(ModelSerializer):
    class Meta:
        model = ProcedureStep
        fields = ["number", "name", "responsible", "time_days", "forms_results"]
        read_only_fields = fields


class StepTableRevisionSerializer(serializers.Serializer):
    """One revision's step table, its total and whether it matches the statutory time."""

    revision = serializers.IntegerField(source="revision.pk", allow_null=True, default=None)
    revision_number = serializers.IntegerField(
        source="revision.number", allow_null=True, default=None
    )
    revision_status = serializers.CharField(source="revision.status", allow_null=True, default=None)
    steps = StepSerializer(many=True)
    total_days = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    statutory_days = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    mismatch = serializers.BooleanField(
        help_text=gettext_lazy("The steps' total differs from the statutory time limit.")
    )


class StepTableSerializer(serializers.Serializer):
    """The step table in force (of the revision in force today; before the first issue, the
    newest revision the reader may see) and the one of the revision in preparation."""

    document = serializers.IntegerField(source="document.pk")
    document_code = serializers.CharField(source="document.code")
    procedure = ProcedureBriefSerializer(
        source="table.procedure",
        allow_null=True,
        help_text=gettext_lazy("The administrative procedure the document implements."),
    )
    revision = serializers.IntegerField(source="table.revision.pk", allow_null=True, default=None)
    revision_number = serializers.IntegerField(
        source="table.revision.number", allow_null=True, default=None
    )
    steps = StepSerializer(source="table.steps", many=True)
    total_days = serializers.DecimalField(
        source="table.total_days", max_digits=8, decimal_places=2, allow_null=True
    )
    statutory_days = serializers.DecimalField(
        source="table.statutory_days", max_digits=6, decimal_places=2, allow_null=True
    )
    mismatch = serializers.BooleanField(
        source="table.mismatch",
        help_text=gettext_lazy("The steps' total differs from the statutory time limit."),
    )
    in_preparation = StepTableRevisionSerializer(
        allow_null=True,
        help_text=gettext_lazy(
            "The step table of the revision in preparation (for those who may read drafts): "
            "the only one that can be replaced."
        ),
    )


class StepInputSerializer(serializers.Serializer):
    """One step; what a complete step needs is the service's rule (its message names the
    step)."""

    name = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    responsible = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    time_days = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    forms_results = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )


class StepsWriteSerializer(serializers.Serializer):
    steps = StepInputSerializer(
        many=True, help_text=gettext_lazy("The whole table, in order (numbered 1, 2, …).")
    )


class ProcedureLinkSerializer(serializers.Serializer):
    procedure = ScopedPrimaryKeyRelatedField(
        choices=catalogue,
        help_text=gettext_lazy("A catalogue entry the document's agency handles."),
    )
