"""Reports: the agency's annual report on its QMS to the Sở KH&CN (generated from the data of
the reporting period, the narrative typed by the ISO secretary, approved by the head, submitted
with the signed file, received or returned), the province's summary report to the People's
Committee and the Ministry (its own submission record), and the rule of the 2008 → 2015
transition (data). A submitted report is never edited: a correction is a new version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.reports.choices import ReportStatus, SummaryStatus

USER = settings.AUTH_USER_MODEL


class AnnualReport(AgencyOwnedModel):
    """One version of an agency's annual report (báo cáo tình hình áp dụng, duy trì và cải tiến
    HTQLCL năm N). ``data`` holds the sections generated from the period's records; the
    narrative is typed. ``due``, ``late`` and ``signature`` are fixed at submission."""

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    data = models.JSONField(_("figures of the period"), default=dict, blank=True)
    generated_at = models.DateTimeField(_("figures read at"), null=True, blank=True)
    assessment = models.TextField(_("assessment"), blank=True)
    difficulties = models.TextField(_("difficulties and limits"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    number = models.CharField(_("number"), max_length=60, blank=True)
    report_date = models.DateField(_("report dated"), null=True, blank=True)
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    signed_file = models.FileField(_("signed file"), upload_to="reports/%Y/", blank=True)
    signed_file_name = models.CharField(_("signed file name"), max_length=255, blank=True)
    signature = models.JSONField(_("signature check"), default=dict, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField(_("why it was returned"), blank=True)
    returned_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    edit_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "agency", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "version"], name="annual_report_unique_version"
            )
        ]
        indexes = [models.Index(fields=["agency", "year", "status"])]

    def __str__(self) -> str:
        text = _("Annual QMS report %(year)s") % {"year": self.year}
        if self.version > 1:
            text = _("%(text)s (version %(n)s)") % {"text": text, "n": self.version}
        return str(text)


class ProvincialReport(AgencyOwnedModel):
    """One version of a province's summary report (báo cáo tổng hợp) for the People's Committee
    and the Ministry: the figures of the subtree of ``agency`` as of ``as_of`` (the same day
    always gives the same figures; fixed in ``data`` when it is sent), the narrative, and its
    own submission record."""

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    as_of = models.DateField(_("figures as of"))
    data = models.JSONField(_("figures sent"), default=dict, blank=True)
    direction = models.TextField(_("direction given"), blank=True)
    results = models.TextField(_("results"), blank=True)
    limits = models.TextField(_("limits and causes"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    number = models.CharField(_("number"), max_length=60, blank=True)
    report_date = models.DateField(_("report dated"), null=True, blank=True)
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    recipients = models.TextField(_("sent to"), blank=True, help_text=_("One per line (Nơi nhận)."))
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("sent on"), null=True, blank=True)
    signed_file = models.FileField(_("signed file"), upload_to="reports/%Y/", blank=True)
    signed_file_name = models.CharField(_("signed file name"), max_length=255, blank=True)
    signature = models.JSONField(_("signature check"), default=dict, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    edit_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("provincial summary report")
        verbose_name_plural = _("provincial summary reports")
        ordering = ["-year", "agency", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "version"], name="provincial_report_unique_version"
            )
        ]

    def __str__(self) -> str:
        text = _("Summary QMS report %(year)s") % {"year": self.year}
        if self.version > 1:
            text = _("%(text)s (version %(n)s)") % {"text": text, "n": self.version}
        return str(text)


class TransitionRule(models.Model):
    """A change of the standard's version the agencies had to make by a deadline (TCVN ISO
    9001:2008 → 2015 in 2019–2021), with its basis: data, so the next one is a new row."""

    from_version = models.CharField(_("from version"), max_length=8)
    to_version = models.CharField(_("to version"), max_length=8)
    deadline = models.DateField(_("deadline"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("transition between versions of the standard")
        verbose_name_plural = _("transitions between versions of the standard")
        ordering = ["-deadline"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_version", "to_version"], name="transition_rule_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_version} → {self.to_version} ({self.deadline:%d/%m/%Y})"
