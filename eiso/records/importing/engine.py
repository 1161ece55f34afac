"""The dossier import: a stream of rows in, every bad cell reported, every good row staged,
then all of them written at once — or none.

``DossierLoad`` reads rows one at a time (a file is never held whole: memory stays flat
whatever its size), checks each against the declared columns (``parsing.columns``) and the
catalogue, and sends the good ones to the staging table in chunks (``storage.Stage``).
Repeats of one agency + code in the file are found by the database. Only when every row is
good are the dossiers written (set-based: ``storage.Stage.upsert``) and the monthly figures of
the touched months recomputed, in one transaction with the audit events; otherwise nothing is
written and the result lists the bad rows. The usual row is checked in one pass
(``fastpath``), any other by ``DossierLoad._check``: both stage or refuse it alike.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import NotPermitted
from eiso.core.imports import Column, RowError
from eiso.core.imports.base import _header_key
from eiso.core.roles import Action
from eiso.core.text import vn_fold
from eiso.records import rules
from eiso.records.choices import DossierStatus
from eiso.records.importing import fastpath, storage

CHUNK = 20_000  # rows per write to the staging table (and per progress report)
MAX_ERRORS = 1000  # errors kept for the report (all are counted)
MAX_BAD_ROWS = 200  # bad rows kept with their cells for the report

FINISHED = DossierStatus.FINISHED.value
IN_PROGRESS = DossierStatus.IN_PROGRESS.value
OPEN = (DossierStatus.IN_PROGRESS.value, DossierStatus.SUSPENDED.value)
# The columns a row's checks read, in the order of ``DossierLoad._slots``.
SLOT_NAMES = (
    "code",
    "procedure_code",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "status",
    "channel",
    "agency",
    "department",
)


@dataclass
class LoadResult:
    """What an import did, or why it did nothing. ``rows``: data rows read; ``created`` and
    ``updated``: dossiers written (0 unless ``applied``); ``errors``: the first errors (all
    counted in ``error_count``); ``bad_rows``: the first bad rows with their cells;
    ``kept``: every row's cells and checked values when asked (the kernel's preview)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    applied: bool = False
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    bad_rows: list[dict] = field(default_factory=list)
    agencies: int = 0
    cells: int = 0
    seconds: float = 0.0
    kept_cells: list[dict] = field(default_factory=list)
    kept_rows: list[tuple] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.rows > 0 and self.error_count == 0

    @property
    def imported(self) -> int:
        return self.created + self.updated

    def file_errors(self) -> list[RowError]:
        return [e for e in self.errors if not e.row]

    def as_result(self, **extra) -> dict:
        """The shape an ``ImportBatch`` keeps (the kernel's job page reads it)."""
        return {
            "ok": self.ok,
            "rows": self.rows,
            "error_count": self.error_count,
            "errors": [
                {"row": e.row, "column": e.column, "message": str(e.message)} for e in self.errors
            ],
            "bad_rows": self.bad_rows,
            **(
                {"imported": self.imported, "created": self.created, "updated": self.updated}
                if self.applied
                else {}
            ),
            **extra,
        }


class DossierLoad:
    """One import of dossiers by ``actor``, for ``agency`` (rows without an agency code go
    there; None: every row must name its agency). ``today`` and ``now`` default to the
    clock's (tests move it)."""

    def __init__(
        self, *, actor, agency, filename: str = "", importer=None, today=None, now=None
    ) -> None:
        from eiso.records.importing.importer import DossierImporter

        self.actor = actor
        self.agency = agency
        self.filename = filename
        self.importer = importer or DossierImporter()
        self.columns: list[Column] = self.importer.columns
        self.now = now or timezone.now()
        self.today = today or timezone.localdate(self.now)
        self.today_text = self.today.isoformat()
        self.result = LoadResult()
        self.bad_seen: set[int] = set()
        self.per_agency: Counter = Counter()
        self._procedures: dict[str, int] | None = None
        self._agencies: dict[str, int | None] = {}
        self._agency_codes: dict | None = None
        self._departments: dict[tuple[int, str], int] | None = None

    # --- who may ---------------------------------------------------------------------------

    def check_permission(self) -> None:
        if self.agency is not None:
            if not rules.can_import(self.actor, self.agency):
                raise NotPermitted(
                    _("Only the ISO secretary or the head import the agency's dossiers.")
                )
            return
        from eiso.core.scoping import user_scope

        if not user_scope(self.actor, Action.CHANGE).everything:
            raise NotPermitted(_("Say which agency the dossiers are for."))

    # --- what the rows refer to (loaded once, a query each) ---------------------------------

    def procedure_id(self, code: str) -> int | None:
        if self._procedures is None:
            from eiso.procedures.models import AdministrativeProcedure

            self._procedures = dict(AdministrativeProcedure.objects.values_list("code", "id"))
        return self._procedures.get(code)

    def agency_id(self, code: str) -> int | None:
        """The agency of a row's agency code, if the actor may import into it (else None).
        The agencies the actor may change are read once (one query)."""
        found = self._agencies.get(code)
        if found is not None or code in self._agencies:
            return found
        if self._agency_codes is None:
            from eiso.organizations.models import Agency

            self._agency_codes = {
                a.code.upper(): a
                for a in Agency.objects.visible_to(self.actor, action=Action.CHANGE)
                .filter(is_active=True)
                .only("pk", "code", "path")
            }
        agency = self._agency_codes.get(code.strip().upper())
        allowed = agency.pk if agency is not None and rules.can_import(self.actor, agency) else None
        if len(self._agencies) < 100_000:
            self._agencies[code] = allowed
        return allowed

    def department_id(self, agency_id: int, name: str) -> int | None:
        if self._departments is None:
            from eiso.organizations.models import Department

            self._departments = {
                (agency, vn_fold(text)): pk
                for pk, agency, text in Department.objects.filter(is_active=True).values_list(
                    "pk", "agency_id", "name"
                )
            }
        return self._departments.get((agency_id, vn_fold(name)))

    # --- reporting ----------------------------------------------------------------------------

    def error(self, row: int, column: str, message: str, cells: dict | None = None) -> None:
        result = self.result
        result.error_count += 1
        if self._keep or len(result.errors) < MAX_ERRORS:
            result.errors.append(RowError(row, column, str(message)))
        if row and cells is not None and row not in self.bad_seen:
            self.bad_seen.add(row)
            if len(result.bad_rows) < MAX_BAD_ROWS:
                result.bad_rows.append({"_row": row, **cells})

    # --- reading --------------------------------------------------------------------------------

    def _positions(self, header: list) -> dict[str, int] | None:
        lookup = self.importer.header_lookup()
        positions: dict[str, int] = {}
        for index, value in enumerate(header):
            name = lookup.get(_header_key(_cell(value)))
            if name and name not in positions:
                positions[name] = index
        missing = [c for c in self.columns if c.required and c.name not in positions]
        for column in missing:
            self.error(0, column.name, _("Missing column: %(label)s.") % {"label": column.label})
        if self.agency is None and "agency" not in positions:
            self.error(
                0,
                "agency",
                _("The file has no agency column (Mã đơn vị): say which agency it is for."),
            )
        return None if self.result.error_count else positions

    def rows(self, table: Iterable[tuple[int, list]]) -> Iterator[tuple]:
        """The checked rows of ``table`` (``(row number, cells)``, header first), as staging
        tuples; bad rows are reported and left out. Written for a million rows: a row is
        looked at once, its cells kept as text only when it is reported."""
        iterator = iter(table)
        header = None
        for _number, values in iterator:
            if any(_cell(v) for v in values):
                header = values
                break
        if header is None:
            self.error(0, "", _("The file is empty."))
            return
        positions = self._positions(header)
        if positions is None:
            return
        self._present = [
            (positions[c.name], c.parser, c.required, c.name, c.label)
            for c in self.columns
            if c.name in positions
        ]
        # Where each column's value lands in a row's parsed values (-1: not in the file, the
        # last slot, always None).
        slot = {name: i for i, (_index, _p, _r, name, _l) in enumerate(self._present)}
        self._slots = tuple(slot.get(name, -1) for name in SLOT_NAMES)
        width = max(positions.values()) + 1
        self._preload(positions)
        # The usual row checked in one pass, any other by ``_check`` (see ``fastpath``).
        check = None if self._keep else fastpath.row_checker(self, positions)
        if check is None:
            check = self._check
        for number, values in iterator:
            if len(values) < width:
                values = list(values) + [""] * (width - len(values))
            row = check(number, values)
            if row is not None:
                yield row

    def _preload(self, positions: dict) -> None:
        """Read what the rows refer to before the first row: while rows stream into
        PostgreSQL's ``COPY`` the connection answers no query."""
        self.procedure_id("")
        if "agency" in positions:
            self.agency_id("")
        if "department" in positions:
            self.department_id(0, "")

    def _cells_of(self, values) -> dict:
        return {name: _cell(values[index]) for index, _p, _r, name, _l in self._present}

    def _check(self, number: int, values) -> tuple | None:
        """One row: every cell parsed, then the rules across cells. The staging tuple, or
        None when the row is blank or bad (every problem of a bad row reported)."""
        out: list = []
        problems: list[tuple[str, str]] | None = None
        blank = True
        for index, parser, required, name, label in self._present:
            source = values[index]
            if type(source) is str:
                text = argument = source.strip()
            else:  # a spreadsheet's own value: its dates go to the parser with their time
                text = _cell(source)
                argument = source if isinstance(source, datetime.date) else text
            if not text:
                out.append(None)
                if required:
                    problems = problems or []
                    problems.append((name, _("%(column)s is empty.") % {"column": label}))
                continue
            blank = False
            try:
                out.append(parser(argument))
            except (ValueError, TypeError, ArithmeticError) as exc:  # CellError: a ValueError
                out.append(None)
                message = getattr(exc, "message", None) or _(
                    "%(column)s cannot be read: %(value)s."
                ) % {"column": label, "value": text}
                problems = problems or []
                problems.append((name, message))
        if blank:
            return None
        result = self.result
        result.rows += 1
        if self._keep:
            result.kept_cells.append({"_row": number, **self._cells_of(values)})
        out.append(None)  # the slot of the columns not in the file
        (
            s_code, s_procedure, s_received, s_due, s_finished, s_returned, s_status,
            s_channel, s_agency, s_department,
        ) = self._slots  # fmt: skip
        code = out[s_agency]
        agency_id = self.agency_id(code) if code else (self.agency.pk if self.agency else None)
        if agency_id is None:
            problems = problems or []
            problems.append(
                (
                    "agency",
                    _("Unknown agency %(code)s, or not one whose dossiers you import.")
                    % {"code": code}
                    if code
                    else _("Agency code is empty."),
                )
            )
        procedure_code = out[s_procedure]
        procedure_id = self.procedure_id(procedure_code) if procedure_code else None
        if procedure_code and procedure_id is None:
            problems = problems or []
            problems.append(
                (
                    "procedure_code",
                    _("Unknown procedure code %(code)s: it is not in the province's catalogue.")
                    % {"code": procedure_code},
                )
            )
        department_id = None
        department = out[s_department]
        if department and agency_id is not None:
            department_id = self.department_id(agency_id, department)
            if department_id is None:
                problems = problems or []
                problems.append(
                    (
                        "department",
                        _("Unknown department %(name)s in this agency.") % {"name": department},
                    )
                )
        received = out[s_received]
        due = out[s_due]
        finished = out[s_finished]
        returned = out[s_returned]
        status = out[s_status] or (FINISHED if finished else IN_PROGRESS)
        if received and due:
            found = _date_problems(received, due, finished, returned, status, self.today_text)
            if found:
                problems = (problems or []) + found
        if problems:
            cells = self._cells_of(values)
            for column, message in problems:
                self.error(number, column, message, cells)
            return None
        finished_month = finished[:8] + "01" if status == FINISHED else None
        received_month = received[:8] + "01"
        due_month = due[:8] + "01"
        self.per_agency[agency_id] += 1
        row = (
            number,
            agency_id,
            out[s_code],
            procedure_id,
            department_id,
            received,
            due,
            finished,
            returned,
            status,
            out[s_channel] or "direct",
            received_month,
            due_month,
            finished_month,
            finished[:10] <= due[:10] if finished_month else None,
        )
        if self._keep:
            result.kept_rows.append(row)
        return row

    # --- running ---------------------------------------------------------------------------------

    _keep = False

    def run(
        self,
        table: Iterable[tuple[int, list]],
        *,
        apply: bool,
        keep: bool = False,
        progress: Callable[[int], None] | None = None,
        before_write: Callable[[], None] | None = None,
    ) -> LoadResult:
        """Check every row of ``table``; when ``apply`` and every row is good, write them all.
        ``keep``: also keep every row (for the kernel's preview of a small file)."""
        started = timezone.now()
        self._keep = keep
        self.check_permission()
        stage = storage.Stage()
        stage.create()
        try:
            self._stage_all(stage, self.rows(table), progress)
            self._finish(stage, apply, before_write)
        finally:
            stage.drop()
        self.result.seconds = (timezone.now() - started).total_seconds()
        return self.result

    def run_rows(self, rows: list[tuple], *, apply: bool = True) -> LoadResult:
        """Write rows already checked by ``run(..., keep=True)`` (the kernel's apply step)."""
        self.check_permission()
        self.result.rows = len(rows)
        for row in rows:
            agency_id = row[1]
            self.per_agency[agency_id] += 1
        stage = storage.Stage()
        stage.create()
        try:
            stage.write(rows)
            self._finish(stage, apply)
        finally:
            stage.drop()
        return self.result

    def _stage_all(self, stage, rows: Iterator[tuple], progress) -> None:
        """Stage the checked rows in chunks, telling ``progress`` the rows read after each
        (on PostgreSQL a ``COPY`` is open meanwhile: ``progress`` must not use the
        connection — see ``jobs.Progress``)."""
        first = next(rows, None)  # the header read and the lookups loaded, before COPY
        if first is None:
            return
        chunk: list[tuple] = [first]
        with stage.streaming():
            for row in rows:
                chunk.append(row)
                if len(chunk) >= CHUNK:
                    stage.write(chunk)
                    chunk = []
                    if progress is not None:
                        progress(self.result.rows)
            stage.write(chunk)
        if progress is not None:
            progress(self.result.rows)

    def _finish(self, stage, apply: bool, before_write=None) -> None:
        result = self.result
        if not result.rows and not result.error_count:
            self.error(0, "", _("The file has no data rows."))
        if result.rows:
            stage.analyze()
            count, repeats = stage.repeats(MAX_ERRORS)
            for row, code, first in repeats:
                self.error(
                    row,
                    "code",
                    _("%(value)s appears twice in the file (also on row %(row)s).")
                    % {"value": code, "row": first},
                    {"_row": row, "code": code},
                )
            result.error_count += count - len(repeats)
        if not result.ok or not apply:
            return
        if before_write is not None:
            before_write()
        with transaction.atomic():
            self._write(stage)

    def _write(self, stage) -> None:
        from eiso.organizations.models import Agency

        result = self.result
        agency_ids = sorted(self.per_agency)
        storage.roomy_session()
        # One import at a time per agency: its figures are recomputed from its dossiers.
        agencies = {a.pk: a for a in Agency.objects.select_for_update().filter(pk__in=agency_ids)}
        cells: set[tuple[int, datetime.date]] = set()
        updated: Counter = Counter()
        changed = 0
        for agency_id, *months, known, touched, count in stage.changes():
            if known:
                updated[agency_id] += count
                changed += count if touched else 0
            if touched:  # its months before (if any) and after
                for month in months:
                    if month is not None:
                        cells.add((agency_id, storage.as_month(month)))
        known_rows = sum(updated.values())
        stage.upsert(self.now, new=result.rows - known_rows, known=known_rows, changed=changed)
        result.cells = storage.recompute(cells, today=self.today, now=self.now)
        result.updated = sum(updated.values())
        result.created = result.rows - result.updated
        result.agencies = len(agency_ids)
        result.applied = True
        for agency_id in agency_ids:
            rows = self.per_agency[agency_id]
            audit_record(
                actor=self.actor,
                action="dossier.import",
                agency=agencies.get(agency_id),
                object_type="records.dossier",
                changes={
                    "file": self.filename,
                    "rows": rows,
                    "created": rows - updated[agency_id],
                    "updated": updated[agency_id],
                },
            )


def _date_problems(received, due, finished, returned, status, today) -> list:
    """What cannot be true of a row's dates, as (column, message); compared by local day, as
    the on-time rule is. Empty for a good row (the usual case: a few comparisons)."""
    received_day = received[:10]
    problems = []
    if received_day > today:
        problems.append(("received_at", _("The dossier cannot be received after today.")))
    if due[:10] < received_day:
        problems.append(("due_at", _("The due date is before the day the dossier was received.")))
    if finished is not None:
        if finished[:10] < received_day:
            problems.append(
                ("finished_at", _("The result is dated before the dossier was received."))
            )
        if finished[:10] > today:
            problems.append(("finished_at", _("The result cannot be dated after today.")))
    if returned is not None:
        if returned[:10] < received_day:
            problems.append(("returned_at", _("It was returned before it was received.")))
        elif finished is not None and returned[:10] < finished[:10]:
            problems.append(("returned_at", _("It was returned before its result was issued.")))
        if returned[:10] > today:
            problems.append(("returned_at", _("It cannot be returned after today.")))
    if status == FINISHED and finished is None:
        problems.append(
            ("finished_at", _("A finished dossier needs the date its result was issued."))
        )
    if finished is not None and status in OPEN:
        problems.append(("status", _("A dossier in progress has no result date yet.")))
    return problems


def _cell(value) -> str:
    """A cell as text (the parsers read spreadsheet dates themselves)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def refresh_overdue(*, today: datetime.date | None = None, days: int = 7, now=None) -> int:
    """Recompute the cells whose "overdue" count changed as days passed: those of dossiers
    still in progress that fell due in the last ``days`` days (a nightly job; the import
    keeps the figures current otherwise). Returns the figure rows written."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    cells = storage.open_cells_due_between(today - datetime.timedelta(days=days), today)
    with transaction.atomic():
        return storage.recompute(cells, today=today, now=now)
