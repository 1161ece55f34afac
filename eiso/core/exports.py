"""XLSX exports that look like the spreadsheets people make (issue 7 A13, issue 8 item 3): the
title and the date of the extract on top, a bold header row frozen under them with a filter,
column widths fitted to the contents, real dates and numbers (not text), and every text cell
written as text with formula injection neutralised.

Every exporter goes through here: ``xlsx_response`` / ``xlsx_bytes`` for a list (columns are
``(header, getter)`` pairs), or ``cell_value`` / ``safe_row`` for a workbook laid out by hand
(the oversight summary)."""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Callable, Iterable, Sequence
from io import BytesIO
from itertools import chain, islice

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

Column = tuple[str, Callable[[object], object]]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell starting with one of these is a formula (or becomes one when the sheet is saved as CSV
# and opened again): "=", "+", "-", "@", tab, carriage return.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
# Column widths are fitted to the header and the first rows (the rest is streamed).
WIDTH_SAMPLE_ROWS = 500
MIN_WIDTH, MAX_WIDTH = 8, 60
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def safe_text(value: str) -> str:
    """``value`` as Excel must show it and never evaluate it: text starting with "=", "+", "-",
    "@", a tab or a carriage return gets a leading apostrophe; characters XML cannot hold are
    dropped."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def cell_value(value):
    """A Python value as an XLSX cell value: dates and numbers stay dates and numbers (aware
    datetimes in local time), booleans are "x" or blank, lists are joined, and everything else
    is neutralised text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "x" if value else None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float | decimal.Decimal):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return safe_text(", ".join(str(v) for v in value if v not in (None, ""))) or None
    return safe_text(str(value)) or None


def safe_row(values: Iterable[object]) -> list:
    """``cell_value`` of each value: for workbooks laid out by hand."""
    return [cell_value(v) for v in values]


def _display_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def _sheet_title(title: str) -> str:
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", title).strip() or "Sheet1"
    return cleaned[:31]


def styled_cell(sheet, value, *, font=None, fill=None, alignment=None, border=None):
    """A cell of a write-only ``sheet`` with its style."""
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    if border is not None:
        cell.border = border
    return cell


def _data_cell(sheet, value):
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # never a formula, whatever the text
        if "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell
    return value


def write_table(
    workbook: Workbook,
    *,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[object],
    notes: Sequence[str] = (),
    sheet_title: str | None = None,
) -> int:
    """Add one sheet to a write-only ``workbook``: the title, the date of the extract and
    ``notes`` (e.g. the filters) on top, then the header and the rows. Returns the number of
    data rows."""
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title or title))
    headers = [str(header) for header, _getter in columns]
    getters = [getter for _header, getter in columns]
    converted = (safe_row(getter(row) for getter in getters) for row in rows)
    sample = list(islice(converted, WIDTH_SAMPLE_ROWS))
    for index, header in enumerate(headers):
        longest = max([len(header), *(_display_width(r[index]) for r in sample)])
        width = min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))
        sheet.column_dimensions[get_column_letter(index + 1)].width = width

    top = [
        [styled_cell(sheet, safe_text(str(title)), font=Font(bold=True, size=14))],
        [
            styled_cell(
                sheet,
                _("Extracted on %(when)s")
                % {"when": timezone.localtime().strftime("%d/%m/%Y %H:%M")},
                font=Font(italic=True),
            )
        ],
        *[[styled_cell(sheet, safe_text(str(note)), font=Font(italic=True))] for note in notes],
        [],
    ]
    header_row = len(top) + 1
    sheet.freeze_panes = f"A{header_row + 1}"
    for line in top:
        sheet.append(line)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE5F0")
    wrap = Alignment(wrap_text=True, vertical="center")
    underline = Border(bottom=Side(style="thin"))
    sheet.append(
        [
            styled_cell(sheet, safe_text(h), font=bold, fill=fill, alignment=wrap, border=underline)
            for h in headers
        ]
    )
    count = 0
    for values in chain(sample, converted):
        sheet.append([_data_cell(sheet, v) for v in values])
        count += 1
    last_column = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + count}"
    return count


def xlsx_bytes(
    *,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[object],
    notes: Sequence[str] = (),
) -> bytes:
    """One sheet (see ``write_table``), streamed: any number of rows in constant memory."""
    workbook = Workbook(write_only=True)
    write_table(workbook, title=title, columns=columns, rows=rows, notes=notes)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    *,
    filename: str,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[object],
    notes: Sequence[str] = (),
) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(title=title, columns=columns, rows=rows, notes=notes), content_type=XLSX_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
