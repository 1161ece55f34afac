from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RecordLocation(models.TextChoices):
    """Where a kind of record is kept."""

    PAPER = "paper", _("Paper archive")
    ONE_STOP = "one_stop", _("One-stop system")
    E_OFFICE = "e_office", _("E-office system")
    OTHER = "other", pgettext_lazy("record location", "Elsewhere")


class Disposal(models.TextChoices):
    """What happens to a record once its retention period has run."""

    DESTROY = "destroy", _("Destroyed by the agency's council, with minutes")
    ARCHIVE = "archive", _("Transferred to the historical archive")
    REVIEW = "review", _("Reviewed again for value")


class DossierStatus(models.TextChoices):
    """Where a one-stop dossier stands, as the one-stop system says it."""

    IN_PROGRESS = "in_progress", _("In progress")
    SUSPENDED = "suspended", _("Waiting for the citizen (suspended)")
    FINISHED = "finished", _("Finished (result issued)")
    RETURNED = "returned", _("Returned without a result")
    WITHDRAWN = "withdrawn", _("Withdrawn by the citizen")


# Dossiers still being handled: counted "in progress" in the monthly figures.
OPEN_STATUSES = (DossierStatus.IN_PROGRESS, DossierStatus.SUSPENDED)


class Channel(models.TextChoices):
    """How a dossier was submitted."""

    DIRECT = "direct", _("In person")
    ONLINE = "online", _("Online")
    POSTAL = "postal", _("By public postal service")


class LateKind(models.TextChoices):
    """The late dossiers list: finished after the due date, or still open past it."""

    FINISHED_LATE = "finished_late", _("Finished late")
    OVERDUE = "overdue", _("In progress, overdue")
