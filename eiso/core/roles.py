"""The roles of PRODUCT.md and what each may do where. A kernel concept: scoping reads it,
accounts stores it."""

from __future__ import annotations

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
    MANAGE_USERS = "manage_users"
    AUDIT = "audit"


class Reach(StrEnum):
    AGENCY = "agency"  # the membership's agency only
    SUBTREE = "subtree"  # the agency and every agency below it
    EVERYTHING = "everything"


# role -> action -> reach. Anything absent is "nowhere". Finer per-object rules (who may
# approve, who may audit what) live in each app's rules predicates, on top of this.
ROLE_REACH: dict[str, dict[Action, Reach]] = {
    Role.STAFF: {Action.VIEW: Reach.AGENCY, Action.CHANGE: Reach.AGENCY},
    Role.ISO_SECRETARY: {
        Action.VIEW: Reach.AGENCY,
        Action.CHANGE: Reach.AGENCY,
        Action.MANAGE_USERS: Reach.AGENCY,
    },
    Role.HEAD: {Action.VIEW: Reach.AGENCY, Action.CHANGE: Reach.AGENCY},
    Role.AUDITOR: {Action.VIEW: Reach.AGENCY, Action.CHANGE: Reach.AGENCY},
    Role.OVERSEER: {
        Action.VIEW: Reach.SUBTREE,
        Action.MANAGE_AGENCIES: Reach.SUBTREE,
        Action.AUDIT: Reach.SUBTREE,
    },
    Role.INSPECTOR: {Action.VIEW: Reach.AGENCY},
    Role.ADMIN: {action: Reach.EVERYTHING for action in Action},
}

# Roles an agency's ISO secretary may hand out inside their own agency.
ROLES_A_SECRETARY_MAY_GRANT = (Role.STAFF, Role.ISO_SECRETARY, Role.HEAD, Role.AUDITOR)
