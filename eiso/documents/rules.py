"""Who may do what to documents, on top of the agency scope (eiso.core.scoping)."""

from __future__ import annotations

from eiso.core.roles import Action, Role
from eiso.core.scoping import cached_memberships, roles_in, user_may, user_scope

DRAFTERS = {Role.ISO_SECRETARY, Role.HEAD}
REVIEWERS = {Role.HEAD}
ISSUERS = {Role.HEAD, Role.ISO_SECRETARY}
READ_EVERYTHING = {Role.ISO_SECRETARY, Role.HEAD, Role.AUDITOR}


def can_draft(user, agency) -> bool:
    return bool(roles_in(user, agency) & DRAFTERS)


def can_review(user, agency) -> bool:
    return bool(roles_in(user, agency) & REVIEWERS)


def can_issue(user, agency) -> bool:
    return bool(roles_in(user, agency) & ISSUERS)


def can_keep_external(user, agency, *, shared: bool) -> bool:
    """The province's shared catalogue of legal texts is kept by its admins and overseers;
    an agency's own list of external documents by its ISO secretary or head."""
    if shared:
        return user_may(user, Action.KEEP_CATALOGUES, agency)
    return can_draft(user, agency)


def can_see_drafts(user, agency) -> bool:
    """Staff read only the current issued revisions; the QMS's keepers, its auditors and
    those who oversee the agency from above (or administer everything) read everything."""
    if roles_in(user, agency) & READ_EVERYTHING:
        return True
    scope = user_scope(user, Action.VIEW)
    return scope.everything or any(agency.path.startswith(p) for p in scope.subtree_paths)


def staff_only_agency_ids(user) -> list[int]:
    """Agencies whose documents the user reads as staff: only what is issued."""
    agencies = {m.agency.pk: m.agency for m in cached_memberships(user)}
    return [pk for pk, agency in agencies.items() if not can_see_drafts(user, agency)]
