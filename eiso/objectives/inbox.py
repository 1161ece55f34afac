"""Quality objectives in the work inbox (eiso.core.inbox): objectives to approve or issue (the
head), objectives returned for changes (the secretary), measurements due (each objective's
owner; the secretary for objectives nobody owns)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from eiso.core import inbox
from eiso.core.roles import Role
from eiso.objectives import selectors
from eiso.objectives.choices import SetStatus
from eiso.objectives.models import ObjectiveSet

# A period's value is due this many days after it ends (default practice: the report of a
# quarter within the first ten days of the next one).
MEASUREMENT_GRACE_DAYS = 10


@inbox.provider("objectives.approve")
def objectives_to_approve(ctx: inbox.InboxContext):
    """Submitted objectives wait for the head's approval; approved ones for the decision."""
    agencies = [a.pk for a in ctx.agencies_with_role(Role.HEAD)]
    if not agencies and not ctx.has_role(Role.ADMIN):
        return []
    rows = (
        ObjectiveSet.objects.visible_to(ctx.user)
        .filter(status__in=[SetStatus.SUBMITTED, SetStatus.APPROVED])
        .select_related("agency")
        .order_by("submitted_at", "pk")
    )
    if agencies:
        rows = rows.filter(agency_id__in=agencies)
    return [
        inbox.InboxItem(
            kind="objectives.approve",
            category=_("Quality objectives to approve")
            if s.status == SetStatus.SUBMITTED
            else _("Quality objectives to issue"),
            title=str(s),
            url=reverse("objectives:set_detail", args=[s.pk]),
            agency_name=str(s.agency),
            since=s.submitted_at,
        )
        for s in rows[: ctx.limit]
    ]


@inbox.provider("objectives.returned")
def objectives_returned(ctx: inbox.InboxContext):
    agencies = [a.pk for a in ctx.agencies_with_role(Role.ISO_SECRETARY)]
    if not agencies:
        return []
    rows = (
        ObjectiveSet.objects.visible_to(ctx.user)
        .filter(agency_id__in=agencies, status=SetStatus.RETURNED)
        .select_related("agency")
        .order_by("-updated_at")[: ctx.limit]
    )
    return [
        inbox.InboxItem(
            kind="objectives.returned",
            category=_("Quality objectives returned for changes"),
            title=str(s),
            url=reverse("objectives:set_detail", args=[s.pk]),
            agency_name=str(s.agency),
            detail=s.return_comment,
            since=s.updated_at,
        )
        for s in rows
    ]


@inbox.provider("objectives.measure")
def measurements_due(ctx: inbox.InboxContext):
    """A period of an objective in force ended without its value: due from the owner (the
    secretary sees every objective of the agency)."""
    keeping = ctx.agencies_with_role(Role.ISO_SECRETARY)
    working = [
        m.agency
        for m in ctx.memberships
        if m.role in (Role.STAFF, Role.HEAD) and m.agency not in keeping
    ]
    found = []
    if keeping:
        found += selectors.measurement_due(
            user=ctx.user, agencies=keeping, owner_only=False, today=ctx.today, limit=ctx.limit
        )
    if working:
        found += selectors.measurement_due(
            user=ctx.user, agencies=working, owner_only=True, today=ctx.today, limit=ctx.limit
        )
    grace = datetime.timedelta(days=MEASUREMENT_GRACE_DAYS)
    return [
        inbox.InboxItem(
            kind="objectives.measure",
            category=_("Measurement due"),
            title=f"{objective.indicator} — {period.label}",
            url=reverse("objectives:detail", args=[objective.pk]),
            agency_name=str(objective.agency),
            due=period.end + grace,
        )
        for objective, period in found[: ctx.limit]
    ]
