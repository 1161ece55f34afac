"""Two-factor sign-in: an authenticator app (TOTP, django-otp) and ten one-time recovery
codes, hashed at rest. Required for the roles of ``TWO_FACTOR_REQUIRED_ROLES`` (administrators
and overseers), offered to everyone; an administrator can reset a person's second factor."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from eiso.accounts.models import RecoveryCode, User
from eiso.accounts.rules import is_administrator
from eiso.core.audit import audit_record
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.notifications import notify
from eiso.core.roles import Role

RECOVERY_CODE_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt
DEVICE_NAME = "authenticator"


def required_roles() -> frozenset[str]:
    return frozenset(getattr(settings, "TWO_FACTOR_REQUIRED_ROLES", (Role.ADMIN, Role.OVERSEER)))


def is_required(user, memberships) -> bool:
    """Whether ``user`` must use a second factor: they hold (in any agency) a role that
    requires it; a superuser counts as an administrator."""
    roles = required_roles()
    if user.is_superuser and Role.ADMIN in roles:
        return True
    return any(m.role in roles for m in memberships)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _hash_code(user: User, code: str) -> str:
    return hashlib.sha256(f"{user.pk}:{normalize_code(code)}".encode()).hexdigest()


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _home_agency(user: User):
    first = user.memberships.filter(is_active=True).select_related("agency").first()
    return first.agency if first else None


def pending_device(user: User) -> TOTPDevice:
    """The device being enrolled (not yet confirmed): the same key until it is confirmed, so
    reloading the page does not change the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """Replace the person's recovery codes with ten new ones; returns them (shown once)."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_hash=_hash_code(user, code)) for code in codes]
    )
    audit_record(actor=user, action="user.recovery_codes", obj=user, agency=_home_agency(user))
    return codes


@transaction.atomic
def two_factor_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Finish enrolment with a code from the app: the device becomes the person's only
    authenticator, and ten recovery codes are returned (to be shown once)."""
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if locked.user_id != user.pk or locked.confirmed:
        raise ValidationFailed(_("Start the enrolment again."))
    if not locked.verify_token(normalize_code(code)):
        raise ValidationFailed(
            _("The code is not right. Check the time on your phone and try again."),
            fields={"code": [_("Wrong code.")]},
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    audit_record(actor=user, action="user.two_factor_enrol", obj=user, agency=_home_agency(user))
    return recovery_codes_generate(user=user)


@transaction.atomic
def two_factor_verify(*, user: User, code: str) -> TOTPDevice | None:
    """The person's device when ``code`` is a current code of their app or one of their
    unused recovery codes (then used up); None otherwise. Failures slow further tries down
    (django-otp's throttling)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return None
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        raise ValidationFailed(
            _("Too many wrong codes: wait a moment before trying again."),
            fields={"code": [_("Wait a moment.")]},
        )
    cleaned = normalize_code(code)
    if cleaned.isdigit() and device.verify_token(cleaned):
        return device
    if len(cleaned) == 10:
        used = RecoveryCode.objects.filter(
            user=user, code_hash=_hash_code(user, cleaned), used_at__isnull=True
        ).update(used_at=timezone.now())
        if used:
            device.throttle_reset()
            left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
            audit_record(
                actor=user,
                action="user.recovery_code_used",
                obj=user,
                agency=_home_agency(user),
                changes={"left": left},
            )
            return device
        if not cleaned.isdigit():
            device.throttle_increment()
    return None


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def two_factor_disable(*, user: User, memberships) -> User:
    """A person turns their own second factor off — not when their roles require it."""
    if is_required(user, memberships):
        raise NotPermitted(_("Your roles require two-factor sign-in."))
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_record(actor=user, action="user.two_factor_disable", obj=user, agency=_home_agency(user))
    return user


@transaction.atomic
def two_factor_reset(*, actor, user: User, reason: str = "") -> User:
    """An administrator removes a person's second factor (a lost phone). Every session of the
    person ends; they enrol again at their next sign-in, and are told."""
    from eiso.accounts.services.sessions import sessions_end_all

    if actor is None or not is_administrator(actor):
        raise NotPermitted(_("Only a system administrator resets a second factor."))
    if not reason.strip():
        raise ValidationFailed(
            _("Say why the second factor is reset."), fields={"reason": [_("Required.")]}
        )
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    RecoveryCode.objects.filter(user=user).delete()
    if not removed:
        raise ValidationFailed(_("%(user)s has no second factor.") % {"user": user})
    agency = _home_agency(user)
    audit_record(
        actor=actor, action="user.two_factor_reset", obj=user, agency=agency, reason=reason
    )
    sessions_end_all(user=user)
    notify(
        users=[user],
        agency=agency,
        message=_("%(actor)s reset your two-factor sign-in (%(reason)s). Set it up again.")
        % {"actor": actor, "reason": reason.strip()},
        url=reverse("accounts:two_factor_enrol"),
    )
    return user
