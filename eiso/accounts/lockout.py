"""Sign-in lockout (django-axes) with two limits: failures of one user name from one address
(``AXES_FAILURE_LIMIT``), and failures from one address over every user name
(``AXES_IP_FAILURE_LIMIT``: one password sprayed over many accounts). The address is the
client's as ``eiso.core.middleware.client_ip`` sees it behind the configured proxies."""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.db.models import Sum

from eiso.accounts.usernames import normalize_username


def username_of(request, credentials) -> str | None:
    """The user name axes counts failures for, normalised as sign-in finds the person (so
    "An" and "an" are one name)."""
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username") if request is not None else None
    return normalize_username(raw) if raw is not None else None


def ip_failures(request) -> int:
    """Failed sign-ins from the request's address within the cool-off time, any user name."""
    ip = getattr(request, "axes_ip_address", None)
    if not ip:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=ip)
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def ip_limit() -> int:
    return int(getattr(settings, "AXES_IP_FAILURE_LIMIT", 30))


class EisoAxesHandler(AxesDatabaseHandler):
    """axes' database handler, with the per-address limit beside the per-name one."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return settings.AXES_LOCK_OUT_AT_FAILURE and ip_failures(request) >= ip_limit()

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if (
            request is not None
            and not getattr(request, "axes_locked_out", False)
            and settings.AXES_LOCK_OUT_AT_FAILURE
            and ip_failures(request) >= ip_limit()
        ):
            request.axes_locked_out = True
            request.axes_credentials = credentials
