"""Spreadsheet import: read XLSX/CSV, validate every row, show a preview with each bad row's
reason, and save nothing unless every row is good (all-or-nothing, in one transaction).

An app declares an ``Importer`` subclass (columns, ``validate``, ``apply``) and registers it;
the pages (``ImportView``), the API and the management commands all go through
``import_preview`` / ``import_apply`` / ``import_file`` here."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.audit import audit_record
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.models import ImportBatch
from eiso.core.text import vn_fold


@dataclass(frozen=True)
class ImportColumn:
    key: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass
class RowError:
    row: int  # spreadsheet row number (the header is row 1)
    column: str
    message: str


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


class Importer:
    """One kind of import. Subclasses set ``kind``, ``title``, ``columns`` and implement
    ``check_permission``, ``validate`` (fills ``report.cleaned`` and ``report.errors``) and
    ``apply`` (writes through the app's services)."""

    kind: str = ""
    title = gettext_lazy("Import")
    columns: list[ImportColumn] = []

    def check_permission(self, *, actor, agency) -> None:
        raise NotImplementedError

    def column_help(self) -> dict[str, str]:
        """Extra help per column key (accepted values…), shown on the import page."""
        return {}

    def describe_columns(self) -> list[tuple[ImportColumn, str]]:
        helps = self.column_help()
        return [(column, helps.get(column.key, "")) for column in self.columns]

    def validate(self, report: ImportReport, *, actor, agency) -> None:
        raise NotImplementedError

    def apply(self, cleaned: list, *, actor, agency) -> int:
        raise NotImplementedError


_REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    _REGISTRY[importer.kind] = importer
    return importer


def importer_for(kind: str) -> Importer:
    try:
        return _REGISTRY[kind]()
    except KeyError:
        raise ValidationFailed(_("Unknown import kind %(kind)s.") % {"kind": kind}) from None


# --- reading ---------------------------------------------------------------------------------


def _header_key(text: object) -> str:
    return vn_fold(str(text or "")).replace(" ", "_").replace("-", "_")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_rows(filename: str, content: bytes) -> list[list[object]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise ValidationFailed(_("The file is not a readable XLSX workbook.")) from exc
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(_("The CSV file must be encoded in UTF-8.")) from exc
        first = text.splitlines()[0] if text else ""
        delimiter = ";" if first.count(";") > first.count(",") else ","
        return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    raise ValidationFailed(_("Only .xlsx and .csv files can be imported."))


def read_table(importer: Importer, filename: str, content: bytes) -> ImportReport:
    """Parse the file into ``report.rows`` (dicts keyed by column key, with ``_row``); a
    missing required column is a file-level error."""
    report = ImportReport()
    raw = _read_rows(filename, content)
    while raw and not any(_cell_text(c) for c in raw[0]):
        raw.pop(0)
    if not raw:
        report.errors.append(RowError(0, "", _("The file is empty.")))
        return report
    lookup: dict[str, str] = {}
    for column in importer.columns:
        for name in (column.key, str(column.label), *column.aliases):
            lookup[_header_key(name)] = column.key
    positions: dict[str, int] = {}
    for index, header in enumerate(raw[0]):
        key = lookup.get(_header_key(header))
        if key and key not in positions:
            positions[key] = index
    for column in importer.columns:
        if column.required and column.key not in positions:
            report.errors.append(
                RowError(0, column.key, _("Missing column: %(label)s.") % {"label": column.label})
            )
    if report.errors:
        return report
    for number, values in enumerate(raw[1:], start=2):
        cells = {
            key: _cell_text(values[i]) if i < len(values) else "" for key, i in positions.items()
        }
        if not any(cells.values()):
            continue
        report.rows.append({"_row": number, **cells})
    if not report.rows:
        report.errors.append(RowError(0, "", _("The file has no data rows.")))
    return report


def validate_file(*, actor, agency, kind: str, filename: str, content: bytes) -> ImportReport:
    importer = importer_for(kind)
    importer.check_permission(actor=actor, agency=agency)
    report = read_table(importer, filename, content)
    if not report.errors:
        importer.validate(report, actor=actor, agency=agency)
    return report


# --- the three entry points ----------------------------------------------------------------


@transaction.atomic
def import_preview(
    *, actor, agency, kind: str, filename: str, content: bytes
) -> tuple[ImportBatch, ImportReport]:
    """Validate an upload and keep it for confirmation. Nothing of the data is saved yet."""
    report = validate_file(
        actor=actor, agency=agency, kind=kind, filename=filename, content=content
    )
    batch = ImportBatch.objects.create(
        agency=agency,
        kind=kind,
        filename=filename[:255],
        content=content,
        created_by=actor,
        status=ImportBatch.Status.PREVIEWED,
        row_count=len(report.rows),
        error_count=len(report.errors),
    )
    return batch, report


@transaction.atomic
def import_apply(*, actor, batch: ImportBatch) -> int:
    """Apply a previewed batch: validated again (the data may have changed since), then every
    row written in this one transaction, or none."""
    locked = (
        ImportBatch.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=batch.pk)
    )
    if locked.created_by_id != actor.pk:
        raise NotPermitted(_("Only the person who uploaded this file can confirm it."))
    if locked.status != ImportBatch.Status.PREVIEWED:
        raise ValidationFailed(_("This file has already been processed."))
    report = validate_file(
        actor=actor,
        agency=locked.agency,
        kind=locked.kind,
        filename=locked.filename,
        content=bytes(locked.content),
    )
    if not report.ok:
        raise ValidationFailed(
            _("The file has %(n)s error(s); nothing was saved.") % {"n": len(report.errors)}
        )
    count = importer_for(locked.kind).apply(report.cleaned, actor=actor, agency=locked.agency)
    locked.status = ImportBatch.Status.APPLIED
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=f"import.{locked.kind}",
        obj=locked,
        changes={"file": locked.filename, "rows": count},
    )
    return count


@transaction.atomic
def import_file(*, actor, agency, kind: str, filename: str, content: bytes) -> ImportReport:
    """Validate and apply in one go (management commands, API): all rows or none."""
    report = validate_file(
        actor=actor, agency=agency, kind=kind, filename=filename, content=content
    )
    if report.ok:
        count = importer_for(kind).apply(report.cleaned, actor=actor, agency=agency)
        audit_record(
            actor=actor,
            action=f"import.{kind}",
            agency=agency,
            object_type="core.importbatch",
            changes={"file": filename, "rows": count},
        )
    return report


# --- cell parsers shared by importers --------------------------------------------------------

_TRUE_WORDS = {"x", "1", "co", "yes", "true", "c", "y", "dung"}
_FALSE_WORDS = {"0", "khong", "no", "false", "k", "n", "sai"}


def parse_bool(text: str) -> bool | None:
    """'x', 'có', 'yes', '1' → True; 'không', 'no', '0' → False; '' → None. Raises ValueError."""
    folded = vn_fold(text)
    if not folded:
        return None
    if folded in _TRUE_WORDS:
        return True
    if folded in _FALSE_WORDS:
        return False
    raise ValueError(text)


def parse_date(text: str) -> datetime.date | None:
    """dd/mm/yyyy (or yyyy-mm-dd) → date; '' → None. Raises ValueError."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)
