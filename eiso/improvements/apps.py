from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementsConfig(AppConfig):
    name = "eiso.improvements"
    label = "improvements"
    verbose_name = _("Nonconformities and corrective actions")
