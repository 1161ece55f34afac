"""Nonconformities in the work inbox (eiso.core.inbox): corrective actions overdue or due within
two weeks reach their owner, overdue ones the ISO secretary too; a record waits on its
responsible person (plan to write), on the keepers (plan to approve) and on the verifiers
(effectiveness to check)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from eiso.core import inbox
from eiso.core.roles import Role
from eiso.improvements import rules, selectors
from eiso.improvements.choices import NcStatus

DUE_SOON_DAYS = 14


def _url(nc_id: int) -> str:
    return reverse("improvements:detail", args=[nc_id])


def _in_acting(ctx: inbox.InboxContext, agency_id: int) -> bool:
    return ctx.membership is None or ctx.membership.agency_id == agency_id


@inbox.provider("improvements.action")
def actions_due(ctx: inbox.InboxContext):
    if not ctx.memberships and not ctx.has_role(Role.ADMIN):
        return []
    rows = selectors.actions_due(
        user=ctx.user, today=ctx.today, within_days=DUE_SOON_DAYS, limit=ctx.limit
    )
    return [
        inbox.InboxItem(
            kind="improvements.action",
            category=_("Corrective action overdue")
            if a.due_date < ctx.today
            else _("Corrective action"),
            title=f"{a.nonconformity.code}: {a.action}",
            url=_url(a.nonconformity_id) + "#actions",
            agency_name=str(a.agency),
            due=a.due_date,
        )
        for a in rows
        if _in_acting(ctx, a.agency_id)
    ]


@inbox.provider("improvements.action_overdue")
def overdue_for_the_secretary(ctx: inbox.InboxContext):
    agencies = ctx.agencies_with_role(Role.ISO_SECRETARY)
    if not agencies:
        return []
    rows = selectors.actions_overdue_in(
        user=ctx.user, agencies=agencies, today=ctx.today, limit=ctx.limit
    )
    return [
        inbox.InboxItem(
            kind="improvements.action_overdue",
            category=_("Corrective action overdue"),
            title=f"{a.nonconformity.code}: {a.action}",
            url=_url(a.nonconformity_id) + "#actions",
            agency_name=str(a.agency),
            due=a.due_date,
            detail=str(a.owner or ""),
        )
        for a in rows
    ]


@inbox.provider("improvements.record")
def records_waiting(ctx: inbox.InboxContext):
    if not ctx.memberships:
        return []
    keep_in = ctx.agencies_with_role(*rules.KEEPERS)
    verify_in = ctx.agencies_with_role(*rules.VERIFIERS)
    rows = selectors.records_waiting(
        user=ctx.user, owned=True, keep_in=keep_in, verify_in=verify_in, limit=ctx.limit
    )
    labels = {
        NcStatus.OPEN: _("Nonconformity to answer"),
        NcStatus.PLANNED: _("Corrective-action plan to approve"),
        NcStatus.AWAITING_VERIFICATION: _("Effectiveness to verify"),
    }
    return [
        inbox.InboxItem(
            kind="improvements.record",
            category=labels[nc.status],
            title=f"{nc.code}: {nc.title}",
            url=_url(nc.pk),
            agency_name=str(nc.agency),
            due=nc.due_date,
        )
        for nc in rows
        if _in_acting(ctx, nc.agency_id)
    ]
