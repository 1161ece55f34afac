"""What happens when a password changes, on every path that changes it (the password pages,
a reset link, ``manage.py changepassword``): Django calls ``password_changed`` of each
configured password validator after the new password is saved. This one checks nothing; it
revokes the person's API tokens (a stolen token does not outlive the password)."""

from __future__ import annotations

from django.utils.translation import gettext as _


class RevokeApiTokensOnPasswordChange:
    def validate(self, password, user=None) -> None:
        return None

    def get_help_text(self) -> str:
        return _("Changing your password revokes your API tokens.")

    def password_changed(self, password, user=None) -> None:
        from eiso.accounts.services.tokens import api_tokens_revoke_all

        if user is not None and user.pk is not None:
            api_tokens_revoke_all(actor=None, user=user, reason=_("The password was changed."))
