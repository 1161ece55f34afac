"""XLSX exports look like the spreadsheets people make (issue 7 A13) and never carry a live
formula from what users typed (issue 8 item 3: formula injection neutralised in every
exporter)."""

import datetime
import decimal
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from eiso.core.audit import audit_record
from eiso.core.exports import cell_value, safe_row, safe_text, xlsx_bytes

INJECTIONS = [
    '=HYPERLINK("http://evil.example","Bấm vào")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def sheet_of(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def header_row(sheet) -> int:
    """The header sits under the title block, after its blank row."""
    return next(r for r in range(2, 12) if sheet.cell(r - 1, 1).value is None)


# --- the helper --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", INJECTIONS)
def test_text_that_excel_would_evaluate_is_written_as_text_with_a_leading_apostrophe(text):
    assert safe_text(text) == "'" + text
    assert cell_value(text) == "'" + text


def test_ordinary_text_numbers_and_dates_are_kept_as_they_are():
    assert safe_text("Sở Tư pháp") == "Sở Tư pháp"
    assert cell_value(-5) == -5 and cell_value(decimal.Decimal("0.5")) == decimal.Decimal("0.5")
    assert cell_value(datetime.date(2025, 3, 1)) == datetime.date(2025, 3, 1)
    assert cell_value(True) == "x" and cell_value(False) is None and cell_value("") is None
    assert cell_value(["a", "=b"]) == "a, =b"
    assert safe_row(["=1", 2]) == ["'=1", 2]
    assert safe_text("a\x00b\x1fc") == "abc"  # characters XML cannot hold


def test_a_list_export_has_title_date_bold_frozen_header_filter_widths_and_real_values():
    moment = datetime.datetime(2025, 3, 1, 8, 30, tzinfo=datetime.UTC)
    content = xlsx_bytes(
        title="Danh sách cơ quan",
        columns=[
            ("Mã", lambda r: r[0]),
            ("Tên cơ quan, đơn vị", lambda r: r[1]),
            ("Ngày", lambda r: r[2]),
            ("Lúc", lambda r: r[3]),
            ("Số", lambda r: r[4]),
        ],
        rows=[
            ("A", "Sở Tư pháp tỉnh Phú An", datetime.date(2025, 3, 1), moment, 12),
            ("B", INJECTIONS[0], None, None, 0.5),
        ],
        notes=["Lọc: cấp tỉnh"],
    )
    sheet = sheet_of(content)
    assert sheet["A1"].value == "Danh sách cơ quan" and sheet["A1"].font.bold
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", sheet["A2"].value)
    assert sheet["A3"].value == "Lọc: cấp tỉnh"
    top = header_row(sheet)
    assert [c.value for c in sheet[top]] == ["Mã", "Tên cơ quan, đơn vị", "Ngày", "Lúc", "Số"]
    assert all(c.font.bold for c in sheet[top])
    assert sheet.freeze_panes == f"A{top + 1}"
    assert sheet.auto_filter.ref == f"A{top}:E{top + 2}"
    first, second = sheet[top + 1], sheet[top + 2]
    assert (
        first[2].value == datetime.datetime(2025, 3, 1) and first[2].number_format == "DD/MM/YYYY"
    )
    assert first[3].value == datetime.datetime(2025, 3, 1, 15, 30)  # Asia/Ho_Chi_Minh
    assert first[4].value == 12 and first[4].data_type == "n"
    assert second[1].value == "'" + INJECTIONS[0] and second[1].data_type == "s"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width >= 8


def test_an_export_streams_any_number_of_rows():
    content = xlsx_bytes(title="t", columns=[("n", lambda r: r)], rows=(i for i in range(3000)))
    sheet = sheet_of(content)
    assert sheet.max_row == header_row(sheet) + 3000


# --- every exporter ---------------------------------------------------------------------------


def test_every_module_that_writes_a_workbook_goes_through_the_export_helper():
    """A module writing XLSX with openpyxl must use eiso.core.exports (the demo's input files
    and the import reader aside)."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        parts = set(path.parts)
        if parts & {"tests", "migrations", "demo"} or path.name in {"exports.py"}:
            continue
        if "imports" in parts and path.parent.name == "imports":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"from openpyxl import .*Workbook|openpyxl\.Workbook", source) and (
            "eiso.core.exports" not in source
        ):
            offenders.append(str(path.relative_to(root)))
    assert not offenders


@pytest.mark.django_db
def test_the_agency_list_export_neutralises_a_formula_in_a_name(client, world):
    world.A.name = INJECTIONS[0]
    world.A.save(update_fields=["name"])
    client.force_login(world.quan)
    response = client.get(reverse("organizations:list"), {"export": "xlsx"})
    sheet = sheet_of(response.content)
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "'" + INJECTIONS[0] in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


@pytest.mark.django_db
def test_the_audit_export_neutralises_a_formula_in_a_reason(client, world):
    audit_record(actor=world.an, action="agency.update", obj=world.A, agency=world.A, reason="=1+1")
    client.force_login(world.dung)
    sheet = sheet_of(client.get(reverse("core:audit_list"), {"export": "xlsx"}).content)
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(c.value.startswith(("=", "+", "-", "@")) for c in cells)
    assert any("=1+1" in c.value for c in cells)


@pytest.mark.django_db
def test_the_oversight_summary_workbook_neutralises_agency_names(client, world):
    world.A.name = INJECTIONS[3]
    world.A.save(update_fields=["name"])
    client.force_login(world.dung)
    response = client.get(reverse("oversight:summary"), {"root": world.P.pk, "export": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    values = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    assert "'" + INJECTIONS[3] in values
    assert not any(isinstance(v, str) and v.startswith("@") for v in values)
