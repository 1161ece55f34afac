"""Satisfaction and feedback (ISO 9001 clause 9.1.2): the ratings people give at the one-stop
desk (a short public form reached by a QR code), the desks that have their own code, the
complaints and petitions (phản ánh, kiến nghị) with their handling and answer, and the rule
(as data, with its legal basis) that says by when a complaint must be answered."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.feedback.choices import (
    ComplaintChannel,
    ComplaintKind,
    ComplaintStatus,
    DayKind,
    Outcome,
    RatingSource,
)

USER = settings.AUTH_USER_MODEL


class AnswerRule(models.Model):
    """By when a complaint or petition must be answered, per channel (blank: every channel
    without a rule of its own), from a date on: data with its legal basis, so a new decree or
    provincial regulation is a new row, not a code change. The newest row in force on the day
    the complaint was received applies."""

    channel = models.CharField(
        _("channel"), max_length=20, choices=ComplaintChannel.choices, blank=True
    )
    days = models.PositiveSmallIntegerField(_("days to answer"))
    day_kind = models.CharField(
        _("counted in"), max_length=10, choices=DayKind.choices, default=DayKind.WORKING
    )
    effective_from = models.DateField(_("effective from"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        verbose_name = _("answer rule")
        verbose_name_plural = _("answer rules")
        ordering = ["channel", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "effective_from"], name="answer_rule_one_per_day"
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="answer_rule_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display() or '*'}: {self.days} {self.get_day_kind_display()}"


class Desk(AgencyOwnedModel):
    """A place where people are served (quầy, bàn tiếp nhận), with its own QR code: the
    ratings given there say where."""

    name = models.CharField(_("name"), max_length=200)
    procedure = models.ForeignKey(
        "procedures.AdministrativeProcedure",
        verbose_name=_("administrative procedure served"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="desk_unique_name")]

    def __str__(self) -> str:
        return self.name


SCORE_FIELDS = ("attitude", "timeliness", "guidance", "result")


def _score_field(label):
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


class Rating(AgencyOwnedModel):
    """One person's rating of the service (1–5 on each criterion answered), with the procedure,
    the desk and the dossier it is about when given, and a comment. No personal data: who
    rated is never asked nor kept (not even the address). ``score`` is the average of the
    criteria answered; ``satisfied`` says it reaches ``SATISFIED_FROM`` (kept for counting in
    SQL)."""

    desk = models.ForeignKey(
        Desk,
        verbose_name=_("desk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    procedure = models.ForeignKey(
        "procedures.AdministrativeProcedure",
        verbose_name=_("administrative procedure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dossier_code = models.CharField(_("dossier code"), max_length=60, blank=True)
    attitude = _score_field(_("Attitude of the staff"))
    timeliness = _score_field(_("Time taken"))
    guidance = _score_field(_("Guidance given"))
    result = _score_field(_("Result"))
    score = models.DecimalField(_("average"), max_digits=3, decimal_places=2)
    satisfied = models.BooleanField(_("satisfied"))
    comment = models.TextField(_("comment"), blank=True)
    submitted_on = models.DateField(_("date"))
    source = models.CharField(
        _("source"), max_length=10, choices=RatingSource.choices, default=RatingSource.QR
    )

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-submitted_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "submitted_on"], name="rating_agency_day"),
            models.Index(fields=["submitted_on", "agency"], name="rating_day_agency"),
        ]
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"rating_{name}_1_to_5",
                )
                for name in SCORE_FIELDS
            ),
            models.CheckConstraint(
                condition=Q(attitude__isnull=False)
                | Q(timeliness__isnull=False)
                | Q(guidance__isnull=False)
                | Q(result__isnull=False),
                name="rating_at_least_one_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submitted_on:%d/%m/%Y} {self.score}"

    @property
    def scores(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in SCORE_FIELDS}


class Complaint(AgencyOwnedModel):
    """A complaint or petition (phản ánh, kiến nghị) about the agency's service: registered by
    staff (from the desk, the hotline, the e-mail box, the national portal, a letter) or
    submitted on the public portal. Numbered per agency and year ("07/2026"); the person who
    sent it follows it with ``tracking_code`` (random, never derived from the number). The
    contact is protected: only the agency's keepers and the handler read it."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("no."))
    tracking_code = models.CharField(_("tracking code"), max_length=14, unique=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ComplaintKind.choices, default=ComplaintKind.COMPLAINT
    )
    channel = models.CharField(_("channel"), max_length=20, choices=ComplaintChannel.choices)
    subject = models.CharField(_("subject"), max_length=300)
    content = models.TextField(_("content"))
    procedure = models.ForeignKey(
        "procedures.AdministrativeProcedure",
        verbose_name=_("administrative procedure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dossier_code = models.CharField(_("dossier code"), max_length=60, blank=True)
    contact_name = models.CharField(_("name of the sender"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_address = models.CharField(_("address"), max_length=300, blank=True)
    received_on = models.DateField(_("received on"))
    due_date = models.DateField(_("to be answered by"))
    due_basis = models.CharField(_("answer rule"), max_length=400, blank=True)
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        USER,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling_note = models.TextField(_("handling (internal)"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        USER,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
    )
    registered_by = models.ForeignKey(
        USER,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The nonconformity it revealed (eiso.improvements), by id: feedback does not depend on
    # that app being installed.
    nonconformity_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("complaint or petition")
        verbose_name_plural = _("complaints and petitions")
        ordering = ["-received_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"], name="complaint_unique_number"
            )
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="complaint_agency_status"),
            models.Index(fields=["agency", "received_on"], name="complaint_agency_received"),
            models.Index(fields=["status", "due_date"], name="complaint_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.subject[:100]}"

    @property
    def code(self) -> str:
        return f"{self.number:02d}/{self.year}"

    @property
    def has_contact(self) -> bool:
        return any(
            (self.contact_name, self.contact_phone, self.contact_email, self.contact_address)
        )

    @property
    def answered_late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.due_date
