"""``manage.py write_policy_readme``: rewrite README's permission matrix and grant policy from
the data in ``eiso/core/roles.py`` (a test fails while they differ)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from eiso.core.roles import readme_with_blocks


class Command(BaseCommand):
    help = "Rewrite the generated tables of README.md from eiso/core/roles.py."
    requires_system_checks: list = []

    def handle(self, *args, **options):
        readme = Path(settings.BASE_DIR) / "README.md"
        with translation.override("en"):
            text = readme_with_blocks(readme.read_text(encoding="utf-8"))
        readme.write_text(text, encoding="utf-8")
        self.stdout.write(f"{readme.name} updated.")
