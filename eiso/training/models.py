"""Training and competence (ISO 9001, 7.2): courses, their sessions with the attendance of
each person and the evidence (attendance sheet, minutes), and certificates (internal auditor
and others) with issuer, date and expiry. A certificate belongs to its holder: it is recorded
by the agency where they worked then, and follows them when they move (staff rotate often):
the agency they work in now reads it too (``selectors.certificate_list``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.training.choices import CertificateKind, CourseKind

USER = settings.AUTH_USER_MODEL


class Course(AgencyOwnedModel):
    """A course the agency organises or sends people to."""

    title = models.CharField(_("course"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=CourseKind.choices)
    description = models.TextField(_("content"), blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    certificate_kind = models.CharField(
        _("certificate given to those who pass"),
        max_length=20,
        choices=CertificateKind.choices,
        blank=True,
    )
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["agency", "title"]

    def __str__(self) -> str:
        return self.title


class TrainingSession(AgencyOwnedModel):
    """One session of a course: when, who trained, where, and its evidence file."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    trainer = models.CharField(_("trainer"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="training/%Y/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="training_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.starts_on:%d/%m/%Y})"


class Attendance(AgencyOwnedModel):
    """A person's attendance of a session, and whether they passed (when it is assessed)."""

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("training session"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    person = models.ForeignKey(
        USER, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    attended = models.BooleanField(_("attended"), default=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.session}"


class Certificate(AgencyOwnedModel):
    """A certificate held by a person (internal auditor, …): issuer, number, date, expiry
    (empty: does not expire; valid up to and including ``expires_on``)."""

    holder = models.ForeignKey(
        USER, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="certificates"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    issuer = models.CharField(_("issued by"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("training session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    file = models.FileField(_("scan"), upload_to="certificates/%Y/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["holder", "kind", "expires_on"], name="certificate_holder_kind")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("issued_on")),
                name="certificate_expires_after_issue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.holder}"

    def valid_on(self, day) -> bool:
        return self.issued_on <= day and (self.expires_on is None or day <= self.expires_on)
