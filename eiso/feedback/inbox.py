"""Complaints in the work inbox (eiso.core.inbox): a complaint received and not yet assigned or
answered waits on the ISO secretary and the head; one past its due date reaches them too, and
the person handling it sees every one they hold."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from eiso.core import inbox
from eiso.feedback import rules, selectors
from eiso.feedback.choices import ComplaintStatus


@inbox.provider("feedback.complaint")
def complaints(ctx: inbox.InboxContext):
    if not ctx.memberships and not ctx.has_role("admin"):
        return []
    keep_in = ctx.agencies_with_role(*rules.KEEPERS)
    rows = selectors.complaints_waiting(
        user=ctx.user, keep_in=keep_in, today=ctx.today, limit=ctx.limit
    )
    acting = ctx.membership.agency_id if ctx.membership is not None else None
    items = []
    for c in rows:
        if acting is not None and c.agency_id != acting:
            continue
        if c.due_date < ctx.today:
            category = _("Complaint overdue")
        elif c.status == ComplaintStatus.RECEIVED and c.handler_id != ctx.user.pk:
            category = _("Complaint to assign or answer")
        else:
            category = _("Complaint to answer")
        items.append(
            inbox.InboxItem(
                kind="feedback.complaint",
                category=category,
                title=f"{c.code}: {c.subject}",
                url=reverse("feedback:complaint_detail", args=[c.pk]),
                agency_name=str(c.agency),
                due=c.due_date,
            )
        )
    return items
