from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "eiso.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        # The public pages are cached; whatever they show changing drops the cache.
        from eiso.portal import signals

        signals.connect()
