"""Writes to users and memberships. Admins manage everyone; an agency's ISO secretary manages
the people of their own agency, with the roles ROLES_A_SECRETARY_MAY_GRANT."""

from __future__ import annotations

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from eiso.accounts.models import Membership, User
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.roles import ROLES_A_SECRETARY_MAY_GRANT, Action, Role
from eiso.core.scoping import forget_scope, user_may, user_scope
from eiso.core.text import search_text_of

USER_FIELDS = ("username", "full_name", "email", "position", "phone", "is_active")


def _check_may_grant(actor, agency, role: str) -> None:
    if not user_may(actor, Action.MANAGE_USERS, agency):
        raise NotPermitted(_("You cannot manage the people of %(agency)s.") % {"agency": agency})
    if user_scope(actor, Action.MANAGE_USERS).everything:
        return
    if role not in ROLES_A_SECRETARY_MAY_GRANT:
        raise NotPermitted(
            _("Only a system administrator can grant the role %(role)s.")
            % {"role": Role(role).label}
        )


def _check_department(agency, department) -> None:
    if department is not None and department.agency_id != agency.pk:
        raise ValidationFailed(
            _("The department does not belong to this agency."),
            fields={"department": [_("Choose a department of this agency.")]},
        )


def _check_may_edit_user(actor, user: User) -> None:
    """An actor may edit a user when every agency the user belongs to is in the actor's
    user-management scope (a secretary cannot edit someone who also works elsewhere)."""
    if actor.pk == user.pk:
        return
    scope = user_scope(actor, Action.MANAGE_USERS)
    if scope.everything:
        return
    if user.is_superuser:
        raise NotPermitted(_("You cannot change this user."))
    memberships = list(user.memberships.filter(is_active=True).select_related("agency"))
    if not memberships or not all(scope.covers(m.agency) for m in memberships):
        raise NotPermitted(_("You cannot change this user."))


def _check_username_free(username: str, exclude_pk: int | None = None) -> None:
    qs = User.objects.filter(username__iexact=username)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationFailed(
            _("The user name %(username)s is already taken.") % {"username": username},
            fields={"username": [_("This user name is already taken.")]},
        )


def _home_agency(user: User):
    """The agency an event about a person is filed under: their first active role's agency."""
    first = user.memberships.filter(is_active=True).select_related("agency").first()
    return first.agency if first else None


def _refresh_search(user: User) -> None:
    user.search_text = search_text_of(user.username, user.full_name, user.email, user.position)


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    full_name: str,
    agency,
    role: str,
    email: str = "",
    password: str | None = None,
    position: str = "",
    phone: str = "",
    department=None,
    title: str = "",
) -> User:
    """Create a user together with their first membership."""
    username = username.strip()
    _check_may_grant(actor, agency, role)
    _check_department(agency, department)
    _check_username_free(username)
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email.strip(),
        position=position.strip(),
        phone=phone.strip(),
    )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationFailed(
                " ".join(exc.messages), fields={"password": list(exc.messages)}
            ) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    _refresh_search(user)
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        agency=agency,
        changes=snapshot(user, USER_FIELDS),
    )
    membership_grant(
        actor=actor, user=user, agency=agency, role=role, department=department, title=title
    )
    return user


@transaction.atomic
def user_update(*, actor, user: User, data: dict) -> User:
    locked = User.objects.select_for_update().get(pk=user.pk)
    _check_may_edit_user(actor, locked)
    if "is_active" in data and locked.pk == actor.pk and not data["is_active"]:
        raise ValidationFailed(_("You cannot deactivate yourself."))
    if "username" in data and data["username"].strip().lower() != locked.username.lower():
        _check_username_free(data["username"].strip(), exclude_pk=locked.pk)
    before = snapshot(locked, USER_FIELDS)
    for name in USER_FIELDS:
        if name in data:
            value = data[name]
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _refresh_search(locked)
    locked.save()
    changes = changes_between(before, snapshot(locked, USER_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="user.update",
            obj=locked,
            agency=_home_agency(locked),
            changes=changes,
        )
    return locked


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    locked = User.objects.select_for_update().get(pk=user.pk)
    _check_may_edit_user(actor, locked)
    try:
        validate_password(password, locked)
    except ValidationError as exc:
        raise ValidationFailed(
            " ".join(exc.messages), fields={"password": list(exc.messages)}
        ) from exc
    locked.set_password(password)
    locked.save(update_fields=["password"])
    audit_record(actor=actor, action="user.set_password", obj=locked, agency=_home_agency(locked))
    return locked


@transaction.atomic
def membership_grant(
    *,
    actor,
    user: User,
    agency,
    role: str,
    department=None,
    title: str = "",
    started_on: datetime.date | None = None,
) -> Membership:
    """Give ``user`` a role in ``agency``."""
    if role not in Role.values:
        raise ValidationFailed(
            _("Unknown role %(role)s.") % {"role": role}, fields={"role": [_("Unknown role.")]}
        )
    _check_may_grant(actor, agency, role)
    _check_department(agency, department)
    if not agency.is_active:
        raise ValidationFailed(_("The agency is inactive."))
    if Membership.objects.filter(user=user, agency=agency, role=role, is_active=True).exists():
        raise ValidationFailed(
            _("%(user)s already holds this role in this agency.") % {"user": user},
            fields={"role": [_("Already held.")]},
        )
    membership = Membership.objects.create(
        user=user,
        agency=agency,
        role=role,
        department=department,
        title=title.strip(),
        started_on=started_on or timezone.localdate(),
    )
    audit_record(
        actor=actor,
        action="membership.grant",
        obj=membership,
        changes={"user": str(user), "role": role, "department": str(department or "")},
    )
    forget_scope(user)
    return membership


@transaction.atomic
def membership_end(
    *, actor, membership: Membership, on: datetime.date | None = None, reason: str = ""
) -> Membership:
    """End a role (people rotate often); the row stays for history."""
    locked = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("agency", "user")
        .get(pk=membership.pk)
    )
    _check_may_grant(actor, locked.agency, locked.role)
    if not locked.is_active:
        raise ValidationFailed(_("This role has already ended."))
    if locked.user_id == actor.pk and locked.role in (Role.ADMIN, Role.ISO_SECRETARY):
        others = Membership.objects.filter(user=actor, role=locked.role, is_active=True).exclude(
            pk=locked.pk
        )
        if not others.exists() and not actor.is_superuser:
            raise ValidationFailed(_("You cannot end your own last management role."))
    locked.is_active = False
    locked.ended_on = on or timezone.localdate()
    locked.save(update_fields=["is_active", "ended_on", "updated_at"])
    audit_record(
        actor=actor,
        action="membership.end",
        obj=locked,
        changes={"is_active": [True, False], "ended_on": [None, locked.ended_on]},
        reason=reason,
    )
    forget_scope(locked.user)
    return locked


@transaction.atomic
def api_token_issue(*, actor, user: User, rotate: bool = False) -> Token:
    """The API token of an integration account: created when missing, replaced on
    ``rotate`` (the old one stops working at once)."""
    if not user.is_active:
        raise ValidationFailed(_("The user is inactive; activate them first."))
    if actor is not None and not user_scope(actor, Action.MANAGE_USERS).everything:
        raise NotPermitted(_("Only a system administrator can issue API tokens."))
    if rotate:
        Token.objects.filter(user=user).delete()
    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit_record(
            actor=actor,
            action="user.token_rotate" if rotate else "user.token_issue",
            obj=user,
            agency=_home_agency(user),
        )
    return token


@transaction.atomic
def memberships_carry_over(*, actor, sources, successor, on: datetime.date) -> int:
    """After a merger or split, the people of the retired agencies hold the same roles in the
    successor; their old roles end the day before. Runs as a hook of
    ``eiso.organizations.reorganization``, whose service has already checked that the actor
    may reorganise every agency involved (overseers do, without managing users otherwise)."""
    ended_on = on - datetime.timedelta(days=1)
    moved = 0
    old_roles = (
        Membership.objects.select_for_update(of=("self",))
        .filter(agency__in=[s.pk for s in sources], is_active=True)
        .select_related("user")
    )
    for old in old_roles:
        already = Membership.objects.filter(
            user=old.user, agency=successor, role=old.role, is_active=True
        ).exists()
        if not already:
            Membership.objects.create(
                user=old.user,
                agency=successor,
                role=old.role,
                title=old.title,
                started_on=on,
            )
        old.is_active, old.ended_on = False, ended_on
        old.save(update_fields=["is_active", "ended_on", "updated_at"])
        audit_record(
            actor=actor,
            action="membership.carry_over",
            obj=old,
            agency=successor,
            changes={"from": str(old.agency), "to": str(successor), "role": old.role},
        )
        forget_scope(old.user)
        moved += 1
    return moved
