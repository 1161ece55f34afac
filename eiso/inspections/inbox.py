"""What waits on whom in inspections: the team — agencies to inspect during the plan's period
and remediation reports to check; the inspected agency's ISO secretary and head — the
remediation to report; the Sở KH&CN's overseers — the summary of a plan whose period is over.
One query per provider, none for people it cannot concern."""

from __future__ import annotations

from django.db.models import DateField, Exists, Max, OuterRef
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core import inbox
from eiso.core.roles import Action, Role
from eiso.core.scoping import team_scope, user_scope
from eiso.inspections.choices import InspectionStatus, Mode, PlanStatus
from eiso.inspections.models import Finding, Inspection, InspectionPlan

VISIT = gettext_lazy("Inspection")
FOLLOW_UP = gettext_lazy("Inspection follow-up")
REMEDIATION = gettext_lazy("Findings of an inspection")
SUMMARY = gettext_lazy("Inspection plan")


def _url(inspection) -> str:
    return reverse("inspections:detail", args=[inspection.pk])


@inbox.provider("inspections.visit")
def agencies_to_inspect(ctx: inbox.InboxContext) -> list[inbox.InboxItem]:
    plans = sorted(team_scope(ctx.user).plan_ids)
    if not plans:
        return []
    rows = (
        Inspection.objects.visible_to(ctx.user)
        .filter(
            plan_id__in=plans,
            status__in=(InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS),
            plan__approved_at__isnull=False,
            plan__team_decision_date__isnull=False,
            plan__period_start__lte=ctx.today,
            plan__period_end__gte=ctx.today,
        )
        .select_related("agency", "plan")
        .annotate(due=Coalesce("date", "plan__period_end", output_field=DateField()))
        .order_by("due", "pk")[: ctx.limit]
    )
    return [
        inbox.InboxItem(
            kind="inspections.visit",
            category=str(VISIT),
            title=(
                _("Inspect %(agency)s on site")
                if i.mode == Mode.ON_SITE
                else _("Inspect %(agency)s through its records")
            )
            % {"agency": i.agency},
            url=_url(i),
            agency_name=str(i.agency),
            due=i.due,
            detail=i.place,
        )
        for i in rows
    ]


@inbox.provider("inspections.follow_up")
def remediation_to_check(ctx: inbox.InboxContext) -> list[inbox.InboxItem]:
    plans = sorted(team_scope(ctx.user).plan_ids)
    if not plans:
        return []
    rows = (
        Inspection.objects.visible_to(ctx.user)
        .filter(plan_id__in=plans, status=InspectionStatus.REMEDIATION_REPORTED)
        .select_related("agency")
        .order_by("remediation_on", "pk")[: ctx.limit]
    )
    return [
        inbox.InboxItem(
            kind="inspections.follow_up",
            category=str(FOLLOW_UP),
            title=_("Check the remediation reported by %(agency)s") % {"agency": i.agency},
            url=_url(i) + "#remediation",
            agency_name=str(i.agency),
        )
        for i in rows
    ]


@inbox.provider("inspections.remediation")
def remediation_to_report(ctx: inbox.InboxContext) -> list[inbox.InboxItem]:
    agencies = ctx.agencies_with_role(Role.ISO_SECRETARY, Role.HEAD)
    if not agencies:
        return []
    rows = (
        Inspection.objects.visible_to(ctx.user)
        .filter(
            agency__in=agencies,
            status=InspectionStatus.CONCLUDED,
            pk__in=Finding.objects.values("inspection_id"),
        )
        .select_related("agency")
        .annotate(due=Max("findings__due_date"))
        .order_by("due", "pk")[: ctx.limit]
    )
    return [
        inbox.InboxItem(
            kind="inspections.remediation",
            category=str(REMEDIATION),
            title=_("Report the remediation of the inspection's findings"),
            url=_url(i) + "#remediation",
            agency_name=str(i.agency),
            due=i.due,
        )
        for i in rows
    ]


@inbox.provider("inspections.summary")
def summaries_to_write(ctx: inbox.InboxContext) -> list[inbox.InboxItem]:
    if not ctx.has_role(Role.OVERSEER, Role.ADMIN) or user_scope(ctx.user, Action.INSPECT).empty:
        return []
    open_visits = Inspection.objects.filter(
        plan=OuterRef("pk"),
        status__in=(InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS),
    )
    rows = (
        InspectionPlan.objects.visible_to(ctx.user, action=Action.INSPECT)
        .filter(status=PlanStatus.APPROVED, period_end__lt=ctx.today)
        .annotate(waiting=Exists(open_visits))
        .select_related("agency")
        .order_by("period_end", "pk")[: ctx.limit]
    )
    return [
        inbox.InboxItem(
            kind="inspections.summary",
            category=str(SUMMARY),
            title=_("Complete the plan “%(plan)s” and report its results") % {"plan": p.title},
            url=reverse("inspections:plan_detail", args=[p.pk]) + "#summary",
            agency_name=str(p.agency),
            due=p.period_end,
            detail=_("Some agencies have no record yet.") if p.waiting else "",
        )
        for p in rows
    ]
