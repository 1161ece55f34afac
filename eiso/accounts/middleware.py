"""Sets ``request.memberships`` (the roles the user holds) and ``request.membership`` (the one
they act as now, chosen in the header and kept in the session), and narrows the user's scope to
that role (``eiso.core.scoping.act_as``): a person with roles in several agencies sees and may
do, on a page, only what the acting role allows there. ``request.all_agencies`` is the explicit
"all my agencies" view (every role at once, lists with an agency column)."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from eiso.accounts.selectors import active_memberships, idle_limit
from eiso.accounts.services.sessions import ACTIVITY_PRECISION, session_touch
from eiso.accounts.services.two_factor import is_required
from eiso.core.middleware import client_ip
from eiso.core.scoping import prime_scope

SESSION_KEY = "eiso_active_membership"
ALL_AGENCIES_KEY = "eiso_all_agencies"


class ActiveMembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.memberships = []
        request.membership = None
        request.all_agencies = False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            memberships = active_memberships(user=user)
            request.memberships = memberships
            chosen = request.session.get(SESSION_KEY)
            request.membership = next(
                (m for m in memberships if m.pk == chosen), memberships[0] if memberships else None
            )
            request.all_agencies = bool(
                len(memberships) > 1 and request.session.get(ALL_AGENCIES_KEY)
            )
            acting = None if request.all_agencies else request.membership
            prime_scope(user, memberships, acting=acting)
        return self.get_response(request)


# --- sign-in hardening ----------------------------------------------------------------------

LAST_ACTIVITY_KEY = "eiso_last_activity"  # epoch seconds of the last noted activity
SECOND_FACTOR_KEY = "eiso_has_second_factor"  # set at sign-in: the person has an authenticator


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _redirect(request: HttpRequest, url: str, params: dict):
    if request.method == "GET":
        params = {"next": request.get_full_path(), **params}
    if params:
        url = f"{url}?{urlencode(params)}"
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


class NoStoreMiddleware:
    """Pages and API answers for a signed-in person are never kept by a browser or a proxy
    cache (``Cache-Control: no-store``): the next person at a shared computer cannot page
    back through them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF sets it for token clients too
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class SessionActivityMiddleware:
    """Signs a person out after ``SESSION_IDLE_MINUTES`` without a request, and notes the
    session's last activity (at most once a minute) for the list of their sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith("/static/"):
            return self.get_response(request)
        now = time.time()
        last = request.session.get(LAST_ACTIVITY_KEY)
        limit = idle_limit()
        if limit is not None and (last is None or now - last > limit.total_seconds()):
            # A session never seen active (older than this check) counts as idle too.
            logout(request)
            if not _is_api(request):
                minutes = int(limit.total_seconds() // 60)
                return _redirect(request, resolve_url(settings.LOGIN_URL), {"idle": minutes})
        elif last is None or now < last or now - last >= ACTIVITY_PRECISION.total_seconds():
            request.session[LAST_ACTIVITY_KEY] = now
            if request.session.session_key:
                session_touch(
                    user=user,
                    session_key=request.session.session_key,
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                    ip_address=client_ip(request),
                )
        return self.get_response(request)


class SecondFactorMiddleware:
    """After the password, a person with an authenticator gives a code before anything else;
    a person whose roles require two-factor sign-in (``TWO_FACTOR_REQUIRED_ROLES``) and has
    none is sent to enrol before anything else. Needs django-otp's ``OTPMiddleware`` and
    ``ActiveMembershipMiddleware`` before it."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _open_paths() -> tuple[str, ...]:
        return (
            reverse("accounts:two_factor_verify"),
            reverse("accounts:two_factor_enrol"),
            reverse("accounts:logout"),
            reverse("set_language"),
            "/static/",
        )

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        if request.session.get(SECOND_FACTOR_KEY):
            target = "accounts:two_factor_verify"
        elif is_required(user, getattr(request, "memberships", [])):
            target = "accounts:two_factor_enrol"
        else:
            return self.get_response(request)
        if request.path.startswith(self._open_paths()):
            return self.get_response(request)
        if _is_api(request):
            message = _("Finish two-factor sign-in in the browser first.")
            body = {"error": {"code": "second_factor_required", "message": message, "fields": {}}}
            return JsonResponse(body, status=403)
        return _redirect(request, reverse(target), {})
