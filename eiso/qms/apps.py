from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QmsConfig(AppConfig):
    name = "eiso.qms"
    label = "qms"
    verbose_name = _("Quality management systems")

    def ready(self) -> None:
        from eiso.organizations.reorganization import register_merge_hook
        from eiso.qms import imports  # noqa: F401  (registers the importer)
        from eiso.qms.reorganization import flag_successor_for_reannouncement

        register_merge_hook(flag_successor_for_reannouncement)
