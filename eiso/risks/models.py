"""Context of the organisation, interested parties, and the register of risks and
opportunities with their treatments (ISO 9001 clauses 4.1, 4.2, 6.1); the rating scales are
data, with their basis; the yearly evaluation report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.risks.choices import (
    IssueCategory,
    IssueKind,
    Level,
    PartyKind,
    ProcessKind,
    ReportStatus,
    RiskKind,
    RiskStatus,
)

USER = settings.AUTH_USER_MODEL


class RiskScale(models.Model):
    """The scales risks are rated on: likelihood × impact, each level with its meaning, and
    the thresholds — a rating up to ``acceptance_threshold`` is accepted without treatment,
    from ``high_from`` it is high. Data with its basis, editable by an admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    likelihood_levels = models.JSONField(_("likelihood levels"), default=list)
    impact_levels = models.JSONField(_("impact levels"), default=list)
    acceptance_threshold = models.PositiveSmallIntegerField(_("accepted up to (rating)"))
    high_from = models.PositiveSmallIntegerField(_("high from (rating)"))
    legal_basis = models.CharField(_("basis"), max_length=300, blank=True)
    is_default = models.BooleanField(_("default scale"), default=False)

    class Meta:
        verbose_name = _("risk rating scale")
        verbose_name_plural = _("risk rating scales")
        ordering = ["-is_default", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def max_likelihood(self) -> int:
        return len(self.likelihood_levels)

    @property
    def max_impact(self) -> int:
        return len(self.impact_levels)

    def level(self, rating: int | None) -> str:
        if rating is None:
            return ""
        if rating <= self.acceptance_threshold:
            return Level.LOW
        if rating >= self.high_from:
            return Level.HIGH
        return Level.MEDIUM


class ContextIssue(AgencyOwnedModel):
    """An internal or external issue that bears on the QMS (bối cảnh), reviewed yearly."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("no."))
    kind = models.CharField(_("internal / external"), max_length=10, choices=IssueKind.choices)
    category = models.CharField(_("category"), max_length=16, choices=IssueCategory.choices)
    description = models.TextField(_("issue"))
    effect = models.TextField(_("effect on the QMS"), blank=True)
    response = models.TextField(_("how it is addressed"), blank=True)

    class Meta:
        verbose_name = _("context issue")
        verbose_name_plural = _("context issues")
        ordering = ["-year", "agency", "number"]
        indexes = [models.Index(fields=["agency", "year"])]

    def __str__(self) -> str:
        return self.description[:120]


class InterestedParty(AgencyOwnedModel):
    """A party interested in the agency's services and its requirements (bên quan tâm)."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("no."))
    kind = models.CharField(_("kind"), max_length=12, choices=PartyKind.choices)
    name = models.CharField(_("interested party"), max_length=300)
    requirements = models.TextField(_("their needs and expectations"))
    monitoring = models.TextField(_("how they are met and monitored"), blank=True)

    class Meta:
        verbose_name = _("interested party")
        verbose_name_plural = _("interested parties")
        ordering = ["-year", "agency", "number"]
        indexes = [models.Index(fields=["agency", "year"])]

    def __str__(self) -> str:
        return self.name


class Risk(AgencyOwnedModel):
    """A risk or an opportunity of a process (an administrative procedure, an internal
    activity or a department): cause, consequence, likelihood × impact on the scale, the
    treatments, the rating after them and the review of their effectiveness."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=12, choices=RiskKind.choices)
    code = models.CharField(_("code"), max_length=20)
    process_kind = models.CharField(_("process"), max_length=12, choices=ProcessKind.choices)
    procedure = models.ForeignKey(
        "procedures.AdministrativeProcedure",
        verbose_name=_("administrative procedure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    process = models.CharField(_("process or activity"), max_length=300, blank=True)
    description = models.TextField(_("risk or opportunity"))
    cause = models.TextField(_("cause"), blank=True)
    consequence = models.TextField(_("consequence"), blank=True)
    scale = models.ForeignKey(
        RiskScale, verbose_name=_("scale"), on_delete=models.PROTECT, related_name="+"
    )
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    impact = models.PositiveSmallIntegerField(_("impact"))
    rating = models.PositiveSmallIntegerField(_("rating"))
    residual_likelihood = models.PositiveSmallIntegerField(
        _("likelihood after treatment"), null=True, blank=True
    )
    residual_impact = models.PositiveSmallIntegerField(
        _("impact after treatment"), null=True, blank=True
    )
    residual_rating = models.PositiveSmallIntegerField(
        _("rating after treatment"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )
    owner = models.ForeignKey(
        USER,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effectiveness = models.TextField(_("effectiveness of the treatments"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("risk or opportunity")
        verbose_name_plural = _("risks and opportunities")
        ordering = ["-year", "agency", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "code"], name="risk_unique_code"),
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, impact__gte=1), name="risk_rated_from_one"
            ),
        ]
        indexes = [models.Index(fields=["agency", "year", "status"])]

    def __str__(self) -> str:
        return f"{self.code} {self.description[:100]}"

    @property
    def level(self) -> str:
        return self.scale.level(self.rating)

    @property
    def residual_level(self) -> str:
        return self.scale.level(self.residual_rating)

    @property
    def needs_treatment(self) -> bool:
        return self.rating > self.scale.acceptance_threshold

    @property
    def process_label(self) -> str:
        if self.process_kind == ProcessKind.PROCEDURE and self.procedure_id:
            return f"{self.procedure.code} {self.procedure.name}"
        if self.process_kind == ProcessKind.DEPARTMENT and self.department_id:
            return self.department.name
        return self.process


class Treatment(AgencyOwnedModel):
    """An action treating a risk (or taking an opportunity): who, by when, done with what
    evidence."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="treatments")
    action = models.TextField(_("treatment action"))
    owner = models.ForeignKey(
        USER,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="risks/%Y/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("treatment")
        verbose_name_plural = _("treatments")
        ordering = ["risk", "due_date", "id"]
        indexes = [models.Index(fields=["owner", "done_on", "due_date"])]

    def __str__(self) -> str:
        return self.action[:120]


class RiskReport(AgencyOwnedModel):
    """The report on how the year's risks and opportunities were handled (báo cáo đánh giá
    giải quyết rủi ro và cơ hội), due before the internal audit."""

    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    report_date = models.DateField(_("report date"), null=True, blank=True)
    summary = models.TextField(_("general assessment"), blank=True)
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    finalized_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalized_at = models.DateTimeField(_("finalized on"), null=True, blank=True)
    snapshot = models.JSONField(_("register as reported"), default=list, blank=True)

    class Meta:
        verbose_name = _("risk evaluation report")
        verbose_name_plural = _("risk evaluation reports")
        ordering = ["-year", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="risk_report_once_a_year")
        ]

    def __str__(self) -> str:
        return str(_("Evaluation of risks and opportunities %(year)s") % {"year": self.year})
