from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "eiso.accounts"
    label = "accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from eiso.accounts import imports  # noqa: F401  (registers the importer)
