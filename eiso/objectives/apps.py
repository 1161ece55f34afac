from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectivesConfig(AppConfig):
    name = "eiso.objectives"
    label = "objectives"
    verbose_name = _("Quality objectives")

    def ready(self) -> None:
        from eiso.core import measures

        measures.register(
            measures.MeasureSource(
                key=measures.MANUAL,
                label=_("Typed in, with its evidence"),
                description=_(
                    "The owner types the value of each period and attaches the evidence."
                ),
            )
        )
