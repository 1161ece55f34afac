"""API tokens: issued with a name and an expiry, shown once, stored as a SHA-256 hash, their
last use kept, revoked one by one or all at once when the password changes."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.accounts.models import ApiToken, User
from eiso.accounts.rules import is_administrator
from eiso.core.audit import audit_record
from eiso.core.errors import NotPermitted, ValidationFailed

KEY_PREFIX = "eiso_"
PREFIX_LENGTH = len(KEY_PREFIX) + 6  # what the lists show of a key: "eiso_Ab3xYz…"
MAX_DAYS = 3650
# The last use is written at most this often per token (a write per request would cost).
LAST_USE_PRECISION = datetime.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def default_days() -> int:
    return int(getattr(settings, "API_TOKEN_DAYS", 365))


def _home_agency(user: User):
    first = user.memberships.filter(is_active=True).select_related("agency").first()
    return first.agency if first else None


def _check_may_manage_tokens(actor, user: User) -> None:
    """A person manages their own tokens; an administrator those of anyone (integration
    accounts); a command (no actor) anyone's."""
    if actor is None or actor.pk == user.pk or is_administrator(actor):
        return
    raise NotPermitted(_("You cannot manage the API tokens of another person."))


@transaction.atomic
def api_token_create(
    *, actor, user: User, name: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """Issue a token; returns it with its key, which is never shown again."""
    _check_may_manage_tokens(actor, user)
    if not user.is_active:
        raise ValidationFailed(_("The user is inactive; activate them first."))
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(
            _("Give the token a name (what uses it)."), fields={"name": [_("Required.")]}
        )
    days = default_days() if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(
            _("A token is valid for 1 to %(max)s days.") % {"max": MAX_DAYS},
            fields={"days": [_("Between 1 and %(max)s.") % {"max": MAX_DAYS}]},
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action="api_token.create",
        obj=token,
        agency=_home_agency(user),
        changes={"user": user.username, "name": token.name, "expires_at": token.expires_at},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken, reason: str = "") -> ApiToken:
    locked = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    _check_may_manage_tokens(actor, locked.user)
    if locked.revoked_at is not None:
        raise ValidationFailed(_("This token is already revoked."))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoke",
        obj=locked,
        agency=_home_agency(locked.user),
        reason=reason,
    )
    return locked


@transaction.atomic
def api_tokens_revoke_all(*, actor, user: User, reason: str) -> int:
    """Revoke every live token of ``user`` (after a password change). Returns how many."""
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count:
        audit_record(
            actor=actor,
            action="api_token.revoke_all",
            obj=user,
            agency=_home_agency(user),
            changes={"revoked": count},
            reason=reason,
        )
    return count


def api_token_authenticate(key: str) -> tuple[User, ApiToken] | None:
    """The user a key signs in, or None (unknown, revoked, expired, or the user inactive).
    One query; the last use is written at most once a minute."""
    if not key or len(key) > 200:  # keys carried over from before have no prefix
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token
