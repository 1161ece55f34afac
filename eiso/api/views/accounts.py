"""Users and memberships: for user managers only (administrators everywhere, an agency's ISO
secretary in their agency). Others get 403 on lists and creates, 404 on one object."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated

from eiso.accounts import selectors, services
from eiso.accounts.services import two_factor
from eiso.accounts.services.users import site_url
from eiso.api.permissions import HasScopeFor
from eiso.api.serializers.accounts import (
    MembershipEndSerializer,
    MembershipFilterSerializer,
    MembershipGrantSerializer,
    MembershipSerializer,
    SecondFactorResetSerializer,
    UserCreateSerializer,
    UserFilterSerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from eiso.api.serializers.fields import ERROR_RESPONSES, ErrorSerializer
from eiso.api.views.base import ApiViewSet
from eiso.core.roles import Action


class UserManagementViewSet(ApiViewSet):
    permission_classes = [IsAuthenticated, HasScopeFor]
    required_action = Action.MANAGE_USERS


@extend_schema_view(
    list=extend_schema(
        summary=_("List the people you manage"),
        parameters=[UserFilterSerializer],
        responses={200: UserSerializer(many=True), 400: ErrorSerializer, 403: ErrorSerializer},
    ),
    retrieve=extend_schema(
        summary=_("One person"), responses={200: UserSerializer, 404: ErrorSerializer}
    ),
    create=extend_schema(
        summary=_("Create a user with their first role"),
        request=UserCreateSerializer,
        responses={201: UserSerializer, **ERROR_RESPONSES},
    ),
    partial_update=extend_schema(
        summary=_("Change a user's details"),
        request=UserUpdateSerializer,
        responses={200: UserSerializer, **ERROR_RESPONSES},
    ),
    password_link=extend_schema(
        summary=_("E-mail the person a link to set their own password"),
        request=None,
        responses={200: UserSerializer, **ERROR_RESPONSES},
    ),
    two_factor_reset=extend_schema(
        summary=_("Reset the person's second factor (administrators)"),
        request=SecondFactorResetSerializer,
        responses={200: UserSerializer, **ERROR_RESPONSES},
    ),
)
class UserViewSet(UserManagementViewSet):
    serializer_class = UserSerializer

    def list(self, request):
        filters = self.query(UserFilterSerializer)
        return self.paginated(
            selectors.user_list(user=request.user, action=Action.MANAGE_USERS, **filters),
            UserSerializer,
        )

    def retrieve(self, request, pk: int):
        return self.show(self._load(request, pk), UserSerializer)

    def create(self, request):
        data = self.body(UserCreateSerializer)
        person = services.user_create(
            actor=request.user, base_url=site_url(request.build_absolute_uri("/")), **data
        )
        return self.show(
            self._load(request, person.pk), UserSerializer, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request, pk: int):
        person = selectors.user_get(user=request.user, pk=pk, action=Action.MANAGE_USERS)
        data = self.body(UserUpdateSerializer, partial=True)
        services.user_update(actor=request.user, user=person, data=data)
        return self.show(self._load(request, pk), UserSerializer)

    @action(detail=True, methods=["post"], url_path="password-link")
    def password_link(self, request, pk: int):
        person = self._load(request, pk)
        services.user_send_password_link(
            actor=request.user, user=person, base_url=site_url(request.build_absolute_uri("/"))
        )
        return self.show(self._load(request, pk), UserSerializer)

    @action(detail=True, methods=["post"], url_path="two-factor-reset")
    def two_factor_reset(self, request, pk: int):
        person = self._load(request, pk)
        data = self.body(SecondFactorResetSerializer)
        two_factor.two_factor_reset(actor=request.user, user=person, reason=data["reason"])
        return self.show(self._load(request, pk), UserSerializer)

    def _load(self, request, pk: int):
        return selectors.user_get(user=request.user, pk=pk, action=Action.MANAGE_USERS)


@extend_schema_view(
    list=extend_schema(
        summary=_("List the roles you manage"),
        parameters=[MembershipFilterSerializer],
        responses={
            200: MembershipSerializer(many=True),
            400: ErrorSerializer,
            403: ErrorSerializer,
        },
    ),
    retrieve=extend_schema(
        summary=_("One role"), responses={200: MembershipSerializer, 404: ErrorSerializer}
    ),
    create=extend_schema(
        summary=_("Grant a role"),
        request=MembershipGrantSerializer,
        responses={201: MembershipSerializer, **ERROR_RESPONSES},
    ),
    end=extend_schema(
        summary=_("End a role (the record stays for history)"),
        request=MembershipEndSerializer,
        responses={200: MembershipSerializer, **ERROR_RESPONSES},
    ),
)
class MembershipViewSet(UserManagementViewSet):
    serializer_class = MembershipSerializer

    def list(self, request):
        filters = self.query(MembershipFilterSerializer)
        return self.paginated(
            selectors.membership_list(user=request.user, action=Action.MANAGE_USERS, **filters),
            MembershipSerializer,
        )

    def retrieve(self, request, pk: int):
        return self.show(self._load(request, pk), MembershipSerializer)

    def create(self, request):
        data = self.body(MembershipGrantSerializer)
        membership = services.membership_grant(actor=request.user, **data)
        return self.show(membership, MembershipSerializer, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def end(self, request, pk: int):
        membership = self._load(request, pk)
        data = self.body(MembershipEndSerializer)
        membership = services.membership_end(
            actor=request.user,
            membership=membership,
            on=data.get("on"),
            reason=data.get("reason", ""),
        )
        return self.show(membership, MembershipSerializer)

    def _load(self, request, pk: int):
        return selectors.membership_get(user=request.user, pk=pk, action=Action.MANAGE_USERS)
