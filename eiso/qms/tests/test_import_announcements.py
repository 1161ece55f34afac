import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from eiso.core.errors import NotPermitted
from eiso.core.imports import import_file
from eiso.core.models import AuditEvent
from eiso.qms.choices import AnnouncementKind, AnnouncementStatus, QmsStatus
from eiso.qms.imports import announcement_import
from eiso.qms.models import Announcement, QualitySystem

HEADER = "Mã cơ quan,Phiên bản,Trạng thái,Số quyết định,Ngày,Loại,Lý do,Ngày tiếp nhận"
GOOD = [
    "A,2008,Đã công bố,125/QĐ-STP,15/03/2012,Công bố lần đầu,,22/03/2012",
    "A,TCVN ISO 9001:2015,Đã công bố,48/QĐ-STP,10/06/2021,Công bố lại,Chuyển đổi sang 2015,",
    "B,2015,Đang xây dựng,,,,,",
]


def csv(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode()


def run(world, content: bytes, actor=None):
    return import_file(
        actor=actor or world.dung,
        agency=world.P,
        kind="announcements",
        filename="cong-bo.csv",
        content=content,
    )


def saved():
    return (
        Announcement.objects.count(),
        list(QualitySystem.objects.values_list("agency_id", "status", "standard_version")),
    )


@pytest.fixture(autouse=True)
def _english_messages():
    """The assertions read the importer's messages in their source language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_a_good_file_records_the_history_and_the_qms_status(world):
    report = run(world, csv(*GOOD))

    assert report.ok, report.errors
    first, again = Announcement.objects.filter(agency=world.A).order_by("date")
    assert (first.number, first.kind, first.standard_version) == (
        "125/QĐ-STP",
        AnnouncementKind.FIRST,
        "2008",
    )
    assert first.status == AnnouncementStatus.RECEIVED
    assert first.received_on == datetime.date(2012, 3, 22)
    assert again.kind == AnnouncementKind.RE and again.reason == "Chuyển đổi sang 2015"
    assert again.status == AnnouncementStatus.SIGNED and again.received_on is None
    assert first.imported and again.imported
    qms_a = QualitySystem.objects.get(agency=world.A)
    assert (qms_a.status, qms_a.standard_version) == (QmsStatus.ANNOUNCED, "2015")
    qms_b = QualitySystem.objects.get(agency=world.B)
    assert (qms_b.status, qms_b.standard_version) == (QmsStatus.BUILDING, "2015")
    assert not Announcement.objects.filter(agency=world.B).exists()
    assert AuditEvent.objects.filter(action="announcement.import").count() == 2
    assert AuditEvent.objects.filter(action="import.announcements").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("ZZZ,2015,,1/QĐ,01/02/2020,Công bố lần đầu,,", "agency_code", "Unknown agency code ZZZ"),
        ("C,2015,,1/QĐ,01/02/2020,Công bố lần đầu,,", "agency_code", "Unknown agency code C"),
        ("A,2015,,1/QĐ,31/02/2020,Công bố lần đầu,,", "date", "does not exist"),
        ("A,2015,,1/QĐ,2020,Công bố lần đầu,,", "date", "is not a date"),
        ("A,2015,,1/QĐ,01/02/2020,Công bố lần đầu,,1/2/x", "received_on", "is not a date"),
        ("A,2020,,1/QĐ,01/02/2020,Công bố lần đầu,,", "standard_version", "Unknown standard"),
        ("A,2015,,1/QĐ,01/02/2020,Công bố thử,,", "kind", "Unknown kind"),
        ("A,2015,Hoàn thành,1/QĐ,01/02/2020,Công bố lần đầu,,", "qms_status", "Unknown QMS"),
        ("A,2015,,,01/02/2020,Công bố lần đầu,,", "number", "number is empty"),
        ("A,2015,,1/QĐ,01/02/2020,Công bố lần đầu,,01/01/2020", "received_on", "before"),
    ],
    ids=[
        "unknown-agency",
        "agency-outside-scope",
        "bad-date",
        "not-a-date",
        "bad-receipt-date",
        "unknown-version",
        "unknown-kind",
        "unknown-status",
        "no-number",
        "receipt-before-date",
    ],
)
def test_a_bad_row_is_refused_with_its_reason_and_nothing_is_saved(world, row, column, words):
    before = saved()
    report = run(world, csv(GOOD[0], row))

    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert words in report.errors[0].message
    assert saved() == before


@pytest.mark.django_db
def test_a_decision_number_twice_in_the_file_is_refused(world):
    report = run(
        world,
        csv(
            "A,2015,,12/QĐ,01/02/2020,Công bố lần đầu,,",
            "B,2015,,12/QĐ,01/02/2020,Công bố lần đầu,,",  # another agency: fine
            "A,2015,,12/qđ,05/09/2020,Công bố lại,Mở rộng,",  # same agency and year
            "A,2015,,12/QĐ,05/09/2021,Công bố lại,Mở rộng,",  # another year: fine
        ),
    )
    assert [(e.row, e.column) for e in report.errors] == [(4, "number")]
    assert "also on row 2" in report.errors[0].message
    assert not Announcement.objects.exists()


@pytest.mark.django_db
def test_a_decision_number_already_recorded_is_refused(world):
    announcement_import(
        actor=world.dung,
        agency=world.A,
        kind=AnnouncementKind.FIRST,
        number="125/QĐ-STP",
        date=datetime.date(2012, 3, 15),
        standard_version="2008",
    )
    report = run(world, csv(*GOOD))
    assert [(e.row, e.column) for e in report.errors] == [(2, "number")]
    assert "already recorded" in report.errors[0].message
    assert Announcement.objects.count() == 1


@pytest.mark.django_db
def test_a_missing_column_is_a_file_error(world):
    report = run(world, csv("A,1/QĐ", header="Mã cơ quan,Số quyết định"))
    assert not report.ok and report.errors[0].row == 0
    assert not Announcement.objects.exists()


@pytest.mark.django_db
def test_agency_people_cannot_import(world):
    with pytest.raises(NotPermitted):
        run(world, csv(*GOOD), actor=world.an)
    assert not Announcement.objects.exists()


@pytest.mark.django_db
def test_the_command_imports_all_rows_or_none(world, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv(GOOD[0], "ZZZ,2015,,1/QĐ,01/02/2020,Công bố lần đầu,,"))
    with pytest.raises(CommandError):
        call_command("import_announcements", str(bad), "--as", "dung")
    assert "Unknown agency code ZZZ" in capsys.readouterr().err
    assert not Announcement.objects.exists()

    good = tmp_path / "good.csv"
    good.write_bytes(csv(*GOOD))
    call_command("import_announcements", str(good), "--as", "dung")
    assert Announcement.objects.filter(imported=True).count() == 2


@pytest.mark.django_db
def test_the_import_page_previews_then_saves(client, world):
    client.force_login(world.an)
    assert client.get(reverse("qms_import")).status_code == 404
    client.force_login(world.dung)
    assert client.get(reverse("qms_import")).status_code == 200
    assert client.get(reverse("qms_import_sample")).status_code == 200
    preview = client.post(
        reverse("qms_import"), {"file": SimpleUploadedFile("cong-bo.csv", csv(*GOOD))}
    )
    assert preview.status_code == 200 and not Announcement.objects.exists()
    batch = preview.context["batch"]
    response = client.post(reverse("qms_import"), {"batch": batch.pk})
    assert response.status_code == 302
    assert Announcement.objects.filter(imported=True).count() == 2


@pytest.mark.django_db
def test_another_provinces_overseer_cannot_import_into_this_one(client, world):
    client.force_login(world.em)
    preview = client.post(
        reverse("qms_import"), {"file": SimpleUploadedFile("cong-bo.csv", csv(*GOOD))}
    )
    report = preview.context["report"]
    assert not report.ok
    assert {e.column for e in report.errors} == {"agency_code"}
    assert not Announcement.objects.exists()
