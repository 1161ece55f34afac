"""Internal audits in the work inbox (eiso.core.inbox) — the auditor's home: checklists to fill
(their lines of the schedule with questions not answered), findings they recorded awaiting the
department's reply; for the keepers, findings to reply to; for the head, plans ready to
approve."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from eiso.audits import rules, selectors
from eiso.core import inbox
from eiso.core.roles import Role


def _acting(ctx: inbox.InboxContext, agency_id: int) -> bool:
    return ctx.membership is None or ctx.membership.agency_id == agency_id


@inbox.provider("audits.checklist")
def checklists_to_fill(ctx: inbox.InboxContext):
    if not ctx.has_role(Role.AUDITOR, *rules.KEEPERS, Role.STAFF):
        return []
    rows = selectors.sessions_to_fill(user=ctx.user, limit=ctx.limit)
    return [
        inbox.InboxItem(
            kind="audits.checklist",
            category=_("Checklist to fill"),
            title=f"{s.audit.label}: {s.department or s.process}",
            url=reverse("audits:checklist", args=[s.audit_id]) + f"?session={s.pk}",
            agency_name=str(s.agency),
            due=s.date,
            detail=_("%(done)s of %(total)s answered")
            % {"done": s.answered_count, "total": s.question_count},
        )
        for s in rows
        if _acting(ctx, s.agency_id)
    ]


@inbox.provider("audits.finding")
def findings_awaiting_reply(ctx: inbox.InboxContext):
    if not ctx.memberships:
        return []
    keep_in = ctx.agencies_with_role(*rules.KEEPERS)
    recorded_by = ctx.user if ctx.has_role(Role.AUDITOR) or keep_in else None
    if recorded_by is None and not keep_in:
        return []
    rows = selectors.findings_awaiting(
        user=ctx.user, recorded_by=recorded_by, agencies=keep_in, limit=ctx.limit
    )
    items = []
    for f in rows:
        if not _acting(ctx, f.agency_id):
            continue
        mine = f.recorded_by_id == ctx.user.pk
        if f.is_nonconformity and f.nonconformity_id:
            url = reverse("improvements:detail", args=[f.nonconformity_id])
        else:
            url = reverse("audits:detail", args=[f.audit_id]) + "#findings"
        items.append(
            inbox.InboxItem(
                kind="audits.finding",
                category=_("Finding awaiting a reply") if mine else _("Finding to reply to"),
                title=f"{f.audit.label} {f.code}: {f.description[:120]}",
                url=url,
                agency_name=str(f.agency),
                detail=str(f.department or ""),
            )
        )
    return items


@inbox.provider("audits.plan")
def plans_to_approve(ctx: inbox.InboxContext):
    agencies = ctx.agencies_with_role(*rules.APPROVERS)
    if not agencies:
        return []
    rows = selectors.plans_to_approve(
        user=ctx.user, agencies=agencies, today=ctx.today, limit=ctx.limit
    )
    return [
        inbox.InboxItem(
            kind="audits.plan",
            category=_("Audit plan to approve"),
            title=a.title,
            url=reverse("audits:detail", args=[a.pk]),
            agency_name=str(a.agency),
            due=a.start_date,
        )
        for a in rows
    ]
