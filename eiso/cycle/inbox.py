"""The annual obligations in the work inbox (eiso.core.inbox): for the ISO secretary and the
head, their agency's obligations due soon or overdue (from the snapshot, computed again first
when the agency's data or the rules changed since: one query when nothing did); for overseers,
the escalations of their subtree still not met."""

from __future__ import annotations

from django.utils.translation import gettext as _

from eiso.core import inbox
from eiso.core.roles import Role
from eiso.cycle import rules, selectors, services
from eiso.cycle.choices import ObligationState


@inbox.provider("cycle.obligations")
def obligations_due(ctx: inbox.InboxContext):
    agencies = ctx.agencies_with_role(*rules.RECIPIENT_ROLES)
    if not agencies:
        return []
    ids = [a.pk for a in agencies]
    services.ensure_fresh(agency_ids=ids, on=ctx.today)
    rows = selectors.open_statuses(user=ctx.user, agency_ids=ids, today=ctx.today, limit=ctx.limit)
    return [
        inbox.InboxItem(
            kind="cycle.obligations",
            category=_("Obligation overdue")
            if s.state == ObligationState.OVERDUE
            else _("Obligation due"),
            title=f"{s.title} ({s.label})",
            url=services.obligations_url(s.agency_id, s.year),
            agency_name=str(s.agency),
            due=s.due,
        )
        for s in rows
    ]


@inbox.provider("cycle.escalations")
def escalations(ctx: inbox.InboxContext):
    if not ctx.has_role(Role.OVERSEER) or getattr(ctx.user, "is_superuser", False):
        return []
    rows = selectors.escalations(user=ctx.user, today=ctx.today, limit=ctx.limit)
    return [
        inbox.InboxItem(
            kind="cycle.escalations",
            category=_("Obligation escalated"),
            title=f"{r.rule.title} ({r.instance or r.year})",
            url=services.obligations_url(r.agency_id, r.year),
            agency_name=str(r.agency),
            due=r.due,
            since=r.sent_at,
        )
        for r in rows
    ]
