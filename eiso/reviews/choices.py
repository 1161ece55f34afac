from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Meeting held")
    MINUTES_ISSUED = "minutes_issued", _("Minutes issued")


class ReviewAction(models.TextChoices):
    EDIT = "edit", _("Prepare the meeting and its input pack")
    HOLD = "hold", _("Record the meeting as held")
    RECORD = "record", _("Record conclusions and outputs")
    ISSUE_MINUTES = "issue_minutes", _("Issue the minutes")
    FOLLOW_UP = "follow_up", _("Follow up the outputs")
    ATTACH_SCAN = "attach_scan", _("Attach the signed minutes")


class OutputKind(models.TextChoices):
    """The outputs of a management review (ISO 9001 clause 9.3.3)."""

    IMPROVEMENT = "improvement", _("Opportunity for improvement")
    QMS_CHANGE = "qms_change", _("Change to the QMS")
    RESOURCE = "resource", _("Resource need")
