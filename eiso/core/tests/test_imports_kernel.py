"""The import kernel (issue 7 A11 + B, issue 8 item 4): declared columns parsed by the kernel
(every bad cell, repeats in the file, required cells), dates that do not exist, e-mail
addresses, CSV encodings, the row limit refused quickly with flat memory, and the preview that
shows the errors without scrolling sideways."""

import datetime
import io
import time
import tracemalloc

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.imports import (
    CellError,
    Column,
    Importer,
    boolean,
    choice,
    count_rows,
    date,
    email,
    importer_for,
    parse_date,
    register,
    text,
    validate_file,
)
from eiso.core.imports.reading import open_table


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@register
class ThingImporter(Importer):
    """A test importer declaring one column of each kind."""

    kind = "test_things"
    columns = [
        Column("code", "Code", aliases=("ma",), parser=text(8), required=True, unique=True),
        Column("name", "Name", required=True),
        Column("email", "E-mail", parser=email),
        Column("day", "Day", parser=date),
        Column("active", "Active", parser=boolean),
        Column("size", "Size", parser=choice({"small": "S", "lớn": "L"}, accepted="small / lớn")),
        Column("group", "Group"),
    ]
    unique_together = (("group", "name"),)

    def check_permission(self, *, actor, agency):
        if actor is None:
            raise NotPermitted("no")

    def check_row(self, row, context):
        if row["name"] == "taken":
            row.error("name", "already in the database")
        return dict(row.values)

    def apply(self, cleaned, *, actor, agency, progress=None):
        return len(cleaned)


class Someone:
    pk = 1
    is_authenticated = True


def check(content: str | bytes, filename: str = "things.csv"):
    data = content.encode() if isinstance(content, str) else content
    return validate_file(
        actor=Someone(), agency=None, kind="test_things", filename=filename, content=data
    )


def errors(report):
    return [(e.row, e.column) for e in report.errors]


def xlsx(rows, *, header=("code", "name")) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("s")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- declared columns ---------------------------------------------------------------------------


def test_every_bad_cell_of_every_row_is_reported_with_its_column():
    report = check(
        "code,name,email,day,active,size\n"
        "A1,Một,a@b.vn,01/02/2025,x,small\n"
        "A2,Hai,khong-phai-email,31/02/2025,maybe,huge\n"
        ",,,,,\n"  # an empty row is skipped
        "A3,,,,,\n"
    )
    assert errors(report) == [
        (3, "email"),
        (3, "day"),
        (3, "active"),
        (3, "size"),
        (5, "name"),
    ]
    assert len(report.rows) == 3 and not report.ok
    messages = {e.column: e.message for e in report.errors_for(3)}
    assert "not a valid e-mail address" in messages["email"]
    assert "31/02/2025 does not exist" in messages["day"] and "28 days" in messages["day"]
    assert "huge" in messages["size"] and "small / lớn" in messages["size"]


def test_good_rows_are_parsed_into_typed_values():
    report = check("ma,name,day,active,size\nA1,Một,2025-02-01,có,LỚN\n")
    assert report.ok
    assert report.cleaned == [
        {
            "code": "A1",
            "name": "Một",
            "day": datetime.date(2025, 2, 1),
            "active": True,
            "size": "L",
        }
    ]


def test_a_value_repeated_in_the_file_is_reported_on_the_repeat():
    report = check("code,name,group\nA1,Một,g\na1,Hai,g\nA3,Một,g\nA4,Một,h\n")
    assert errors(report) == [(3, "code"), (4, "name")]
    assert "also on row 2" in report.errors[0].message
    assert "also on row 2" in report.errors[1].message


def test_a_missing_required_column_and_an_empty_file_are_file_errors():
    report = check("code,email\nA1,a@b.vn\n")
    assert errors(report) == [(0, "name")] and "Name" in report.errors[0].message
    assert check("").file_errors() and check("code,name\n").file_errors()


def test_the_importers_own_checks_add_to_the_kernels():
    report = check("code,name\nA1,taken\nA2,free\n")
    assert errors(report) == [(2, "name")]
    report = check("code,name\nTooLongCode,x\n")
    assert "at most 8" in report.errors[0].message


def test_header_names_are_matched_whatever_the_accents_case_and_language():
    report = check("MÃ,Name\nA1,Một\n")
    assert report.ok


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/03/2025", datetime.date(2025, 3, 15)),
        ("5/3/2025", datetime.date(2025, 3, 5)),
        ("15-03-2025", datetime.date(2025, 3, 15)),
        ("15.03.2025", datetime.date(2025, 3, 15)),
        ("2025-03-15", datetime.date(2025, 3, 15)),
        ("29/02/2024", datetime.date(2024, 2, 29)),
        ("", None),
    ],
)
def test_dates_are_read_in_the_vietnamese_order(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("31/02/2025", "does not exist: 02/2025 has 28 days"),
        ("29/02/2025", "does not exist: 02/2025 has 28 days"),
        ("31/04/2025", "does not exist: 04/2025 has 30 days"),
        ("10/13/2025", "does not exist: there is no month 13"),
        ("00/01/2025", "does not exist"),
        ("2025", "is not a date: write it as dd/mm/yyyy"),
        ("15/03/25", "is not a date"),
        ("mười lăm", "is not a date"),
    ],
)
def test_a_date_that_does_not_exist_says_so_and_a_bad_shape_says_how_to_write_it(value, words):
    with pytest.raises(CellError) as raised:
        parse_date(value)
    assert words in raised.value.message


# --- encodings -----------------------------------------------------------------------------------

VIETNAMESE = "code,name\nA1,Ủy ban nhân dân xã An Phú\n"


def test_utf8_with_or_without_bom_and_semicolons_are_read():
    assert check(VIETNAMESE).cleaned[0]["name"] == "Ủy ban nhân dân xã An Phú"
    assert check(b"\xef\xbb\xbf" + VIETNAMESE.encode()).ok
    assert check("code;name\nA1;Một\n").cleaned[0]["name"] == "Một"


@pytest.mark.parametrize(
    ("content", "named"),
    [
        # as Windows writes it: precomposed ơ, ư and combining tone marks ("Sở Tư phạm")
        ("code,name\nA1,S\u01a1\u0309 T\u01b0 pha\u0323m\n".encode("cp1258"), "Windows-1258"),
        ("code,name\nA1,Café Müller\n".encode("cp1252"), "Windows-1252"),
        (VIETNAMESE.encode("utf-16"), "UTF-16"),
        (VIETNAMESE.encode("utf-16-le"), "UTF-16"),
    ],
    ids=["cp1258", "cp1252", "utf-16", "utf-16-without-bom"],
)
def test_a_csv_not_in_utf8_is_refused_with_its_encoding_and_how_to_save_it(content, named):
    with pytest.raises(ValidationFailed) as raised:
        check(content)
    message = raised.value.message
    assert named in message and "CSV UTF-8" in message and ".xlsx" in message


def test_a_damaged_file_is_a_clean_refusal():
    for content, name in [(b"PK\x03\x04garbage", "a.xlsx"), (b"not a zip", "a.xlsx")]:
        with pytest.raises(ValidationFailed):
            check(content, name)
    with pytest.raises(ValidationFailed):
        check(b"code,name\n", "a.pdf")


# --- XLSX ----------------------------------------------------------------------------------------


def test_xlsx_cells_dates_and_numbers_are_read_like_csv():
    content = xlsx(
        [["A1", "Một", datetime.datetime(2025, 3, 15), 1.0]],
        header=("code", "name", "day", "group"),
    )
    report = check(content, "a.xlsx")
    assert report.ok and report.cleaned[0]["day"] == datetime.date(2025, 3, 15)
    assert report.cleaned[0]["group"] == "1"


def test_row_numbers_are_those_of_the_sheet():
    workbook = Workbook()
    sheet = workbook.active
    sheet["A3"], sheet["B3"] = "code", "name"
    sheet["A4"], sheet["B4"] = "A1", "Một"
    sheet["A6"], sheet["B6"] = "A1", "Hai"
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = check(buffer.getvalue(), "a.xlsx")
    assert errors(report) == [(6, "code")] and "row 4" in report.errors[0].message


# --- the row limit -------------------------------------------------------------------------------


@pytest.fixture
def limit(settings):
    settings.IMPORT_MAX_ROWS = 300
    return 300


def rows_of(n: int):
    return [[f"C{i}", f"Tên {i}"] for i in range(n)]


def test_the_limit_itself_is_accepted_and_one_more_row_is_refused(limit):
    assert count_rows("a.xlsx", xlsx(rows_of(limit))) == limit
    for content, name in [
        (xlsx(rows_of(limit + 1)), "a.xlsx"),
        (("code,name\n" + "".join(f"C{i},x\n" for i in range(limit + 1))).encode(), "a.csv"),
    ]:
        with pytest.raises(ValidationFailed) as raised:
            count_rows(name, content)
        assert "300" in raised.value.message and "IMPORT_MAX_ROWS" in raised.value.message
        with pytest.raises(ValidationFailed):
            check(content, name)


def _refusal(content: bytes) -> tuple[float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ValidationFailed):
        count_rows("big.xlsx", content)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak


def test_a_huge_sheet_is_refused_quickly_with_flat_memory(limit):
    """One row over the limit and fifty times the limit cost the same: the scan stops one row
    past the limit (a 2-million-row file is refused like this one)."""
    just_over = xlsx(rows_of(limit + 1))
    huge = xlsx(rows_of(limit * 50))
    time_small, memory_small = _refusal(just_over)
    time_huge, memory_huge = _refusal(huge)
    assert memory_huge < memory_small * 1.5 + 512 * 1024
    assert time_huge < time_small * 3 + 0.5
    # and reading the rows stops at the limit too, whatever the sheet declares
    table = open_table("big.xlsx", xlsx(rows_of(limit)))
    assert sum(1 for _ in table.rows) == limit + 1


def test_the_scan_stops_early_on_a_sheet_whose_rows_are_not_counted_in_advance(limit):
    """Rows streamed past the limit are refused as they are read."""
    table = open_table("a.csv", ("code,name\n" + "C,x\n" * (limit * 20)).encode())
    read = 0
    with pytest.raises(ValidationFailed):
        for _row in table.rows:
            read += 1
    assert read == limit + 1


# --- the page -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_preview_puts_each_rows_errors_beside_it_and_marks_bad_cells(client, world):
    client.force_login(world.an)
    upload = io.BytesIO(
        b"Ten dang nhap,Ho va ten,Ma don vi,Vai tro,Thu dien tu\n"
        b"lan,Pham Thi Lan,A,staff,lan@stp.gov.vn\n"
        b"minh,Tran Minh,A,staff,khong-phai-email\n"
    )
    upload.name = "users.csv"
    body = client.post(reverse("accounts:user_import"), {"file": upload}).content.decode()
    with translation.override("vi"):  # the page's language
        row, errors_, username, mail = _("Row"), _("Errors"), _("User name"), _("E-mail")
        row_3 = _("Row %(n)s") % {"n": 3}
    table = body[body.index('data-testid="import-table"') :]
    headers = table[: table.index("</thead>")]
    assert headers.index(f">{row}<") < headers.index(f">{errors_}<") < headers.index(username)
    bad = table[table.index('id="import-row-3"') :]
    bad = bad[: bad.index("</tr>")]
    assert 'class="row-error"' in bad and "cell-error" in bad
    assert bad.index("khong-phai-email</td>") > bad.index('data-testid="row-errors"')
    # the list of errors above the table names the row and the column
    listing = body[body.index('data-testid="import-error-list"') : body.index(table[:30])]
    assert row_3 in listing and mail in listing and "khong-phai-email" in listing
    assert "parent_code" not in body and "agency_code" not in body  # no technical keys shown


@pytest.mark.django_db
def test_the_agency_import_validates_e_mail_addresses(world):
    report = validate_file(
        actor=world.quan,
        agency=None,
        kind="agencies",
        filename="a.csv",
        content=b"code,name,kind,parent_code,email\nX1,Xa Mot,ubnd_xa,P,xa1@@phuan\n",
    )
    assert errors(report) == [(2, "email")]


def test_every_importer_declares_its_columns_with_labels_and_samples():
    for kind in ("agencies", "users", "procedures", "handled_procedures", "announcements"):
        importer = importer_for(kind)
        assert importer.columns and importer.sample_rows and importer.url_name
        names = {c.name for c in importer.columns}
        for row in importer.sample_rows:
            assert set(row) <= names
        assert all(str(c.label) != c.name for c in importer.columns)


@pytest.mark.django_db
def test_the_sample_file_has_the_header_then_rows_and_a_guide(client, world):
    client.force_login(world.quan)
    response = client.get(reverse("imports:sample", args=["procedures"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    data, guide = workbook.worksheets
    header = [c.value for c in data[1]]
    assert header[0] == "Mã" and data["A2"].value == "1.004851.000.00.00.H66"  # the page's language
    assert data["A2"].data_type == "s"
    assert guide["A1"].value and any(r[0].value == "Mã" for r in guide.iter_rows(min_row=4))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["binh", "an"])
def test_people_who_may_not_import_get_no_sample(client, world, name):
    client.force_login(world.persona(name))
    assert client.get(reverse("imports:sample", args=["agencies"])).status_code == 404
    assert client.get(reverse("imports:sample", args=["nothing"])).status_code == 404


def test_parsers_read_raw_cell_values_as_their_text():
    """An engine that hands the parsers what the workbook holds gets the same values."""
    assert parse_date(datetime.datetime(2025, 3, 1, 0, 0)) == datetime.date(2025, 3, 1)
    assert parse_date(datetime.date(2025, 3, 1)) == datetime.date(2025, 3, 1)
    assert text()(12.0) == "12" and boolean(True) is True
    assert choice({"small": "S"}, accepted="small")(" SMALL ") == "S"
    with pytest.raises(CellError):
        email(45)
