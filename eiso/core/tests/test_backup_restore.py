"""``manage.py backup`` / ``restore``: the demo province goes through an archive into an empty
database and media folder and comes back with every row and every file identical.

The round trip runs the real commands in subprocesses, on the database vendor of this test run
(SQLite files under a temporary folder; on PostgreSQL, databases of their own on the same
server, created and dropped here). Building the demo province takes ~17 s on SQLite and ~26 s on
PostgreSQL, so it is built once per run: the round trip is session-scoped (pytest-django runs
this module's database tests before its other tests, with other modules' tests in between, so a
module-scoped fixture was built twice) and the module's tests go to one pytest-xdist worker
together (``--dist loadgroup``)."""

from __future__ import annotations

import filecmp
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from eiso.core.backup import BackupError, read_archive, restore_backup
from eiso.core.testing import migrated_template, postgres_admin

ROOT = Path(__file__).resolve().parents[3]
IS_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

# About a minute of CPU: `make test-slow` (and `make test-postgres`), not `make test`.
pytestmark = [pytest.mark.xdist_group("backup"), pytest.mark.slow]


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if check and result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


class SqliteSide:
    def __init__(self, folder: Path, name: str):
        self.path = folder / f"{name}.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def create(self, migrated: bool = False):
        pass  # sqlite3 creates the file when manage.py migrate first opens it

    def drop(self):
        pass

    def contents(self) -> dict[str, Counter]:
        conn = sqlite3.connect(self.path)
        try:
            names = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            return {n: Counter(map(repr, conn.execute(f'SELECT * FROM "{n}"'))) for n in names}
        finally:
            conn.close()


class PostgresSide:
    def __init__(self, folder: Path, name: str):
        db = settings.DATABASES["default"]
        # One pair of databases per concurrent run and per pytest-xdist worker.
        suffixes = [os.environ.get(k, "") for k in ("TEST_DATABASE_NAME", "PYTEST_XDIST_WORKER")]
        self.name = "_".join(["eiso_backup", name, *filter(None, suffixes)])
        self.params = {
            "host": db.get("HOST") or "127.0.0.1",
            "port": db.get("PORT") or 5432,
            "user": db.get("USER") or "postgres",
            "password": db.get("PASSWORD") or None,
        }
        auth = self.params["user"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        self.url = f"postgres://{auth}@{self.params['host']}:{self.params['port']}/{self.name}"

    def _admin(self, sql: str):
        with postgres_admin(settings.DATABASES["default"]) as conn:
            conn.execute(sql)

    def create(self, migrated: bool = False):
        """An empty database, or with ``migrated`` a copy of the test run's migrated one when it
        kept it (conftest.py): ``manage.py migrate`` then finds nothing to do."""
        self.drop()
        template = migrated_template(settings.DATABASES["default"]) if migrated else None
        self._admin(
            f'CREATE DATABASE "{self.name}"' + (f' TEMPLATE "{template}"' if template else "")
        )

    def drop(self):
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def contents(self) -> dict[str, Counter]:
        import psycopg

        with psycopg.connect(dbname=self.name, **self.params) as conn:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                ).fetchall()
            ]
            found = {
                n: Counter(map(repr, conn.execute(f'SELECT * FROM "{n}"').fetchall()))
                for n in names
            }
            sequences = conn.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
            found["<sequences>"] = Counter(map(repr, sequences))
            return found


@pytest.fixture(scope="session")
def roundtrip(tmp_path_factory):
    """The demo province built in ``src``, backed up, restored into the empty ``dst``."""
    if IS_POSTGRES and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed (apt-get install postgresql-client)")
    folder = tmp_path_factory.mktemp("backup")
    side = PostgresSide if IS_POSTGRES else SqliteSide
    src, dst = side(folder, "src"), side(folder, "dst")
    base = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    base.update(EISO_DEV="1", EISO_DATA_DIR=str(folder / "data"))
    src_env = {**base, "DATABASE_URL": src.url, "MEDIA_ROOT": str(folder / "src-media")}
    dst_env = {**base, "DATABASE_URL": dst.url, "MEDIA_ROOT": str(folder / "dst-media")}
    archive = folder / "eiso.tar.gz"
    src.create(migrated=True)
    dst.create()
    try:
        manage("migrate", "--noinput", "-v0", env=src_env)
        manage("seed_demo", "--quiet", "--quick", env=src_env)
        backup = manage("backup", "--output", str(archive), env=src_env)
        restore = manage("restore", str(archive), env=dst_env)
        yield {
            "src": src,
            "dst": dst,
            "src_media": folder / "src-media",
            "dst_media": folder / "dst-media",
            "archive": archive,
            "dst_env": dst_env,
            "backup_output": backup.stdout,
            "restore_output": restore.stdout,
            "folder": folder,
        }
    finally:
        src.drop()
        dst.drop()


def media_tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_backup_then_restore_gives_back_every_row_identical(roundtrip):
    source, restored = roundtrip["src"].contents(), roundtrip["dst"].contents()
    assert set(source) == set(restored)
    differing = [table for table in source if source[table] != restored[table]]
    assert differing == []
    rows = sum(sum(c.values()) for t, c in source.items() if not t.startswith("<"))
    assert rows > 3000, rows  # the demo province, not an empty shell
    for table in ("documents_revisionfile", "qms_announcement", "core_auditevent"):
        assert sum(source[table].values()) > 0, table


def test_backup_then_restore_gives_back_every_file_identical(roundtrip):
    src_media, dst_media = roundtrip["src_media"], roundtrip["dst_media"]
    names = media_tree(src_media)
    assert len(names) > 50  # the demo's revision files, signed scans and decisions
    assert media_tree(dst_media) == names
    match, mismatch, errors = filecmp.cmpfiles(src_media, dst_media, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_the_manifest_lists_versions_migrations_rows_and_every_file(roundtrip):
    with tarfile.open(roundtrip["archive"]) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        members = set(archive.getnames())
    assert manifest["versions"]["django"] and manifest["versions"]["eiso"]
    assert manifest["database"]["vendor"] == ("postgresql" if IS_POSTGRES else "sqlite")
    # The restored database carries the whole migration state (compared row by row above).
    assert "0001_initial" in manifest["migrations"]["documents"]
    source = roundtrip["src"].contents()
    for table, entry in manifest["tables"].items():
        assert entry["rows"] == sum(source[table].values()), table
    assert {"media/" + f["path"] for f in manifest["files"]} == {
        "media/" + name for name in media_tree(roundtrip["src_media"])
    }
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])
    assert members == {"manifest.json", manifest["database"]["member"]} | {
        "media/" + f["path"] for f in manifest["files"]
    }
    assert str(len(manifest["files"])) in roundtrip["restore_output"]


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(roundtrip):
    refused = manage("restore", str(roundtrip["archive"]), env=roundtrip["dst_env"], check=False)
    assert refused.returncode != 0
    assert "--force" in refused.stderr
    forced = manage("restore", "--force", str(roundtrip["archive"]), env=roundtrip["dst_env"])
    assert forced.returncode == 0
    assert roundtrip["dst"].contents() == roundtrip["src"].contents()


def rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of ``archive`` where ``change(name, data)`` may alter (or drop: None) a member."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            data = change(member.name, data)
            if data is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


@pytest.mark.django_db
def test_a_damaged_archive_is_refused_before_anything_is_written(roundtrip, tmp_path, settings):
    first_file = None

    def tamper(name, data):
        nonlocal first_file
        if name.startswith("media/") and first_file is None:
            first_file = name
            return data[:-1] + bytes([data[-1] ^ 1])
        return data

    damaged = rewrite(roundtrip["archive"], tmp_path / "damaged.tar.gz", tamper)
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(BackupError, match=re.escape(first_file)):
        restore_backup(damaged)  # the checksums are checked before anything else
    assert not (tmp_path / "media").exists()


@pytest.mark.parametrize("evil", ["../outside.txt", "/tmp/evil", "media/../../x", "media/link"])
def test_an_archive_with_an_unsafe_entry_is_refused(roundtrip, tmp_path, evil):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(roundtrip["archive"]) as source, tarfile.open(archive, "w:gz") as out:
        info = tarfile.TarInfo(evil)
        if evil == "media/link":
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            out.addfile(info)
        else:
            info.size = 1
            out.addfile(info, io.BytesIO(b"x"))
        for member in source.getmembers():
            out.addfile(member, source.extractfile(member))
    with pytest.raises(BackupError, match=re.escape(evil)):
        read_archive(archive, tmp_path / "work" / "inner")
    assert not (tmp_path / "work" / "outside.txt").exists()
    assert not (tmp_path / "work" / "inner").exists() or not any((tmp_path / "work").rglob("*.*"))


def test_an_archive_whose_manifest_lies_is_refused(roundtrip, tmp_path):
    def drop_a_file(name, data):
        return None if name.startswith("media/documents/") else data

    archive = rewrite(roundtrip["archive"], tmp_path / "short.tar.gz", drop_a_file)
    with pytest.raises(BackupError, match="media/documents/"):
        read_archive(archive, tmp_path / "work")


def test_not_an_archive_is_refused(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"PK\x03\x04 not a tarball")
    with pytest.raises(BackupError):
        read_archive(junk, tmp_path / "work")


@pytest.mark.django_db
def test_restore_into_this_non_empty_database_is_refused_without_force(roundtrip, settings):
    """In-process: the test database has every table, so nothing may be written."""
    settings.MEDIA_ROOT = roundtrip["folder"] / "never"
    with pytest.raises(BackupError, match="--force"):
        restore_backup(roundtrip["archive"])
    assert not (roundtrip["folder"] / "never").exists()
