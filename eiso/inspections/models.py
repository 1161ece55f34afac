"""Inspections by the Sở KH&CN (PRODUCT.md capability 15; DOMAIN.md "Inspection content").

The legal inspection content is versioned data (``ChecklistVersion`` and its questions, each
naming the fact of the platform it is pre-filled from). Each year's plan (``InspectionPlan``)
is owned by the overseer's agency, approved by a People's Committee decision, carries its team
formed by a second decision (``TeamMember``) and one ``Inspection`` per inspected agency (owned
by that agency): on site or through its records, with its checklist (``ChecklistAnswer``), its
findings sent back as nonconformities (``Finding``), the record (biên bản kiểm tra) and the
agency's remediation report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.inspections.choices import InspectionStatus, Mode, PlanStatus, Result, TeamRole
from eiso.inspections.querysets import InspectionChildQuerySet, PlanChildQuerySet, PlanQuerySet

USER = settings.AUTH_USER_MODEL


class ChecklistVersion(models.Model):
    """A version of the legal inspection content (rules as data, with their legal basis): a
    plan names the version it inspects against; a new circular is a new version."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    legal_basis = models.TextField(_("legal basis"))
    effective_from = models.DateField(_("in use from"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("inspection content")
        verbose_name_plural = _("inspection contents")
        ordering = ["-effective_from", "code"]

    def __str__(self) -> str:
        return self.title


class ChecklistQuestion(models.Model):
    """An item of the inspection content. ``fact`` names what the platform knows about it
    (``eiso.inspections.facts``): the checklist is pre-filled from it."""

    version = models.ForeignKey(
        ChecklistVersion, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.PositiveSmallIntegerField(_("section"))
    section_title = models.CharField(_("section title"), max_length=300)
    number = models.CharField(_("no."), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("content inspected"))
    guidance = models.TextField(_("what to look at"), blank=True)
    fact = models.CharField(_("pre-filled from"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("item of the inspection content")
        verbose_name_plural = _("items of the inspection content")
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="inspection_question_once")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:100]}"


class InspectionPlan(AgencyOwnedModel):
    """The year's inspection plan of the Sở KH&CN (kế hoạch kiểm tra), approved by a decision
    of the People's Committee; its team formed by a second decision. ``agency`` is the
    overseer's agency: every inspected agency lies in its subtree."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    checklist_version = models.ForeignKey(
        ChecklistVersion,
        verbose_name=_("inspection content"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_start = models.DateField(_("inspections from"))
    period_end = models.DateField(_("inspections until"))
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    decision_number = models.CharField(_("approving decision number"), max_length=40, blank=True)
    decision_date = models.DateField(_("approving decision dated"), null=True, blank=True)
    decision_signer = models.CharField(_("signed by"), max_length=200, blank=True)
    decision_signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    decision_file = models.FileField(
        _("signed approving decision"), upload_to="inspections/%Y/", blank=True
    )
    decision_file_name = models.CharField(max_length=255, blank=True)
    approved_at = models.DateTimeField(_("approval recorded at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team_decision_number = models.CharField(_("team decision number"), max_length=40, blank=True)
    team_decision_date = models.DateField(_("team decision dated"), null=True, blank=True)
    team_decision_signer = models.CharField(
        _("team decision signed by"), max_length=200, blank=True
    )
    team_decision_file = models.FileField(
        _("signed team decision"), upload_to="inspections/%Y/", blank=True
    )
    team_decision_file_name = models.CharField(max_length=255, blank=True)
    summary_conclusion = models.TextField(_("general assessment"), blank=True)
    summary_common_findings = models.TextField(_("common shortcomings"), blank=True)
    summary_recommendations = models.TextField(_("recommendations"), blank=True)
    summary_number = models.CharField(_("summary report number"), max_length=40, blank=True)
    summary_date = models.DateField(_("summary report dated"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="inspection_plan_once_a_year"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="inspection_plan_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def team_formed(self) -> bool:
        return self.team_decision_date is not None


class TeamMember(AgencyOwnedModel):
    """A member of the inspection team: a user of any agency (never one of an agency the plan
    inspects) or a person from outside (``user`` empty: name and organisation)."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="team")
    role = models.CharField(_("task in the team"), max_length=10, choices=TeamRole.choices)
    user = models.ForeignKey(
        USER,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.CharField(_("works at"), max_length=300, blank=True)

    objects = PlanChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection team member")
        verbose_name_plural = _("inspection team")
        ordering = ["plan", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "user"],
                condition=models.Q(user__isnull=False),
                name="inspection_team_member_once",
            )
        ]
        indexes = [models.Index(fields=["user", "plan"])]

    def __str__(self) -> str:
        return self.name


class Inspection(AgencyOwnedModel):
    """One agency of a plan (``agency``: the inspected one): how and when it is inspected, its
    checklist, conclusion and record, the findings and the agency's remediation report."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="inspections")
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.RECORDS)
    date = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    facts_read_on = models.DateField(_("what the platform knows, read on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    record_date = models.DateField(_("record dated"), null=True, blank=True)
    record_file = models.FileField(_("signed record"), upload_to="inspections/%Y/", blank=True)
    record_file_name = models.CharField(max_length=255, blank=True)
    remediation_report = models.TextField(_("remediation report"), blank=True)
    remediation_file = models.FileField(
        _("remediation report file"), upload_to="inspections/%Y/", blank=True
    )
    remediation_file_name = models.CharField(max_length=255, blank=True)
    remediation_on = models.DateField(_("remediation reported on"), null=True, blank=True)
    remediation_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    follow_up_note = models.TextField(_("team's follow-up note"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = PlanChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["plan", "date", "agency__path"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], name="inspection_agency_once")
        ]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return str(self.agency)


class ChecklistAnswer(AgencyOwnedModel):
    """An item of the inspection content for one agency: what the platform knows (pre-filled,
    with its suggested result) and what the team found — confirmed, or corrected with a note."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        ChecklistQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    section = models.PositiveSmallIntegerField(_("section"))
    section_title = models.CharField(_("section title"), max_length=300)
    number = models.CharField(_("no."), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("content inspected"))
    guidance = models.TextField(_("what to look at"), blank=True)
    fact = models.CharField(_("pre-filled from"), max_length=60, blank=True)
    platform_text = models.TextField(_("what the platform knows"), blank=True)
    platform_result = models.CharField(
        _("result the platform suggests"), max_length=16, choices=Result.choices, blank=True
    )
    platform_url = models.CharField(max_length=300, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    answered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = InspectionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist")
        ordering = ["inspection", "order", "pk"]
        indexes = [models.Index(fields=["inspection", "result"])]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:100]}"

    @property
    def corrected(self) -> bool:
        """The team's result differs from what the platform suggested."""
        return bool(self.result and self.platform_result and self.result != self.platform_result)


class Finding(AgencyOwnedModel):
    """A finding of the inspection, sent back to the agency as a nonconformity (source
    "inspection") with the date to remedy it by."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    answer = models.ForeignKey(
        ChecklistAnswer,
        verbose_name=_("checklist item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    number = models.PositiveSmallIntegerField(_("no."))
    description = models.TextField(_("finding"))
    requirement = models.TextField(_("requirement not met"), blank=True)
    due_date = models.DateField(_("to remedy by"))
    nonconformity = models.ForeignKey(
        "improvements.Nonconformity",
        verbose_name=_("nonconformity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField(_("recorded on"))

    objects = InspectionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["inspection", "number"]

    def __str__(self) -> str:
        return f"{self.code} {self.description[:100]}"

    @property
    def code(self) -> str:
        return f"KT-{self.number:02d}"
