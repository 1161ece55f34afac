"""The QMS's contributions to the work inbox (eiso.core.inbox): announcements to receive (the
overseer), a draft announcement to finish, an announcement returned for correction and a
re-announcement due (the agency)."""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core import inbox
from eiso.core.roles import Role
from eiso.qms.choices import AnnouncementAction, AnnouncementStatus
from eiso.qms.models import Announcement, AnnouncementEvent, QualitySystem

KEEPERS = (Role.ISO_SECRETARY, Role.HEAD)
# What waits on the agency's keepers, by the announcement's status.
CATEGORIES = {
    AnnouncementStatus.DRAFT: gettext_lazy("Announcement to sign"),
    AnnouncementStatus.SIGNED: gettext_lazy("Announcement to send to the overseer"),
    AnnouncementStatus.RETURNED: gettext_lazy("Announcement returned for correction"),
}


@inbox.provider("qms.receive")
def announcements_to_receive(ctx: inbox.InboxContext):
    """Sent announcements in the overseer's subtree wait for their receipt."""
    roots = ctx.agencies_with_role(Role.OVERSEER, Role.ADMIN)
    if not roots:
        return []
    under = Q(pk__in=[])
    for root in roots:
        under |= Q(agency__path__startswith=root.path)
    rows = (
        Announcement.objects.visible_to(ctx.user)
        .filter(under, status=AnnouncementStatus.SENT)
        .select_related("agency")
        .order_by("sent_at", "pk")[: ctx.limit]
    )
    return [
        inbox.InboxItem(
            kind="qms.receive",
            category=_("Announcement to receive"),
            title=_("Decision %(number)s of %(date)s")
            % {"number": a.number, "date": a.date.strftime("%d/%m/%Y") if a.date else "—"},
            url=reverse("qms:announcement_detail", args=[a.pk]),
            agency_name=str(a.agency),
            since=a.sent_at,
        )
        for a in rows
    ]


@inbox.provider("qms.announcement")
def announcements_to_finish(ctx: inbox.InboxContext):
    """A draft announcement to sign, a signed one not yet sent to the overseer, or one the
    overseer returned for correction (with the overseer's reason) — one query."""
    agencies = [a.pk for a in ctx.agencies_with_role(*KEEPERS)]
    if not agencies:
        return []
    returns = AnnouncementEvent.objects.filter(
        announcement=OuterRef("pk"), action=AnnouncementAction.RETURN
    ).order_by("-created_at", "-id")
    rows = (
        Announcement.objects.visible_to(ctx.user)
        .filter(agency_id__in=agencies, status__in=list(CATEGORIES), imported=False)
        .annotate(return_reason=Subquery(returns.values("comment")[:1]))
        .select_related("agency")
        .order_by("-updated_at")[: ctx.limit]
    )
    return [
        inbox.InboxItem(
            kind="qms.announcement",
            category=str(CATEGORIES[a.status]),
            title=_("Decision %(number)s") % {"number": a.number}
            if a.number
            else a.get_kind_display(),
            url=reverse("qms:announcement_detail", args=[a.pk]),
            agency_name=str(a.agency),
            since=a.updated_at,
            detail=a.return_reason or "",
        )
        for a in rows
    ]


@inbox.provider("qms.reannounce")
def reannouncement_due(ctx: inbox.InboxContext):
    """The scope changed (or the agency was merged): the QMS must be announced again."""
    agencies = [a.pk for a in ctx.agencies_with_role(*KEEPERS)]
    if not agencies:
        return []
    rows = (
        QualitySystem.objects.visible_to(ctx.user)
        .filter(agency_id__in=agencies)
        .exclude(reannouncement_reason="")
        .select_related("agency")[: ctx.limit]
    )
    return [
        inbox.InboxItem(
            kind="qms.reannounce",
            category=_("Re-announcement due"),
            title=q.reannouncement_reason,
            url=reverse("qms:record"),
            agency_name=str(q.agency),
            since=q.updated_at,
        )
        for q in rows
    ]
