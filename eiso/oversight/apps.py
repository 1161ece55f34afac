from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """The overseer's side (Sở KH&CN): the registry of the agencies' QMSs, the summary by tier
    and the reminders. It reads the domain apps from above (their models and selectors) and
    no domain app imports it."""

    name = "eiso.oversight"
    label = "oversight"
    verbose_name = _("Oversight")
