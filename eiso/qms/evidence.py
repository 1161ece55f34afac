"""The QMS record's evidence for the annual cycle (eiso.core.evidence): announcements and
re-announcements, steering-committee decisions, and the events that call for them — the scope
changed after an announcement, the head or the ISO secretary changed. One query per kind, for
any number of agencies."""

from __future__ import annotations

from django.db.models import DateField, Exists, OuterRef, Q
from django.db.models.functions import Cast, TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eiso.accounts.models import Membership
from eiso.core import evidence
from eiso.core.roles import Role
from eiso.procedures.models import HandledProcedure
from eiso.qms.choices import SIGNED_STATUSES, AnnouncementKind
from eiso.qms.models import Announcement, CommitteeDecision

# The people whose change calls for the steering committee to be updated.
COMMITTEE_ROLES = (Role.HEAD, Role.ISO_SECRETARY)


def _announcements(agency_ids, start, end, **filters):
    rows = (
        Announcement.objects.filter(
            agency_id__in=agency_ids, status__in=SIGNED_STATUSES, date__range=(start, end)
        )
        .filter(**filters)
        .order_by()
        .values_list("pk", "agency_id", "date", "number", "kind")
    )
    detail = evidence.link("qms:announcement_detail")
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=str(
                    _("Re-announcement %(number)s")
                    if kind == AnnouncementKind.RE
                    else _("Announcement %(number)s")
                )
                % {"number": number},
                url=detail(pk),
            ),
        )
        for pk, agency_id, day, number, kind in rows
    )


@evidence.kind(
    "qms.announcement",
    _("QMS announced (first or again)"),
    description=_("A signed decision announcing the QMS conforms to TCVN ISO 9001."),
)
def announcements(agency_ids, start, end):
    return _announcements(agency_ids, start, end)


@evidence.kind(
    "qms.reannouncement",
    _("QMS announced again"),
    description=_("A signed re-announcement decision (after the scope changed)."),
)
def reannouncements(agency_ids, start, end):
    return _announcements(agency_ids, start, end, kind=AnnouncementKind.RE)


@evidence.kind(
    "qms.scope_change",
    _("The QMS scope changed after an announcement"),
    event=True,
    description=_(
        "An administrative procedure added to or removed from the agency's scope after its "
        "first announcement."
    ),
)
def scope_changes(agency_ids, start, end):
    announced_before = Announcement.objects.filter(
        agency_id=OuterRef("agency_id"), status__in=SIGNED_STATUSES, date__lt=OuterRef("day")
    )
    rows = (
        HandledProcedure.objects.filter(agency_id__in=agency_ids)
        .annotate(day=TruncDate("updated_at"))
        .filter(day__range=(start, end))
        .filter(Exists(announced_before))
        .order_by()
        .values_list("agency_id", "day", "procedure__code", "is_active")
    )
    url = reverse("qms:record")
    # Translated once, not once per row: a catalogue update touches every handled procedure
    # (228,480 rows for the country in bench/: two fifths of the national dashboard's time went
    # to translating these titles).
    added = str(_("Procedure %(code)s added to the scope"))
    removed = str(_("Procedure %(code)s removed from the scope"))
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=(added if active else removed) % {"code": code},
                url=f"{url}?agency={agency_id}",
            ),
        )
        for agency_id, day, code, active in rows
    )


@evidence.kind(
    "qms.committee_decision",
    _("Steering committee established or updated"),
    description=_("A decision establishing or updating the ISO steering committee."),
)
def committee_decisions(agency_ids, start, end):
    rows = (
        CommitteeDecision.objects.filter(agency_id__in=agency_ids, date__range=(start, end))
        .order_by()
        .values_list("agency_id", "date", "number")
    )
    url = reverse("qms:committee")
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=str(_("Steering committee decision %(number)s") % {"number": number}),
                url=f"{url}?agency={agency_id}",
            ),
        )
        for agency_id, day, number in rows
    )


@evidence.kind(
    "qms.staff_change",
    _("The head or the ISO secretary changed"),
    event=True,
    description=_(
        "A head or ISO secretary took up or left the post (dates of the role) after the "
        "steering committee was first set up."
    ),
)
def staff_changes(agency_ids, start, end):
    memberships = Membership.objects.filter(agency_id__in=agency_ids, role__in=COMMITTEE_ROLES)
    rows = []
    for field, joined in (("started_on", True), ("ended_on", False)):
        committee_before = CommitteeDecision.objects.filter(
            agency_id=OuterRef("agency_id"), date__lt=OuterRef(field)
        )
        found = (
            memberships.filter(Q(**{f"{field}__range": (start, end)}))
            .filter(Exists(committee_before))
            .annotate(day=Cast(field, DateField()))
            .order_by()
            .values_list("agency_id", "day", "user__full_name", "user__username", "role")
        )
        rows.extend((joined, *row) for row in found)
    url = reverse("qms:committee")
    labels = dict(Role.choices)
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=str(
                    _("%(name)s took up the post of %(role)s")
                    if joined
                    else _("%(name)s left the post of %(role)s")
                )
                % {"name": full_name or username, "role": str(labels.get(role, role)).lower()},
                url=f"{url}?agency={agency_id}",
            ),
        )
        for joined, agency_id, day, full_name, username, role in rows
    )
