"""Who may do what with inspections, on top of the scope: the overseers of the subtree (the
Sở KH&CN; action ``inspect`` of the permission matrix) keep the plan, its decisions, team and
summary; the people on the plan's team fill the checklists, record findings, make the record
and follow the remediation up; the inspected agency's ISO secretary or head report the
remediation. Being on a team is read from ``eiso.core.scoping.team_scope`` (cached per request)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from eiso.core.roles import Action, Role
from eiso.core.scoping import roles_in, team_scope, user_scope

AGENCY_KEEPERS = {Role.ISO_SECRETARY, Role.HEAD}


def can_manage(user, agency) -> bool:
    """Keeps the inspection plans of ``agency`` (the overseer's agency, or one above)."""
    return user_scope(user, Action.INSPECT).covers(agency)


def on_team(user, plan_id: int) -> bool:
    return plan_id in team_scope(user).plan_ids


def keeps_agency(user, agency) -> bool:
    return bool(roles_in(user, agency) & AGENCY_KEEPERS)


def in_period(plan, day: datetime.date | None = None) -> bool:
    day = day or timezone.localdate()
    return plan.period_start <= day <= plan.period_end


# --- the workflows' "who" (actor, object) ------------------------------------------------------


def manages(actor, plan) -> bool:
    return can_manage(actor, plan.agency)


def inspects(actor, inspection) -> bool:
    return on_team(actor, inspection.plan_id)


def remedies(actor, inspection) -> bool:
    return keeps_agency(actor, inspection.agency)
