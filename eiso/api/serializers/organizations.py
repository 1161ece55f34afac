"""Agencies and departments."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from eiso.api.serializers.fields import (
    ModelSerializer,
    OptionalBooleanField,
    ScopedPrimaryKeyRelatedField,
)
from eiso.core.roles import Action
from eiso.organizations.choices import DepartmentKind, Tier
from eiso.organizations.models import Agency, Department
from eiso.organizations.selectors import (
    AGENCY_ORDERINGS,
    agency_choices,
    agency_list,
    kind_list,
)

STATUS_CHOICES = [("active", _("Active")), ("inactive", _("Inactive"))]


def visible_agencies(user):
    return agency_list(user=user)


def manageable_parents(user):
    """Active agencies under which ``user`` may place or move an agency."""
    return agency_choices(user=user, action=Action.MANAGE_AGENCIES)


def department_agencies(user):
    """Active agencies whose departments ``user`` may manage (as in ``department_create``)."""
    return agency_choices(user=user, action=Action.MANAGE_STRUCTURE)


class AgencySerializer(ModelSerializer):
    """An agency as the API shows it."""

    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "tier",
            "must_apply",
            "parent",
            "parent_code",
            "path",
            "depth",
            "address",
            "head_name",
            "head_title",
            "phone",
            "email",
            "active_from",
            "active_to",
            "is_active",
            "successor",
            "version",
        ]
        read_only_fields = fields


class AgencyWriteSerializer(serializers.Serializer):
    """Create (POST) or change (PUT, PATCH) an agency. Tier and must-apply default from the
    kind when left out of a create."""

    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=300)
    short_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    kind = serializers.SlugRelatedField(
        slug_field="code", queryset=kind_list(), help_text=_("The code of an agency kind.")
    )
    parent = ScopedPrimaryKeyRelatedField(
        choices=manageable_parents,
        required=False,
        allow_null=True,
        help_text=_("An active agency you manage; empty for a top-level agency (administrators)."),
    )
    tier = serializers.ChoiceField(choices=Tier.choices, required=False)
    must_apply = OptionalBooleanField(required=False)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    head_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    head_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    active_from = serializers.DateField(required=False, allow_null=True)
    active_to = serializers.DateField(required=False, allow_null=True)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        write_only=True,
        help_text=_(
            "On a change: the version you read. If someone changed the agency meanwhile, the "
            "change is refused (409) instead of overwriting theirs."
        ),
    )


class AgencyDeactivateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Inactive from (default: today).")
    )


class AgencyFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("Code, name or address; accents and đ are ignored."),
    )
    kind = serializers.CharField(required=False, allow_blank=True, help_text=_("A kind code."))
    tier = serializers.ChoiceField(choices=Tier.choices, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=STATUS_CHOICES, required=False, allow_blank=True)
    parent = ScopedPrimaryKeyRelatedField(
        choices=visible_agencies,
        required=False,
        help_text=_("Only this agency and the agencies below it."),
    )
    ordering = serializers.ChoiceField(
        choices=list(AGENCY_ORDERINGS), required=False, allow_blank=True
    )
    # The scope to list: the agencies the caller reaches for this action (default "view"); the
    # pages' agency fields ask for their own (eiso.core.fields.AgencyField).
    action = serializers.ChoiceField(
        choices=[a.value for a in Action], required=False, allow_blank=True
    )


class DepartmentSerializer(ModelSerializer):
    agency_code = serializers.CharField(source="agency.code", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "agency", "agency_code", "code", "name", "kind", "is_active"]
        read_only_fields = fields


class DepartmentCreateSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        choices=department_agencies,
        help_text=_("An active agency whose departments you manage."),
    )
    name = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=DepartmentKind.choices, required=False)


class DepartmentUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=DepartmentKind.choices, required=False)
    is_active = OptionalBooleanField(required=False)


class DepartmentFilterSerializer(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(choices=visible_agencies, required=False)


class NewAgencySerializer(serializers.Serializer):
    """A new agency made by a merger or a split (under the old agencies' parent)."""

    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=300)
    short_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    kind = serializers.SlugRelatedField(
        slug_field="code",
        queryset=kind_list(),
        required=False,
        help_text=_("The code of an agency kind (default: the kind of the old agency)."),
    )
    tier = serializers.ChoiceField(choices=Tier.choices, required=False)
    must_apply = OptionalBooleanField(required=False)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AgencyMergeSerializer(serializers.Serializer):
    """Merge agencies into an existing one (``into``) or a new one (``new``)."""

    sources = ScopedPrimaryKeyRelatedField(
        choices=manageable_parents,
        many=True,
        help_text=_("The active agencies you manage that are merged."),
    )
    into = ScopedPrimaryKeyRelatedField(
        choices=manageable_parents,
        required=False,
        allow_null=True,
        help_text=_("An active agency you manage that the others merge into."),
    )
    new = NewAgencySerializer(required=False, allow_null=True)
    on = serializers.DateField(help_text=_("Effective on; the old agencies end the day before."))
    reason = serializers.CharField(max_length=2000)


class AgencySplitSerializer(serializers.Serializer):
    """Split an agency into new ones; the first one is its successor."""

    source = ScopedPrimaryKeyRelatedField(
        choices=manageable_parents, help_text=_("The active agency you manage that is split.")
    )
    parts = NewAgencySerializer(many=True)
    on = serializers.DateField(help_text=_("Effective on; the old agency ends the day before."))
    reason = serializers.CharField(max_length=2000)
