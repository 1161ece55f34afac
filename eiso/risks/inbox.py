"""The risk register in the work inbox (eiso.core.inbox): treatments overdue or due within two
weeks reach their owner."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from eiso.core import inbox
from eiso.risks import selectors

DUE_SOON_DAYS = 14


@inbox.provider("risks.treatment")
def treatments_due(ctx: inbox.InboxContext):
    if not ctx.memberships and not ctx.has_role("admin"):
        return []
    rows = selectors.treatments_due(
        user=ctx.user, today=ctx.today, within_days=DUE_SOON_DAYS, limit=ctx.limit
    )
    agencies = {m.agency.pk for m in ctx.memberships}
    return [
        inbox.InboxItem(
            kind="risks.treatment",
            category=_("Risk treatment overdue") if t.due_date < ctx.today else _("Risk treatment"),
            title=f"{t.risk.code}: {t.action}",
            url=reverse("risks:detail", args=[t.risk_id]),
            agency_name=str(t.agency),
            due=t.due_date,
        )
        for t in rows
        if ctx.membership is None or t.agency_id in agencies
    ]
