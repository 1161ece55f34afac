from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "eiso.accounts"
    label = "accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from functools import partial

        from eiso.accounts import imports, signals  # noqa: F401  (importer, sign-in hooks)
        from eiso.accounts.selectors import membership_list
        from eiso.accounts.services import memberships_carry_over
        from eiso.organizations.members import register_members_source
        from eiso.organizations.reorganization import register_merge_hook

        register_merge_hook(memberships_carry_over)
        # The agency's page lists its people without organizations importing accounts.
        register_members_source(partial(membership_list, active=True))
