"""Users and memberships. No password goes either way: a new person receives a link to set
their own (nobody types another person's password)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from eiso.accounts.models import Membership, User
from eiso.accounts.rules import roles_grantable_somewhere
from eiso.accounts.selectors import USER_ORDERINGS, user_list
from eiso.api.serializers.fields import (
    ModelSerializer,
    OptionalBooleanField,
    ScopedPrimaryKeyRelatedField,
)
from eiso.api.serializers.organizations import STATUS_CHOICES
from eiso.core.roles import Action, Role
from eiso.organizations.selectors import agency_choices, agency_list, department_list


def user_agencies(user):
    """Active agencies whose people ``user`` manages."""
    return agency_choices(user=user, action=Action.MANAGE_USERS)


def user_agencies_any_state(user):
    return agency_list(user=user, action=Action.MANAGE_USERS)


def managed_users(user):
    return user_list(user=user, action=Action.MANAGE_USERS)


def visible_departments(user):
    # The service checks that the department belongs to the (scoped) agency of the role.
    return department_list(user=user)


class MembershipBriefSerializer(ModelSerializer):
    """A role as shown inside a user."""

    agency_code = serializers.CharField(source="agency.code", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "agency", "agency_code", "role", "department", "title", "started_on"]
        read_only_fields = fields


class UserSerializer(ModelSerializer):
    """A person, with the active roles the viewer may see."""

    memberships = MembershipBriefSerializer(source="visible_memberships", many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "position",
            "phone",
            "is_active",
            "last_login",
            "date_joined",
            "memberships",
        ]
        read_only_fields = fields


class GrantableRoleField(serializers.ChoiceField):
    """A role the grant policy lets the requesting user hand out (the service checks the
    agency); the schema lists every role."""

    def __init__(self, **kwargs):
        super().__init__(choices=Role.choices, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        request = self.context.get("request")
        if request is not None and value not in roles_grantable_somewhere(request.user):
            raise serializers.ValidationError(_("You cannot grant this role."))
        return value


class UserCreateSerializer(serializers.Serializer):
    """A new user together with their first role. The person receives a link at ``email`` to
    set their own password."""

    username = serializers.CharField(
        max_length=150,
        help_text=_("Unaccented letters a–z, digits and . _ - @ (stored in lower case)."),
    )
    full_name = serializers.CharField(max_length=200)
    email = serializers.EmailField(help_text=_("Where the link to set the password is sent."))
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    agency = ScopedPrimaryKeyRelatedField(
        choices=user_agencies, help_text=_("An active agency whose people you manage.")
    )
    role = GrantableRoleField()
    department = ScopedPrimaryKeyRelatedField(
        choices=visible_departments, required=False, allow_null=True
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def validate(self, attrs):
        if "password" in self.initial_data:
            raise serializers.ValidationError(
                {"password": [_("Nobody sets another person's password: they receive a link.")]}
            )
        return attrs


class UserUpdateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, required=False)
    full_name = serializers.CharField(max_length=200, required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    is_active = OptionalBooleanField(required=False, help_text=_("Can sign in."))

    def validate(self, attrs):
        if "password" in self.initial_data:
            raise serializers.ValidationError(
                {"password": [_("Nobody sets another person's password: they receive a link.")]}
            )
        return attrs


class UserFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("Name, user name or e-mail; accents and đ are ignored."),
    )
    role = serializers.ChoiceField(choices=Role.choices, required=False, allow_blank=True)
    agency = ScopedPrimaryKeyRelatedField(
        choices=user_agencies_any_state,
        required=False,
        help_text=_("People with a role in this agency or below it."),
    )
    status = serializers.ChoiceField(choices=STATUS_CHOICES, required=False, allow_blank=True)
    ordering = serializers.ChoiceField(
        choices=list(USER_ORDERINGS), required=False, allow_blank=True
    )


class MembershipSerializer(ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    agency_code = serializers.CharField(source="agency.code", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "user",
            "username",
            "full_name",
            "agency",
            "agency_code",
            "role",
            "department",
            "title",
            "is_active",
            "started_on",
            "ended_on",
        ]
        read_only_fields = fields


class MembershipGrantSerializer(serializers.Serializer):
    user = ScopedPrimaryKeyRelatedField(
        choices=managed_users, help_text=_("A person whose roles you manage.")
    )
    agency = ScopedPrimaryKeyRelatedField(
        choices=user_agencies, help_text=_("An active agency whose people you manage.")
    )
    role = GrantableRoleField()
    department = ScopedPrimaryKeyRelatedField(
        choices=visible_departments, required=False, allow_null=True
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    started_on = serializers.DateField(required=False, allow_null=True)


class SecondFactorResetSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("Why (e.g. a lost phone)."))


class MembershipEndSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Last day (default: today).")
    )


class MembershipFilterSerializer(serializers.Serializer):
    user = ScopedPrimaryKeyRelatedField(choices=managed_users, required=False, source="of_user")
    agency = ScopedPrimaryKeyRelatedField(choices=user_agencies_any_state, required=False)
    active = OptionalBooleanField(
        required=False, allow_null=True, help_text=_("true: current roles; false: ended ones.")
    )
