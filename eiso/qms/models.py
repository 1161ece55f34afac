"""An agency's QMS record, its announcements of conformity and its ISO steering committee."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.qms.choices import (
    AnnouncementAction,
    AnnouncementKind,
    AnnouncementStatus,
    CommitteeRole,
    QmsStatus,
    ReminderKind,
    StandardVersion,
)

USER = settings.AUTH_USER_MODEL


class QualitySystem(AgencyOwnedModel):
    """The QMS of one agency: version, status, scope beyond its procedures, policy."""

    standard_version = models.CharField(
        _("standard version"),
        max_length=8,
        choices=StandardVersion.choices,
        default=StandardVersion.V2015,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=QmsStatus.choices, default=QmsStatus.NOT_STARTED
    )
    internal_activities = models.TextField(_("internal activities in scope"), blank=True)
    exclusions = models.TextField(_("clauses not applicable, with justification"), blank=True)
    quality_policy = models.ForeignKey(
        "documents.Document",
        verbose_name=_("quality policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consultant = models.CharField(_("consultant (organisation)"), max_length=300, blank=True)
    consultant_cost = models.DecimalField(
        _("consultant cost (VND)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    reannouncement_reason = models.CharField(
        _("re-announcement due because"), max_length=300, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("quality management system")
        verbose_name_plural = _("quality management systems")
        constraints = [models.UniqueConstraint(fields=["agency"], name="qms_one_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency} — {self.get_status_display()}"


class Announcement(AgencyOwnedModel):
    """The decision announcing the QMS conforms to TCVN ISO 9001 (công bố / công bố lại),
    with the scope at that moment."""

    kind = models.CharField(_("kind"), max_length=8, choices=AnnouncementKind.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    number = models.CharField(_("number"), max_length=60, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    signer_name = models.CharField(_("signer"), max_length=200)
    signer_title = models.CharField(_("signer's title"), max_length=200)
    standard_version = models.CharField(
        _("standard version"), max_length=8, choices=StandardVersion.choices
    )
    scope_snapshot = models.JSONField(_("scope at the time"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AnnouncementStatus.choices,
        default=AnnouncementStatus.DRAFT,
    )
    signed_file = models.FileField(_("signed scan"), upload_to="announcements/%Y/", blank=True)
    signed_file_name = models.CharField(max_length=255, blank=True)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    imported = models.BooleanField(_("imported from paper records"), default=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("announcement of conformity")
        verbose_name_plural = _("announcements of conformity")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["agency", "status", "date"])]

    def __str__(self) -> str:
        return self.number or str(_("Draft announcement"))

    @property
    def procedure_codes(self) -> list[str]:
        return list(self.scope_snapshot.get("procedures", []))


class AnnouncementEvent(AgencyOwnedModel):
    """A step of the announcement's life (prepared, signed, sent, returned with the
    overseer's reason, corrected, sent again, received…): its history, kept whole."""

    announcement = models.ForeignKey(Announcement, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=16, choices=AnnouncementAction.choices)
    actor = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("announcement event")
        verbose_name_plural = _("announcement events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.announcement} {self.get_action_display()}"


class CommitteeDecision(AgencyOwnedModel):
    """A decision establishing or updating the ISO steering committee (Ban chỉ đạo ISO)."""

    number = models.CharField(_("number"), max_length=60)
    date = models.DateField(_("date"))
    file = models.FileField(_("signed decision"), upload_to="committees/%Y/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("steering committee decision")
        verbose_name_plural = _("steering committee decisions")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.number


class CommitteeMember(AgencyOwnedModel):
    """A member of the committee as a decision set it."""

    decision = models.ForeignKey(
        CommitteeDecision, on_delete=models.PROTECT, related_name="members"
    )
    user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    committee_role = models.CharField(
        _("role in the committee"), max_length=16, choices=CommitteeRole.choices
    )

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["decision", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_committee_role_display()})"


class Reminder(AgencyOwnedModel):
    """A reminder an overseer sent to the agency: announce its QMS, or announce it again."""

    kind = models.CharField(_("kind"), max_length=24, choices=ReminderKind.choices)
    message = models.TextField(_("message"), blank=True)
    sent_by = models.ForeignKey(
        USER, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent on"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("people notified"), default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["agency", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.agency} — {self.get_kind_display()}"
