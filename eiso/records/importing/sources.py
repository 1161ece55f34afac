"""Where dossier rows come from, read one at a time: a CSV file streamed from disk or from an
upload (any size, constant memory), an XLSX workbook through the kernel's reader (bounded by
IMPORT_MAX_ROWS: a bigger export is saved as CSV), or the JSON of a system push."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed
from eiso.core.imports import decode_csv, open_table

Rows = Iterator[tuple[int, list]]
HEAD_BYTES = 64 * 1024


def _kind(filename: str) -> str:
    name = filename.lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    raise ValidationFailed(_("Only .xlsx and .csv files can be imported."))


def _check_utf8(head: bytes) -> None:
    """Refuse a CSV that is not UTF-8 with the kernel's words (what it looks like, how to save
    it as "CSV UTF-8"), from its first bytes."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:4000]:
        decode_csv(head)  # raises
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        decode_csv(head)  # raises


def csv_rows(stream: BinaryIO) -> Rows:
    """The rows of a UTF-8 CSV (comma, semicolon or tab), numbered from 1, read as they come.
    A line without a quote is split as it is (the exports' usual line: ten times faster than
    the csv module); a line with quotes goes through the csv module, with the lines a quoted
    field spans."""
    head = stream.read(HEAD_BYTES)
    _check_utf8(head)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
        counts = {d: first.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
        yield from _split(itertools.chain((first,) if first else (), text), delimiter)
    except UnicodeDecodeError as exc:
        decode_csv(exc.object[max(0, exc.start - 2000) : exc.start + 2000])
        raise ValidationFailed(_("The CSV file is not saved as UTF-8.")) from exc
    except csv.Error as exc:
        raise ValidationFailed(
            _("The CSV file cannot be read (%(reason)s).") % {"reason": exc}
        ) from exc


def _split(lines: Iterator[str], delimiter: str) -> Rows:
    number = 0
    for line in lines:
        number += 1
        if '"' not in line:
            if "\x00" in line:
                raise csv.Error("line contains NUL")
            yield number, line.rstrip("\r\n").split(delimiter)
            continue
        record = line
        while record.count('"') % 2:  # a quoted field goes on over the next line
            following = next(lines, None)
            if following is None:
                break
            record += following
        yield number, next(csv.reader([record], delimiter=delimiter), [])


def content_rows(filename: str, content: bytes) -> Rows:
    """The rows of an uploaded file held as bytes (a page or API upload)."""
    if _kind(filename) == "csv":
        return csv_rows(io.BytesIO(content))
    return open_table(filename, content).rows


def path_rows(path: Path) -> Rows:
    """The rows of a file on disk: a CSV is streamed, never read whole."""
    if _kind(path.name) == "csv":
        return _streamed(path)
    return open_table(path.name, path.read_bytes()).rows


def _streamed(path: Path) -> Rows:
    with path.open("rb") as stream:
        yield from csv_rows(stream)


def estimate_rows(filename: str, content: bytes) -> int:
    """About how many data rows a file holds (the progress bar's total): the lines of a CSV,
    the kernel's quick count for a workbook."""
    if _kind(filename) == "csv":
        lines = content.count(b"\n") + (0 if not content or content.endswith(b"\n") else 1)
        return max(lines - 1, 0)
    from eiso.core.imports import count_rows

    return count_rows(filename, content)


def record_rows(records: list[dict], names: list[str]) -> Rows:
    """A system's push (a list of objects keyed by column name) as numbered rows: the header
    is row 1, the first record row 2 (so errors read like a file's)."""
    yield 1, list(names)
    for number, record in enumerate(records, start=2):
        yield number, ["" if record.get(n) is None else record.get(n) for n in names]
