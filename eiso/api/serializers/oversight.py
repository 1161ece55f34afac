"""The overseer's registry and provincial summary. The subtree is named by an agency code,
resolved among the agencies the user oversees (another province's code is a 404)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from eiso.api.serializers.fields import EnumChoiceField, ModelSerializer
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency
from eiso.oversight import selectors
from eiso.qms.choices import AnnouncementKind, QmsStatus, StandardVersion

ROOT_HELP = gettext_lazy(
    "The code of the agency whose subtree to show (one you oversee). Default: the top of what "
    "you oversee."
)
YES_NO = [("yes", "yes"), ("no", "no")]


class SummaryQuerySerializer(serializers.Serializer):
    root = serializers.CharField(required=False, allow_blank=True, help_text=ROOT_HELP)
    date = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("YYYY-MM-DD; default today."),
    )
    fresh = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy("true: compute the numbers again now instead of the kept ones."),
    )


class RegistryQuerySerializer(serializers.Serializer):
    root = serializers.CharField(required=False, allow_blank=True, help_text=ROOT_HELP)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    kind = serializers.CharField(
        required=False, allow_blank=True, help_text=gettext_lazy("A kind code.")
    )
    tier = serializers.ChoiceField(choices=Tier.choices, required=False, allow_blank=True)
    status = EnumChoiceField(QmsStatus, required=False, allow_blank=True)
    must_apply = serializers.ChoiceField(choices=YES_NO, required=False, allow_blank=True)
    announced = serializers.ChoiceField(choices=YES_NO, required=False, allow_blank=True)
    due = serializers.ChoiceField(
        choices=YES_NO,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Whether a re-announcement is due."),
    )
    ordering = serializers.ChoiceField(
        choices=list(selectors.REGISTRY_ORDERINGS), required=False, allow_blank=True
    )


class RootSerializer(ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name"]
        read_only_fields = fields


class RequiredCountsSerializer(serializers.Serializer):
    """The same numbers among the agencies that must apply only."""

    must_apply = serializers.IntegerField()
    built = serializers.IntegerField()
    applied = serializers.IntegerField()
    announced = serializers.IntegerField()
    re_announced = serializers.IntegerField()
    announced_this_year = serializers.IntegerField()
    not_announced = serializers.IntegerField()


class SummaryRowSerializer(serializers.Serializer):
    """One tier (``tier`` empty: the total). ``pct_*``: the share of the agencies that must
    apply which have built, applied, announced… (``required`` / ``must_apply``; null when none
    must)."""

    tier = serializers.CharField(help_text=gettext_lazy("provincial, district, commune; '' total"))
    label = serializers.CharField()
    agencies = serializers.IntegerField()
    must_apply = serializers.IntegerField()
    built = serializers.IntegerField()
    applied = serializers.IntegerField()
    announced = serializers.IntegerField()
    re_announced = serializers.IntegerField()
    announced_this_year = serializers.IntegerField()
    not_announced = serializers.IntegerField()
    required = RequiredCountsSerializer()
    pct_built = serializers.FloatField(allow_null=True)
    pct_applied = serializers.FloatField(allow_null=True)
    pct_announced = serializers.FloatField(allow_null=True)
    pct_re_announced = serializers.FloatField(allow_null=True)
    pct_announced_this_year = serializers.FloatField(allow_null=True)
    pct_not_announced = serializers.FloatField(allow_null=True)


class AnnexRowSerializer(ModelSerializer):
    """An agency with its latest announcement (signed, on or before the date)."""

    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    tier = serializers.ChoiceField(choices=Tier.choices, read_only=True)
    qms_status = EnumChoiceField(QmsStatus, read_only=True, allow_null=True)
    standard_version = EnumChoiceField(
        StandardVersion, source="qms_version", read_only=True, allow_null=True
    )
    announcement_number = serializers.CharField(source="last_number", allow_null=True)
    announcement_date = serializers.DateField(source="last_date", allow_null=True)
    announcement_kind = EnumChoiceField(
        AnnouncementKind, source="last_kind", read_only=True, allow_null=True
    )
    received_on = serializers.DateField(source="last_received", allow_null=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "tier",
            "must_apply",
            "qms_status",
            "standard_version",
            "announcement_number",
            "announcement_date",
            "announcement_kind",
            "received_on",
        ]
        read_only_fields = fields


def _iso(day):
    return day.isoformat() if day is not None else None


class AnnexListSerializer(serializers.ListSerializer):
    """The summary's annex, every agency of the subtree (5,001 in the country): the plain rows
    of ``selectors.annex_rows`` written as AnnexRowSerializer's fields directly, without a
    field object's work per cell; the same output (tested against AnnexRowSerializer)."""

    def to_representation(self, data):
        return [
            {
                "id": row["id"],
                "code": row["code"],
                "name": row["name"],
                "kind": row["kind_code"],
                "tier": row["tier"],
                "must_apply": row["must_apply"],
                "qms_status": row["qms_status"],
                "standard_version": row["qms_version"],
                "announcement_number": row["last_number"],
                "announcement_date": _iso(row["last_date"]),
                "announcement_kind": row["last_kind"],
                "received_on": _iso(row["last_received"]),
            }
            for row in data
        ]


class RegistryRowSerializer(AnnexRowSerializer):
    """A registry row: the annex row with coverage, re-announcement and the last reminder."""

    handled = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("Procedures the agency handles.")
    )
    covered = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("Of those, with an issued ISO procedure.")
    )
    coverage = serializers.FloatField(
        read_only=True, allow_null=True, help_text=gettext_lazy("Covered / handled, in %.")
    )
    reannouncement_due = serializers.BooleanField(source="due", read_only=True)
    reannouncement_reason = serializers.CharField(source="qms_flag", allow_null=True)
    reminded_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta(AnnexRowSerializer.Meta):
        fields = [
            *AnnexRowSerializer.Meta.fields,
            "handled",
            "covered",
            "coverage",
            "reannouncement_due",
            "reannouncement_reason",
            "reminded_at",
        ]
        read_only_fields = fields


class KindRowSerializer(serializers.Serializer):
    """One kind of agency ("156/156 UBND cấp xã đã công bố")."""

    kind = serializers.CharField(help_text=gettext_lazy("The kind's code."))
    label = serializers.CharField()
    agencies = serializers.IntegerField()
    must_apply = serializers.IntegerField()
    announced = serializers.IntegerField()
    announced_required = serializers.IntegerField(
        help_text=gettext_lazy("Of those that must apply, how many announced.")
    )


class SummarySerializer(serializers.Serializer):
    root = RootSerializer(allow_null=True)
    date = serializers.DateField()
    rows = SummaryRowSerializer(many=True)
    kinds = KindRowSerializer(many=True)
    annex = AnnexListSerializer(child=AnnexRowSerializer())
    computed_at = serializers.DateTimeField(
        read_only=True,
        help_text=gettext_lazy(
            "When these numbers were computed. They are kept and given again while nothing "
            "changed, for at most DASHBOARD_MAX_AGE seconds (5 minutes by default) while "
            "other people change data; your own changes show at once, and fresh=true "
            "computes them now."
        ),
    )
