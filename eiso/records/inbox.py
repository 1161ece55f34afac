"""Records in the work inbox (eiso.core.inbox): dossiers still in progress after their due
day, for the keepers of their agency (ISO secretary, head), the longest overdue first."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core import inbox
from eiso.core.roles import Role
from eiso.records import selectors


@inbox.provider("records.overdue")
def overdue_dossiers(ctx: inbox.InboxContext):
    agencies = ctx.agencies_with_role(Role.ISO_SECRETARY, Role.HEAD)
    if not agencies:
        return []
    rows = selectors.overdue_dossiers(
        user=ctx.user, agencies=agencies, today=ctx.today, limit=ctx.limit
    )
    return [
        inbox.InboxItem(
            kind="records.overdue",
            category=_("One-stop dossiers overdue"),
            title=f"{d.code} — {d.procedure.name}",
            url=reverse("records:dossier_detail", args=[d.pk]),
            agency_name=str(d.agency),
            due=timezone.localtime(d.due_at).date(),
            detail=d.procedure.code,
        )
        for d in rows
    ]
