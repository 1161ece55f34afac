"""The demo build kept between runs (kept.py): what the tests read is what the build wrote."""

from __future__ import annotations

import pickle
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from eiso.demo.tests.kept import KeptDemo, _read_by_the_build, _tables, plain_rows

pytestmark = pytest.mark.django_db


def _rows(cursor, table: str) -> list[tuple]:
    return sorted(plain_rows(cursor, table).fetchall(), key=repr)


def test_the_kept_rows_files_and_result_are_the_demo_the_tests_read(demo, request):
    if not KeptDemo.applies(connection, request.config):
        pytest.skip("the demo is kept on SQLite only")
    kept = KeptDemo(timezone.localdate())
    assert kept.rows.is_file() and kept.media.is_dir() and kept.result.is_file()
    with (
        closing(connection.connection.cursor()) as here,
        closing(sqlite3.connect(f"file:{kept.rows}?mode=ro", uri=True)) as file,
    ):
        there = file.cursor()
        tables = [name for name, _sql in _tables(here, "main")]
        assert tables == [name for name, _sql in _tables(there, "main")]
        compared = 0
        for table in tables:
            ours = _rows(here, table)
            assert ours == _rows(there, table), table
            compared += len(ours)
    assert compared > 10_000  # the province, not an empty database
    media = settings.MEDIA_ROOT
    ours = sorted(p.relative_to(media) for p in Path(media).rglob("*.*"))
    theirs = sorted(p.relative_to(kept.media) for p in kept.media.rglob("*.*"))
    assert ours == theirs and any(str(p).endswith(".docx") for p in ours)
    assert pickle.loads(kept.result.read_bytes()).text() == demo.text()  # noqa: S301


@pytest.mark.parametrize(
    ("path", "read"),
    [
        ("eiso/documents/services/issuing.py", True),
        ("eiso/demo/documents.py", True),
        ("eiso/demo/tests/helpers.py", True),
        ("templates/official/document.html", True),
        ("locale/vi/LC_MESSAGES/django.po", True),
        ("config/settings.py", True),
        ("eiso/documents/views/decisions.py", False),
        ("eiso/qms/views_oversight.py", False),
        ("eiso/core/views.py", False),
        ("eiso/qms/urls.py", False),
        ("eiso/api/serializers/fields.py", False),
        ("eiso/accounts/tests/factories.py", False),
        ("eiso/demo/tests/test_kept.py", False),
    ],
)
def test_the_digest_reads_what_the_build_can_read(path, read):
    """A change to a page or a test keeps the build; any other change builds it again."""
    assert _read_by_the_build(Path(path)) is read
