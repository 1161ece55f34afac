"""``manage.py seed_demo``: the demo province, built step by step through the services (the
steps and how to add one: eiso/demo/steps.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eiso.demo import data
from eiso.demo.context import DemoDataError
from eiso.demo.steps import build_demo


def two_factor_notice(required_roles) -> str:
    """What the demo's administrator and overseer meet at sign-in: the second factor is asked of
    the roles in TWO_FACTOR_REQUIRED_ROLES (production) or only offered (the local demo)."""
    if required_roles:
        return _(
            "Two-factor sign-in is required of these roles: %(roles)s (they enrol an "
            "authenticator app at their first sign-in)."
        ) % {"roles": ", ".join(required_roles)}
    return _(
        "Local demo (EISO_DEV=1): two-factor sign-in is offered, not required; production "
        "requires it of administrators and overseers (TWO_FACTOR_REQUIRED_ROLES)."
    )


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a real string, not a lazy one
        return _(
            "Build the fictional demo province (agencies, departments, users of every role, the "
            "ISO secretary and head of every agency that has started its QMS, the document "
            "control of every such agency, the administrative procedures and the QMS records: "
            "announcements, steering committees, reminders). Safe to run again: what already "
            "exists is left alone. With -v 2, the time of each step."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet", action="store_true", help=_("Do not print the table of demo logins.")
        )
        parser.add_argument(
            "--quick",
            action="store_true",
            help=_(
                "Build the records each agency keeps itself (its QMS documents, …) only for the "
                "personas' agencies and a few agencies of every tier: for tests and a first look. "
                "Run again without it to complete every agency."
            ),
        )

    def handle(self, *args, quiet=False, quick=False, verbosity=1, **options):
        try:
            result = build_demo(only=data.QUICK_AGENCIES if quick else None)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        text = result.text(summary=verbosity >= 1, timings=verbosity >= 2, logins=not quiet)
        if text:
            self.stdout.write(text)
        if not quiet:
            self.stdout.write(two_factor_notice(settings.TWO_FACTOR_REQUIRED_ROLES))
