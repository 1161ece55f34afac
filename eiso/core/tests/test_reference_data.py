"""Every migration that seeds rules-as-data rows (a ``load(apps, schema_editor)`` function) is
in ``REFERENCE_DATA_MIGRATIONS``, so a browser test after a flush gets them back: one
forgotten seed (the audit question bank, the risk scale…) makes later browser tests fail only
when they happen to run after another one."""

import re
from pathlib import Path

import pytest

from eiso.core.testing import REFERENCE_DATA_MIGRATIONS, load_reference_data

ROOT = Path(__file__).resolve().parents[3]


def test_every_seeding_migration_is_reloaded_after_a_flush():
    seeding = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "eiso").glob("*/migrations/0*.py")
        if re.search(r"^def load\(apps, schema_editor", path.read_text(encoding="utf-8"), re.M)
    }
    assert seeding == set(REFERENCE_DATA_MIGRATIONS)


@pytest.mark.django_db
def test_reloading_the_reference_data_twice_adds_nothing():
    from django.apps import apps

    def counts():
        return {
            model._meta.label: model.objects.count()
            for model in apps.get_models()
            if model._meta.app_label in {"organizations", "audits", "risks", "cycle", "inspections"}
        }

    before = counts()
    load_reference_data()
    assert counts() == before
