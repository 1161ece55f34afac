"""Helpers shared by the objectives' pages."""

from __future__ import annotations

from eiso.objectives import rules
from eiso.objectives.workflows import OBJECTIVE_SET


def set_permissions(user, objective_set) -> dict:
    """What the person may do with a revision of the objectives, for the templates."""
    actions = set(OBJECTIVE_SET.available(user, objective_set))
    return {
        "actions": actions,
        "can_edit": "edit" in actions,
        "can_draft": rules.can_draft(user, objective_set.agency),
    }
