"""Reads of users and memberships; every one starts from ``visible_to``."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from eiso.accounts.models import ApiToken, Membership, User, UserSession
from eiso.core.roles import Action
from eiso.core.scoping import with_predecessor_flag
from eiso.core.text import vn_fold

USER_ORDERINGS = {
    "username": "username",
    "-username": "-username",
    "name": "full_name",
    "-name": "-full_name",
    "last_login": "last_login",
    "-last_login": "-last_login",
}


def active_memberships(*, user) -> list[Membership]:
    """The roles a signed-in user may switch between (header)."""
    if not user.is_authenticated:
        return []
    return list(
        # The flag lets the scope (primed from these rows) skip looking for merged agencies.
        with_predecessor_flag(
            Membership.objects.filter(user=user, is_active=True, agency__is_active=True)
        )
        .select_related("agency", "department")
        .order_by("agency__path", "role")
    )


def _visible_memberships_prefetch(user, action: Action) -> Prefetch:
    """A user's active memberships that the viewer may see, as ``visible_memberships``."""
    visible = (
        Membership.objects.visible_to(user, action=action)
        .filter(is_active=True)
        .select_related("agency", "department")
    )
    return Prefetch("memberships", queryset=visible, to_attr="visible_memberships")


def user_list(
    *,
    user,
    q: str = "",
    role: str = "",
    agency=None,
    status: str = "",
    ordering: str = "username",
    action: Action = Action.VIEW,
) -> QuerySet[User]:
    """Users whose memberships the viewer may see, with those memberships prefetched (two
    queries in all)."""
    qs = User.objects.visible_to(user, action=action)
    if q:
        qs = qs.filter(search_text__contains=vn_fold(q))
    if role or agency is not None:
        matching = Membership.objects.visible_to(user, action=action).filter(is_active=True)
        if role:
            matching = matching.filter(role=role)
        if agency is not None:
            matching = matching.filter(agency__path__startswith=agency.path)
        qs = qs.filter(pk__in=matching.values("user_id"))
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    return qs.prefetch_related(_visible_memberships_prefetch(user, action)).order_by(
        USER_ORDERINGS.get(ordering, "username"), "pk"
    )


def user_get(*, user, pk: int, action: Action = Action.VIEW) -> User:
    """One user in scope (else 404), with ``visible_memberships`` like ``user_list``."""
    try:
        return (
            User.objects.visible_to(user, action=action)
            .prefetch_related(_visible_memberships_prefetch(user, action))
            .get(pk=pk)
        )
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def membership_list(
    *,
    user,
    action: Action = Action.VIEW,
    of_user: User | None = None,
    agency=None,
    active: bool | None = None,
) -> QuerySet[Membership]:
    """Memberships in the viewer's scope for ``action``; ``active`` True/False/None for
    current/ended/all. One query."""
    qs = Membership.objects.visible_to(user, action=action).select_related(
        "agency", "user", "department"
    )
    if of_user is not None:
        qs = qs.filter(user=of_user)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("-is_active", "agency__path", "role", "pk")


def membership_get(*, user, pk: int, action: Action = Action.VIEW) -> Membership:
    try:
        return (
            Membership.objects.visible_to(user, action=action)
            .select_related("agency", "user", "department")
            .get(pk=pk)
        )
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """The person's own API tokens, live ones first (revoked and expired ones stay listed)."""
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-pk")


def api_token_get(*, user, pk: int) -> ApiToken:
    """One of the person's own tokens (another's is a 404)."""
    try:
        return ApiToken.objects.select_related("user").get(user=user, pk=pk)
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def idle_limit() -> datetime.timedelta | None:
    """How long a session may stay unused (``SESSION_IDLE_MINUTES``; 0 = no limit)."""
    minutes = int(getattr(settings, "SESSION_IDLE_MINUTES", 30) or 0)
    return datetime.timedelta(minutes=minutes) if minutes > 0 else None


def max_session_age() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def session_alive_since() -> tuple[datetime.datetime, datetime.datetime | None]:
    """``(signed in after, active after)``: a session older or idler than this has ended."""
    now = timezone.now()
    limit = idle_limit()
    return now - max_session_age(), (now - limit if limit is not None else None)


def active_sessions(*, user) -> QuerySet[UserSession]:
    """The person's sessions still alive (not past their age, used within the idle limit)."""
    signed_in_after, active_after = session_alive_since()
    rows = UserSession.objects.filter(user=user, created_at__gte=signed_in_after)
    if active_after is not None:
        rows = rows.filter(last_activity__gte=active_after)
    return rows.order_by("-last_activity", "-pk")


def session_get(*, user, pk: int) -> UserSession:
    """One of the person's own sessions (another's is a 404)."""
    try:
        return UserSession.objects.get(user=user, pk=pk)
    except (UserSession.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def two_factor_status(user) -> dict:
    """Whether the person has an authenticator, and how many recovery codes they have left
    (two queries)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from eiso.accounts.models import RecoveryCode

    return {
        "enrolled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "codes_left": RecoveryCode.objects.filter(user=user, used_at__isnull=True).count(),
    }
