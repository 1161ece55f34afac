"""Writes to users and memberships, under THE grant policy (``eiso.core.roles``):
administrators manage everyone; an agency's ISO secretary manages the people of their own
agency with the roles the policy lets a secretary grant — never a role above their own.
Nobody types another person's password: the person gets a link and sets it. Changing another
person's e-mail or ending their role is an administrator's act, and the person is told."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from eiso.accounts.models import Membership, User
from eiso.accounts.rules import grantable_roles, is_administrator
from eiso.accounts.usernames import clean_username, normalize_username
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.notifications import notify
from eiso.core.roles import Action, Role
from eiso.core.scoping import forget_scope, user_may
from eiso.core.text import search_text_of

USER_FIELDS = ("username", "full_name", "email", "position", "phone", "is_active")
# Fields of another person only an administrator changes (sign-in identity and address).
ADMINISTRATOR_FIELDS = ("username", "email")


def _check_may_grant(actor, agency, role: str) -> None:
    if not user_may(actor, Action.MANAGE_USERS, agency):
        raise NotPermitted(_("You cannot manage the people of %(agency)s.") % {"agency": agency})
    if role not in grantable_roles(actor, agency):
        raise NotPermitted(
            _("You cannot grant the role %(role)s in %(agency)s: see who may grant which role.")
            % {"role": Role(role).label, "agency": agency}
        )


def _check_department(agency, department) -> None:
    if department is not None and department.agency_id != agency.pk:
        raise ValidationFailed(
            _("The department does not belong to this agency."),
            fields={"department": [_("Choose a department of this agency.")]},
        )


def _check_may_edit_user(actor, user: User) -> None:
    """An actor may edit another person when every active role of that person is one the
    actor may grant in that agency: a secretary cannot edit someone who also works elsewhere,
    nor a head (a role above her own)."""
    if actor.pk == user.pk or is_administrator(actor):
        return
    if user.is_superuser:
        raise NotPermitted(_("You cannot change this user."))
    memberships = list(user.memberships.filter(is_active=True).select_related("agency"))
    if not memberships or not all(m.role in grantable_roles(actor, m.agency) for m in memberships):
        raise NotPermitted(_("You cannot change this user."))


def _home_agency(user: User):
    """The agency an event about a person is filed under: their first active role's agency."""
    first = user.memberships.filter(is_active=True).select_related("agency").first()
    return first.agency if first else None


def _refresh_search(user: User) -> None:
    user.search_text = search_text_of(user.username, user.full_name, user.email, user.position)


def _account_url() -> str:
    return reverse("accounts:account")


def site_url(base: str = "") -> str:
    """The address links in e-mails start with: ``SITE_URL``, else ``base`` (the request's)."""
    return (getattr(settings, "SITE_URL", "") or base or "").rstrip("/")


def _mail_password_link(user: User, *, base_url: str, welcome: bool) -> bool:
    """E-mail the person a link to set their own password. False when they have no e-mail."""
    if not user.email:
        return False
    root = site_url(base_url)
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "link": f"{root}{path}", "welcome": welcome}
    subject = render_to_string("accounts/password_link_subject.txt", context).strip()
    body = render_to_string("accounts/password_link_email.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )
    return True


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    full_name: str,
    agency,
    role: str,
    email: str = "",
    position: str = "",
    phone: str = "",
    department=None,
    title: str = "",
    base_url: str = "",
    password: str | None = None,
) -> User:
    """Create a user together with their first role. The person receives a link to set their
    own password (when they have an e-mail; otherwise "Forgot your password?" works once an
    administrator records one). ``password`` is for seeding by the system (the demo, a
    superuser's command), never from a page or the API."""
    if password and actor is not None and not actor.is_superuser:
        raise NotPermitted(_("Nobody sets another person's password: they receive a link."))
    username = clean_username(username)
    _check_may_grant(actor, agency, role)
    _check_department(agency, department)
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email.strip(),
        position=position.strip(),
        phone=phone.strip(),
    )
    if password:
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
    if not password:
        _mail_password_link(user, base_url=base_url, welcome=True)
    return user


@transaction.atomic
def user_update(*, actor, user: User, data: dict) -> User:
    """Change a person's details. Another person's user name or e-mail only an administrator
    changes; the person is told (at the old address too)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    _check_may_edit_user(actor, locked)
    if "is_active" in data and locked.pk == actor.pk and not data["is_active"]:
        raise ValidationFailed(_("You cannot deactivate yourself."))
    data = dict(data)
    if "username" in data:
        if normalize_username(data["username"]) == locked.username:
            data.pop("username")
        else:
            data["username"] = clean_username(data["username"], exclude_pk=locked.pk)
    if "email" in data and data["email"].strip().lower() == locked.email.lower():
        data.pop("email")
    sensitive = [name for name in ADMINISTRATOR_FIELDS if name in data]
    if sensitive and locked.pk != actor.pk and not is_administrator(actor):
        raise NotPermitted(
            _("Only a system administrator changes another person's user name or e-mail."),
            fields={name: [_("Only a system administrator changes this.")] for name in sensitive},
        )
    before = snapshot(locked, USER_FIELDS)
    old_email = locked.email
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
    if sensitive and locked.pk != actor.pk:
        _tell_about_identity_change(actor, locked, changes, old_email)
    return locked


def _tell_about_identity_change(actor, person: User, changes: dict, old_email: str) -> None:
    parts = []
    if "username" in changes:
        old, new = changes["username"]
        parts.append(_("user name %(old)s → %(new)s") % {"old": old, "new": new})
    if "email" in changes:
        parts.append(
            _("e-mail %(old)s → %(new)s")
            % {"old": changes["email"][0] or "—", "new": changes["email"][1] or "—"}
        )
    message = _("%(actor)s changed your account: %(what)s.") % {
        "actor": actor,
        "what": "; ".join(parts),
    }
    notify(users=[person], agency=_home_agency(person), message=message, url=_account_url())
    if old_email and old_email != person.email:
        # The old address hears of it too: whoever took the account over cannot hide it.
        transaction.on_commit(
            lambda: send_mail(
                _("e-ISO: your account was changed"),
                message,
                settings.DEFAULT_FROM_EMAIL,
                [old_email],
                fail_silently=True,
            )
        )


@transaction.atomic
def user_send_password_link(*, actor, user: User, base_url: str = "") -> User:
    """Send the person a link to set their own password (nobody types it for them)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    _check_may_edit_user(actor, locked)
    if not locked.is_active:
        raise ValidationFailed(_("The user is inactive; activate them first."))
    if not _mail_password_link(locked, base_url=base_url, welcome=False):
        raise ValidationFailed(
            _("%(user)s has no e-mail address: an administrator records it first.")
            % {"user": locked},
            fields={"email": [_("Required to send the link.")]},
        )
    audit_record(actor=actor, action="user.password_link", obj=locked, agency=_home_agency(locked))
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
    """Give ``user`` a role in ``agency`` — one the grant policy lets the actor grant there."""
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
    """End a role (people rotate often); the row stays for history. An administrator's act:
    the person is told."""
    locked = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("agency", "user")
        .get(pk=membership.pk)
    )
    if not (is_administrator(actor) and user_may(actor, Action.MANAGE_USERS, locked.agency)):
        raise NotPermitted(_("Only a system administrator ends a person's role."))
    if not locked.is_active:
        raise ValidationFailed(_("This role has already ended."))
    if locked.user_id == actor.pk and locked.role == Role.ADMIN:
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
    if locked.user_id != actor.pk:
        notify(
            users=[locked.user],
            agency=locked.agency,
            message=_("%(actor)s ended your role %(role)s in %(agency)s from %(date)s.")
            % {
                "actor": actor,
                "role": locked.get_role_display(),
                "agency": locked.agency,
                "date": locked.ended_on.strftime("%d/%m/%Y"),
            },
            url=_account_url(),
        )
    forget_scope(locked.user)
    return locked


@transaction.atomic
def memberships_carry_over(*, actor, sources, successor, on: datetime.date) -> int:
    """After a merger or split, the people of the retired agencies hold the same roles in the
    successor; their old roles end the day before. Runs as a hook of
    ``eiso.organizations.reorganization``, whose service has already checked that the actor
    may reorganise every agency involved (administrators)."""
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
