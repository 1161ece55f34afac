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

from eiso.demo.tests.kept import KeptDemo, _tables

pytestmark = pytest.mark.django_db


def _rows(cursor, table: str) -> list[tuple]:
    cursor.execute(f'SELECT * FROM "{table}" LIMIT 0')  # noqa: S608
    plain = ", ".join(f'+"{column[0]}"' for column in cursor.description)
    cursor.execute(f'SELECT {plain} FROM "{table}"')  # noqa: S608
    return sorted(cursor.fetchall(), key=repr)


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
