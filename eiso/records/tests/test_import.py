"""The one-stop dossier import (issue 10): the one-stop systems' Vietnamese headings, every bad
row reported and nothing saved from a file that fails (all-or-nothing), re-importing the same
dossier updates it (idempotent on agency + code), the monthly figures recomputed for the months
touched — on SQLite and PostgreSQL (run this module with TEST_DATABASE_NAME on PostgreSQL)."""

import datetime
import importlib
import io
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.db.models import Sum
from openpyxl import Workbook

from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.imports import import_file
from eiso.core.models import AuditEvent
from eiso.records import kpis, services
from eiso.records.importing.engine import refresh_overdue
from eiso.records.models import (
    FIGURE_COUNTS,
    AgencyChannelMonthStat,
    AgencyMonthStat,
    Dossier,
    DossierStat,
)
from eiso.records.tests.conftest import at
from eiso.records.tests.factories import HEADER, KHAI_SINH, csv_bytes, import_rows, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april", "catalogue")]

MARCH = datetime.date(2026, 3, 1)
APRIL = datetime.date(2026, 4, 1)


def cell(agency, month=MARCH, **filters):
    return DossierStat.objects.filter(agency=agency, month=month, **filters)


def sums(agency, month=MARCH) -> dict:
    found = AgencyMonthStat.objects.filter(agency=agency, month=month).first()
    if found is None:
        return {}
    return {k: getattr(found, k) for k in FIGURE_COUNTS}


def errors_of(result) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in result.errors]


# --- what a good file gives ------------------------------------------------------------------


def test_a_file_with_the_one_stop_headings_is_imported_with_its_figures(world):
    result = import_rows(
        world.an,
        world.A,
        [
            row("HS-1", finished="09/03/2026 10:00", returned="10/03/2026 08:00"),
            row("HS-2", finished="12/03/2026 09:00"),  # due 10/03: late
            row("HS-3", channel="Trực tuyến"),  # in progress, due 10/03: overdue on 15/04
            row("HS-4", due="20/04/2026 17:00", channel="Bưu chính công ích"),  # not yet due
        ],
    )
    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated) == (4, 4, 0)
    late = Dossier.objects.get(code="HS-2")
    assert late.on_time is False and late.finished_month == MARCH
    assert Dossier.objects.get(code="HS-1").on_time is True
    assert Dossier.objects.get(code="HS-3").channel == "online"
    assert sums(world.A) == {
        "received": 4,
        "finished": 2,
        "on_time": 1,
        "late": 1,
        "in_progress": 1,
        "overdue": 1,
    }
    assert sums(world.A, APRIL) == {
        "received": 0,
        "finished": 0,
        "on_time": 0,
        "late": 0,
        "in_progress": 1,
        "overdue": 0,
    }
    assert cell(world.A, channel="postal").get().received == 1
    event = AuditEvent.objects.get(action="dossier.import")
    assert event.agency == world.A and event.changes["rows"] == 4


def test_the_status_may_be_left_out_finished_when_it_has_a_result_date(world):
    header = [h for h in HEADER if h != "Trạng thái"]
    rows = [
        ["HS-1", "1.004851.000.00.00.H66", "03/03/2026", "10/03/2026", "09/03/2026", ""],
        ["HS-2", "1.004851.000.00.00.H66", "03/03/2026", "10/03/2026", "", ""],
    ]
    result = import_rows(world.an, world.A, [r + ["Trực tiếp"] for r in rows], header=header)
    assert result.ok, result.errors
    assert Dossier.objects.get(code="HS-1").status == "finished"
    assert Dossier.objects.get(code="HS-2").status == "in_progress"


def test_other_shapes_of_the_exports_are_read(world):
    content = "\ufeff" + (
        "Số hồ sơ;Mã TTHC;Thời gian tiếp nhận;Hạn xử lý;Ngày hoàn thành;Tình trạng;Hình thức nộp\n"
        '"HS;1";1.004851.000.00.00.H66;08:30 3/3/2026;2026-03-10;2026-03-09T16:00:00+07:00;'
        "da giai quyet;DVC truc tuyen\n"
    )
    result = services.dossiers_import_file(
        actor=world.an, agency=world.A, filename="export.csv", content=content.encode()
    )
    assert result.ok, result.errors
    dossier = Dossier.objects.get()
    assert dossier.code == "HS;1"
    assert dossier.received_at == at(2026, 3, 3, 8, 30)
    assert dossier.finished_at == at(2026, 3, 9, 16)
    assert (dossier.status, dossier.channel) == ("finished", "online")


def test_a_workbook_with_real_dates_and_times_is_read(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(
        [
            "HS-X1",
            "1.004851.000.00.00.H66",
            datetime.datetime(2026, 3, 3, 8, 15),
            datetime.datetime(2026, 3, 10, 17, 0),
            datetime.datetime(2026, 3, 10, 23, 59),
            None,
            "Đã giải quyết",
            "Trực tiếp",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = services.dossiers_import_file(
        actor=world.an, agency=world.A, filename="hoso.xlsx", content=buffer.getvalue()
    )
    assert result.ok, result.errors
    dossier = Dossier.objects.get()
    assert dossier.received_at == at(2026, 3, 3, 8, 15)
    assert dossier.on_time is True


# --- the on-time rule, on both sides of midnight ------------------------------------------------


@pytest.mark.parametrize(
    ("finished", "on_time"),
    [
        ("10/03/2026 08:00", True),  # on the due day, before the due hour
        ("10/03/2026 23:59", True),  # on the due day, after the due hour
        ("11/03/2026 00:01", False),  # the day after
    ],
)
def test_a_dossier_finished_on_its_due_day_is_on_time_the_day_after_late(world, finished, on_time):
    result = import_rows(world.an, world.A, [row("HS-1", finished=finished)])
    assert result.ok, result.errors
    assert Dossier.objects.get().on_time is on_time
    assert sums(world.A)["on_time" if on_time else "late"] == 1


def test_an_open_dossier_is_overdue_from_the_day_after_its_due_day(world, april):
    april.move_to(at(2026, 4, 14, 23, 30))  # the due day itself: not overdue
    import_rows(world.an, world.A, [row("HS-1", received="01/04/2026", due="14/04/2026 17:00")])
    assert sums(world.A, APRIL)["overdue"] == 0
    april.move_to(at(2026, 4, 15, 0, 1))  # the day after: overdue once refreshed
    assert refresh_overdue() >= 1
    assert sums(world.A, APRIL) | {} == {
        "received": 1,
        "finished": 0,
        "on_time": 0,
        "late": 0,
        "in_progress": 1,
        "overdue": 1,
    }


# --- idempotence -------------------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing_but_updates(world):
    rows = [row("HS-1", finished="09/03/2026"), row("HS-2"), row("HS-3", finished="12/03/2026")]
    import_rows(world.an, world.A, rows)
    before = sorted(DossierStat.objects.values_list("month", "received", "on_time", "late"))
    stamps = sorted(DossierStat.objects.values_list("pk", "updated_at"))
    again = import_rows(world.an, world.A, rows)
    assert (again.created, again.updated) == (0, 3)
    assert Dossier.objects.count() == 3
    after = sorted(DossierStat.objects.values_list("month", "received", "on_time", "late"))
    assert after == before
    # Nothing changed: no monthly figure was recomputed (the same rows, not rewritten).
    assert again.cells == 0
    assert sorted(DossierStat.objects.values_list("pk", "updated_at")) == stamps


def test_an_unchanged_dossier_imported_again_is_not_rewritten(world, april):
    """The daily export repeats most dossiers unchanged: they count as updated, but only the
    one whose values changed is written again."""
    rows = [row("HS-1", finished="09/03/2026"), row("HS-2")]
    import_rows(world.an, world.A, rows)
    first = dict(Dossier.objects.values_list("code", "updated_at"))
    april.move_to(at(2026, 4, 15, 11, 0))
    again = import_rows(world.an, world.A, [rows[0], row("HS-2", finished="14/04/2026 09:00")])
    assert (again.created, again.updated) == (0, 2)
    second = {d.code: d for d in Dossier.objects.all()}
    assert second["HS-1"].updated_at == first["HS-1"]
    assert second["HS-2"].updated_at > first["HS-2"]
    assert (second["HS-2"].status, second["HS-2"].on_time) == ("finished", False)
    assert sums(world.A, APRIL)["late"] == 1


def test_a_dossier_imported_again_with_its_result_moves_between_months(world):
    import_rows(world.an, world.A, [row("HS-1", due="31/03/2026 17:00")])
    assert sums(world.A)["overdue"] == 1
    import_rows(
        world.an,
        world.A,
        [row("HS-1", due="31/03/2026 17:00", finished="02/04/2026 09:00")],
    )
    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.on_time, dossier.finished_month) == ("finished", False, APRIL)
    assert sums(world.A)["in_progress"] == 0  # the old month recomputed
    assert sums(world.A, APRIL)["late"] == 1


def channel_figures() -> dict:
    return {
        (r.agency_id, r.channel, r.month): tuple(getattr(r, k) for k in FIGURE_COUNTS)
        for r in AgencyChannelMonthStat.objects.all()
    }


def detailed_by_channel() -> dict:
    rows = DossierStat.objects.values("agency_id", "channel", "month").annotate(
        **{f"n_{k}": Sum(k) for k in FIGURE_COUNTS}
    )
    return {
        (r["agency_id"], r["channel"], r["month"]): tuple(r[f"n_{k}"] for k in FIGURE_COUNTS)
        for r in rows
    }


def test_the_channel_figures_are_the_detailed_cells_summed_after_every_import(world):
    """The by-channel roll-up (what the overseer's figures by channel read) is kept with the
    detailed cells, months moved included; the migration fills it from them the same way."""
    import_rows(
        world.an,
        world.A,
        [
            row("HS-1", due="31/03/2026 17:00"),
            row("HS-2", finished="09/03/2026 10:00", channel="Trực tuyến"),
            row("HS-3", finished="12/03/2026 09:00", channel="Trực tuyến"),
            row("HS-4", channel="Bưu chính công ích"),
        ],
    )
    import_rows(world.chi, world.B, [row("HS-1", channel="Trực tuyến")])  # another agency
    figures = channel_figures()
    assert figures == detailed_by_channel()
    assert figures[(world.A.pk, "online", MARCH)] == (2, 2, 1, 1, 0, 0)
    theirs = {key: value for key, value in figures.items() if key[0] == world.B.pk}
    assert theirs == {(world.B.pk, "online", MARCH): (1, 0, 0, 0, 1, 1)}
    import_rows(  # HS-1 finished in April: both months recomputed
        world.an, world.A, [row("HS-1", due="31/03/2026 17:00", finished="02/04/2026 09:00")]
    )
    moved = channel_figures()
    assert moved == detailed_by_channel() and moved != figures
    assert moved[(world.A.pk, "direct", APRIL)][:4] == (0, 1, 0, 1)
    assert {key: value for key, value in moved.items() if key[0] == world.B.pk} == theirs
    # Each agency's people read their own agency's figures by channel only.
    ours = {r["channel"]: r["figures"].received for r in kpis.by_channel(user=world.an)}
    assert ours == {"direct": 1, "online": 2, "postal": 1}
    assert {r["channel"]: r["figures"].received for r in kpis.by_channel(user=world.chi)} == {
        "online": 1
    }
    AgencyChannelMonthStat.objects.all().delete()
    migration = importlib.import_module("eiso.records.migrations.0003_agency_channel_month_stat")
    migration.fill_from_the_detailed_cells(apps, SimpleNamespace(connection=connection))
    assert channel_figures() == moved


def test_the_same_code_in_two_agencies_is_two_dossiers(world):
    import_rows(world.an, world.A, [row("HS-1")])
    import_rows(world.chi, world.B, [row("HS-1")])
    assert Dossier.objects.count() == 2


# --- all or nothing ----------------------------------------------------------------------------


def test_one_bad_row_and_nothing_is_saved_every_problem_reported(world):
    import_rows(world.an, world.A, [row("HS-OLD", finished="09/03/2026")])
    result = import_rows(
        world.an,
        world.A,
        [
            row("HS-OLD", finished="09/03/2026", channel="Trực tuyến"),
            row("HS-2", procedure_code="9.999999.000.00.00.H66"),
            row("HS-3", received="31/02/2026"),
            row("HS-4", received="05/03/2026", due="04/03/2026"),
            row("HS-5", finished="20/04/2026 09:00"),
            row("HS-6", status="Đang xử lý", finished="08/03/2026"),
            row("HS-7", status="Đã giải quyết"),
            row("HS-8", status="Không biết"),
            row("", received="abc"),
        ],
    )
    assert not result.ok
    found = errors_of(result)
    assert (3, "procedure_code") in found
    assert (4, "received_at") in found
    assert (5, "due_at") in found
    assert (6, "finished_at") in found  # after today (15/04/2026)
    assert (7, "status") in found
    assert (8, "finished_at") in found
    assert (9, "status") in found
    assert (10, "code") in found and (10, "received_at") in found
    messages = " ".join(e.message for e in result.errors)
    assert "9.999999.000.00.00.H66" in messages and "28 days" in messages
    assert {r["_row"] for r in result.bad_rows} == {3, 4, 5, 6, 7, 8, 9, 10}
    assert Dossier.objects.get().channel == "direct"  # the good row was not written either
    assert AuditEvent.objects.filter(action="dossier.import").count() == 1


def test_a_code_twice_in_the_file_is_reported_with_both_rows(world):
    result = import_rows(world.an, world.A, [row("HS-1"), row("HS-2"), row("HS-1")])
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(4, "code")]
    assert "row 2" in result.errors[0].message
    assert Dossier.objects.count() == 0


def test_a_file_without_a_required_column_is_refused_whole(world):
    header = [h for h in HEADER if h != "Ngày hẹn trả"]
    result = import_rows(world.an, world.A, [row("HS-1")[:3] + row("HS-1")[4:]], header=header)
    assert not result.ok and result.errors[0].row == 0
    assert "Due" in result.errors[0].message


def test_a_csv_not_in_utf8_is_refused_with_how_to_save_it(world):
    content = csv_bytes([row("HS-1")]).decode().encode("cp1258", errors="replace")
    with pytest.raises(ValidationFailed) as refused:
        services.dossiers_import_file(
            actor=world.an, agency=world.A, filename="hoso.csv", content=content
        )
    assert "UTF-8" in refused.value.message


# --- who may -----------------------------------------------------------------------------------


def test_only_the_keepers_of_the_agency_import_its_dossiers(world):
    for actor in (world.binh, world.dung, world.chi):
        with pytest.raises(NotPermitted):
            import_rows(actor, world.A, [row("HS-1")])
    assert Dossier.objects.count() == 0


def test_a_province_export_goes_to_the_agency_each_row_names(world):
    header = [*HEADER, "Mã đơn vị"]
    result = import_rows(
        world.quan, None, [row("HS-1") + ["A"], row("HS-2") + ["b"]], header=header
    )
    assert result.ok, result.errors
    assert dict(Dossier.objects.values_list("code", "agency__code")) == {"HS-1": "A", "HS-2": "B"}
    assert AuditEvent.objects.filter(action="dossier.import").count() == 2


def test_a_secretary_cannot_import_rows_of_another_agency(world):
    header = [*HEADER, "Mã đơn vị"]
    result = import_rows(
        world.an, world.A, [row("HS-1") + ["A"], row("HS-2") + ["B"]], header=header
    )
    assert errors_of(result) == [(3, "agency")]
    assert Dossier.objects.count() == 0


def test_without_an_agency_the_file_must_name_it(world):
    result = import_rows(world.quan, None, [row("HS-1")])
    assert not result.ok and result.errors[0].column == "agency"


# --- through the kernel and in the background ----------------------------------------------------


def test_the_kernel_import_checks_then_imports_all_or_nothing(world):
    report = import_file(
        actor=world.an,
        agency=world.A,
        kind="dossiers",
        filename="hoso.csv",
        content=csv_bytes([row("HS-1"), row("HS-2", procedure_code=KHAI_SINH)]),
    )
    assert report.ok and len(report.cleaned) == 2
    assert Dossier.objects.count() == 2
    bad = import_file(
        actor=world.an,
        agency=world.A,
        kind="dossiers",
        filename="hoso.csv",
        content=csv_bytes([row("HS-3"), row("HS-4", due="01/01/2026")]),
    )
    assert not bad.ok and [e.row for e in bad.errors] == [3]
    assert Dossier.objects.count() == 2


def test_a_file_in_the_background_reports_its_progress_and_result(
    world, django_capture_on_commit_callbacks
):
    from eiso.core.models import ImportBatch

    with django_capture_on_commit_callbacks(execute=True):
        batch = services.dossier_import_start(
            actor=world.an,
            agency=world.A,
            filename="hoso.csv",
            content=csv_bytes([row(f"HS-{n}") for n in range(30)]),
        )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert (batch.row_count, batch.rows_done, batch.result["imported"]) == (30, 30, 30)
    assert batch.content == b""  # the upload is not kept once imported
    with django_capture_on_commit_callbacks(execute=True):
        failed = services.dossier_import_start(
            actor=world.an,
            agency=world.A,
            filename="hoso.csv",
            content=csv_bytes([row("HS-99"), row("HS-100", received="32/01/2026")]),
        )
    failed.refresh_from_db()
    assert failed.status == ImportBatch.Status.FAILED
    assert failed.result["error_count"] == 1
    assert failed.result["bad_rows"][0]["code"] == "HS-100"
    assert Dossier.objects.count() == 30


def test_a_system_push_is_imported_like_a_file(world):
    result = services.dossiers_push(
        actor=world.an,
        agency=world.A,
        records=[
            {
                "code": "DVC-1",
                "procedure_code": "1.004851.000.00.00.H66",
                "received_at": "2026-03-03T08:00:00+07:00",
                "due_at": "2026-03-10T17:00:00+07:00",
                "finished_at": "2026-03-09T01:00:00Z",
                "status": "finished",
                "channel": "online",
            }
        ],
    )
    assert result.ok, result.errors
    assert Dossier.objects.get().finished_at == at(2026, 3, 9, 8)


def test_moving_the_clock_never_lets_a_future_day_in(world):
    with time_machine.travel(at(2026, 3, 2), tick=False):
        result = import_rows(world.an, world.A, [row("HS-1")])  # received 03/03/2026
    assert errors_of(result) == [(2, "received_at")]


@pytest.mark.parametrize(
    "moment",
    [
        "2025-01-02 12:38:00",
        "2026-03-01 06:59:59",  # the UTC day before
        "2026-03-01 07:00:00",  # the same UTC day
        "2024-02-29 03:00:00",  # a leap day, back to 28/02
        "2025-01-01 00:00:00",  # back to the year before
    ],
)
def test_the_sqlite_staging_moment_is_the_time_zone_conversion(moment):
    from eiso.records.importing import storage

    local = datetime.datetime.fromisoformat(moment).replace(tzinfo=storage.local_zone())
    expected = local.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
    assert storage._sqlite_moment(moment) == expected
    assert storage._sqlite_moment(None) is None
