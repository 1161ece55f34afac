"""The demo province, built ONCE for every test of this package (``demo``), in a transaction
rolled back when the package's last test is done, its files in a temporary media directory.
Each test runs in its own savepoint inside it: what a test writes is undone before the next.

The whole province is built (every agency, person, procedure, QMS record); the records each
agency keeps itself (its QMS documents, and those of the capabilities to come) are built for
the personas' agencies and for SAMPLE, a few agencies of every tier, to keep the suite fast:
the plans of every other agency are tested without building them (test_system_documents.py),
and ``manage.py seed_demo`` builds them all.

On SQLite the build is kept between runs (kept.py): the next run puts its rows in place in
about a second instead of building again."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from eiso.accounts.models import User
from eiso.demo.steps import DemoResult, build_demo
from eiso.demo.tests.helpers import SAMPLE
from eiso.demo.tests.kept import KeptDemo


@pytest.fixture(scope="package")
def demo(request, django_db_setup, django_db_blocker, tmp_path_factory) -> DemoResult:
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        kept = (
            KeptDemo(timezone.localdate()) if KeptDemo.applies(connection, request.config) else None
        )
        restoring = kept is not None and kept.attach(connection)
        try:
            with transaction.atomic():
                if restoring:
                    result = kept.restore(connection, media)
                else:
                    result = build_demo(only=SAMPLE)
                    if kept is not None:
                        kept.save(connection, media, result)
                yield result
                transaction.set_rollback(True)
        finally:
            if kept is not None:
                kept.detach(connection)


@pytest.fixture
def output(demo) -> str:
    """What ``seed_demo`` printed for this build."""
    return demo.text()


@pytest.fixture
def overseer(demo) -> User:
    return User.objects.get(username="giamsat")
