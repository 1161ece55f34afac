"""Nonconformities (sự không phù hợp) and their corrective actions (ISO 9001 clause 10.2): the
record with its source, evidence and department, the correction made at once, the root cause
(with a 5-whys chain and a cause category), the actions with owners, due dates and evidence,
and every effectiveness check. A reopened record keeps its earlier actions and checks (each
belongs to a round)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.improvements.choices import CauseCategory, Grade, NcSource, NcStatus

USER = settings.AUTH_USER_MODEL


class Nonconformity(AgencyOwnedModel):
    """One nonconformity and its corrective-action record (phiếu yêu cầu hành động khắc
    phục), numbered per agency and year ("03/2026")."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("no."))
    source = models.CharField(_("source"), max_length=20, choices=NcSource.choices)
    source_ref = models.CharField(_("reference of the source"), max_length=300, blank=True)
    grade = models.CharField(_("grade"), max_length=8, choices=Grade.choices, blank=True)
    title = models.CharField(_("nonconformity"), max_length=300)
    description = models.TextField(_("description"))
    evidence_text = models.TextField(_("evidence"), blank=True)
    evidence = models.FileField(_("evidence file"), upload_to="improvements/%Y/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        USER,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_by = models.ForeignKey(
        USER, verbose_name=_("raised by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField(_("raised on"))
    due_date = models.DateField(_("to be closed by"), null=True, blank=True)
    correction = models.TextField(_("correction (immediate)"), blank=True)
    correction_on = models.DateField(_("correction made on"), null=True, blank=True)
    cause_category = models.CharField(
        _("cause category"), max_length=16, choices=CauseCategory.choices, blank=True
    )
    whys = models.JSONField(_("five whys"), default=list, blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=NcStatus.choices, default=NcStatus.OPEN
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    plan_submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_approved_by = models.ForeignKey(
        USER,
        verbose_name=_("plan approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    plan_approved_on = models.DateField(_("plan approved on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    days_to_close = models.PositiveIntegerField(_("days to close"), null=True, blank=True)

    class Meta:
        verbose_name = _("nonconformity")
        verbose_name_plural = _("nonconformities")
        ordering = ["-year", "agency", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"], name="nonconformity_unique_number"
            )
        ]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["agency", "year"]),
            models.Index(fields=["source", "source_ref"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:100]}"

    @property
    def code(self) -> str:
        return f"{self.number:02d}/{self.year}"


class CorrectiveAction(AgencyOwnedModel):
    """An action of the corrective-action plan: what, who, by when, done with what evidence.
    ``round`` is the plan it belongs to (a reopened record gets a new round)."""

    nonconformity = models.ForeignKey(
        Nonconformity, on_delete=models.CASCADE, related_name="actions"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    number = models.PositiveSmallIntegerField(_("no."))
    action = models.TextField(_("corrective action"))
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
    evidence = models.FileField(_("evidence"), upload_to="improvements/%Y/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["nonconformity", "round", "number"]
        indexes = [models.Index(fields=["owner", "done_on", "due_date"])]

    def __str__(self) -> str:
        return self.action[:120]


class EffectivenessCheck(AgencyOwnedModel):
    """A check that the actions removed the cause: by whom, when, effective or not. Kept
    for every round."""

    nonconformity = models.ForeignKey(
        Nonconformity, on_delete=models.CASCADE, related_name="checks"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    checked_by = models.ForeignKey(
        USER, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    checked_on = models.DateField(_("checked on"))
    effective = models.BooleanField(_("effective"))
    note = models.TextField(_("what was checked"))

    class Meta:
        verbose_name = _("effectiveness check")
        verbose_name_plural = _("effectiveness checks")
        ordering = ["nonconformity", "checked_on", "pk"]

    def __str__(self) -> str:
        return f"{self.checked_on:%d/%m/%Y} {self.note[:80]}"
