"""The work inbox ("Việc cần làm"): everything waiting on one person in the role they act as.

Each module contributes its items from its own ``inbox.py`` (found at start-up, like admin
modules) with one decorated function::

    @inbox.provider("documents.review")
    def revisions_to_review(ctx: inbox.InboxContext) -> Iterable[inbox.InboxItem]:
        if not ctx.has_role(Role.HEAD):
            return []
        rows = Revision.objects.visible_to(ctx.user).filter(...)[: ctx.limit]
        return [inbox.InboxItem(...) for r in rows]

A provider answers with a fixed number of queries (never one per row) and at most
``ctx.limit`` items, so the inbox's query count does not grow with the data. The inbox neither
knows nor imports the modules: adding a module never touches this file.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from eiso.core import scoping

LIMIT = 100  # items per provider: a longer backlog is shown as "and more" on the module's list


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting on the person. ``kind`` is the provider's key; ``category`` the
    label of the kind of work (translated); ``url`` where the work is done."""

    kind: str
    category: str
    title: str
    url: str
    agency_name: str = ""
    due: datetime.date | None = None
    since: datetime.datetime | None = None
    detail: str = ""

    def overdue_on(self, today: datetime.date) -> bool:
        return self.due is not None and self.due < today


@dataclass
class InboxContext:
    """Who asks, in which role and agency, and on which day. ``membership`` is the role the
    person acts as (the header's switch); ``None`` means every role they hold (API clients,
    the "all my agencies" view)."""

    user: object
    membership: object | None = None
    today: datetime.date = field(default_factory=timezone.localdate)
    limit: int = LIMIT

    @property
    def memberships(self) -> list:
        if self.membership is not None:
            return [self.membership]
        return scoping.cached_memberships(self.user)

    def has_role(self, *roles: str) -> bool:
        """Whether the person acts in one of ``roles`` (administrators hold every role)."""
        if getattr(self.user, "is_superuser", False):
            return True
        return any(m.role in roles for m in self.memberships)

    def agencies_with_role(self, *roles: str) -> list:
        """The agencies in which the person acts in one of ``roles``."""
        return [m.agency for m in self.memberships if m.role in roles]


Provider = Callable[[InboxContext], Iterable[InboxItem]]
_providers: dict[str, Provider] = {}


def provider(key: str) -> Callable[[Provider], Provider]:
    """Register ``function`` as the inbox provider ``key`` (one per key)."""

    def register(function: Provider) -> Provider:
        _providers[key] = function
        return function

    return register


def providers() -> dict[str, Provider]:
    return dict(_providers)


def autodiscover() -> None:
    autodiscover_modules("inbox")


def _sort_key(today: datetime.date):
    far = datetime.date.max

    def key(item: InboxItem):
        since = item.since.timestamp() if item.since else 0.0
        return (not item.overdue_on(today), item.due or far, -since, item.title)

    return key


def inbox_for(
    user, *, membership=None, today: datetime.date | None = None, kinds: Iterable[str] = ()
) -> list[InboxItem]:
    """Everything waiting on ``user`` acting as ``membership`` (every role when None):
    overdue first, then by due date (undated last), then the newest."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    ctx = InboxContext(user=user, membership=membership, today=today or timezone.localdate())
    wanted = set(kinds)
    items: list[InboxItem] = []
    for key, function in sorted(_providers.items()):
        if wanted and key not in wanted:
            continue
        items.extend(function(ctx))
    items.sort(key=_sort_key(ctx.today))
    return items
