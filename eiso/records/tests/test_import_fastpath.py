"""The usual row checked in one pass (``importing.fastpath``) is staged, or refused, exactly as
``DossierLoad._check`` stages or refuses it: every kind of cell (good, blank, too long, unknown,
impossible dates, a spreadsheet's own values) in thousands of rows, read by both."""

import datetime
import random

import pytest

from eiso.organizations.tests.factories import DepartmentFactory
from eiso.records.importing import engine, fastpath
from eiso.records.tests.factories import HEADER, KHAI_SINH, LLTP

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april", "catalogue")]

CELLS = {
    "code": ["HS-1", " HS-2 ", "", "X" * 64, "X" * 65, "HS\\3", 12345.0, None],
    "procedure": [LLTP, KHAI_SINH, f" {LLTP}", "9.999999.000.00.00.H66", ""],
    "received": [
        "03/03/2026 08:00",
        "03/03/2026",
        "03/03/2026 08:00:30",
        "3/3/2026 8:00",
        "2026-03-03T08:00:00+07:00",
        "2026-03-02T23:30:00Z",
        "31/02/2026 08:00",
        "03/03/2026 25:00",
        "03/03/1980 08:00",
        "15/04/2026 09:00",
        "16/04/2026 08:00",
        "abc",
        "",
        datetime.datetime(2026, 3, 3, 8, 0),
    ],
    "due": ["10/03/2026 17:00", "03/03/2026 07:00", "01/03/2026 17:00", "10/03/2026", ""],
    "finished": [
        "",
        "",
        "09/03/2026 10:00",
        "12/03/2026 09:00",
        "02/03/2026 10:00",
        "15/04/2026 09:00",
        "20/04/2026 09:00",
        "09/03/2026 10:00:15",
        "bad",
    ],
    "returned": ["", "", "10/03/2026 08:00", "08/03/2026 08:00", "01/03/2026", "20/04/2026"],
    "status": [
        "",
        "Đã giải quyết",
        "Đang xử lý",
        "Chờ bổ sung",
        "Trả lại",
        "Rút hồ sơ",
        " đã giải quyết ",
        "Không biết",
    ],
    "channel": ["", "Trực tiếp", "Trực tuyến", "Bưu chính công ích", "bồ câu"],
    "agency": ["", "A", "a", "B", "ZZZ", "A" * 41],
    "department": ["", "", "Phòng Hộ tịch", "phong ho tich", "Phòng Không Có"],
}
GOOD = {
    "code": "HS-G",
    "procedure": LLTP,
    "received": "03/03/2026 08:00",
    "due": "10/03/2026 17:00",
    "finished": "09/03/2026 10:00",
    "returned": "10/03/2026 08:00:00",
    "status": "Đã giải quyết",
    "channel": "Trực tuyến",
    "agency": "A",
    "department": "Phòng Hộ tịch",
}
# Headings: the tests' file; with the agency and department columns; in another order.
HEADINGS = [
    (HEADER, ("code", "procedure", "received", "due", "finished", "returned", "status", "channel")),
    (
        [*HEADER, "Mã đơn vị", "Phòng ban"],
        (
            "code", "procedure", "received", "due", "finished", "returned", "status", "channel",
            "agency", "department",
        ),
    ),
    (
        ["Kênh nộp", "Mã đơn vị", "Ngày hẹn trả", "Mã hồ sơ", "Mã thủ tục", "Ngày tiếp nhận"],
        ("channel", "agency", "due", "code", "procedure", "received"),
    ),
]  # fmt: skip


def read(load, header, rows):
    staged = list(load.rows([(1, header), *((n, list(r)) for n, r in enumerate(rows, 2))]))
    result = load.result
    errors = [(e.row, e.column, e.message) for e in result.errors]
    return staged, errors, result.rows, result.bad_rows, dict(load.per_agency)


def test_the_fast_path_stages_and_refuses_every_row_as_the_full_check_does(world, monkeypatch):
    DepartmentFactory(agency=world.A, name="Phòng Hộ tịch")
    rng = random.Random(10)
    used = []
    checker = fastpath.row_checker

    def counted(load, positions):
        found = checker(load, positions)
        used.append(found is not None)
        return found

    for header, names in HEADINGS:
        rows = [[rng.choice(CELLS[name]) for name in names] for _ in range(1500)]
        rows += [[GOOD[name] for name in names]] * 300  # the usual row: the fast path's
        monkeypatch.setattr(fastpath, "row_checker", counted)
        load = engine.DossierLoad(actor=world.an, agency=world.A)
        full_check, deferred = load._check, []

        def deferring(number, values, full_check=full_check, deferred=deferred):
            deferred.append(number)
            return full_check(number, values)

        load._check = deferring
        fast = read(load, header, rows)
        assert len(deferred) <= len(rows) - 300, "the usual rows are read by the fast path"
        monkeypatch.setattr(fastpath, "row_checker", lambda load, positions: None)
        full = read(engine.DossierLoad(actor=world.an, agency=world.A), header, rows)
        assert fast == full
        assert fast[0] and fast[1], "both good and bad rows were read"
    assert used == [True, True, True]


def test_a_load_with_other_columns_reads_every_row_with_the_full_check(world):
    load = engine.DossierLoad(actor=world.an, agency=world.A)
    load.columns = [c for c in load.columns if c.name != "status"]
    load._preload({})
    assert fastpath.row_checker(load, {"code": 0}) is None
