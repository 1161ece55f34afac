"""Backup and restore of one e-ISO installation: the database and the uploaded files in one
``.tar.gz`` archive with a manifest (versions, migration state, per table the number of rows and
a digest of their content, the sha256 of every file).

- SQLite: the online backup API copies a consistent snapshot while the app keeps running.
- PostgreSQL: ``pg_dump --format=custom`` inside a repeatable-read snapshot that the manifest's
  counts and digests are taken from too, so they describe exactly what was dumped.

Restore goes into an EMPTY database and media folder only (``force`` wipes them first), checks
every checksum before touching anything, and checks every table's rows after loading.
The management commands ``backup`` and ``restore`` are thin shells around this module."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

FORMAT = "eiso-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/db.sqlite3"
POSTGRES_MEMBER = "database/db.pgdump"
MEDIA_PREFIX = "media/"
_CHUNK = 1 << 20
_MOD = 1 << 256


class BackupError(Exception):
    """A backup or restore that cannot be done (the message says why, for the operator)."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    manifest: dict
    notes: tuple[str, ...] = ()


# --- what a database holds ----------------------------------------------------------------------


def _value(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes | bytearray):
        return "b:" + bytes(value).hex()
    return repr(value)


def _rows_digest(rows) -> tuple[int, str]:
    """(number of rows, a digest of their content that ignores their order): the sum of the
    rows' sha256 modulo 2**256, so a table of any size is read once, in any order."""
    count, total = 0, 0
    for row in rows:
        count += 1
        encoded = "\x1f".join(_value(v) for v in row).encode("utf-8", "surrogatepass")
        total = (total + int.from_bytes(hashlib.sha256(encoded).digest(), "big")) % _MOD
    return count, f"{total:064x}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_tables(conn: sqlite3.Connection) -> dict[str, dict]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    tables = {}
    for name in names:
        rows, digest = _rows_digest(conn.execute(f"SELECT * FROM {_quote(name)}"))
        tables[name] = {"rows": rows, "sha256": digest}
    return tables


def postgres_tables(raw) -> dict[str, dict]:
    """Per table of the current schema: rows and digest, read with a server-side cursor (the
    caller holds the transaction, and so the snapshot)."""
    with raw.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        names = [row[0] for row in cursor.fetchall()]
    tables = {}
    for index, name in enumerate(names):
        with raw.cursor(name=f"eiso_backup_{index}") as cursor:
            cursor.itersize = 2000
            cursor.execute(f"SELECT * FROM {_quote(name)}")
            rows, digest = _rows_digest(cursor)
        tables[name] = {"rows": rows, "sha256": digest}
    return tables


def _migrations_from(rows) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def code_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


# --- helpers ------------------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _project_version() -> str:
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
            return tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _database(alias: str = "default"):
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor}
        )
    return connection, vendor


def _sqlite_path(connection) -> Path:
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(_("The SQLite database must be a file."))
    return Path(name)


def _pg_env(connection) -> dict[str, str]:
    """libpq's environment for pg_dump / pg_restore (the password never on a command line)."""
    s = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(s["NAME"])}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if s.get(key):
            env[var] = str(s[key])
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    sslmode = (s.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("%(tool)s was not found: install the PostgreSQL client (postgresql-client).")
            % {"tool": name}
        )
    return path


def _run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(command[0]).name, "error": result.stderr.strip()[-2000:]}
        )
    return result.stdout


def media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, mtime: float | None = None):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime if mtime is not None else datetime.datetime.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


# --- backup -------------------------------------------------------------------------------------


def default_output() -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"eiso-backup-{stamp}.tar.gz"


def create_backup(output: Path | None = None, *, alias: str = "default") -> Outcome:
    """Write the archive (to a temporary name first, renamed when complete; mode 0600: it
    holds personal data and password hashes)."""
    connection, vendor = _database(alias)
    output = Path(output) if output else default_output()
    output.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="eiso-backup-") as work:
        work_dir = Path(work)
        if vendor == "sqlite":
            db_member, db_file = SQLITE_MEMBER, work_dir / "db.sqlite3"
            database = _dump_sqlite(connection, db_file)
        else:
            db_member, db_file = POSTGRES_MEMBER, work_dir / "db.pgdump"
            database = _dump_postgres(connection, db_file)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "versions": {
                "eiso": _project_version(),
                "django": django.get_version(),
                "python": platform.python_version(),
                **database.pop("versions"),
            },
            "database": {
                "vendor": vendor,
                "member": db_member,
                "size": db_file.stat().st_size,
                "sha256": _sha256_file(db_file),
            },
            "migrations": database.pop("migrations"),
            "tables": database.pop("tables"),
            "files": [],
        }
        partial = output.with_name(output.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                archive.add(db_file, arcname=db_member, recursive=False)
                for path in media_files(media_root):
                    data = path.read_bytes()  # uploads are bounded by MAX_UPLOAD_MB
                    relative = path.relative_to(media_root).as_posix()
                    _add_bytes(archive, MEDIA_PREFIX + relative, data, path.stat().st_mtime)
                    manifest["files"].append(
                        {
                            "path": relative,
                            "size": len(data),
                            "sha256": hashlib.sha256(data).hexdigest(),
                        }
                    )
                body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
                _add_bytes(archive, MANIFEST, body.encode("utf-8"))
            os.replace(partial, output)
        finally:
            if partial.exists():
                partial.unlink()
    return Outcome(path=output, manifest=manifest)


def _dump_sqlite(connection, target: Path) -> dict:
    source_path = _sqlite_path(connection)
    connection.close()  # the backup uses its own connection to the file
    source = sqlite3.connect(source_path)
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)  # the online backup API: a consistent snapshot
        copy.close()
    finally:
        source.close()
    snapshot = sqlite3.connect(target)
    try:
        snapshot.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        tables = sqlite_tables(snapshot)
        migrations = (
            _migrations_from(snapshot.execute("SELECT app, name FROM django_migrations"))
            if "django_migrations" in tables
            else {}
        )
        version = snapshot.execute("SELECT sqlite_version()").fetchone()[0]
    finally:
        snapshot.close()
    return {"tables": tables, "migrations": migrations, "versions": {"sqlite": version}}


def _dump_postgres(connection, target: Path) -> dict:
    pg_dump = _tool("pg_dump")
    connection.close()
    connection.ensure_connection()
    raw = connection.connection
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot_id, server_version = cursor.fetchone()
        # pg_dump reads the snapshot this transaction exported, so the dump and the manifest
        # below describe the same moment even while the app keeps writing.
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot_id}",
                f"--file={target}",
            ],
            _pg_env(connection),
        )
        tables = postgres_tables(raw)
        with raw.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = _migrations_from(cursor.fetchall())
        raw.rollback()
    finally:
        connection.close()
    client = _run([pg_dump, "--version"], os.environ.copy()).strip()
    return {
        "tables": tables,
        "migrations": migrations,
        "versions": {"postgresql": server_version, "pg_dump": client},
    }


# --- restore ------------------------------------------------------------------------------------


def database_tables(alias: str = "default") -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def read_archive(archive_path: Path, work_dir: Path) -> dict:
    """Extract the archive into ``work_dir`` after checking it: only regular files with safe
    names, a manifest of our format, and every checksum right. Returns the manifest."""
    try:
        archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(
            _("This is not an e-ISO backup archive (%(error)s).") % {"error": exc}
        ) from exc
    with archive:
        try:
            members = archive.getmembers()
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise BackupError(_("The archive is damaged (%(error)s).") % {"error": exc}) from exc
        by_name = {}
        for member in members:
            if member.isdir():
                continue
            if not member.isfile() or not _safe_member(member.name):
                raise BackupError(
                    _("The archive holds an unsafe entry: %(name)s") % {"name": member.name}
                )
            by_name[member.name] = member
        if MANIFEST not in by_name:
            raise BackupError(_("The archive has no manifest: it is not an e-ISO backup."))
        try:
            manifest = json.loads(archive.extractfile(by_name[MANIFEST]).read())
        except (ValueError, UnicodeDecodeError) as exc:
            raise BackupError(_("The archive's manifest cannot be read.")) from exc
        if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(_("The archive is not an e-ISO backup of a known format version."))
        expected = {manifest["database"]["member"]: manifest["database"]["sha256"]}
        expected.update({MEDIA_PREFIX + f["path"]: f["sha256"] for f in manifest["files"]})
        unexpected = set(by_name) - set(expected) - {MANIFEST}
        missing = set(expected) - set(by_name)
        if unexpected or missing:
            raise BackupError(
                _("The archive does not match its manifest (%(names)s).")
                % {"names": ", ".join(sorted(unexpected | missing)[:5])}
            )
        for name, sha256 in expected.items():
            if not _safe_member(name):
                raise BackupError(_("The archive holds an unsafe entry: %(name)s") % {"name": name})
            target = work_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with archive.extractfile(by_name[name]) as source, target.open("wb") as out:
                for chunk in iter(lambda: source.read(_CHUNK), b""):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != sha256:
                raise BackupError(_("Checksum mismatch: %(name)s is damaged.") % {"name": name})
    return manifest


def restore_backup(archive_path: Path, *, force: bool = False, alias: str = "default") -> Outcome:
    connection, vendor = _database(alias)
    media_root = Path(settings.MEDIA_ROOT)
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="eiso-restore-") as work:
        work_dir = Path(work)
        manifest = read_archive(Path(archive_path), work_dir)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                _("The archive holds a %(archived)s database; this installation uses %(vendor)s.")
                % {"archived": manifest["database"]["vendor"], "vendor": vendor}
            )
        archived = {(app, name) for app, names in manifest["migrations"].items() for name in names}
        on_disk = code_migrations()
        if archived - on_disk:
            raise BackupError(
                _("The archive was made by a newer e-ISO (unknown migrations: %(names)s).")
                % {"names": ", ".join(f"{a}.{n}" for a, n in sorted(archived - on_disk)[:5])}
            )
        if on_disk - archived:
            notes.append(_("This code has newer migrations: run manage.py migrate after it."))
        tables = database_tables(alias)
        files = media_files(media_root)
        if (tables or files) and not force:
            raise BackupError(
                _(
                    "Restore goes into an empty database and media folder; this one has "
                    "%(tables)s tables and %(files)s files. Use --force to replace them."
                )
                % {"tables": len(tables), "files": len(files)}
            )
        if vendor == "sqlite":
            _load_sqlite(connection, work_dir / manifest["database"]["member"])
            restored = _read_sqlite_tables(connection)
        else:
            _load_postgres(connection, work_dir / manifest["database"]["member"], wipe=bool(tables))
            restored = _read_postgres_tables(connection)
        _load_media(work_dir / MEDIA_PREFIX, media_root, manifest["files"], wipe=bool(files))
        if restored != manifest["tables"]:
            differing = sorted(
                t
                for t in set(restored) | set(manifest["tables"])
                if restored.get(t) != manifest["tables"].get(t)
            )
            raise BackupError(
                _("The restored database differs from the archive in: %(tables)s")
                % {"tables": ", ".join(differing[:10])}
            )
        for entry in manifest["files"]:
            if _sha256_file(media_root / entry["path"]) != entry["sha256"]:
                raise BackupError(
                    _("Checksum mismatch: %(name)s is damaged.") % {"name": entry["path"]}
                )
    notes.extend(forget_kept_results())
    return Outcome(path=Path(archive_path), manifest=manifest, notes=tuple(notes))


def forget_kept_results() -> list[str]:
    """Empty the cache after a restore: what it keeps (dashboards, inboxes, summaries, the
    portal's pages: ``eiso.core.kept``) was computed from the database just replaced, and the
    restored audit events may have lower ids than those it was kept with, so it would not look
    out of date. Not when the cache shares its Redis database with Celery's broker (emptying it
    would drop the queued tasks): the notes then say so."""
    from django.core.cache import cache

    if settings.CACHE_URL and settings.CACHE_URL == settings.CELERY_BROKER_URL:
        return [
            _(
                "The cache shares its Redis database with Celery's broker and was not emptied: "
                "restart the application processes, or wait %(minutes)s minutes, before "
                "reading the dashboards."
            )
            % {"minutes": max(1, settings.DASHBOARD_MAX_AGE // 60)}
        ]
    cache.clear()
    return []


def _load_sqlite(connection, db_file: Path) -> None:
    target_path = _sqlite_path(connection)
    connection.close()
    source = sqlite3.connect(db_file)
    try:
        target = sqlite3.connect(target_path)
        with target:
            source.backup(target)  # replaces every page of the target
        target.close()
    finally:
        source.close()


def _read_sqlite_tables(connection) -> dict:
    conn = sqlite3.connect(_sqlite_path(connection))
    try:
        return sqlite_tables(conn)
    finally:
        conn.close()


def _load_postgres(connection, dump: Path, *, wipe: bool) -> None:
    pg_restore = _tool("pg_restore")
    if wipe:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            names = [row[0] for row in cursor.fetchall()]
            if names:
                cursor.execute("DROP TABLE " + ", ".join(_quote(n) for n in names) + " CASCADE")
            cursor.execute(
                "SELECT sequence_name FROM information_schema.sequences "
                "WHERE sequence_schema = current_schema()"
            )
            sequences = [row[0] for row in cursor.fetchall()]
            if sequences:
                cursor.execute("DROP SEQUENCE " + ", ".join(_quote(n) for n in sequences))
    env = _pg_env(connection)
    connection.close()
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={env['PGDATABASE']}",
            str(dump),
        ],
        env,
    )


def _read_postgres_tables(connection) -> dict:
    connection.ensure_connection()
    raw = connection.connection
    raw.autocommit = False
    try:
        return postgres_tables(raw)
    finally:
        raw.rollback()
        connection.close()


def _load_media(source: Path, media_root: Path, entries: list[dict], *, wipe: bool) -> None:
    if wipe:
        for child in media_root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    media_root.mkdir(parents=True, exist_ok=True)
    for entry in entries:
        target = media_root / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / entry["path"], target)
