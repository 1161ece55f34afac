"""Records (ISO 9001, 7.5.3) and the one-stop dossier log (hồ sơ một cửa) with its monthly
figures.

- ``RecordType``: a kind of record the agency keeps (danh mục hồ sơ), usually a form or a
  result of one of its procedures: who keeps it, where, for how long, how it is disposed of.
- ``Dossier``: one dossier of the province's one-stop system, imported (never typed): its
  code is kept exactly as the system gives it, unique per agency.
- ``DossierStat``: one cell of the pre-aggregated monthly figures (agency × procedure ×
  channel × month), kept current by the import, so no page ever counts dossiers; with its
  roll-ups per agency and month (``AgencyMonthStat``) and per agency, channel and month
  (``AgencyChannelMonthStat``), all three a ``MonthlyFigures``.

The dossier columns ``received_month``, ``due_month``, ``finished_month`` and ``on_time`` are
derived by the import from the dates (in Asia/Ho_Chi_Minh): they let the figures be
recomputed set-based for the months an import touches, on SQLite and PostgreSQL alike.

The foreign keys of the dossiers and figures are not enforced by the database (no
``FOREIGN KEY`` constraint, ``on_delete=PROTECT`` still guards deletes in the application):
these tables take a province's million rows a year in bulk, PostgreSQL checks deferred
constraints row by row at commit (a third of an import's time), and the import resolves
every agency, procedure and department from the database itself, under a lock of the
agencies it writes.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.records.choices import Channel, Disposal, DossierStatus, RecordLocation


class RecordType(AgencyOwnedModel):
    """A kind of record the agency keeps: a form or result of a procedure (``document``, its
    ISO procedure; empty for records of the QMS as a whole), who keeps it, where, how long
    (years, or permanently) and how it is disposed of afterwards."""

    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("ISO procedure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("record"), max_length=300)
    form_code = models.CharField(_("form code"), max_length=60, blank=True)
    keeper = models.CharField(_("kept by"), max_length=200)
    location = models.CharField(
        _("where it is kept"),
        max_length=16,
        choices=RecordLocation.choices,
        default=RecordLocation.PAPER,
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention (years)"), null=True, blank=True
    )
    permanent = models.BooleanField(_("kept permanently"), default=False)
    disposal = models.CharField(
        _("disposal"), max_length=16, choices=Disposal.choices, default=Disposal.DESTROY
    )
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("kept"), default=True)

    class Meta:
        verbose_name = _("record type")
        verbose_name_plural = _("record types")
        ordering = ["agency", "document", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "document", "name"], name="record_type_unique_in_procedure"
            ),
            models.UniqueConstraint(
                fields=["agency", "name"],
                condition=Q(document__isnull=True),
                name="record_type_unique_in_agency",
            ),
            models.CheckConstraint(
                condition=Q(permanent=True) | Q(retention_years__isnull=False),
                name="record_type_has_retention",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def retention_text(self) -> str:
        if self.permanent:
            return str(_("Permanent"))
        return str(_("%(n)s years") % {"n": self.retention_years})


class Dossier(AgencyOwnedModel):
    """A one-stop dossier as the one-stop system reports it. Written only by the import
    (``eiso.records.importing``): re-importing the same agency + code updates it."""

    # The unique (agency, code) index serves every lookup by agency: no separate index.
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    code = models.CharField(_("dossier code"), max_length=64)
    procedure = models.ForeignKey(
        "procedures.AdministrativeProcedure",
        verbose_name=_("administrative procedure"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("due"))
    finished_at = models.DateTimeField(_("result issued"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned to the citizen"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=DossierStatus.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # Derived by the import (local dates): the month cells the dossier counts in.
    received_month = models.DateField(_("month received"))
    due_month = models.DateField(_("month due"))
    finished_month = models.DateField(_("month finished"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-stop dossier")
        verbose_name_plural = _("one-stop dossiers")
        ordering = ["-received_month", "-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="dossier_unique_code"),
        ]
        indexes = [
            # The list, newest first (the month is derived from the date: same order).
            models.Index(
                fields=["agency", "-received_month", "-received_at"], name="dossier_received"
            ),
            # Finished dossiers by month: the figures' "finished" cells and the late list.
            models.Index(
                fields=["agency", "finished_month"],
                name="dossier_finished",
                condition=Q(finished_month__isnull=False),
            ),
            # Open dossiers by due month: "in progress" cells, overdue in the inbox.
            models.Index(
                fields=["agency", "due_month", "due_at"],
                name="dossier_open",
                condition=Q(status__in=["in_progress", "suspended"]),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def late(self) -> bool:
        return self.on_time is False


# The counts of every monthly figures table (the import writes them set-based, by these names).
FIGURE_COUNTS = ("received", "finished", "on_time", "late", "in_progress", "overdue")


class MonthlyFigures(AgencyOwnedModel):
    """What the three monthly figures tables share: an agency (not enforced by the database, see
    above), a month and the counts of its dossiers — received that month, finished that month
    (on time or late), and still open with their due date in that month (in progress; overdue
    once the due date has passed)."""

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    month = models.DateField(_("month"))
    received = models.PositiveIntegerField(_("received"), default=0)
    finished = models.PositiveIntegerField(_("finished"), default=0)
    on_time = models.PositiveIntegerField(_("on time"), default=0)
    late = models.PositiveIntegerField(_("late"), default=0)
    in_progress = models.PositiveIntegerField(_("in progress"), default=0)
    overdue = models.PositiveIntegerField(_("in progress, overdue"), default=0)

    class Meta:
        abstract = True


class DossierStat(MonthlyFigures):
    """One cell of the monthly figures: the dossiers of one agency, procedure and channel in
    one month. Recomputed from the dossiers by the import for the months it touches."""

    procedure = models.ForeignKey(
        "procedures.AdministrativeProcedure",
        verbose_name=_("administrative procedure"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)

    class Meta:
        verbose_name = _("monthly dossier figures")
        verbose_name_plural = _("monthly dossier figures")
        ordering = ["agency", "month", "procedure", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "month", "procedure", "channel"], name="dossier_stat_cell"
            ),
        ]
        indexes = [
            # An overseer's month range over a subtree: by month, then agency.
            models.Index(fields=["month", "agency"], name="dossier_stat_month"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%m/%Y} {self.procedure_id} {self.channel}"


class AgencyMonthStat(MonthlyFigures):
    """The monthly figures of one agency, all procedures and channels together: the cells of
    ``DossierStat`` summed, kept with them by the import. The overseer's pages (ranking, tiers,
    subtrees, months) read these: their cost depends on the number of agencies and months,
    never on the number of dossiers or procedures."""

    class Meta:
        verbose_name = _("monthly dossier figures of an agency")
        verbose_name_plural = _("monthly dossier figures of agencies")
        ordering = ["agency", "month"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="agency_month_stat_cell"),
        ]
        indexes = [models.Index(fields=["month", "agency"], name="agency_month_stat_month")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%m/%Y}"


class AgencyChannelMonthStat(MonthlyFigures):
    """The monthly figures of one agency by channel, all procedures together: the cells of
    ``DossierStat`` summed per channel, kept with them by the import. The overseer's figures
    by channel read these, so they cost the same whatever the number of dossiers and
    procedures (from the detailed cells the by-month page took 16-21 times as long at
    20,000,000 dossiers as at 20,000)."""

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)

    class Meta:
        verbose_name = _("monthly dossier figures of an agency by channel")
        verbose_name_plural = _("monthly dossier figures of agencies by channel")
        ordering = ["agency", "month", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "month", "channel"], name="agency_channel_month_stat_cell"
            ),
        ]
        indexes = [
            models.Index(fields=["month", "agency"], name="agency_channel_stat_month"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%m/%Y} {self.channel}"
