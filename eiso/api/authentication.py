"""API token authentication: ``Authorization: Token <key>`` (or ``Bearer <key>``). The key is
looked up by its SHA-256 hash (``eiso.accounts.services.tokens``); revoked, expired and
inactive users' keys are refused with 401."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from eiso.accounts.services.tokens import api_token_authenticate

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after the word Token."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        found = api_token_authenticate(key)
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        return found

    def authenticate_header(self, request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (``Authorization: Token <key>``)."""

    target_class = "eiso.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _("“Token <key>”: a key issued on My account or by issue_token."),
        }
