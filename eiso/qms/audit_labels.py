"""How the audit trail names what happens to QMS records, announcements and the steering
committee (eiso.core.audit_display)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.qms.models import Announcement, CommitteeDecision, QualitySystem, Reminder

declare(
    groups={
        "qms": pgettext_lazy("audit group", "QMS records"),
        "announcement": pgettext_lazy("audit group", "Announcements"),
        "committee": pgettext_lazy("audit group", "Steering committee"),
    },
    actions={
        "qms.update": pgettext_lazy("audit action", "QMS record changed"),
        "qms.flag_reannouncement": pgettext_lazy("audit action", "Re-announcement flagged as due"),
        "qms.import": pgettext_lazy("audit action", "QMS status imported"),
        "qms.remind": pgettext_lazy("audit action", "Reminder sent"),
        "announcement.create": pgettext_lazy("audit action", "Announcement drafted"),
        "announcement.update": pgettext_lazy("audit action", "Draft announcement edited"),
        "announcement.discard": pgettext_lazy("audit action", "Draft announcement discarded"),
        "announcement.sign": pgettext_lazy("audit action", "Announcement signed"),
        "announcement.correct": pgettext_lazy(
            "audit action", "Recorded details of the signed announcement corrected"
        ),
        "announcement.attach_scan": pgettext_lazy(
            "audit action", "Signed scan of the announcement attached"
        ),
        "announcement.send": pgettext_lazy("audit action", "Announcement sent to the overseer"),
        "announcement.receive": pgettext_lazy(
            "audit action", "Announcement received by the overseer"
        ),
        "announcement.return": pgettext_lazy(
            "audit action", "Announcement returned for correction"
        ),
        "announcement.publish": pgettext_lazy("audit action", "Publication of the announcement"),
        "announcement.import": pgettext_lazy("audit action", "Historic announcement imported"),
        "committee.decision": pgettext_lazy("audit action", "Steering committee decision recorded"),
        "import.announcements": pgettext_lazy(
            "audit action", "QMS status and announcements imported from a spreadsheet"
        ),
    },
    fields={
        "procedures": _("Procedures in scope"),
        "members": _("Members"),
        "published": _("Published"),
    },
    object_fields={"qms.announcement": {"on": _("Received on")}},
    object_types=[QualitySystem, Announcement, CommitteeDecision, Reminder],
)
