"""Reading spreadsheets for import, streaming and bounded (issue 8 item 4).

XLSX: the workbook is opened read-only (rows are parsed as they are read), its packed parts are
checked before anything is unpacked, and its rows are counted by a quick scan of the sheet's XML
that stops one row past the limit — a file of millions of rows is refused in a fraction of a
second with flat memory. CSV: UTF-8 only (other encodings are recognised and the person told
how to save the file), read by ``csv.reader`` row by row with the same limit."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError, iterparse

from django.conf import settings
from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed

_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Parts of a workbook are unpacked by openpyxl; bound what a small upload may unpack to.
MAX_UNPACKED_MB = 256
MAX_SHARED_STRINGS_MB = 64


def max_rows() -> int:
    return int(settings.IMPORT_MAX_ROWS)


def sync_rows() -> int:
    return int(settings.IMPORT_SYNC_ROWS)


def too_many_rows() -> ValidationFailed:
    limit = max_rows()
    return ValidationFailed(
        _(
            "The file has more than %(limit)s data rows: at most %(limit)s rows are imported "
            "at once (setting IMPORT_MAX_ROWS). Split it into several files."
        )
        % {"limit": f"{limit:,}".replace(",", ".")}
    )


def cell_text(value: object) -> str:
    """A cell as the text the parsers read: dates dd/mm/yyyy, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class Table:
    """A spreadsheet being read: ``rows`` yields ``(row number, cells)`` once, header first
    (numbers as the spreadsheet shows them); ``count`` is the number of non-empty rows (header
    included), known before reading when the format allows it."""

    rows: Iterator[tuple[int, list[object]]]
    count: int | None = None


def open_table(filename: str, content: bytes) -> Table:
    """The first sheet of an XLSX file, or a CSV file. Refuses (``ValidationFailed``) an
    unreadable file, a CSV not in UTF-8 and a file of more than ``IMPORT_MAX_ROWS`` data rows."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _xlsx_table(content)
    if name.endswith(".csv"):
        return _csv_table(content)
    raise ValidationFailed(_("Only .xlsx and .csv files can be imported."))


def count_rows(filename: str, content: bytes) -> int:
    """The number of data rows (the header not counted), refusing a file over the limit. Quick:
    for XLSX a scan of the sheet's XML, for CSV a pass of the csv reader."""
    table = open_table(filename, content)
    if table.count is not None:
        return max(table.count - 1, 0)
    count = 0
    for _number, cells in table.rows:
        if any(cell_text(c) for c in cells):
            count += 1
    return max(count - 1, 0)


def _limited(rows: Iterator[tuple[int, list[object]]]) -> Iterator[tuple[int, list[object]]]:
    """``rows`` with the limit enforced as they are read (header + IMPORT_MAX_ROWS rows)."""
    allowed = max_rows() + 1
    seen = 0
    for number, cells in rows:
        if any(cell_text(c) for c in cells):
            seen += 1
            if seen > allowed:
                raise too_many_rows()
        yield number, cells


# --- XLSX ---------------------------------------------------------------------------------------


def _not_xlsx(exc: Exception | None = None) -> ValidationFailed:
    error = ValidationFailed(_("The file is not a readable XLSX workbook."))
    if exc is not None:
        error.__cause__ = exc
    return error


def _check_parts(content: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_xlsx(exc) from exc
    unpacked = sum(info.file_size for info in infos)
    strings = sum(info.file_size for info in infos if info.filename.endswith("sharedStrings.xml"))
    if unpacked > MAX_UNPACKED_MB * 1024 * 1024 or strings > MAX_SHARED_STRINGS_MB * 1024 * 1024:
        raise ValidationFailed(
            _(
                "The workbook unpacks to more than %(mb)s MB: it cannot be imported. Keep only "
                "the sheet to import, or split it into several files."
            )
            % {"mb": MAX_UNPACKED_MB}
        )
    return archive


def _scan_rows(archive: zipfile.ZipFile, path: str, stop_after: int) -> int:
    """Non-empty ``<row>`` elements of one sheet, counting stops at ``stop_after``; rows are
    dropped from the tree as they are counted, so memory stays flat."""
    count = 0
    try:
        with archive.open(path) as stream:
            parents = []
            for event, element in iterparse(stream, events=("start", "end")):
                if event == "start":
                    if element.tag == f"{_SHEET_NS}sheetData":
                        parents.append(element)
                    continue
                if element.tag != f"{_SHEET_NS}row":
                    continue
                if any(
                    cell.find(f"{_SHEET_NS}v") is not None
                    or cell.find(f"{_SHEET_NS}is") is not None
                    for cell in element
                ):
                    count += 1
                element.clear()
                if parents:
                    parents[-1].remove(element)
                if count >= stop_after:
                    break
    except (KeyError, ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise _not_xlsx(exc) from exc
    return count


_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_SMALL_PART = 8 * 1024 * 1024  # workbook.xml and relationship parts are a few kB


def _small_xml(archive: zipfile.ZipFile, name: str):
    from xml.etree.ElementTree import fromstring

    info = archive.getinfo(name)
    if info.file_size > _SMALL_PART:
        raise _not_xlsx()
    return fromstring(archive.read(name))


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The part of the first worksheet (the one openpyxl reads as ``worksheets[0]``), found in
    the workbook's small parts — before openpyxl opens the sheet, which it would parse whole
    when the sheet does not declare its size."""
    try:
        package = _small_xml(archive, "_rels/.rels")
        workbook_path = next(
            rel.get("Target", "").lstrip("/")
            for rel in package.iter(f"{_REL_NS}Relationship")
            if rel.get("Type", "").endswith("/officeDocument")
        )
        folder, _sep, filename = workbook_path.rpartition("/")
        workbook = _small_xml(archive, workbook_path)
        rels = _small_xml(
            archive, f"{folder}/_rels/{filename}.rels" if folder else f"_rels/{filename}.rels"
        )
        targets = {
            rel.get("Id"): rel.get("Target", "")
            for rel in rels.iter(f"{_REL_NS}Relationship")
            if rel.get("Type", "").endswith("/worksheet")
        }
        for sheet in workbook.iter(f"{_SHEET_NS}sheet"):
            target = targets.get(sheet.get(f"{_DOC_REL_NS}id"))
            if target:
                return (
                    target.lstrip("/")
                    if target.startswith("/")
                    else f"{folder}/{target}".lstrip("/")
                )
    except (
        KeyError,
        StopIteration,
        ParseError,
        zipfile.BadZipFile,
        OSError,
        EOFError,
        ValueError,
    ) as exc:
        raise _not_xlsx(exc) from exc
    raise _not_xlsx()


def _xlsx_table(content: bytes) -> Table:
    from openpyxl import load_workbook

    archive = _check_parts(content)
    count = _scan_rows(archive, _first_sheet_path(archive), stop_after=max_rows() + 2)
    if count > max_rows() + 1:
        raise too_many_rows()
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _not_xlsx(exc) from exc

    def rows() -> Iterator[tuple[int, list[object]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        except ValidationFailed:
            raise
        except Exception as exc:
            raise _not_xlsx(exc) from exc
        finally:
            workbook.close()

    return Table(rows=_limited(rows()), count=count)


# --- CSV ----------------------------------------------------------------------------------------

_VIETNAMESE_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ\u0300\u0301\u0303\u0309\u0323")


def _encoding_name(content: bytes) -> str:
    """What a CSV that is not UTF-8 most likely is, in words."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _("UTF-16 (Excel's “Unicode Text”)")
    head = content[:4000]
    if head and head.count(0) * 5 > len(head):
        return _("UTF-16 (Excel's “Unicode Text”)")
    as_vietnamese = content.decode("cp1258", errors="replace")
    if any(ch in _VIETNAMESE_LETTERS for ch in as_vietnamese):
        return _("Windows-1258 (Vietnamese Windows)")
    return _("Windows-1252 (Western European Windows)")


def decode_csv(content: bytes) -> str:
    """The text of a UTF-8 CSV (with or without BOM); any other encoding is refused with its
    likely name and how to save the file as "CSV UTF-8" or upload the XLSX itself."""
    utf16 = content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        else:
            if "\x00" not in text[:4000]:
                return text
    raise ValidationFailed(
        _(
            "The CSV file is not saved as UTF-8: it looks like %(encoding)s, so its Vietnamese "
            "letters would be garbled. In Excel choose File → Save As, file type “CSV UTF-8 "
            "(Comma delimited) (*.csv)”, and upload that file — or upload the .xlsx workbook "
            "itself."
        )
        % {"encoding": _encoding_name(content)}
    )


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_table(content: bytes) -> Table:
    text = decode_csv(content)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))

    def rows() -> Iterator[tuple[int, list[object]]]:
        try:
            for number, values in enumerate(reader, start=1):
                yield number, list(values)
        except csv.Error as exc:
            raise ValidationFailed(
                _("The CSV file cannot be read (%(reason)s).") % {"reason": exc}
            ) from exc

    return Table(rows=_limited(rows()))
