"""How the audit trail names what happens to people, roles and sign-in (eiso.core.audit_display)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.accounts.models import Membership, User
from eiso.core.audit_display import declare
from eiso.core.roles import Role

declare(
    groups={
        "user": pgettext_lazy("audit group", "People"),
        "membership": pgettext_lazy("audit group", "Roles"),
        "api_token": pgettext_lazy("audit group", "API tokens"),
    },
    actions={
        "user.create": pgettext_lazy("audit action", "Account created"),
        "user.update": pgettext_lazy("audit action", "Account changed"),
        "user.set_password": pgettext_lazy("audit action", "Password set"),
        "user.password_link": pgettext_lazy("audit action", "Password link sent"),
        "user.sign_out_everywhere": pgettext_lazy("audit action", "Signed out everywhere"),
        "user.session_end": pgettext_lazy("audit action", "Session ended"),
        "user.recovery_codes": pgettext_lazy("audit action", "Recovery codes generated"),
        "user.recovery_code_used": pgettext_lazy("audit action", "Recovery code used"),
        "user.two_factor_enrol": pgettext_lazy("audit action", "Two-factor sign-in turned on"),
        "user.two_factor_disable": pgettext_lazy("audit action", "Two-factor sign-in turned off"),
        "user.two_factor_reset": pgettext_lazy("audit action", "Two-factor sign-in reset"),
        "membership.grant": pgettext_lazy("audit action", "Role granted"),
        "membership.end": pgettext_lazy("audit action", "Role ended"),
        "membership.carry_over": pgettext_lazy(
            "audit action", "Role carried over to the successor agency"
        ),
        "api_token.create": pgettext_lazy("audit action", "API token created"),
        "api_token.revoke": pgettext_lazy("audit action", "API token revoked"),
        "api_token.revoke_all": pgettext_lazy("audit action", "Every API token revoked"),
        "import.users": pgettext_lazy("audit action", "People imported from a spreadsheet"),
    },
    fields={
        "from": _("From agency"),
        "to": _("To agency"),
        "sessions": _("Sessions ended"),
        "device": _("Device"),
        "address": pgettext_lazy("audit", "IP address"),
        "revoked": _("Tokens revoked"),
        "left": _("Recovery codes left"),
    },
    choices={"role": Role},
    object_types=[User, Membership],
)
