from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    QUALITY_POLICY = "quality_policy", _("Quality policy")
    QUALITY_OBJECTIVES = "quality_objectives", _("Quality objectives")
    QMS_DESCRIPTION = "qms_description", _("QMS description")
    SYSTEM_PROCEDURE = "system_procedure", _("System procedure")
    TTHC_PROCEDURE = "tthc_procedure", _("Procedure of an administrative procedure")
    INTERNAL_PROCEDURE = "internal_procedure", _("Internal-work procedure")
    INSTRUCTION = "instruction", _("Instruction")
    FORM = "form", _("Form")
    OTHER = "other", _("Other")


class DocumentStatus(models.TextChoices):
    ACTIVE = "active", _("In use")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued (current)")
    SUPERSEDED = "superseded", _("Superseded")


# Statuses of the one revision a document may have in preparation at a time.
OPEN_STATUSES = (
    RevisionStatus.DRAFT,
    RevisionStatus.IN_REVIEW,
    RevisionStatus.RETURNED,
    RevisionStatus.APPROVED,
)


class RevisionAction(models.TextChoices):
    CREATE = "create", _("Drafted")
    EDIT = "edit", _("Edited")
    SUBMIT = "submit", _("Submitted for review")
    RETURN = "return", _("Returned for changes")
    APPROVE = "approve", _("Approved")
    ISSUE = "issue", _("Issued")
    SUPERSEDE = "supersede", _("Superseded")
    WITHDRAW = "withdraw", _("Withdrawn")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed and issued")


class ExternalKind(models.TextChoices):
    LEGAL = "legal", _("Legal text (văn bản QPPL)")
    STANDARD = "standard", _("Standard")
    GUIDANCE = "guidance", _("Guidance / administrative document")
    OTHER = "other", _("Other external document")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskReason(models.TextChoices):
    NEW_TEXT = "new_text", _("A linked legal text takes effect")
    REPLACED = "replaced", _("A linked legal text was replaced")
    AMENDED = "amended", _("A linked legal text changed its effective date")
