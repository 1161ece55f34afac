from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class ProgrammeAction(models.TextChoices):
    EDIT = "edit", _("Edit")
    APPROVE = "approve", _("Approve")
    REVISE = "revise", _("Revise")


class AuditStatus(models.TextChoices):
    DRAFT = "draft", _("Draft plan")
    APPROVED = "approved", _("Plan approved")
    IN_PROGRESS = "in_progress", _("Audit in progress")
    REPORTED = "reported", _("Reported")
    CLOSED = "closed", pgettext_lazy("audit status", "Closed")


class AuditAction(models.TextChoices):
    EDIT = "edit", _("Edit the plan")
    APPROVE = "approve", _("Approve the plan")
    REVISE = "revise", _("Revise the plan")
    PREPARE = "prepare", _("Prepare the checklist")
    START = "start", _("Start the audit")
    AUDIT = "audit", _("Fill the checklist and record findings")
    WRITE_REPORT = "write_report", _("Write the report")
    REPORT = "report", _("Issue the report")
    REPLY = "reply", _("Reply to a finding")
    CLOSE = "close", pgettext_lazy("audit action", "Close")


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Lead auditor")
    MEMBER = "member", _("Auditor")


class Answer(models.TextChoices):
    """What the auditor found for a question of the checklist."""

    CONFORM = "conform", _("Conforms")
    NONCONFORM = "nonconform", _("Does not conform")
    OBSERVATION = "observation", _("To watch")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class FindingGrade(models.TextChoices):
    MAJOR = "major", _("Major nonconformity")
    MINOR = "minor", _("Minor nonconformity")
    OBSERVATION = "observation", _("Observation")
    IMPROVEMENT = "improvement", _("Opportunity for improvement")


NONCONFORMITY_GRADES = (FindingGrade.MAJOR, FindingGrade.MINOR)
