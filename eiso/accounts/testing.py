"""Test helpers of accounts (used by other apps' tests too)."""

from __future__ import annotations

import datetime
import secrets

from django.utils import timezone

from eiso.accounts.models import ApiToken
from eiso.accounts.services.tokens import KEY_PREFIX, PREFIX_LENGTH, hash_key


def token_for(user, *, days: int = 365) -> str:
    """A live API key of ``user``, written straight to the table (no audit event, so tests that
    count events are not disturbed), marked as just used so the once-a-minute write of the
    last use stays out of pinned query counts."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    ApiToken.objects.create(
        user=user,
        name="test",
        prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        expires_at=now + datetime.timedelta(days=days),
        last_used_at=now,
    )
    return key
