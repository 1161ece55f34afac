"""``manage.py issue_token USERNAME [--rotate]``: print a user's API token for a system
integration (created when missing; ``--rotate`` replaces it, the old one stops working)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from eiso.accounts.services import api_token_issue
from eiso.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Print a user's API token, creating it if needed; --rotate replaces it."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the user the integration acts as")
        parser.add_argument(
            "--rotate", action="store_true", help="replace the token (the old one stops working)"
        )

    def handle(self, *args, username: str, rotate: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        try:
            token = api_token_issue(actor=None, user=user, rotate=rotate)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(token.key)
