from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "eiso.records"
    label = "records"
    verbose_name = _("Records and one-stop dossiers")

    def ready(self) -> None:
        from eiso.core import measures
        from eiso.records import kpis

        measures.register(
            measures.MeasureSource(
                key=kpis.ON_TIME_SOURCE,
                label=_("On-time rate of one-stop dossiers"),
                unit="%",
                compute=kpis.on_time_rate,
                description=_(
                    "Dossiers finished on time out of those finished in the period, from the "
                    "one-stop dossier log (the monthly figures kept by its import)."
                ),
            )
        )
