from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SATISFACTION_SOURCE = "feedback.satisfaction"


class FeedbackConfig(AppConfig):
    name = "eiso.feedback"
    label = "feedback"
    verbose_name = _("Satisfaction and feedback")

    def ready(self) -> None:
        from eiso.core import measures
        from eiso.feedback import selectors

        measures.register(
            measures.MeasureSource(
                key=SATISFACTION_SOURCE,
                label=_("Share of citizens satisfied (public rating form)"),
                unit="%",
                compute=selectors.satisfaction_rate,
                description=_(
                    "Ratings of the period whose average over the criteria answered (attitude, "
                    "time taken, guidance, result) is “satisfied” or better, out of every "
                    "rating of the period, from the form reached by the QR code at the desk."
                ),
            )
        )
