"""The demo province of the tests, kept between runs on SQLite (conftest.py).

Building it takes about 20 s of CPU, every ``make test``. The first run keeps what it built in
data/test-cache/: every table's rows (``demo-<digest>.sqlite3``), the files it wrote
(``demo-<digest>.media``) and what ``build_demo`` returned (``demo-<digest>.pickle``). The next
runs put those rows in place of the test database's, inside the package's transaction (rolled
back at its end as before), and copy the files, in about a second.

The digest covers what the build can read: every file of the project's code, templates,
translations and settings, Django's version and today's date (the demo is dated from today).
Left out, as the build never runs them: the pages and the API (``views``, ``urls.py``,
``eiso/api/``; the demo writes through the services) and the tests but this package's fixture
and helpers. Any change to the rest builds the demo again.
PostgreSQL, ``--create-db`` and ``EISO_TEST_DB_CACHE=0`` always build it."""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
import pickle
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import django
from django.conf import settings

from eiso.core.testing import keeps_test_caches
from eiso.demo.steps import DemoResult

KEEP_CACHED = 2
READ_FROM = ("eiso", "templates", "locale", "config")
ALIAS = "demo_kept"


KEPT_TESTS = {"conftest.py", "helpers.py", "kept.py"}  # of eiso/demo/tests


def _read_by_the_build(relative: Path) -> bool:
    parts = relative.parts
    if "__pycache__" in parts or parts[:2] == ("eiso", "api"):
        return False
    if "tests" in parts:
        return parts[:3] == ("eiso", "demo", "tests") and relative.name in KEPT_TESTS
    stem = relative.stem
    return not ("views" in parts or stem == "views" or stem.startswith("views_") or stem == "urls")


@functools.cache  # the fixture and its test both ask: the tree is read once per process
def digest(today: datetime.date) -> str:
    root = Path(settings.BASE_DIR)
    hashed = hashlib.sha256(f"{django.get_version()}/{today.isoformat()}".encode())
    for folder in READ_FROM:
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and _read_by_the_build(relative):
                hashed.update(str(relative).encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()[:20]


def _tables(cursor, schema: str) -> list[tuple[str, str]]:
    cursor.execute(
        f"SELECT name, sql FROM {schema}.sqlite_master "  # noqa: S608 (our own schema names)
        "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return cursor.fetchall()


def plain_rows(cursor, table: str):
    """Run ``SELECT`` of every row of ``table`` on a sqlite3 cursor, each column as stored: as
    ``+"column"``, the same value without its declared type, so no converter registered with
    sqlite3 (Django registers some) changes it."""
    cursor.execute(f'SELECT * FROM "{table}" LIMIT 0')  # noqa: S608
    plain = ", ".join(f'+"{column[0]}"' for column in cursor.description)
    cursor.execute(f'SELECT {plain} FROM "{table}"')  # noqa: S608
    return cursor


class KeptDemo:
    """One kept build, named by its digest. ``restore`` before ``save``: the rows are read with
    the test database ATTACHed, which SQLite allows only outside a transaction (``attach``)."""

    def __init__(self, today: datetime.date):
        self.folder = Path(settings.DATA_DIR) / "test-cache"
        stem = self.folder / f"demo-{digest(today)}"
        self.rows = stem.with_suffix(".sqlite3")
        self.media = stem.with_suffix(".media")
        self.result = stem.with_suffix(".pickle")
        self.attached = False

    @staticmethod
    def applies(connection, config) -> bool:
        return connection.vendor == "sqlite" and keeps_test_caches(config)

    def attach(self, connection) -> bool:
        """ATTACH the kept rows (read-only) if the three parts are there."""
        if not (self.rows.is_file() and self.media.is_dir() and self.result.is_file()):
            return False
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute(f"ATTACH DATABASE 'file:{self.rows}?mode=ro' AS {ALIAS}")
        self.attached = True
        return True

    def detach(self, connection) -> None:
        if self.attached:
            with connection.cursor() as cursor:
                cursor.execute(f"DETACH DATABASE {ALIAS}")
            self.attached = False

    def restore(self, connection, media: Path) -> DemoResult:
        """Inside a transaction: every table as the build left it, its files, its result."""
        with connection.cursor() as cursor:
            for name, _sql in _tables(cursor, ALIAS):
                cursor.execute(f'DELETE FROM main."{name}"')  # noqa: S608
                cursor.execute(f'INSERT INTO main."{name}" SELECT * FROM {ALIAS}."{name}"')  # noqa: S608
        shutil.copytree(self.media, media, dirs_exist_ok=True)
        return pickle.loads(self.result.read_bytes())  # noqa: S301 (written by save() below)

    def save(self, connection, media: Path, result: DemoResult) -> None:
        """Inside the build's transaction: its rows (not yet committed, hence read through this
        connection), its files and its result, each written under a temporary name first."""
        self.folder.mkdir(parents=True, exist_ok=True)
        part = f".{os.getpid()}.part"
        rows = self.rows.with_name(self.rows.name + part)
        rows.unlink(missing_ok=True)
        raw = connection.connection  # sqlite3's own: Django's converters would change values
        with closing(raw.cursor()) as source, closing(sqlite3.connect(rows)) as target:
            for name, sql in _tables(source, "main"):
                target.execute(sql)
                plain_rows(source, name)
                marks = ", ".join("?" for _ in source.description)
                target.executemany(f'INSERT INTO "{name}" VALUES ({marks})', source)  # noqa: S608
            target.commit()
        files = self.media.with_name(self.media.name + part)
        shutil.rmtree(files, ignore_errors=True)
        shutil.copytree(media, files)
        pickled = self.result.with_name(self.result.name + part)
        pickled.write_bytes(pickle.dumps(result))
        shutil.rmtree(self.media, ignore_errors=True)
        os.replace(files, self.media)
        os.replace(pickled, self.result)
        os.replace(rows, self.rows)  # last: attach() needs all three
        self._prune()

    def _prune(self) -> None:
        kept = sorted(self.folder.glob("demo-*.sqlite3"), key=lambda p: p.stat().st_mtime)
        for old in kept[:-KEEP_CACHED]:
            old.unlink(missing_ok=True)
            old.with_suffix(".pickle").unlink(missing_ok=True)
            shutil.rmtree(old.with_suffix(".media"), ignore_errors=True)
