#!/usr/bin/env python
"""Django's command-line utility for e-ISO."""

import os
import sys

# Commands that only read the code (never a secret, a request or production data) run in the
# development mode when nothing else is configured; every other command needs the production
# variables (SECRET_KEY…) or EISO_DEV=1.
CODE_ONLY_COMMANDS = {"makemigrations", "makemessages", "compilemessages"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(sys.argv) > 1 and sys.argv[1] in CODE_ONLY_COMMANDS:
        os.environ.setdefault("EISO_DEV", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
