from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportStatus(models.TextChoices):
    """The life of an agency's annual report (one version)."""

    DRAFT = "draft", pgettext_lazy("report", "Draft")
    APPROVED = "approved", _("Approved by the head")
    SUBMITTED = "submitted", _("Submitted to the overseer")
    RECEIVED = "received", _("Received by the overseer")
    RETURNED = "returned", _("Returned for correction")


# A report that reached the overseer (the annual obligation counts it from its submission).
DELIVERED = (ReportStatus.SUBMITTED, ReportStatus.RECEIVED)


class ReportAction(models.TextChoices):
    EDIT = "edit", _("Edit the report")
    APPROVE = "approve", _("Approve")
    REOPEN = "reopen", _("Back to draft")
    SUBMIT = "submit", _("Submit with the signed file")
    RECEIVE = "receive", _("Record as received")
    RETURN = "return", _("Return for correction")
    CORRECT = "correct", _("Prepare a corrected version")


class SummaryStatus(models.TextChoices):
    """The life of a province's summary report (one version)."""

    DRAFT = "draft", pgettext_lazy("report", "Draft")
    SUBMITTED = "submitted", _("Sent to the People's Committee and the Ministry")


class SummaryAction(models.TextChoices):
    EDIT = "edit", _("Edit the report")
    SUBMIT = "submit", _("Send with the signed file")
    CORRECT = "correct", _("Prepare a corrected version")
