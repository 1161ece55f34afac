"""Set-based writes of the dossier import, for SQLite and PostgreSQL.

The checked rows go into a temporary staging table — on PostgreSQL through ``COPY``, on
SQLite through ``executemany`` — then into the dossiers set-based: the changed known dossiers updated, the new ones inserted (a
dossier imported again is updated, never doubled; one left unchanged is not touched).
The monthly figures are then recomputed, set-based, for the (agency, month) cells the import
touched only: the months of the new rows and the months the updated rows counted in before.

Moments arrive as local text (``"2025-03-15 08:30:00"``, see ``parsing.parse_moment``) and
are written the way each database keeps them: with their offset for PostgreSQL's
``timestamptz``, in UTC text on SQLite (as Django stores them).
"""

from __future__ import annotations

import contextlib
import datetime
import functools

from django.db import connection

from eiso.records.choices import DossierStatus
from eiso.records.importing.parsing import local_zone
from eiso.records.models import (
    FIGURE_COUNTS,
    AgencyChannelMonthStat,
    AgencyMonthStat,
    Dossier,
    DossierStat,
)

STAGE = "records_dossier_stage"
TOUCHED = "records_stat_touched"
# The staging table's columns, in the order of the rows the engine produces.
STAGE_COLUMNS = (
    "row_no",
    "agency_id",
    "code",
    "procedure_id",
    "department_id",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "status",
    "channel",
    "received_month",
    "due_month",
    "finished_month",
    "on_time",
)
MOMENT_POSITIONS = (5, 6, 7, 8)
DOSSIER_COLUMNS = STAGE_COLUMNS[1:]
UPDATED_COLUMNS = tuple(c for c in DOSSIER_COLUMNS if c not in ("agency_id", "code"))
OPEN = (DossierStatus.IN_PROGRESS.value, DossierStatus.SUSPENDED.value)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


@functools.lru_cache(maxsize=4096)
def _offset_of_day(day: str) -> str:
    """The local zone's offset on ``day`` ("+07:00"), at noon (no zone changes offset at
    noon)."""
    noon = datetime.datetime.fromisoformat(f"{day} 12:00:00").replace(tzinfo=local_zone())
    offset = noon.utcoffset() or datetime.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@functools.cache
def _fixed_offset() -> str | None:
    """The local zone's offset when it never changes over the years dossiers are dated in
    (Asia/Ho_Chi_Minh: +07:00 since 1975), else None (then looked up per day)."""
    offsets = {
        _offset_of_day(f"{year}-{month:02d}-01") for year in range(1990, 2101) for month in (1, 7)
    }
    return offsets.pop() if len(offsets) == 1 else None


def _pg_moment(moment: str | None) -> str | None:
    return None if moment is None else moment + _offset_of_day(moment[:10])


NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(rows: list[tuple]) -> str:
    """Rows in COPY's text format (tab-separated, ``\\N`` for NULL), built in one pass: the
    fixed offset appended to each moment, the dossier code escaped when it must be."""
    fixed = _fixed_offset()
    lines = []
    for row in rows:
        (
            number, agency, code, procedure, department, received, due, finished, returned,
            status, channel, received_month, due_month, finished_month, on_time,
        ) = row  # fmt: skip
        if "\\" in code or "\t" in code or "\n" in code or "\r" in code:
            code = code.translate(_ESCAPES)
        if fixed is None:
            received, due = _pg_moment(received), _pg_moment(due)
            finished, returned = _pg_moment(finished), _pg_moment(returned)
            finished = NULL if finished is None else finished
            returned = NULL if returned is None else returned
        else:
            received, due = received + fixed, due + fixed
            finished = NULL if finished is None else finished + fixed
            returned = NULL if returned is None else returned + fixed
        lines.append(
            f"{number}\t{agency}\t{code}\t{procedure}\t"
            f"{NULL if department is None else department}\t{received}\t{due}\t{finished}\t"
            f"{returned}\t{status}\t{channel}\t{received_month}\t{due_month}\t"
            f"{NULL if finished_month is None else finished_month}\t"
            f"{NULL if on_time is None else ('t' if on_time else 'f')}\n"
        )
    return "".join(lines)


_UTC = datetime.UTC


@functools.cache
def _fixed_delta() -> datetime.timedelta | None:
    """``_fixed_offset`` as a duration (None when the offset changes over the years)."""
    fixed = _fixed_offset()
    if fixed is None:
        return None
    delta = datetime.timedelta(hours=int(fixed[1:3]), minutes=int(fixed[4:6]))
    return -delta if fixed[0] == "-" else delta


def _sqlite_moment(moment: str | None) -> str | None:
    """A local moment ("YYYY-MM-DD HH:MM:SS", never with fractions) → the same in UTC, as
    Django stores it on SQLite. With a fixed offset a subtraction (a third of the time of a
    time-zone conversion: a million rows hold four million moments)."""
    if moment is None:
        return None
    delta = _fixed_delta()
    if delta is not None:
        return str(datetime.datetime.fromisoformat(moment) - delta)
    local = datetime.datetime.fromisoformat(moment).replace(tzinfo=local_zone())
    return local.astimezone(_UTC).strftime("%Y-%m-%d %H:%M:%S")


class Stage:
    """The staging table of one import (a temporary table: it lives in this database session
    only, and is dropped at the end)."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.postgres = self.vendor == "postgresql"
        self.moment = _pg_moment if self.postgres else _sqlite_moment
        self.table = _q(STAGE)

    # --- the table --------------------------------------------------------------------------

    def create(self) -> None:
        moment = "timestamptz" if self.postgres else "text"
        day = "date" if self.postgres else "text"
        flag = "boolean" if self.postgres else "integer"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} ("
                "row_no integer NOT NULL, agency_id bigint NOT NULL, code varchar(64) NOT NULL, "
                "procedure_id bigint NOT NULL, department_id bigint NULL, "
                f"received_at {moment} NOT NULL, due_at {moment} NOT NULL, "
                f"finished_at {moment} NULL, returned_at {moment} NULL, "
                "status varchar(16) NOT NULL, channel varchar(16) NOT NULL, "
                f"received_month {day} NOT NULL, due_month {day} NOT NULL, "
                f"finished_month {day} NULL, on_time {flag} NULL)"
            )

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    def _converted(self, rows: list[tuple]):
        moment = self.moment
        for row in rows:
            row = list(row)
            for position in MOMENT_POSITIONS:
                row[position] = moment(row[position])
            yield row

    @contextlib.contextmanager
    def streaming(self):
        """While open, ``write`` sends rows into one ``COPY`` on PostgreSQL: the server stores
        them while the next rows are read and checked (the two cores work at once). Nothing
        else may use the connection meanwhile. On SQLite a plain block."""
        if not self.postgres:
            yield self
            return
        names = ", ".join(STAGE_COLUMNS)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {self.table} ({names}) FROM STDIN") as copy,
        ):
            self._copy = copy
            try:
                yield self
            finally:
                self._copy = None

    _copy = None

    def write(self, rows: list[tuple]) -> None:
        """Add checked rows (tuples in ``STAGE_COLUMNS`` order, moments as local text)."""
        if not rows:
            return
        if self._copy is not None:
            self._copy.write(_copy_text(rows))
            return
        names = ", ".join(STAGE_COLUMNS)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {self.table} ({names}) FROM STDIN") as copy:
                    copy.write(_copy_text(rows))
            else:
                marks = ", ".join(["%s"] * len(STAGE_COLUMNS))
                cursor.executemany(
                    f"INSERT INTO {self.table} ({names}) VALUES ({marks})", self._converted(rows)
                )

    # --- checks across rows -----------------------------------------------------------------

    def analyze(self) -> None:
        """Give the planner the staged rows' statistics (a temporary table is never analysed
        by autovacuum: without them the joins below are planned for a handful of rows)."""
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {self.table}")

    def repeats(self, limit: int) -> tuple[int, list[tuple[int, str, int]]]:
        """Rows whose (agency, code) came earlier in the file: how many, and the first
        ``limit`` as (row, code, first row)."""
        sql = (
            f"SELECT s.row_no, s.code, f.first_row FROM {self.table} s JOIN ("
            f"SELECT agency_id, code, MIN(row_no) AS first_row FROM {self.table} "
            "GROUP BY agency_id, code HAVING COUNT(*) > 1) f "
            "ON f.agency_id = s.agency_id AND f.code = s.code AND s.row_no <> f.first_row "
            "ORDER BY s.row_no"
        )
        with connection.cursor() as cursor:
            # The first ``limit`` (one grouping of the staged rows: a good file has none);
            # counted all only when there are more.
            cursor.execute(f"{sql} LIMIT %s", [limit])
            found = [(row, code, first) for row, code, first in cursor.fetchall()]
            if len(found) < limit:
                return len(found), found
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) r")
            return cursor.fetchone()[0], found

    # --- writing the dossiers ----------------------------------------------------------------

    def changes(self) -> list[tuple]:
        """What the staged rows change, grouped (a few thousand rows for any file): ``(agency,
        received month, due month, finished month`` of the staged row, ``the same of the
        dossier it replaces`` (None when new), ``known`` (1: a dossier of that code exists),
        ``touched`` (1: new, or some value differs — the upsert writes it), ``how many)``.
        The monthly figures to recompute are those of the touched rows' old and new months
        only: the daily export repeats most dossiers unchanged."""
        dossiers = _q(Dossier._meta.db_table)
        distinct = "IS DISTINCT FROM" if self.postgres else "IS NOT"
        changed = " OR ".join(f"d.{c} {distinct} s.{c}" for c in UPDATED_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.agency_id, s.received_month, s.due_month, s.finished_month, "
                "d.received_month, d.due_month, d.finished_month, "
                "CASE WHEN d.id IS NULL THEN 0 ELSE 1 END, "
                f"CASE WHEN d.id IS NULL OR {changed} THEN 1 ELSE 0 END, COUNT(*) "
                f"FROM {self.table} s LEFT JOIN {dossiers} d "
                "ON d.agency_id = s.agency_id AND d.code = s.code "
                "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
            )
            return cursor.fetchall()

    def upsert(self, now: datetime.datetime, *, new: int, known: int, changed: int) -> None:
        """Every staged row into the dossiers: the ``changed`` known ones updated (only those
        whose values differ: the one-stop system's daily export repeats most of its dossiers
        unchanged, and rewriting, or even locking, a row that did not change costs a new row
        version and index writes for nothing), then the ``new`` ones inserted — a plain
        insert, a third cheaper than ``INSERT … ON CONFLICT`` for a million rows, and with no
        look-up of the dossiers at all when the file holds no ``known`` code (a first import).
        The counts are ``changes()``'s, read in the same transaction with the agencies locked
        (``DossierLoad._write``): no other import adds their dossiers meanwhile, and were one
        to, the insert would fail on the unique (agency, code) and nothing be written."""
        dossiers = _q(Dossier._meta.db_table)
        names = ", ".join(DOSSIER_COLUMNS)
        stamp = connection.ops.adapt_datetimefield_value(now)
        distinct = "IS DISTINCT FROM" if self.postgres else "IS NOT"
        with connection.cursor() as cursor:
            if changed:
                updates = ", ".join(f"{c} = s.{c}" for c in UPDATED_COLUMNS)
                differ = " OR ".join(f"{dossiers}.{c} {distinct} s.{c}" for c in UPDATED_COLUMNS)
                cursor.execute(
                    f"UPDATE {dossiers} SET {updates}, updated_at = %s FROM {self.table} s "
                    f"WHERE {dossiers}.agency_id = s.agency_id AND {dossiers}.code = s.code "
                    f"AND ({differ})",
                    [stamp],
                )
            if new:
                unknown = (
                    f"WHERE NOT EXISTS (SELECT 1 FROM {dossiers} d "
                    "WHERE d.agency_id = s.agency_id AND d.code = s.code) "
                    if known
                    else ""
                )
                cursor.execute(
                    f"INSERT INTO {dossiers} ({names}, created_at, updated_at) "
                    f"SELECT {names}, %s, %s FROM {self.table} s {unknown}"
                    "ORDER BY agency_id, code",
                    [stamp, stamp],
                )


def as_month(value) -> datetime.date:
    """A month cell's date from what the database answers (a date, or text on SQLite)."""
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def roomy_session() -> None:
    """Within the import's transaction on PostgreSQL: enough memory for its sorts and
    groupings (a million rows' upsert and figures) to stay off the disk."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")


def recompute(cells: set[tuple[int, datetime.date]], *, today: datetime.date, now) -> int:
    """Recompute the monthly figures of the (agency, month) ``cells`` from the dossiers: the
    cells' old rows deleted, their new rows inserted (by procedure and channel, then per
    agency and month), a few statements whatever the number of dossiers. A dossier counts as
    received in its month received, as finished (on time or late) in its month finished, as
    in progress in its due month while open — overdue once its due day has passed
    (``today``). Returns the number of figure rows written."""
    if not cells:
        return 0
    dossiers = _q(Dossier._meta.db_table)
    stats = _q(DossierStat._meta.db_table)
    agency_stats = _q(AgencyMonthStat._meta.db_table)
    channel_stats = _q(AgencyChannelMonthStat._meta.db_table)
    touched = _q(TOUCHED)
    ops = connection.ops
    day = "date" if connection.vendor == "postgresql" else "text"
    start_of_today = datetime.datetime.combine(today, datetime.time()).replace(tzinfo=local_zone())
    stamp = ops.adapt_datetimefield_value(now)
    finished = DossierStatus.FINISHED.value
    in_progress = DossierStatus.IN_PROGRESS.value
    open_list = ", ".join(f"'{status}'" for status in OPEN)
    names = FIGURE_COUNTS
    columns = f"agency_id, procedure_id, channel, month, {', '.join(names)}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {touched}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {touched} (agency_id bigint NOT NULL, month {day} NOT NULL)"
        )
        cursor.executemany(
            f"INSERT INTO {touched} (agency_id, month) VALUES (%s, %s)",
            [(agency, ops.adapt_datefield_value(month)) for agency, month in sorted(cells)],
        )
        cursor.execute(
            f"DELETE FROM {stats} WHERE EXISTS (SELECT 1 FROM {touched} t "
            f"WHERE t.agency_id = {stats}.agency_id AND t.month = {stats}.month)"
        )
        for table in (agency_stats, channel_stats):
            cursor.execute(
                f"DELETE FROM {table} WHERE EXISTS (SELECT 1 FROM {touched} t "
                f"WHERE t.agency_id = {table}.agency_id AND t.month = {table}.month)"
            )
        figures = (
            f"INSERT INTO {stats} ({columns}, created_at, updated_at) "
            "SELECT agency_id, procedure_id, channel, month, SUM(r), SUM(f), SUM(o), SUM(l), "
            "SUM(p), SUM(v), %s, %s FROM ("
            # received in the month
            "SELECT d.agency_id, d.procedure_id, d.channel, d.received_month AS month, "
            "1 AS r, 0 AS f, 0 AS o, 0 AS l, 0 AS p, 0 AS v "
            f"FROM {dossiers} d JOIN {touched} t "
            "ON t.agency_id = d.agency_id AND t.month = d.received_month "
            "UNION ALL "
            # finished in the month, on time or late
            "SELECT d.agency_id, d.procedure_id, d.channel, d.finished_month, 0, 1, "
            "CASE WHEN d.on_time THEN 1 ELSE 0 END, CASE WHEN d.on_time THEN 0 ELSE 1 END, 0, 0 "
            f"FROM {dossiers} d JOIN {touched} t "
            "ON t.agency_id = d.agency_id AND t.month = d.finished_month "
            f"WHERE d.finished_month IS NOT NULL AND d.status = '{finished}' "
            "UNION ALL "
            # still open, due in the month; overdue once its due day has passed
            "SELECT d.agency_id, d.procedure_id, d.channel, d.due_month, 0, 0, 0, 0, 1, "
            f"CASE WHEN d.status = '{in_progress}' AND d.due_at < %s THEN 1 ELSE 0 END "
            f"FROM {dossiers} d JOIN {touched} t "
            "ON t.agency_id = d.agency_id AND t.month = d.due_month "
            f"WHERE d.status IN ({open_list})"
            ") x GROUP BY agency_id, procedure_id, channel, month"
        )
        params = [stamp, stamp, ops.adapt_datetimefield_value(start_of_today)]
        counts = ", ".join(names)
        # The roll-ups of the cells: (table, what a row is per).
        rollups = (
            (agency_stats, ("agency_id", "month")),
            (channel_stats, ("agency_id", "channel", "month")),
        )
        if connection.vendor == "postgresql":
            # One statement: the roll-ups' sums from the rows just inserted (not read back).
            sums = ", ".join(f"SUM({c})" for c in names)
            summed = "".join(
                f", rollup_{n} AS (INSERT INTO {table} ({', '.join(keys)}, {counts}, created_at, "
                f"updated_at) SELECT {', '.join(keys)}, {sums}, %s, %s FROM written "
                f"GROUP BY {', '.join(keys)})"
                for n, (table, keys) in enumerate(rollups)
            )
            cursor.execute(
                f"WITH written AS ({figures} RETURNING agency_id, channel, month, {counts})"
                f"{summed} SELECT COUNT(*) FROM written",
                [*params, *[stamp, stamp] * len(rollups)],
            )
            written = cursor.fetchone()[0]
        else:
            cursor.execute(figures, params)
            written = cursor.rowcount
            sums = ", ".join(f"SUM(s.{c})" for c in names)
            for table, keys in rollups:
                grouped = ", ".join(f"s.{key}" for key in keys)
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(keys)}, {counts}, created_at, updated_at) "
                    f"SELECT {grouped}, {sums}, %s, %s FROM {stats} s JOIN {touched} t "
                    f"ON t.agency_id = s.agency_id AND t.month = s.month GROUP BY {grouped}",
                    [stamp, stamp],
                )
        cursor.execute(f"DROP TABLE IF EXISTS {touched}")
    return max(written, 0)


def open_cells_due_between(start: datetime.date, end: datetime.date) -> set[tuple]:
    """(agency, due month) of the dossiers still in progress whose due day is in
    [start, end): the cells whose "overdue" count changes as those days pass."""
    begin = datetime.datetime.combine(start, datetime.time()).replace(tzinfo=local_zone())
    stop = datetime.datetime.combine(end, datetime.time()).replace(tzinfo=local_zone())
    rows = (
        Dossier.objects.filter(status=DossierStatus.IN_PROGRESS, due_at__gte=begin, due_at__lt=stop)
        .order_by()
        .values_list("agency_id", "due_month")
        .distinct()
    )
    return {(agency, month) for agency, month in rows}
