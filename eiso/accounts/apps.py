from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "eiso.accounts"
    label = "accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from eiso.accounts import imports  # noqa: F401  (registers the importer)
        from eiso.accounts.services import memberships_carry_over
        from eiso.organizations.reorganization import register_merge_hook

        register_merge_hook(memberships_carry_over)
