"""``manage.py issue_token USERNAME --name X [--days N]``: issue an API token for a system
integration and print its key — once: only a hash of it is stored."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from eiso.accounts.services.tokens import api_token_create
from eiso.accounts.usernames import normalize_username
from eiso.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Issue an API token for USERNAME and print its key (shown only now)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the user the integration acts as")
        parser.add_argument("--name", required=True, help="what uses the token")
        parser.add_argument(
            "--days", type=int, default=None, help="validity in days (default API_TOKEN_DAYS)"
        )

    def handle(self, *args, username: str, name: str, days: int | None, **options):
        user = get_user_model().objects.filter(username=normalize_username(username)).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        try:
            token, key = api_token_create(actor=None, user=user, name=name, days=days)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(
            f"Token {token.name!r} of {user.username}, valid until {token.expires_at:%d/%m/%Y}. "
            "Keep the key now: it is not shown again."
        )
        self.stdout.write(key)
