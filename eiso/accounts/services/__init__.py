"""Every change to people, their roles and their sign-in credentials. ``users`` (people and
roles, under the grant policy), ``tokens`` (API tokens), ``two_factor`` and ``sessions``."""

from eiso.accounts.services.tokens import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    api_tokens_revoke_all,
)
from eiso.accounts.services.users import (
    USER_FIELDS,
    membership_end,
    membership_grant,
    memberships_carry_over,
    user_create,
    user_send_password_link,
    user_update,
)

__all__ = [
    "USER_FIELDS",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "api_tokens_revoke_all",
    "membership_end",
    "membership_grant",
    "memberships_carry_over",
    "user_create",
    "user_send_password_link",
    "user_update",
]
