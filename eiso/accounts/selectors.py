"""Reads of users and memberships; every one starts from ``visible_to``."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from eiso.accounts.models import Membership, User
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
