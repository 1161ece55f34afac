"""Querysets of the inspections' own records: agency-owned like every row, and also read by the
team of their plan (``inspection_plan_field``, eiso.core.scoping) — the inspected agency sees
its inspection, the overseers their subtree's, the team its plan's, any day."""

from __future__ import annotations

from eiso.core.scoping import AgencyScopedQuerySet


class PlanQuerySet(AgencyScopedQuerySet):
    inspection_plan_field = "id"


class PlanChildQuerySet(AgencyScopedQuerySet):
    """Team members and inspections: rows of one plan."""

    inspection_plan_field = "plan"


class InspectionChildQuerySet(AgencyScopedQuerySet):
    """Checklist answers and findings: rows of one inspection."""

    inspection_plan_field = "inspection__plan"
