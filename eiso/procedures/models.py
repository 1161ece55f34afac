"""Administrative procedures (TTHC): the province's catalogue keyed by the national database's
codes, each agency's handled procedures, and the ISO procedure (a document) with its step
table that implements one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel, TimeStampedModel
from eiso.organizations.choices import Tier


class AdministrativeProcedure(TimeStampedModel):
    """A TTHC of the province's catalogue. The code is kept exactly as the national database
    gives it (``1.001612.000.00.00.H01``, ``2.000635``)."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=500)
    field = models.CharField(_("field"), max_length=200, blank=True, db_index=True)
    level = models.CharField(_("level"), max_length=16, choices=Tier.choices, db_index=True)
    time_limit_days = models.DecimalField(
        _("time limit (days)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    within_the_day = models.BooleanField(_("within the day"), default=False)
    time_limit_text = models.CharField(_("time limit as published"), max_length=200, blank=True)
    fee = models.CharField(_("fee"), max_length=300, blank=True)
    published_by = models.CharField(_("published by decision"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in force"), default=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def statutory_days(self):
        """The statutory time in days (0 for "within the day"), or None when not set."""
        if self.within_the_day:
            return 0
        return self.time_limit_days


class HandledProcedure(AgencyOwnedModel):
    """A procedure an agency handles (its scope's administrative part)."""

    procedure = models.ForeignKey(
        AdministrativeProcedure,
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        related_name="handled_by",
    )
    since = models.DateField(_("since"), null=True, blank=True)
    is_active = models.BooleanField(_("handled"), default=True)

    class Meta:
        verbose_name = _("handled procedure")
        verbose_name_plural = _("handled procedures")
        ordering = ["agency", "procedure__code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "procedure"], name="handled_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.procedure.code}"


class IsoProcedure(AgencyOwnedModel):
    """The link from an agency's ISO procedure document to the TTHC it implements."""

    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("ISO procedure"),
        on_delete=models.PROTECT,
        related_name="implements",
    )
    procedure = models.ForeignKey(
        AdministrativeProcedure,
        verbose_name=_("administrative procedure"),
        on_delete=models.PROTECT,
        related_name="iso_procedures",
    )

    class Meta:
        verbose_name = _("ISO procedure of an administrative procedure")
        verbose_name_plural = _("ISO procedures of administrative procedures")
        constraints = [
            models.UniqueConstraint(fields=["agency", "procedure"], name="iso_procedure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document.code} → {self.procedure.code}"


class ProcedureStep(AgencyOwnedModel):
    """One row of the step table of a revision of an ISO procedure: step · responsible ·
    time · forms/results. The table belongs to the revision (document control): a new revision
    starts from a copy of the previous one's table, only a draft's table changes, and the
    table in force is that of the revision in force."""

    revision = models.ForeignKey(
        "documents.Revision",
        verbose_name=_("revision"),
        on_delete=models.PROTECT,
        related_name="steps",
    )
    number = models.PositiveSmallIntegerField(_("step"))
    name = models.CharField(_("what is done"), max_length=500)
    responsible = models.CharField(_("responsible"), max_length=200)
    time_days = models.DecimalField(
        _("time (days)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    forms_results = models.CharField(_("forms / results"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        ordering = ["revision", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "number"], name="step_unique_number_in_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"
