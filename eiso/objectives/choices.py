from django.db import models
from django.utils.translation import gettext_lazy as _


class Comparator(models.TextChoices):
    """How a measured value is compared with the target."""

    GE = "ge", "≥"
    LE = "le", "≤"
    EQ = "eq", "="
    GT = "gt", ">"
    LT = "lt", "<"


class Frequency(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF_YEAR = "half_year", _("Half-yearly")
    YEAR = "year", _("Yearly")


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued (in force)")
    SUPERSEDED = "superseded", _("Superseded")


OPEN_SET_STATUSES = (SetStatus.DRAFT, SetStatus.SUBMITTED, SetStatus.RETURNED, SetStatus.APPROVED)
ISSUED_SET_STATUSES = (SetStatus.ISSUED, SetStatus.SUPERSEDED)


class SetAction(models.TextChoices):
    EDIT = "edit", _("Edit")
    SUBMIT = "submit", _("Submit for approval")
    RETURN = "return", _("Return for changes")
    APPROVE = "approve", _("Approve")
    ISSUE = "issue", _("Issue")
    AMEND = "amend", _("Change mid-year (new revision)")
    SUPERSEDE = "supersede", _("Supersede")
    MEASURE = "measure", _("Record measurements")


class ObjectiveResult(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NOT_MEASURED = "not_measured", _("Not measured yet")


Result = ObjectiveResult


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class ReportAction(models.TextChoices):
    EDIT = "edit", _("Edit")
    FINALIZE = "finalize", _("Finalize")
