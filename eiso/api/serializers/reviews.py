"""Management reviews, their input pack and outputs. People are chosen within the review's
agency (``context["target"]``)."""

from __future__ import annotations

from rest_framework import serializers

from eiso.api.serializers.fields import (
    EnumChoiceField,
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
    TargetScopedPrimaryKeyRelatedField,
)
from eiso.api.serializers.objectives import people_of, visible_agencies
from eiso.reviews.choices import OutputKind, ReviewStatus
from eiso.reviews.models import ManagementReview, ReviewInput, ReviewOutput


class ReviewInputSerializer(ModelSerializer):
    class Meta:
        model = ReviewInput
        fields = ["id", "key", "clause", "title", "source", "content", "has_data", "edited"]
        read_only_fields = fields


class ReviewOutputSerializer(ModelSerializer):
    kind = EnumChoiceField(OutputKind, read_only=True)

    class Meta:
        model = ReviewOutput
        fields = [
            "id",
            "review",
            "number",
            "kind",
            "description",
            "owner",
            "due_date",
            "done_on",
            "result",
        ]
        read_only_fields = fields


class ManagementReviewSerializer(ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    status = EnumChoiceField(ReviewStatus, read_only=True)
    outputs = ReviewOutputSerializer(many=True, read_only=True)

    class Meta:
        model = ManagementReview
        fields = [
            "id",
            "agency",
            "agency_code",
            "year",
            "sequence",
            "meeting_date",
            "place",
            "chair",
            "attendees",
            "status",
            "pack_as_of",
            "conclusions",
            "minutes_number",
            "minutes_date",
            "signed_scan_name",
            "outputs",
        ]
        read_only_fields = fields


class ReviewFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    status = EnumChoiceField(ReviewStatus, required=False, allow_blank=True)


class ReviewWriteSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)
    meeting_date = serializers.DateField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    chair = TargetScopedPrimaryKeyRelatedField(choices=people_of, required=False, allow_null=True)
    attendees = serializers.CharField(required=False, allow_blank=True)


class InputWriteSerializer(serializers.Serializer):
    content = serializers.CharField(allow_blank=True)


class MinutesSerializer(serializers.Serializer):
    conclusions = serializers.CharField(required=False, allow_blank=True)
    minutes_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    minutes_date = serializers.DateField(required=False, allow_null=True)
    issue = serializers.BooleanField(
        required=False, default=False, help_text="true: issue the minutes (else only saved)."
    )


class OutputWriteSerializer(serializers.Serializer):
    kind = EnumChoiceField(OutputKind, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    owner = TargetScopedPrimaryKeyRelatedField(choices=people_of, required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)


class OutputDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True)
    result = serializers.CharField(required=False, allow_blank=True)
