"""What an agency shows on the public portal besides its published announcements (which the
announcement itself marks, ``qms.Announcement.is_published``): an administrative procedure it
handles — with the step table of its ISO procedure's revision in force — or a controlled
document (a form to download). Nothing else of the agency's documents is ever public."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel


class PublicationKind(models.TextChoices):
    PROCEDURE = "procedure", _("Administrative procedure")
    DOCUMENT = "document", _("Form or document")


class Publication(AgencyOwnedModel):
    """One thing the agency marked public. Unpublishing deletes the row (the audit trail keeps
    when it was shown and by whom)."""

    kind = models.CharField(_("kind"), max_length=10, choices=PublicationKind.choices)
    procedure = models.ForeignKey(
        "procedures.AdministrativeProcedure",
        verbose_name=_("administrative procedure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["agency", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="procedure", procedure__isnull=False, document__isnull=True)
                    | Q(kind="document", document__isnull=False, procedure__isnull=True)
                ),
                name="publication_one_target",
            ),
            models.UniqueConstraint(
                fields=["agency", "procedure"],
                condition=Q(procedure__isnull=False),
                name="publication_unique_procedure",
            ),
            models.UniqueConstraint(
                fields=["agency", "document"],
                condition=Q(document__isnull=False),
                name="publication_unique_document",
            ),
        ]

    def __str__(self) -> str:
        return str(self.procedure or self.document)
