"""Management review (ISO 9001 clause 9.3): the meeting (date, chair, attendees), its input pack
(9.3.2) assembled from the other modules at the meeting date — each section saying where it came
from, "no data" when there is none, editable before the meeting —, the outputs (9.3.3) tracked as
actions with owners and due dates, and the minutes with their signed scan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.reviews.choices import OutputKind, ReviewStatus

USER = settings.AUTH_USER_MODEL


class ManagementReview(AgencyOwnedModel):
    """A management review meeting (họp xem xét của lãnh đạo) and its minutes (biên bản)."""

    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveSmallIntegerField(_("meeting of the year"))
    meeting_date = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.ForeignKey(
        USER,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("One per line."))
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PLANNED
    )
    pack_as_of = models.DateField(_("input pack as of"), null=True, blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    minutes_number = models.CharField(_("minutes number"), max_length=40, blank=True)
    minutes_date = models.DateField(_("minutes dated"), null=True, blank=True)
    signed_scan = models.FileField(_("signed minutes"), upload_to="reviews/%Y/", blank=True)
    signed_scan_name = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")
        ordering = ["-meeting_date", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "sequence"], name="management_review_unique_meeting"
            )
        ]
        indexes = [models.Index(fields=["agency", "year", "status"])]

    def __str__(self) -> str:
        return str(_("Management review %(n)s/%(year)s") % {"n": self.sequence, "year": self.year})


class ReviewInput(AgencyOwnedModel):
    """A section of the input pack (9.3.2 a–f): its text, where it came from and as of which
    day; ``has_data`` is false when the system had nothing to say; ``edited`` when a person
    changed it (assembling again keeps it)."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="inputs")
    key = models.CharField(_("section"), max_length=32)
    clause = models.CharField(_("clause"), max_length=16)
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)
    source = models.CharField(_("where it came from"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    has_data = models.BooleanField(_("has data"), default=False)
    edited = models.BooleanField(_("changed by hand"), default=False)
    edited_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("input of the review")
        verbose_name_plural = _("input pack")
        ordering = ["review", "order"]
        constraints = [models.UniqueConstraint(fields=["review", "key"], name="review_input_once")]

    def __str__(self) -> str:
        return f"{self.clause} {self.title}"


class ReviewOutput(AgencyOwnedModel):
    """A decision of the review (9.3.3), tracked as an action: who, by when, done with what."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="outputs")
    number = models.PositiveSmallIntegerField(_("no."))
    kind = models.CharField(_("kind"), max_length=12, choices=OutputKind.choices)
    description = models.TextField(_("decision"))
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
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("output of the review")
        verbose_name_plural = _("outputs of the review")
        ordering = ["review", "number"]
        indexes = [models.Index(fields=["owner", "done_on", "due_date"])]

    def __str__(self) -> str:
        return self.description[:120]
