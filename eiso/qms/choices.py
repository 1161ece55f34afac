from django.db import models
from django.utils.translation import gettext_lazy as _


class StandardVersion(models.TextChoices):
    V2008 = "2008", "TCVN ISO 9001:2008"
    V2015 = "2015", "TCVN ISO 9001:2015"


class QmsStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    BUILDING = "building", _("Building")
    APPLIED = "applied", _("Applied")
    ANNOUNCED = "announced", _("Announced")
    SUSPENDED = "suspended", _("Suspended")


class AnnouncementKind(models.TextChoices):
    FIRST = "first", _("First announcement")
    RE = "re", _("Re-announcement")


class AnnouncementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    SENT = "sent", _("Sent to the overseer")
    RECEIVED = "received", _("Received by the overseer")
    RETURNED = "returned", _("Returned for correction")
    DISCARDED = "discarded", _("Draft discarded")


# A signed decision exists (the QMS counts as announced): signed, sent, received, or returned
# by the overseer for a correction of what was recorded or sent.
SIGNED_STATUSES = (
    AnnouncementStatus.SIGNED,
    AnnouncementStatus.SENT,
    AnnouncementStatus.RECEIVED,
    AnnouncementStatus.RETURNED,
)


class AnnouncementAction(models.TextChoices):
    """The steps of an announcement's life (the workflow's actions, its history's rows)."""

    CREATE = "create", _("Draft prepared")
    EDIT = "edit", _("Draft edited")
    DISCARD = "discard", _("Draft discarded")
    SIGN = "sign", _("Signing recorded")
    ATTACH_SCAN = "attach_scan", _("Signed scan attached")
    CORRECT = "correct", _("Corrected")
    SEND = "send", _("Sent to the overseer")
    RETURN = "return", _("Returned for correction")
    RECEIVE = "receive", _("Receipt acknowledged")
    PUBLISH = "publish", _("Publication changed")


class CommitteeRole(models.TextChoices):
    HEAD = "head", _("Head of the committee")
    DEPUTY = "deputy", _("Deputy head")
    MANAGEMENT_REP = "management_rep", _("Management representative")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class ReminderKind(models.TextChoices):
    NOT_ANNOUNCED = "not_announced", _("Not yet announced")
    REANNOUNCEMENT_DUE = "reannouncement_due", _("Re-announcement due")
