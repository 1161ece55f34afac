from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DueKind(models.TextChoices):
    """How a rule's due date is found."""

    FIXED = "fixed", _("On a fixed date of the year")
    QUARTERLY = "quarterly", _("Every quarter (by its last day)")
    RELATIVE = "relative", _("Before or after another event of the year")
    EVENT = "event", _("Within a time after each event")


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class RuleSetAction(models.TextChoices):
    EDIT = "edit", _("Edit")
    ADOPT = "adopt", _("Adopt")


class ObligationState(models.TextChoices):
    """Where an obligation stands on a day (computed, never stored as a decision)."""

    NOT_YET_DUE = "not_yet_due", _("Not yet due")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", pgettext_lazy("obligation", "Overdue")
    MET_ON_TIME = "met_on_time", _("Met on time")
    MET_LATE = "met_late", _("Met late")


MET_STATES = (ObligationState.MET_ON_TIME, ObligationState.MET_LATE)
OPEN_STATES = (ObligationState.NOT_YET_DUE, ObligationState.DUE_SOON, ObligationState.OVERDUE)
# The worst first: a cell of several instances shows the first state any of them is in.
SEVERITY = (
    ObligationState.OVERDUE,
    ObligationState.DUE_SOON,
    ObligationState.MET_LATE,
    ObligationState.NOT_YET_DUE,
    ObligationState.MET_ON_TIME,
)


class Stage(models.TextChoices):
    """Which reminder of an obligation: before its date, after it, to the overseer."""

    BEFORE = "before", _("Before the due date")
    OVERDUE = "overdue", _("After the due date")
    ESCALATION = "escalation", _("Escalated to the overseer")
