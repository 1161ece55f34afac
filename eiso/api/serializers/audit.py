"""The audit trail (read-only)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from eiso.api.serializers.fields import ModelSerializer, ScopedPrimaryKeyRelatedField
from eiso.core.models import AuditEvent
from eiso.core.roles import Action
from eiso.organizations.selectors import agency_list


def audited_agencies(user):
    return agency_list(user=user, action=Action.AUDIT)


class AuditEventSerializer(ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True, allow_null=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "actor_name",
            "agency",
            "agency_code",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "reason",
            "remote_addr",
        ]
        read_only_fields = fields


class AuditFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=audited_agencies,
        required=False,
        help_text=_("Events of this agency and the agencies below it."),
    )
    username = serializers.CharField(required=False, allow_blank=True, max_length=150)
    action = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text=_("An action or its prefix, e.g. 'agency.' or 'agency.update'."),
    )
    object_type = serializers.CharField(
        required=False, allow_blank=True, max_length=64, help_text=_("e.g. organizations.agency")
    )
    object_id = serializers.CharField(required=False, allow_blank=True, max_length=64)
    date_from = serializers.DateField(
        required=False, allow_null=True, input_formats=["%Y-%m-%d"], help_text=_("YYYY-MM-DD")
    )
    date_to = serializers.DateField(
        required=False, allow_null=True, input_formats=["%Y-%m-%d"], help_text=_("YYYY-MM-DD")
    )
