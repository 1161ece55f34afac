"""Quality objectives (ISO 9001 clause 6.2): an agency's objectives of a year with their plan,
issued by one decision; their measurements per period; the evaluation report; and the
framework model's typical objectives per agency kind (data)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core import measures
from eiso.core.models import AgencyOwnedModel
from eiso.objectives import periods
from eiso.objectives.choices import Comparator, Frequency, ReportStatus, Result, SetStatus

USER = settings.AUTH_USER_MODEL


def compare(value: Decimal, comparator: str, target: Decimal) -> bool:
    """Whether ``value`` meets ``target`` under ``comparator``."""
    if comparator == Comparator.GE:
        return value >= target
    if comparator == Comparator.LE:
        return value <= target
    if comparator == Comparator.GT:
        return value > target
    if comparator == Comparator.LT:
        return value < target
    return value == target


def number_text(value: Decimal | None) -> str:
    """``Decimal("98.50")`` → ``"98,5"``; ``Decimal("100.00")`` → ``"100"`` (Vietnamese comma)."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class ObjectiveSet(AgencyOwnedModel):
    """The quality objectives of one agency for one year with their plan (mục tiêu chất lượng
    và kế hoạch thực hiện), issued by one decision. A change mid-year issues the next revision;
    the previous one is kept, superseded, with its objectives and their measurements."""

    year = models.PositiveSmallIntegerField(_("year"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=SetStatus.choices, default=SetStatus.DRAFT
    )
    change_summary = models.TextField(_("what changed"), blank=True)
    return_comment = models.TextField(_("why it was returned"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("quality objectives of a year")
        verbose_name_plural = _("quality objectives of the years")
        ordering = ["-year", "agency", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "revision"], name="objective_set_unique_revision"
            ),
        ]
        indexes = [models.Index(fields=["agency", "year", "status"])]

    def __str__(self) -> str:
        text = _("Quality objectives %(year)s") % {"year": self.year}
        if self.revision > 1:
            text = _("%(text)s (revision %(n)s)") % {"text": text, "n": self.revision}
        return str(text)


class QualityObjective(AgencyOwnedModel):
    """One objective: what is aimed at, the measurable indicator, the target with its
    comparator and unit, how often it is measured, by whom, from which source. Versions of the
    same objective across revisions share ``lineage``; ``previous`` is the version it replaced."""

    objective_set = models.ForeignKey(
        ObjectiveSet,
        verbose_name=_("objectives of the year"),
        on_delete=models.PROTECT,
        related_name="objectives",
    )
    lineage = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_versions",
    )
    number = models.PositiveSmallIntegerField(_("no."))
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: an objective of the whole agency."),
    )
    statement = models.TextField(_("objective"))
    indicator = models.CharField(_("measurable indicator"), max_length=300)
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40)
    frequency = models.CharField(
        _("frequency of measurement"), max_length=10, choices=Frequency.choices
    )
    owner = models.ForeignKey(
        USER,
        verbose_name=_("owner (who measures)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source of the measurements"), max_length=64, default="manual")
    procedures = models.ManyToManyField(
        "procedures.AdministrativeProcedure",
        verbose_name=_("administrative procedures concerned"),
        blank=True,
        related_name="+",
    )
    processes = models.TextField(_("processes concerned"), blank=True)

    class Meta:
        verbose_name = _("quality objective")
        verbose_name_plural = _("quality objectives")
        ordering = ["objective_set", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective_set", "number"], name="objective_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(comparator__in=Comparator.values),
                name="objective_known_comparator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.statement[:120]}"

    @property
    def year(self) -> int:
        return self.objective_set.year

    @property
    def target_text(self) -> str:
        unit = self.unit.strip()
        spacer = "" if unit in ("%",) else " "
        return f"{self.get_comparator_display()} {number_text(self.target)}{spacer}{unit}".strip()

    @property
    def source_label(self) -> str:
        found = measures.get(self.source)
        return str(found.label) if found else self.source

    @property
    def computed(self) -> bool:
        found = measures.get(self.source)
        return bool(found and not found.manual)

    def periods(self) -> list[periods.Period]:
        return periods.periods(self.objective_set.year, self.frequency)

    def meets(self, value: Decimal) -> bool:
        return compare(value, self.comparator, self.target)


class PlanAction(AgencyOwnedModel):
    """One action of an objective's plan: what, with which resources, who, by when, and how
    the result is evaluated."""

    objective = models.ForeignKey(
        QualityObjective, on_delete=models.CASCADE, related_name="actions"
    )
    number = models.PositiveSmallIntegerField(_("no."))
    what = models.TextField(_("work to be done"))
    resources = models.CharField(_("resources"), max_length=300, blank=True)
    responsible = models.CharField(_("who"), max_length=200)
    due_date = models.DateField(_("by when"))
    evaluation = models.CharField(_("how the result is evaluated"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["objective", "number"]

    def __str__(self) -> str:
        return self.what[:120]


class Measurement(AgencyOwnedModel):
    """The value of an objective's indicator for one period, judged against the target of the
    version it was recorded under. ``lineage`` finds every measurement of an objective across
    its versions."""

    objective = models.ForeignKey(
        QualityObjective, on_delete=models.PROTECT, related_name="measurements"
    )
    lineage = models.UUIDField(db_index=True, editable=False)
    period = models.PositiveSmallIntegerField(_("period"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    met = models.BooleanField(_("met"))
    source = models.CharField(_("source"), max_length=64, default="manual")
    evidence = models.FileField(_("evidence"), upload_to="objectives/%Y/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["period_start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "period_start"], name="measurement_once"),
        ]
        indexes = [models.Index(fields=["agency", "met"])]

    def __str__(self) -> str:
        return f"{self.objective}: {number_text(self.value)}"

    @property
    def value_text(self) -> str:
        return number_text(self.value)


class EvaluationReport(AgencyOwnedModel):
    """The report on how far the year's objectives were met (báo cáo đánh giá thực hiện mục
    tiêu chất lượng), due before the internal audit: the secretary's assessment per objective
    and the causes of each one missed. Final reports keep the results as they were."""

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

    class Meta:
        verbose_name = _("objectives evaluation report")
        verbose_name_plural = _("objectives evaluation reports")
        ordering = ["-year", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="evaluation_once_a_year")
        ]

    def __str__(self) -> str:
        return str(_("Evaluation of the quality objectives %(year)s") % {"year": self.year})


class ObjectiveAssessment(AgencyOwnedModel):
    """The secretary's assessment of one objective in the report, and the causes when it was
    not met. ``result`` is frozen when the report is finalized."""

    report = models.ForeignKey(
        EvaluationReport, on_delete=models.CASCADE, related_name="assessments"
    )
    lineage = models.UUIDField()
    objective = models.ForeignKey(QualityObjective, on_delete=models.PROTECT, related_name="+")
    assessment = models.TextField(_("assessment"), blank=True)
    causes = models.TextField(_("causes (when not met)"), blank=True)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, blank=True)
    values = models.CharField(_("values measured"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("objective assessment")
        verbose_name_plural = _("objective assessments")
        constraints = [
            models.UniqueConstraint(fields=["report", "lineage"], name="assessment_once")
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.objective}"


class ObjectiveTemplate(models.Model):
    """A typical objective of the framework model for one kind of agency (data, with its
    basis), so a new commune starts from a sensible set."""

    kind = models.ForeignKey(
        "organizations.AgencyKind",
        verbose_name=_("agency kind"),
        on_delete=models.CASCADE,
        related_name="objective_templates",
    )
    number = models.PositiveSmallIntegerField(_("no."))
    statement = models.TextField(_("objective"))
    indicator = models.CharField(_("measurable indicator"), max_length=300)
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40)
    frequency = models.CharField(
        _("frequency of measurement"), max_length=10, choices=Frequency.choices
    )
    source = models.CharField(_("source of the measurements"), max_length=64, default="manual")
    actions = models.JSONField(
        _("plan actions"),
        default=list,
        blank=True,
        help_text=_("A list of {what, resources, responsible, evaluation, month}."),
    )
    basis = models.CharField(_("basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("objective template")
        verbose_name_plural = _("objective templates")
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="objective_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.statement[:80]}"
