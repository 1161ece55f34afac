"""The roles of PRODUCT.md and what each may do where — THE permission matrix and THE grant
policy, as data. A kernel concept: scoping reads it, accounts stores the memberships, every
app's rules build on it, and README shows it (rendered by ``render_permission_matrix`` and
``render_grant_policy``; a test fails when README differs)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    ISO_SECRETARY = "iso_secretary", _("ISO secretary")
    HEAD = "head", _("Head of agency")
    AUDITOR = "auditor", _("Internal auditor")
    OVERSEER = "overseer", _("Overseer")
    INSPECTOR = "inspector", _("Inspector")
    ADMIN = "admin", _("System administrator")


class Action(StrEnum):
    """What a user wants to do with agency-owned data."""

    VIEW = "view"
    CHANGE = "change"
    MANAGE_AGENCIES = "manage_agencies"
    MANAGE_STRUCTURE = "manage_structure"
    MANAGE_USERS = "manage_users"
    OVERSEE = "oversee"
    KEEP_CATALOGUES = "keep_catalogues"
    AUDIT = "audit"
    INSPECT = "inspect"


# What each action covers (README's words; the pages say it in Vietnamese where it matters).
ACTION_MEANING: dict[Action, str] = {
    Action.VIEW: "read the agency's data",
    Action.CHANGE: "work on the agency's QMS data (documents, records…; finer rules per app)",
    Action.MANAGE_AGENCIES: "the registry of agencies: create, rename, move, deactivate, "
    "merge, split; onboarding paper QMS records",
    Action.MANAGE_STRUCTURE: "an agency's departments and its handled procedures",
    Action.MANAGE_USERS: "people and their roles (only the roles of the grant policy)",
    Action.OVERSEE: "read the registry of agencies, the overseer's registry and summaries, "
    "reminders, receipt of announcements",
    Action.KEEP_CATALOGUES: "the shared catalogues: the province's legal texts and TTHC "
    "catalogue (TTHC: overseers of a whole province only)",
    Action.AUDIT: "read the audit trail",
    Action.INSPECT: "the Sở KH&CN's inspections: the year's plan, its two decisions, the team, "
    "the summary (a team reads the QMS of the agencies it inspects during the plan's period "
    "only, whatever its members' roles: eiso/core/scoping.py)",
}


class Reach(StrEnum):
    AGENCY = "agency"  # the membership's agency only
    SUBTREE = "subtree"  # the agency and every agency below it
    EVERYTHING = "everything"


REACH_MEANING: dict[Reach | None, str] = {
    Reach.AGENCY: "own agency",
    Reach.SUBTREE: "agency and below",
    Reach.EVERYTHING: "everywhere",
    None: "—",
}


@dataclass(frozen=True)
class GrantRule:
    """The roles a role may hand out, and where (``reach`` from the granter's agency)."""

    reach: Reach
    roles: tuple[Role, ...]


# THE grant policy: granter role -> what it may grant where. Absent = grants nothing.
# Nobody grants a role above their own in that agency; only administrators grant head,
# overseer, inspector and admin (``ADMIN_ONLY_ROLES``; a test checks both against the data).
GRANT_POLICY: dict[Role, GrantRule] = {
    Role.ISO_SECRETARY: GrantRule(Reach.AGENCY, (Role.STAFF, Role.AUDITOR, Role.ISO_SECRETARY)),
    Role.ADMIN: GrantRule(Reach.EVERYTHING, tuple(Role)),
}

# How far up a role stands inside an agency, for "nobody grants a role above their own".
ROLE_RANK: dict[Role, int] = {
    Role.STAFF: 1,
    Role.AUDITOR: 2,
    Role.ISO_SECRETARY: 2,
    Role.HEAD: 3,
    Role.INSPECTOR: 4,
    Role.OVERSEER: 4,
    Role.ADMIN: 5,
}
ADMIN_ONLY_ROLES = frozenset({Role.HEAD, Role.OVERSEER, Role.INSPECTOR, Role.ADMIN})

# Acts on another person that only an administrator performs (they notify the person).
ADMINISTRATOR_ACTS = (
    "change another person's e-mail address",
    "end another person's role",
    "reset another person's second factor",
)

# THE permission matrix: role -> action -> reach. Anything absent is "nowhere". Finer
# per-object rules (who may approve, who drafts) live in each app's rules.py, on top of this.
# Overseers read, remind, receive, inspect and report: they change no agency's data.
ROLE_REACH: dict[str, dict[Action, Reach]] = {
    Role.STAFF: {Action.VIEW: Reach.AGENCY, Action.CHANGE: Reach.AGENCY},
    Role.ISO_SECRETARY: {
        Action.VIEW: Reach.AGENCY,
        Action.CHANGE: Reach.AGENCY,
        Action.MANAGE_STRUCTURE: Reach.AGENCY,
    },
    Role.HEAD: {
        Action.VIEW: Reach.AGENCY,
        Action.CHANGE: Reach.AGENCY,
        Action.MANAGE_STRUCTURE: Reach.AGENCY,
    },
    Role.AUDITOR: {Action.VIEW: Reach.AGENCY, Action.CHANGE: Reach.AGENCY},
    Role.OVERSEER: {
        Action.VIEW: Reach.SUBTREE,
        Action.OVERSEE: Reach.SUBTREE,
        Action.KEEP_CATALOGUES: Reach.SUBTREE,
        Action.AUDIT: Reach.SUBTREE,
        Action.INSPECT: Reach.SUBTREE,
    },
    Role.INSPECTOR: {Action.VIEW: Reach.AGENCY},
    Role.ADMIN: {action: Reach.EVERYTHING for action in Action},
}
# Managing people is exactly what the grant policy allows: one source for both.
for _role, _rule in GRANT_POLICY.items():
    ROLE_REACH[_role][Action.MANAGE_USERS] = _rule.reach


def reach_of(role: str, action: Action) -> Reach | None:
    return ROLE_REACH.get(role, {}).get(action)


def roles_granted_by(role: str) -> tuple[Role, ...]:
    rule = GRANT_POLICY.get(role)
    return rule.roles if rule else ()


# --- README -------------------------------------------------------------------------------

ROLE_NAMES: dict[Role, str] = {
    Role.STAFF: "staff",
    Role.ISO_SECRETARY: "ISO secretary",
    Role.HEAD: "head",
    Role.AUDITOR: "auditor",
    Role.OVERSEER: "overseer",
    Role.INSPECTOR: "inspector",
    Role.ADMIN: "admin",
}


def render_permission_matrix() -> str:
    """The permission matrix as the Markdown table README shows."""
    roles = list(Role)
    lines = [
        "| action | what it covers | " + " | ".join(ROLE_NAMES[r] for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for action in Action:
        cells = [REACH_MEANING[reach_of(role, action)] for role in roles]
        lines.append(f"| `{action.value}` | {ACTION_MEANING[action]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_grant_policy() -> str:
    """The grant policy as the Markdown table README shows."""
    roles = list(Role)
    lines = [
        "| who grants | where | " + " | ".join(ROLE_NAMES[r] for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for granter in roles:
        rule = GRANT_POLICY.get(granter)
        where = REACH_MEANING[rule.reach] if rule else "—"
        cells = ["yes" if rule and r in rule.roles else "—" for r in roles]
        lines.append(f"| {ROLE_NAMES[granter]} | {where} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Only an administrator may: " + "; ".join(ADMINISTRATOR_ACTS) + ".")
    return "\n".join(lines)


README_BLOCKS = {
    "permission-matrix": render_permission_matrix,
    "grant-policy": render_grant_policy,
}


def readme_with_blocks(text: str) -> str:
    """``text`` (README) with each generated block between its markers replaced by the
    rendering of the data."""
    for name, render in README_BLOCKS.items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        head, found, rest = text.partition(start)
        if not found:
            raise ValueError(f"README lacks the marker {start}")
        _old, found_end, tail = rest.partition(end)
        if not found_end:
            raise ValueError(f"README lacks the marker {end}")
        text = f"{head}{start}\n{render()}\n{end}{tail}"
    return text


# Kept for callers not yet moved to ``eiso.accounts.rules.grantable_roles`` (user import).
ROLES_A_SECRETARY_MAY_GRANT = GRANT_POLICY[Role.ISO_SECRETARY].roles
