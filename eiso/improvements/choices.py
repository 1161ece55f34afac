from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NcSource(models.TextChoices):
    """Where a nonconformity was found (the contract other modules call with)."""

    INTERNAL_AUDIT = "internal_audit", _("Internal audit")
    INSPECTION = "inspection", _("Inspection by the Department of Science and Technology")
    COMPLAINT = "complaint", _("Complaint or feedback")
    OBJECTIVE = "objective", _("Quality objective not met")
    PROCESS = "process", _("Process monitoring (late dossiers)")
    STAFF = "staff", _("Raised by a staff member")


class Grade(models.TextChoices):
    MAJOR = "major", _("Major nonconformity")
    MINOR = "minor", _("Minor nonconformity")


class CauseCategory(models.TextChoices):
    """The cause categories of the fishbone aid (Ishikawa), in words an agency uses."""

    PEOPLE = "people", _("People (skills, workload, awareness)")
    METHOD = "method", _("Method (procedure, instruction, form)")
    EQUIPMENT = "equipment", _("Equipment and software")
    DOCUMENTS = "documents", _("Documents and inputs (dossiers, legal texts)")
    ENVIRONMENT = "environment", _("Working environment and coordination")
    MEASUREMENT = "measurement", _("Monitoring and measurement")


class NcStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("nonconformity status", "Open: plan to write")
    PLANNED = "planned", _("Plan submitted")
    PLAN_APPROVED = "plan_approved", _("Plan approved")
    IN_PROGRESS = "in_progress", _("Actions in progress")
    AWAITING_VERIFICATION = "awaiting_verification", _("Awaiting verification")
    CLOSED = "closed", pgettext_lazy("nonconformity status", "Closed")


NOT_CLOSED = (
    NcStatus.OPEN,
    NcStatus.PLANNED,
    NcStatus.PLAN_APPROVED,
    NcStatus.IN_PROGRESS,
    NcStatus.AWAITING_VERIFICATION,
)


class NcAction(models.TextChoices):
    EDIT = "edit", _("Edit the record and its plan")
    SUBMIT_PLAN = "submit_plan", _("Submit the plan")
    RETURN_PLAN = "return_plan", _("Return the plan")
    APPROVE_PLAN = "approve_plan", _("Approve the plan")
    WORK = "work", _("Carry out the actions")
    ACTIONS_DONE = "actions_done", _("Every action done")
    VERIFY = "verify", _("Verify effectiveness")
    NOT_EFFECTIVE = "not_effective", _("Found not effective")
    CLOSE = "close", pgettext_lazy("nonconformity action", "Close")
    REOPEN = "reopen", _("Reopen")
