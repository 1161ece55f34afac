"""Training in the work inbox (eiso.core.inbox): certificates expiring within 60 days, for
their holder and for the keepers (ISO secretary, head) of the agency the holder works in."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from eiso.core import inbox
from eiso.core.roles import Role
from eiso.training import selectors


@inbox.provider("training.expiring")
def expiring_certificates(ctx: inbox.InboxContext):
    agencies = ctx.agencies_with_role(Role.ISO_SECRETARY, Role.HEAD)
    rows = selectors.expiring_certificates(
        user=ctx.user, agencies=agencies, holder=ctx.user, today=ctx.today, limit=ctx.limit
    )
    return [
        inbox.InboxItem(
            kind="training.expiring",
            category=_("Certificates expiring"),
            title=f"{c.get_kind_display()} — {c.holder.full_name or c.holder.username}",
            url=reverse("training:person", args=[c.holder_id]),
            agency_name=str(c.agency),
            due=c.expires_on,
            detail=c.issuer,
        )
        for c in rows
    ]
