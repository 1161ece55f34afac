from django.db import models
from django.utils.translation import gettext_lazy as _


class IssueKind(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class IssueCategory(models.TextChoices):
    LEGAL = "legal", _("Legal and policy")
    ORGANISATION = "organisation", _("Organisation and structure")
    PEOPLE = "people", _("People")
    TECHNOLOGY = "technology", _("Technology")
    FACILITIES = "facilities", _("Facilities")
    BUDGET = "budget", _("Budget")
    SOCIETY = "society", _("Economy and society")
    OTHER = "other", _("Other matters")


class PartyKind(models.TextChoices):
    CITIZENS = "citizens", _("Citizens")
    BUSINESSES = "businesses", _("Businesses and organisations")
    SUPERIOR = "superior", _("Superior agencies")
    AGENCIES = "agencies", _("Other agencies")
    STAFF = "staff", _("Staff of the agency")
    OTHER = "other", _("Other parties")


class RiskKind(models.TextChoices):
    RISK = "risk", _("Risk")
    OPPORTUNITY = "opportunity", _("Opportunity")


class ProcessKind(models.TextChoices):
    PROCEDURE = "procedure", _("Administrative procedure")
    INTERNAL = "internal", _("Internal activity")
    DEPARTMENT = "department", _("Department")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Being treated")
    TREATED = "treated", _("Treated, re-rated")
    CLOSED = "closed", _("Effectiveness reviewed")


class RiskAction(models.TextChoices):
    EDIT = "edit", _("Edit")
    TREAT = "treat", _("Plan or complete treatments")
    RERATE = "rerate", _("Re-rate after treatment")
    REVIEW = "review", _("Review effectiveness")
    REOPEN = "reopen", _("Reopen")


class Level(models.TextChoices):
    LOW = "low", _("Low (accepted)")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class ReportAction(models.TextChoices):
    EDIT = "edit", _("Edit")
    FINALIZE = "finalize", _("Finalize")
