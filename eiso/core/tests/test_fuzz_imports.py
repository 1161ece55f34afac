"""Hypothesis over every registered importer (agencies, users, procedures, handled procedures,
announcements, and any added later): files with random headers, cells, encodings, delimiters
and sizes, valid XLSX or CSV or plain garbage. Each must end in a report (rows imported, or
every bad row with a clear message) or a clean refusal (an ``ApplicationError`` with a message)
— never any other exception. Marked ``fuzz``: ``make fuzz`` runs it and prints the counts."""

from __future__ import annotations

import datetime
import io
import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from eiso.core.errors import ApplicationError
from eiso.core.imports import import_file, importer_for

try:
    from eiso.core.imports import registered_kinds
except ImportError:  # the single-module kernel of before: read its registry
    from eiso.core import imports as _imports

    def registered_kinds() -> list[str]:
        return sorted(_imports._REGISTRY)


pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_IMPORT_EXAMPLES", "60"))
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1258", "latin-1"]
# Values that mean something to some column: codes of the world's agencies, roles, kinds,
# dates in the accepted and in wrong shapes, booleans, formulas, e-mail addresses.
MEANINGFUL = [
    "P", "A", "B", "C", "Q", "an", "binh", "iso_secretary", "head", "staff", "so_nganh",
    "ubnd_tinh", "01/02/2026", "2026-02-01", "31/02/2026", "1/1/1900", "x", "có", "không",
    "=1+1", "+84 912 345 678", "-", "@SUM(A1)", "an@example.com", "1.004.123", "QĐ-01",
    "Sở Tư pháp tỉnh Phú An", "9" * 40, "0", "-1", "1e309", "NaN",
]  # fmt: skip


def cell_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(MEANINGFUL),
        st.text(max_size=30),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
        st.just(""),
    )


def cell_value() -> st.SearchStrategy[object]:
    """What an XLSX cell may hold: text, numbers, dates, booleans, nothing."""
    return st.one_of(
        cell_text(),
        st.integers(min_value=-(10**15), max_value=10**15),
        st.floats(allow_nan=False, allow_infinity=False),
        st.dates(min_value=datetime.date(1900, 3, 1)),
        st.datetimes(min_value=datetime.datetime(1900, 3, 1)),
        st.booleans(),
        st.none(),
    )


@st.composite
def upload(draw, columns: list[str], samples: list[dict]) -> tuple[str, bytes, str]:
    """(file name, content, how it was made). Rows are random, or the importer's sample rows
    (which import cleanly into the demo province) with some cells changed."""
    if samples and draw(st.booleans()):
        rows = [
            [
                draw(cell_value()) if draw(st.integers(0, 9)) == 0 else sample.get(c, "")
                for c in columns
            ]
            for sample in draw(st.lists(st.sampled_from(samples), min_size=1, max_size=6))
        ]
        return _write(draw, columns, rows, forms=["xlsx", "csv"])
    header = draw(
        st.one_of(
            st.just(columns),
            st.permutations(columns),
            st.lists(st.sampled_from(columns + ["", "ghi chú", "Mã", "???"]), max_size=12),
        )
    )
    width = max(len(header), 1)
    many = draw(st.integers(min_value=0, max_value=4)) == 0
    rows = draw(
        st.lists(
            st.lists(cell_value(), min_size=0, max_size=width + 2),
            max_size=120 if many else 8,
        )
    )
    return _write(draw, header, rows)


FORMS = ["xlsx", "csv", "csv", "garbage", "truncated-xlsx"]


def _write(draw, header: list, rows: list[list], forms=FORMS) -> tuple[str, bytes, str]:
    form = draw(st.sampled_from(forms))
    if form in {"xlsx", "truncated-xlsx"}:
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append(
                [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
        if form == "truncated-xlsx":
            content = content[: draw(st.integers(min_value=0, max_value=len(content) - 1))]
        name = draw(st.sampled_from(["bang.xlsx", "BANG.XLSX", "bang.csv"]))
        return name, content, form
    if form == "csv":
        delimiter = draw(st.sampled_from([",", ";", "\t"]))
        encoding = draw(st.sampled_from(ENCODINGS))
        lines = [header, *[["" if v is None else str(v) for v in row] for row in rows]]
        text = "\r\n".join(
            delimiter.join('"' + c.replace('"', '""') + '"' for c in line) for line in lines
        )
        content = text.encode(encoding, errors="replace")
        return draw(st.sampled_from(["bang.csv", "bang.CSV", "bang.xlsx"])), content, form
    content = draw(st.binary(max_size=2000))
    return draw(st.sampled_from(["bang.csv", "bang.xlsx", "bang.txt", ""])), content, form


def column_names(kind: str) -> list[str]:
    return [getattr(c, "name", None) or c.key for c in importer_for(kind).columns]


def who_imports(kind: str, world, columns: list[str]):
    """The first persona (and agency) whose header-only file this importer does not refuse:
    the administrator for the registries, an agency's secretary for the agency's own data."""
    header_only = ",".join(columns).encode()
    candidates = [
        (world.quan, None),
        (world.an, world.A),
        (world.hai, world.A),
        (world.dung, world.P),
        (world.quan, world.A),
    ]
    for actor, agency in candidates:
        try:
            import_file(
                actor=actor, agency=agency, kind=kind, filename="h.csv", content=header_only
            )
        except ApplicationError:
            continue
        return actor, agency
    return candidates[0]


@pytest.mark.parametrize("kind", registered_kinds())
def test_every_importer_gives_a_report_or_a_clean_refusal_never_an_exception(kind, world):
    tally: Counter = Counter()
    actor, agency = who_imports(kind, world, column_names(kind))

    samples = list(getattr(importer_for(kind), "sample_rows", []) or [])

    @given(data=upload(column_names(kind), samples))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def run(data):
        filename, content, form = data
        tally["examples"] += 1
        tally[form] += 1
        try:
            report = import_file(
                actor=actor, agency=agency, kind=kind, filename=filename, content=content
            )
        except ApplicationError as refusal:  # a clean refusal: it says why
            assert str(refusal.message).strip(), refusal
            tally["refused"] += 1
            return
        if report.ok:
            tally["imported"] += 1
            return
        assert report.errors, "a report that is not ok must say what is wrong"
        for error in report.errors:
            assert str(error.message).strip(), error
        tally["row errors"] += 1

    run()
    print(
        f"hypothesis importer {kind} (as {actor.username}): {tally['examples']} files "
        f"({tally['xlsx']} xlsx, {tally['csv']} csv, {tally['garbage']} garbage, "
        f"{tally['truncated-xlsx']} truncated) → {tally['imported']} imported, "
        f"{tally['row errors']} with row errors, {tally['refused']} refused"
    )
    assert tally["examples"] >= min(EXAMPLES, 20)
    assert tally["row errors"] + tally["imported"] > 0  # the files reached the row checks


def test_every_importer_of_the_brief_is_fuzzed():
    assert {"agencies", "users", "procedures", "handled_procedures", "announcements"} <= set(
        registered_kinds()
    )
