"""Abuse resistance of the public pages and forms, without a CAPTCHA service (nothing is loaded
from elsewhere, nobody is tracked):

- **rate limits per client address** (``throttle``): a fixed window counted in the cache, the
  address from ``eiso.core.middleware.client_ip`` (``X-Forwarded-For`` only from
  ``TRUSTED_PROXIES``); over the limit a visitor gets 429 with ``Retry-After``;
- **a honeypot field** (``HONEYPOT``): an input people never see nor reach with the keyboard;
  a robot that fills it is told "thank you" and nothing is kept;
- **a signed, short-lived form token** (``form_token``/``check_token``): issued with the form
  (``django.core.signing``, bound to the form and its agency), valid ``TOKEN_MAX_AGE``,
  refused when sent back faster than a person could fill the form (``MIN_SECONDS``), and
  spent on first use (its nonce kept in the cache): a form cannot be replayed;
- **duplicate suppression** (``first_time``): the same content from the same address within
  ``DUPLICATE_SECONDS`` is kept once (a double click, a refresh, a loop).

Limits may be changed with the ``PUBLIC_RATE_LIMITS`` setting (``{"rating": (10, 3600)}``:
10 per hour). With several app processes the cache must be shared (``CACHE_URL``), or each
process counts on its own."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from eiso.core.middleware import client_ip

# scope: (requests, per seconds) for one client address
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "page": (240, 60),  # public pages viewed
    "file": (60, 60),  # files downloaded
    "rating": (10, 3600),  # ratings sent
    "complaint": (5, 3600),  # complaints sent
    "lookup": (20, 600),  # tracking codes looked up
}
HONEYPOT = "website"
TOKEN_FIELD = "form_token"
TOKEN_SALT = "eiso.portal.form"
TOKEN_MAX_AGE = 2 * 3600
MIN_SECONDS = 2
DUPLICATE_SECONDS = 600


def limit(scope: str) -> tuple[int, int]:
    configured = getattr(settings, "PUBLIC_RATE_LIMITS", {}) or {}
    count, seconds = configured.get(scope, DEFAULT_LIMITS[scope])
    return int(count), int(seconds)


def address(request) -> str:
    return client_ip(request) or "unknown"


def throttle(request, scope: str) -> int | None:
    """Count this request against ``scope``'s limit for the client's address; the seconds to
    wait when it is over the limit, else None."""
    count, seconds = limit(scope)
    now = time.time()
    window = int(now // seconds)
    key = f"portal:rl:{scope}:{address(request)}:{window}"
    if cache.add(key, 1, seconds + 5):
        used = 1
    else:
        try:
            used = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, seconds + 5)
            used = 1
    if used > count:
        return max(1, int(seconds - now % seconds))
    return None


# --- the form token ---------------------------------------------------------------------------


class TokenError(Exception):
    """The form token is missing, forged, for another form, expired, too fresh or spent."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def form_token(purpose: str, target: str) -> str:
    """A token for one form (``purpose``: "rating", "complaint") about ``target`` (the agency's
    code, the desk…), signed with the site's secret and timestamped."""
    payload = {"p": purpose, "t": target, "n": secrets.token_urlsafe(12), "s": int(time.time())}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


@dataclass(frozen=True)
class Token:
    nonce: str
    issued: int


def check_token(value: str, purpose: str, target: str) -> Token:
    """The token, if it is genuine, for this form and target, not expired and not sent back
    faster than ``MIN_SECONDS``; ``TokenError`` otherwise. Not yet spent: see ``spend``."""
    if not value:
        raise TokenError("missing")
    try:
        payload = signing.loads(value, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise TokenError("expired") from None
    except signing.BadSignature:
        raise TokenError("forged") from None
    if not isinstance(payload, dict) or payload.get("p") != purpose or payload.get("t") != target:
        raise TokenError("forged")
    issued = int(payload.get("s") or 0)
    minimum = getattr(settings, "PUBLIC_FORM_MIN_SECONDS", MIN_SECONDS)
    if time.time() - issued < minimum:
        raise TokenError("too_fast")
    return Token(nonce=str(payload.get("n")), issued=issued)


def spend(token: Token) -> bool:
    """Mark the token used; False when it already was (the same form sent twice)."""
    return cache.add(f"portal:nonce:{token.nonce}", 1, TOKEN_MAX_AGE + 60)


# --- honeypot and duplicates -----------------------------------------------------------------


def honeypot_filled(data) -> bool:
    return bool((data.get(HONEYPOT) or "").strip())


def first_time(request, purpose: str, *parts: object) -> bool:
    """Whether this content from this address is new within ``DUPLICATE_SECONDS`` (then it is
    remembered). Only a keyed digest is kept, never the address itself."""
    text = "\x1f".join(str(p) for p in (purpose, address(request), *parts))
    digest = salted_hmac("eiso.portal.duplicate", text).hexdigest()
    key = "portal:dup:" + hashlib.sha256(digest.encode()).hexdigest()[:40]
    return cache.add(key, 1, DUPLICATE_SECONDS)
