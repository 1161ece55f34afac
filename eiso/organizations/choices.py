from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    """The level an agency counts in for the provincial reports."""

    PROVINCIAL = "provincial", _("Provincial")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class DepartmentKind(models.TextChoices):
    OFFICE = "office", _("Office (phòng)")
    BOARD = "board", _("Board (ban)")
    UNIT = "unit", _("Unit (bộ phận)")
