"""Who works in an agency, for the agency's page. People and their roles live in
``eiso.accounts``, a layer above this app: accounts registers the source here from its
``AppConfig.ready`` (as the domain apps register their merge hooks), so organizations never
imports accounts."""

from __future__ import annotations

from collections.abc import Callable, Iterable

MembersSource = Callable[..., Iterable]
_SOURCE: list[MembersSource] = []


def register_members_source(fn: MembersSource) -> MembersSource:
    """Register ``fn(*, user, agency)``: the agency's current members the user may see, each
    with ``user``, ``get_role_display()``, ``department`` and ``title``. One source: a second
    registration replaces the first."""
    _SOURCE[:] = [fn]
    return fn


def agency_members(*, user, agency) -> list:
    """The agency's current members as the registered source gives them (none registered:
    nobody)."""
    return list(_SOURCE[0](user=user, agency=agency)) if _SOURCE else []
