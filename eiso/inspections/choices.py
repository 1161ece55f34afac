from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft plan")
    APPROVED = "approved", _("Approved by the People's Committee")
    COMPLETED = "completed", _("Completed (summary reported)")


class PlanAction(models.TextChoices):
    EDIT = "edit", _("Change the plan and its agencies")
    APPROVE = "approve", _("Record the approving decision")
    SCHEDULE = "schedule", _("Change a visit's date, place or mode")
    ATTACH = "attach", _("Attach a signed decision")
    TEAM = "team", _("Form the inspection team")
    SUMMARIZE = "summarize", _("Write the summary")
    COMPLETE = "complete", _("Complete the plan")


class Mode(models.TextChoices):
    """How an agency is inspected."""

    ON_SITE = "on_site", _("On site")
    RECORDS = "records", _("Through records and reports")


class TeamRole(models.TextChoices):
    LEADER = "leader", _("Team leader")
    DEPUTY = "deputy", _("Deputy team leader")
    MEMBER = "member", _("Team member")
    SECRETARY = "secretary", _("Team secretary")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("Inspection in progress")
    CONCLUDED = "concluded", _("Record made, findings to remedy")
    REMEDIATION_REPORTED = "remediation_reported", _("Remediation reported")
    CLOSED = "closed", pgettext_lazy("inspection status", "Closed")


class InspectionAction(models.TextChoices):
    START = "start", _("Start the checklist")
    REFRESH = "refresh", _("Read again what the platform knows")
    ANSWER = "answer", _("Fill the checklist")
    RECORD_FINDING = "record_finding", _("Record a finding")
    WRITE = "write", _("Write the conclusion")
    CONCLUDE = "conclude", _("Make the inspection record")
    ATTACH_RECORD = "attach_record", _("Attach the signed record")
    REPORT_REMEDIATION = "report_remediation", _("Report the remediation")
    RETURN = "return", _("Return the remediation report")
    CLOSE = "close", pgettext_lazy("inspection action", "Close")


class Result(models.TextChoices):
    """The result of one item of the inspection content."""

    PASS = "pass", _("Meets the requirement")
    FAIL = "fail", _("Does not meet the requirement")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Results the team has given: a checklist is complete when every item has one.
GIVEN = tuple(Result.values)
