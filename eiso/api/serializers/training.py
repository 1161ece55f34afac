"""Training and competence: courses with their sessions, certificates (they follow their
holder). The holder of a new certificate is chosen among the people of the agency
(``context["target"]``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from eiso.api.serializers.fields import (
    EnumChoiceField,
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
    TargetScopedPrimaryKeyRelatedField,
)
from eiso.api.serializers.objectives import kept_agencies, visible_agencies
from eiso.training import selectors
from eiso.training.choices import CertificateKind, CertificateState, CourseKind
from eiso.training.models import Certificate, Course, TrainingSession

AGENCY_HELP = gettext_lazy("Default: the agency of your role. Another must be one you keep.")


def people_of(user, agency):
    return selectors.people_of(user=user, agency=agency)


class TrainingSessionSerializer(ModelSerializer):
    attendees = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    passed = serializers.IntegerField(
        source="passed_count", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = TrainingSession
        fields = ["id", "course", "starts_on", "ends_on", "trainer", "place", "evidence_name",
                  "note", "attendees", "passed"]  # fmt: skip
        read_only_fields = fields


class CourseSerializer(ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    kind = EnumChoiceField(CourseKind, read_only=True)
    # "" when the course gives no certificate
    certificate_kind = EnumChoiceField(CertificateKind, read_only=True, allow_blank=True)
    session_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    trained = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    last_session = serializers.DateField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = Course
        fields = ["id", "agency", "agency_code", "title", "kind", "description", "hours",
                  "certificate_kind", "is_active", "session_count", "trained", "last_session"]  # fmt: skip
        read_only_fields = fields


class CourseFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)
    kind = EnumChoiceField(CourseKind, required=False)
    q = serializers.CharField(required=False, max_length=100)


class AgencyTargetSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=kept_agencies, required=False, help_text=AGENCY_HELP
    )


class CourseWriteSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=300)
    kind = EnumChoiceField(CourseKind, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    hours = serializers.DecimalField(
        required=False, allow_null=True, max_digits=6, decimal_places=1
    )
    certificate_kind = serializers.ChoiceField(
        choices=["", *CertificateKind.values], required=False, allow_blank=True
    )
    is_active = serializers.BooleanField(required=False)


class TrainingSessionWriteSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    trainer = serializers.CharField(max_length=200)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    note = serializers.CharField(required=False, allow_blank=True)


class CertificateSerializer(ModelSerializer):
    holder_name = serializers.SerializerMethodField()
    kind = EnumChoiceField(CertificateKind, read_only=True)
    agency_code = serializers.CharField(source="agency.code", read_only=True)

    class Meta:
        model = Certificate
        fields = ["id", "holder", "holder_name", "kind", "number", "issuer", "issued_on",
                  "expires_on", "session", "agency", "agency_code", "file_name", "note"]  # fmt: skip
        read_only_fields = fields

    def get_holder_name(self, certificate) -> str:
        return certificate.holder.full_name or certificate.holder.username


class CertificateFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies,
        required=False,
        help_text=gettext_lazy("Of the people working there now."),
    )
    kind = EnumChoiceField(CertificateKind, required=False)
    state = EnumChoiceField(CertificateState, required=False)
    q = serializers.CharField(required=False, max_length=100)


class CertificateWriteSerializer(serializers.Serializer):
    holder = TargetScopedPrimaryKeyRelatedField(choices=people_of, required=False)
    kind = EnumChoiceField(CertificateKind, required=False)
    number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    issuer = serializers.CharField(required=False, max_length=300)
    issued_on = serializers.DateField(required=False)
    expires_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
