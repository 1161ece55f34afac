from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Criterion(models.TextChoices):
    """What a person rates at the one-stop desk (thái độ, thời gian, hướng dẫn, kết quả)."""

    ATTITUDE = "attitude", _("Attitude of the staff")
    TIMELINESS = "timeliness", _("Time taken")
    GUIDANCE = "guidance", _("Guidance given")
    RESULT = "result", _("Result")


CRITERIA: tuple[str, ...] = tuple(Criterion.values)


class Score(models.IntegerChoices):
    """The five-level scale of the satisfaction surveys of state agencies."""

    VERY_DISSATISFIED = 1, _("Very dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    NEUTRAL = 3, pgettext_lazy("satisfaction", "Neither satisfied nor dissatisfied")
    SATISFIED = 4, _("Satisfied")
    VERY_SATISFIED = 5, _("Very satisfied")


# A rating counts as "satisfied" when the average of its criteria reaches this level.
SATISFIED_FROM = 4


class RatingSource(models.TextChoices):
    QR = "qr", _("Public form (QR code at the desk)")
    PORTAL = "portal", _("Public portal")


class ComplaintChannel(models.TextChoices):
    """How a complaint or petition came in."""

    DESK = "desk", _("At the one-stop desk")
    HOTLINE = "hotline", _("Hotline")
    EMAIL = "email", _("E-mail box")
    NATIONAL_PORTAL = "national_portal", _("National public service portal")
    LETTER = "letter", _("Letter or written petition")
    PUBLIC_PORTAL = "public_portal", _("This public portal")


# What staff register by hand (the public portal's submissions arrive by themselves).
STAFF_CHANNELS = tuple(c for c in ComplaintChannel if c != ComplaintChannel.PUBLIC_PORTAL)


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint (phản ánh)")
    PETITION = "petition", _("Petition (kiến nghị)")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("complaint status", "Received")
    HANDLING = "handling", _("Being handled")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("complaint status", "Closed")
    DECLINED = "declined", _("Not accepted")


# Still waiting for an answer: counted against the due date.
OPEN_STATUSES = (ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING)


class ComplaintAction(models.TextChoices):
    EDIT = "edit", _("Edit the complaint")
    ASSIGN = "assign", _("Assign a handler")
    ANSWER = "answer", _("Answer")
    CLOSE = "close", pgettext_lazy("complaint action", "Close")
    DECLINE = "decline", _("Decline")
    REOPEN = "reopen", pgettext_lazy("complaint action", "Reopen")


class Outcome(models.TextChoices):
    """What the handling found."""

    JUSTIFIED = "justified", _("Justified: corrected")
    PARTLY = "partly", _("Partly justified")
    NOT_JUSTIFIED = "not_justified", _("Not justified: explained")
    GUIDANCE = "guidance", _("Guidance or information given")


class DayKind(models.TextChoices):
    WORKING = "working", _("working days")
    CALENDAR = "calendar", _("calendar days")
