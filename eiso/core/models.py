"""The shared kernel's models: abstract bases, the audit trail and import batches.
No domain models live here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.scoping import AgencyScopedQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AgencyOwnedModel(TimeStampedModel):
    """Base of every row that belongs to an agency. Reads go through ``visible_to``."""

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One change: who, when, what, from where. Written by services in their transaction."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    remote_addr = models.GenericIPAddressField(_("remote address"), null=True, blank=True)

    objects = AgencyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # a person's and an agency's last event (eiso.core.kept: anything changed since?)
            models.Index(fields=["actor", "id"], name="audit_actor_last"),
            models.Index(fields=["agency", "id"], name="audit_agency_last"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%d/%m/%Y %H:%M} {self.actor_name} {self.action} {self.object_repr}"
        )


class ImportBatch(AgencyOwnedModel):
    """An uploaded spreadsheet: checked and waiting for confirmation, or a background job
    (large files) with its progress and result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        CHECKING = "checking", _("Checking the rows")
        PREVIEWED = "previewed", _("Checked")
        APPLYING = "applying", _("Saving")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Not imported")

    RUNNING = (Status.QUEUED, Status.CHECKING, Status.APPLYING)

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The agency the import was made for; empty for a first tree."),
    )
    kind = models.CharField(_("kind"), max_length=32)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PREVIEWED
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    apply_requested = models.BooleanField(
        _("import when valid"),
        default=False,
        help_text=_("Save the rows once checked (not only a preview)."),
    )
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        if not self.row_count:
            return 0
        return min(100, round(self.rows_done * 100 / self.row_count))


class Notification(AgencyOwnedModel):
    """An in-app message to one person (also e-mailed when e-mail is configured)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message


class OutputJob(AgencyOwnedModel):
    """A file prepared in the background (``eiso/core/jobs.py``): a report too large to build
    within a request. Its page shows the progress, then the download; only the person who
    asked for it sees it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    RUNNING = (Status.QUEUED, Status.RUNNING)

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The agency the file is about (its subtree for an overseer), if any."),
    )
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The role the person acted in when asking (the job reads with the same scope).
    membership_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="jobs/%Y/%m/", blank=True, max_length=300)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    message = models.TextField(_("message"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["created_by", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING
