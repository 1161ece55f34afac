"""Management reviews in the work inbox (eiso.core.inbox): a decision of a review (9.3.3) waits
on its owner from two weeks before its due date, and on the ISO secretary once overdue; the
keepers see a meeting to prepare (within two weeks) or to record (held, minutes not issued)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from eiso.core import inbox
from eiso.core.roles import Role
from eiso.reviews import rules, selectors
from eiso.reviews.choices import ReviewStatus

DUE_SOON_DAYS = 14


def _url(review_id: int, anchor: str = "") -> str:
    return reverse("reviews:detail", args=[review_id]) + (f"#{anchor}" if anchor else "")


def _acting(ctx: inbox.InboxContext, agency_id: int) -> bool:
    return ctx.membership is None or ctx.membership.agency_id == agency_id


@inbox.provider("reviews.output")
def outputs_due(ctx: inbox.InboxContext):
    if not ctx.memberships and not ctx.has_role(Role.ADMIN):
        return []
    rows = selectors.outputs_due(
        user=ctx.user, today=ctx.today, within_days=DUE_SOON_DAYS, limit=ctx.limit
    )
    return [
        inbox.InboxItem(
            kind="reviews.output",
            category=_("Management review action overdue")
            if o.due_date < ctx.today
            else _("Management review action"),
            title=o.description[:160],
            url=_url(o.review_id, "outputs"),
            agency_name=str(o.agency),
            due=o.due_date,
            detail=str(o.review),
        )
        for o in rows
        if _acting(ctx, o.agency_id)
    ]


@inbox.provider("reviews.output_overdue")
def overdue_for_the_secretary(ctx: inbox.InboxContext):
    agencies = ctx.agencies_with_role(Role.ISO_SECRETARY)
    if not agencies:
        return []
    rows = selectors.outputs_overdue_in(
        user=ctx.user, agencies=agencies, today=ctx.today, limit=ctx.limit
    )
    return [
        inbox.InboxItem(
            kind="reviews.output_overdue",
            category=_("Management review action overdue"),
            title=o.description[:160],
            url=_url(o.review_id, "outputs"),
            agency_name=str(o.agency),
            due=o.due_date,
            detail=str(o.owner or ""),
        )
        for o in rows
    ]


@inbox.provider("reviews.meeting")
def meetings(ctx: inbox.InboxContext):
    agencies = ctx.agencies_with_role(*rules.KEEPERS)
    if not agencies:
        return []
    rows = selectors.reviews_waiting(
        user=ctx.user,
        agencies=agencies,
        today=ctx.today,
        within_days=DUE_SOON_DAYS,
        limit=ctx.limit,
    )
    return [
        inbox.InboxItem(
            kind="reviews.meeting",
            category=_("Management review to prepare")
            if r.status == ReviewStatus.PLANNED
            else _("Minutes to issue"),
            title=str(r),
            url=_url(r.pk),
            agency_name=str(r.agency),
            due=r.meeting_date,
        )
        for r in rows
    ]
