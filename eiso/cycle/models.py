"""The annual cycle: the obligations every agency must meet each year, as versioned data (rule
sets with their legal basis and the time they are in force, adopted for the whole deployment or
by one province), the status of each agency's obligations (computed from the evidence in the
system; kept here as a snapshot the inbox and the reminders read), and every reminder sent with
its recipients."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel, TimeStampedModel
from eiso.cycle.choices import DueKind, RuleSetStatus, Stage

USER = settings.AUTH_USER_MODEL
MONTHS = [(m, str(m)) for m in range(1, 13)]
DAYS = [(d, str(d)) for d in range(1, 32)]


def day_of(year: int, month: int, day: int) -> datetime.date:
    """``day``/``month``/``year``, the last day of the month when it has fewer days (29/02 in
    a year that has no such day is 28/02)."""
    while day > 28:
        try:
            return datetime.date(year, month, day)
        except ValueError:
            day -= 1
    return datetime.date(year, month, day)


class RuleSet(TimeStampedModel):
    """A version of the annual obligations: its legal basis, from when to when it is in force,
    and where (``scope``: the province — or any agency — that adopted it; empty: the whole
    deployment). A year is judged by the adopted set in force for it; adopted sets are never
    edited again: a change is a new set (copied, edited, adopted), the old one kept."""

    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.TextField(_("legal basis"))
    scope = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("adopted for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The province (or agency) whose subtree follows it; empty: everywhere."),
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    report_from_month = models.PositiveSmallIntegerField(
        _("reporting period starts (month, previous year)"), choices=MONTHS, default=12
    )
    report_from_day = models.PositiveSmallIntegerField(
        _("reporting period starts (day)"), choices=DAYS, default=15
    )
    report_to_month = models.PositiveSmallIntegerField(
        _("reporting period ends (month)"), choices=MONTHS, default=12
    )
    report_to_day = models.PositiveSmallIntegerField(
        _("reporting period ends (day)"), choices=DAYS, default=14
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    adopted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("set of annual obligations")
        verbose_name_plural = _("sets of annual obligations")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="rule_set_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def covers_year(self, year: int) -> bool:
        return self.effective_from <= datetime.date(year, 12, 31) and (
            self.effective_to is None or self.effective_to >= datetime.date(year, 1, 1)
        )

    def reporting_period(self, year: int) -> tuple[datetime.date, datetime.date]:
        """The annual report's period for ``year`` (15/12 of the previous year to 14/12 by
        default)."""
        start = day_of(year - 1, self.report_from_month, self.report_from_day)
        end = day_of(year, self.report_to_month, self.report_to_day)
        return start, end


class Rule(models.Model):
    """One obligation of a set: what, for which kinds of agency (none chosen: every agency
    concerned), due when, met by which evidence (a kind registered in
    ``eiso.core.evidence``), and when to remind and escalate.

    Due dates: ``fixed`` — ``due_day``/``due_month`` of the year, the window opening on
    ``opens_day``/``opens_month`` (of the previous year when ``opens_previous_year``);
    ``quarterly`` — the last day of each quarter; ``relative`` — ``offset_days`` from the first
    ``anchor_key`` evidence of the year (negative: before it; the fixed date while there is
    none); ``event`` — ``within_months`` and ``within_days`` after each ``trigger_key`` event."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("set"), on_delete=models.CASCADE, related_name="rules"
    )
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("obligation"), max_length=300)
    description = models.TextField(_("what is expected"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kinds = models.ManyToManyField(
        "organizations.AgencyKind",
        verbose_name=_("for kinds of agency"),
        blank=True,
        related_name="+",
        help_text=_("None chosen: every agency that must apply or has a QMS."),
    )
    due_kind = models.CharField(_("due"), max_length=10, choices=DueKind.choices)
    due_month = models.PositiveSmallIntegerField(
        _("due month"), choices=MONTHS, null=True, blank=True
    )
    due_day = models.PositiveSmallIntegerField(_("due day"), choices=DAYS, null=True, blank=True)
    opens_month = models.PositiveSmallIntegerField(_("opens (month)"), choices=MONTHS, default=1)
    opens_day = models.PositiveSmallIntegerField(_("opens (day)"), choices=DAYS, default=1)
    opens_previous_year = models.BooleanField(_("opens in the previous year"), default=False)
    anchor_key = models.CharField(_("relative to"), max_length=64, blank=True)
    offset_days = models.SmallIntegerField(_("days from it (negative: before)"), default=0)
    trigger_key = models.CharField(_("after each event"), max_length=64, blank=True)
    within_months = models.PositiveSmallIntegerField(_("within months"), default=0)
    within_days = models.PositiveSmallIntegerField(_("and days"), default=0)
    evidence_key = models.CharField(_("met by"), max_length=64)
    remind_before_days = models.PositiveSmallIntegerField(_("remind days before"), default=14)
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate to the overseer days after"), default=15
    )

    class Meta:
        verbose_name = _("annual obligation")
        verbose_name_plural = _("annual obligations")
        ordering = ["rule_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="rule_code_once_per_set")
        ]

    def __str__(self) -> str:
        return self.title


class ObligationStatus(AgencyOwnedModel):
    """An agency's obligation (one rule, one year, one instance: a quarter, an event) as it was
    computed from the evidence on ``computed_on`` — the snapshot the inbox, the home page and
    the reminders read; the pages compute it again from the evidence. ``version`` is what the
    agency's data and the rules were when computed: a different one means compute again."""

    year = models.PositiveSmallIntegerField(_("year"))
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="+")
    rule_code = models.CharField(_("obligation"), max_length=40)
    instance = models.CharField(_("instance"), max_length=80, blank=True)
    title = models.CharField(_("obligation"), max_length=300)
    label = models.CharField(_("period"), max_length=200, blank=True)
    opens = models.DateField(_("opens"), null=True, blank=True)
    due = models.DateField(_("due"))
    met_on = models.DateField(_("met on"), null=True, blank=True)
    evidence_title = models.CharField(_("evidence"), max_length=300, blank=True)
    evidence_url = models.CharField(_("link to the evidence"), max_length=300, blank=True)
    remind_before_days = models.PositiveSmallIntegerField(default=14)
    escalate_after_days = models.PositiveSmallIntegerField(default=15)
    computed_on = models.DateField(_("computed on"))
    version = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = _("obligation status")
        verbose_name_plural = _("obligation statuses")
        ordering = ["agency", "year", "due"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "rule_code", "instance"], name="obligation_status_once"
            )
        ]
        indexes = [models.Index(fields=["agency", "met_on", "due"])]

    def __str__(self) -> str:
        return f"{self.agency} — {self.title} {self.label}".strip()


class ReminderLog(AgencyOwnedModel):
    """A reminder of one obligation of an agency, sent once per stage (before the date, after
    it, escalated to the overseer), with the people it reached."""

    year = models.PositiveSmallIntegerField(_("year"))
    rule = models.ForeignKey(
        Rule, verbose_name=_("obligation"), on_delete=models.PROTECT, related_name="+"
    )
    rule_code = models.CharField(_("obligation code"), max_length=40)
    instance = models.CharField(_("instance"), max_length=80, blank=True)
    stage = models.CharField(_("reminder"), max_length=12, choices=Stage.choices)
    due = models.DateField(_("due"))
    sent_at = models.DateTimeField(_("sent at"))
    message = models.CharField(_("message"), max_length=500)
    recipients = models.ManyToManyField(
        USER, verbose_name=_("recipients"), related_name="+", blank=True
    )
    recipient_names = models.TextField(_("recipients"), blank=True)

    class Meta:
        verbose_name = _("reminder of an obligation")
        verbose_name_plural = _("reminders of obligations")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "rule_code", "instance", "stage"],
                name="obligation_reminder_once",
            )
        ]
        indexes = [models.Index(fields=["stage", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.agency} — {self.rule_code} {self.instance} ({self.stage})"


class ObligationSnapshot(AgencyOwnedModel):
    """When an agency's ``ObligationStatus`` rows were computed and from which ``version`` of
    its data and the rules (one row per agency, even one with no obligation)."""

    computed_on = models.DateField(_("computed on"))
    version = models.CharField(max_length=80)

    class Meta:
        verbose_name = _("obligation snapshot")
        verbose_name_plural = _("obligation snapshots")
        constraints = [models.UniqueConstraint(fields=["agency"], name="obligation_snapshot_once")]

    def __str__(self) -> str:
        return f"{self.agency} {self.computed_on:%d/%m/%Y}"
