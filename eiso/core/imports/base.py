"""Declarative importers: an importer states its columns (name, label, header aliases, parser,
required, unique, help) and how a parsed row becomes a service call; the kernel reads the file,
maps the header, parses every cell, reports every bad cell and every value repeated in the file,
and hands the parsed rows to the importer's own checks (what the database says)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import ValidationFailed
from eiso.core.imports.parsers import CellError, Parser
from eiso.core.imports.reading import Table, cell_text
from eiso.core.text import vn_fold

PROGRESS_EVERY = 500


@dataclass(frozen=True)
class Column:
    """One column of an import. ``parser`` turns the cell's text into a value (default: the
    text, trimmed); ``required``: the column must be in the file and the cell filled;
    ``unique``: a value may appear once in the file; ``help`` is shown on the import page and in
    the sample file; ``aliases`` are other header names accepted (diacritics and case
    ignored)."""

    name: str
    label: object
    aliases: tuple[str, ...] = ()
    parser: Parser | None = None
    required: bool = False
    unique: bool = False
    help: object = ""

    @property
    def key(self) -> str:  # the name under its former spelling
        return self.name


ImportColumn = Column


@dataclass
class RowError:
    row: int  # spreadsheet row number (the header is row 1); 0 for the whole file
    column: str
    message: str


class Row:
    """One data row: the cells as written (``cells``), the parsed values of the good cells
    (``row["name"]``, None when blank or bad) and the errors found so far."""

    def __init__(self, number: int, cells: dict[str, str]) -> None:
        self.number = number
        self.cells = cells
        self.values: dict[str, object] = {}
        self.errors: list[RowError] = []

    def __getitem__(self, name: str):
        return self.values.get(name)

    def get(self, name: str, default=None):
        value = self.values.get(name)
        return default if value is None else value

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def ok(self, *names: str) -> bool:
        """No error on these columns (on the whole row when none is named)."""
        if not names:
            return not self.errors
        return not any(e.column in names for e in self.errors)

    def as_dict(self) -> dict:
        return {"_row": self.number, **self.cells}


@dataclass
class PreviewRow:
    number: int
    cells: list[tuple[str, bool]]  # (text, has an error) per column
    errors: list[tuple[str, str]]  # (column label, message)

    @property
    def bad(self) -> bool:
        return bool(self.errors)


@dataclass
class ImportReport:
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    cleaned: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def bad_rows(self) -> set[int]:
        return {e.row for e in self.errors if e.row}

    def errors_for(self, row: int) -> list[RowError]:
        return [e for e in self.errors if e.row == row]

    def file_errors(self) -> list[RowError]:
        return [e for e in self.errors if not e.row]


def _header_key(text: object) -> str:
    return vn_fold(str(text or "")).replace(" ", "_").replace("-", "_")


def _unique_key(value: object) -> object:
    return vn_fold(value) if isinstance(value, str) else value


class Importer:
    """One kind of import. Subclasses set ``kind``, ``title``, ``columns`` (and
    ``unique_together``, ``sample_rows``), implement ``check_permission`` and ``apply``, and
    usually ``prepare`` (load what the rows refer to, a fixed number of queries) and
    ``check_row`` (the database's say on one parsed row; returns the arguments of the service
    call)."""

    kind: str = ""
    title = gettext_lazy("Import")
    columns: list[Column] = []
    # Groups of columns whose values together may appear once in the file; a repeat is
    # reported on the last column of the group.
    unique_together: tuple[tuple[str, ...], ...] = ()
    # Rows of the sample file (column name → text); they import cleanly into the demo province.
    sample_rows: list[dict[str, str]] = []
    sample_filename = ""
    # The URL name of the import page (a background job links back to it).
    url_name = ""

    # --- declared by each importer -----------------------------------------------------------

    def check_permission(self, *, actor, agency) -> None:
        raise NotImplementedError

    def column_help(self) -> dict[str, str]:
        """Help computed when shown (e.g. the kinds in the database), over ``Column.help``."""
        return {}

    def prepare(self, rows: list[Row], *, actor, agency):
        """Load what the rows refer to (one query per kind of thing); returned as ``context``
        to ``check_row`` and ``check_file``."""
        return None

    def check_row(self, row: Row, context):
        """Checks that need the database; report with ``row.error``. Returns the service call's
        arguments for the row (kept in ``report.cleaned``), or None."""
        return dict(row.values)

    def check_file(self, rows: list[Row], items: list, context) -> None:
        """Rules across rows (e.g. a cycle of parents); ``items`` are ``check_row``'s results,
        one per row (None where it returned None)."""

    def apply(self, cleaned: list, *, actor, agency, progress: Callable[[int], None] | None = None):
        """Write every row through the app's services (inside the caller's transaction);
        returns how many rows were imported. ``progress(n)`` may be called as rows are done."""
        raise NotImplementedError

    # --- shown on the pages --------------------------------------------------------------------

    def describe_columns(self) -> list[tuple[Column, str]]:
        helps = self.column_help()
        return [(c, str(helps.get(c.name) or c.help or "")) for c in self.columns]

    def column_label(self, name: str) -> str:
        for column in self.columns:
            if column.name == name:
                return str(column.label)
        return ""

    def preview(self, report: ImportReport, rows: Iterable[dict] | None = None) -> list[PreviewRow]:
        """Rows as the preview table shows them: each cell with whether it is bad, the row's
        errors with their column's label."""
        by_row: dict[int, list[RowError]] = {}
        for error in report.errors:
            by_row.setdefault(error.row, []).append(error)
        result = []
        for raw in report.rows if rows is None else rows:
            number = raw.get("_row", 0)
            errors = by_row.get(number, [])
            bad_columns = {e.column for e in errors}
            result.append(
                PreviewRow(
                    number=number,
                    cells=[(raw.get(c.name, ""), c.name in bad_columns) for c in self.columns],
                    errors=[(self.column_label(e.column), e.message) for e in errors],
                )
            )
        return result

    # --- the kernel ----------------------------------------------------------------------------

    def header_lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        languages = [code for code, _name in settings.LANGUAGES]
        for column in self.columns:
            names = [column.name, str(column.label), *column.aliases]
            for language in languages:
                with translation.override(language):
                    names.append(str(column.label))
            for name in names:
                lookup.setdefault(_header_key(name), column.name)
        return lookup

    def validate(
        self, table: Table, *, actor, agency, progress: Callable[[int], None] | None = None
    ) -> ImportReport:
        """Read ``table`` into a report: every bad cell, every repeat, then the importer's
        checks. ``progress(n)`` is told every few hundred rows read."""
        report = ImportReport()
        header = None
        for number, values in table.rows:
            if any(cell_text(v) for v in values):
                header = (number, values)
                break
        if header is None:
            report.errors.append(RowError(0, "", _("The file is empty.")))
            return report
        lookup = self.header_lookup()
        positions: dict[str, int] = {}
        for index, value in enumerate(header[1]):
            name = lookup.get(_header_key(cell_text(value)))
            if name and name not in positions:
                positions[name] = index
        for column in self.columns:
            if column.required and column.name not in positions:
                report.errors.append(
                    RowError(
                        0, column.name, _("Missing column: %(label)s.") % {"label": column.label}
                    )
                )
        if report.errors:
            return report

        present = [c for c in self.columns if c.name in positions]
        seen: dict[str, dict[object, int]] = {c.name: {} for c in present if c.unique}
        seen_together: dict[tuple[str, ...], dict[tuple, int]] = {
            g: {} for g in self.unique_together
        }
        rows: list[Row] = []
        for number, values in table.rows:
            cells = {
                name: cell_text(values[i]) if i < len(values) else ""
                for name, i in positions.items()
            }
            if not any(cells.values()):
                continue
            row = Row(number, cells)
            self._parse(row, present)
            self._check_repeats(row, present, seen, seen_together)
            rows.append(row)
            report.rows.append(row.as_dict())
            if progress is not None and len(rows) % PROGRESS_EVERY == 0:
                progress(len(rows))
        if not rows:
            report.errors.append(RowError(0, "", _("The file has no data rows.")))
            return report

        context = self.prepare(rows, actor=actor, agency=agency)
        items = [self.check_row(row, context) for row in rows]
        self.check_file(rows, items, context)
        order = {c.name: i for i, c in enumerate(self.columns)}
        for row in rows:
            report.errors.extend(sorted(row.errors, key=lambda e: order.get(e.column, 99)))
        report.cleaned = [item for item in items if item is not None]
        if progress is not None:
            progress(len(rows))
        return report

    def _parse(self, row: Row, present: list[Column]) -> None:
        for column in present:
            text = row.cells.get(column.name, "")
            if not text:
                row.values[column.name] = None
                if column.required:
                    row.error(column.name, _("%(column)s is empty.") % {"column": column.label})
                continue
            if column.parser is None:
                row.values[column.name] = text
                continue
            try:
                row.values[column.name] = column.parser(text)
            except CellError as exc:
                row.error(column.name, exc.message)
            except (ValueError, TypeError, ArithmeticError):
                row.error(
                    column.name,
                    _("%(column)s cannot be read: %(value)s.")
                    % {"column": column.label, "value": text},
                )

    def _check_repeats(self, row, present, seen, seen_together) -> None:
        for column in present:
            if not column.unique or row[column.name] is None or not row.ok(column.name):
                continue
            key = _unique_key(row[column.name])
            first = seen[column.name].setdefault(key, row.number)
            if first != row.number:
                row.error(
                    column.name,
                    _("%(value)s appears twice in the file (also on row %(row)s).")
                    % {"value": row.cells[column.name], "row": first},
                )
        for group, first_rows in seen_together.items():
            if any(row[name] is None or not row.ok(name) for name in group):
                continue
            key = tuple(_unique_key(row[name]) for name in group)
            first = first_rows.setdefault(key, row.number)
            if first != row.number:
                row.error(
                    group[-1],
                    _("%(value)s appears twice in the file (also on row %(row)s).")
                    % {"value": " · ".join(row.cells[name] for name in group), "row": first},
                )


def fetch_in(queryset, field: str, values: Iterable, *, chunk: int = 500) -> list:
    """Rows of ``queryset`` whose ``field`` is one of ``values`` (blanks ignored), a few hundred
    values per query: SQLite limits the parameters of one query, and a file may hold 50,000."""
    wanted = sorted({v for v in values if v not in (None, "")}, key=str)
    found = []
    for start in range(0, len(wanted), chunk):
        found.extend(queryset.filter(**{f"{field}__in": wanted[start : start + chunk]}))
    return found


_REGISTRY: dict[str, type[Importer]] = {}
_discovered = False


def register(importer: type[Importer]) -> type[Importer]:
    _REGISTRY[importer.kind] = importer
    return importer


def _discover() -> None:
    """Import every app's ``imports`` module (a worker has not loaded the URLs)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("imports")
        _discovered = True


def importer_for(kind: str) -> Importer:
    _discover()
    try:
        return _REGISTRY[kind]()
    except KeyError:
        raise ValidationFailed(_("Unknown import kind %(kind)s.") % {"kind": kind}) from None


def registered_kinds() -> list[str]:
    _discover()
    return sorted(_REGISTRY)
