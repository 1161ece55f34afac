"""The QMS / announcement import is set-based (issue 15): its statements do not grow with the
rows, and it writes what the one-row services write (the scope snapshot, the numbers in their
official shape, one audit event per announcement and per QMS record changed)."""

import datetime

import pytest
from django.utils import translation

from eiso.accounts.models import User
from eiso.core.imports import import_file
from eiso.core.models import AuditEvent
from eiso.core.testing import import_statements
from eiso.procedures.tests.factories import handled, procedure
from eiso.qms.choices import QmsStatus
from eiso.qms.imports import announcement_import
from eiso.qms.models import Announcement, QualitySystem
from eiso.qms.services import scope_snapshot

HEADER = "Mã cơ quan,Phiên bản,Trạng thái,Số quyết định,Ngày,Loại,Lý do,Ngày tiếp nhận"


def csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode()


def run(world, content: bytes):
    actor = User.objects.get(pk=world.dung.pk)  # a fresh user: no scope cached from before
    return import_file(
        actor=actor, agency=world.P, kind="announcements", filename="cb.csv", content=content
    )


def history(n: int) -> bytes:
    """``n`` rows: A's and B's announcements a year apart, and P's status."""
    rows = ["P,2015,Đang xây dựng,,,,,"]
    for i in range(n - 1):
        agency = "AB"[i % 2]
        kind = "Công bố lần đầu" if i < 2 else "Công bố lại"
        rows.append(f"{agency},2015,,{10 + i}/QĐ-{agency},02/03/{1990 + i},{kind},Lý do {i},")
    return csv(*rows)


def statements(world, content: bytes) -> int:
    return import_statements(lambda: run(world, content))


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_rows(world):
    small = statements(world, history(15))
    large = statements(world, history(30))
    assert small == large
    assert small <= 30


@pytest.mark.django_db
def test_the_import_writes_what_the_one_row_services_write(world):
    tthc = procedure(world, "1.000001")
    handled(world, world.A, tthc)
    QualitySystem.objects.create(agency=world.A, internal_activities="Văn thư ")
    expected_scope = scope_snapshot(world.A, QualitySystem.objects.get(agency=world.A))
    report = run(
        world,
        csv(
            "A,2008,,7,15/03/2012,Công bố lần đầu,,22/03/2012",
            "A,2015,Đã công bố,8/qđ-stp,10/06/2021,Công bố lại,Chuyển đổi,",
            "B,2015,Chưa xây dựng,,,,,",
        ),
    )
    assert report.ok, report.errors
    first, again = Announcement.objects.filter(agency=world.A).order_by("date")
    assert first.number == "07/QĐ-A" and again.number == "08/QĐ-STP"
    assert first.scope_snapshot == again.scope_snapshot == expected_scope
    assert expected_scope["procedures"] == ["1.000001"]
    events = AuditEvent.objects.filter(action="announcement.import").order_by("id")
    assert [(e.object_id, e.agency_id, e.object_repr) for e in events] == [
        (str(a.pk), world.A.pk, a.number) for a in (first, again)
    ]
    assert events[0].changes == {"number": "07/QĐ-A", "date": "2012-03-15", "kind": "first"}
    # A's record existed and changed; B's is new and stays as a new record is: no change
    qms_a = QualitySystem.objects.get(agency=world.A)
    assert (qms_a.standard_version, qms_a.status) == ("2015", QmsStatus.ANNOUNCED)
    assert QualitySystem.objects.get(agency=world.B).status == QmsStatus.NOT_STARTED
    changed = AuditEvent.objects.get(action="qms.import")
    assert (changed.object_id, changed.object_repr) == (str(qms_a.pk), str(qms_a))
    assert changed.changes == {"status": ["not_started", "announced"]}


@pytest.mark.django_db
def test_a_number_that_is_no_decision_number_is_reported_before_anything_is_saved(world):
    report = run(world, csv("A,2015,,Quyết định 7,01/02/2020,Công bố lần đầu,,"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "number")]
    assert "not a decision number" in report.errors[0].message
    assert not Announcement.objects.exists()


@pytest.mark.django_db
def test_one_number_typed_two_ways_is_a_repeat(world):
    report = run(
        world,
        csv(
            "A,2015,,12,01/02/2020,Công bố lần đầu,,",
            "A,2015,,12/QĐ-A,05/09/2020,Công bố lại,Mở rộng,",
        ),
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, "number")]
    assert not Announcement.objects.exists()


@pytest.mark.django_db
def test_the_one_row_service_still_refuses_a_number_used_that_year(world):
    from eiso.core.errors import ValidationFailed

    arguments = {
        "actor": world.dung,
        "agency": world.A,
        "kind": "first",
        "date": datetime.date(2020, 2, 1),
        "standard_version": "2015",
    }
    announcement_import(**arguments, number="5")
    with pytest.raises(ValidationFailed):
        announcement_import(**arguments, number="05/qđ-a")
    assert Announcement.objects.count() == 1


@pytest.mark.django_db
def test_the_public_pages_cache_moves_on_after_an_import(world):
    from eiso.portal import cache

    before = cache.version()
    assert run(world, csv("A,2015,,3,01/02/2020,Công bố lần đầu,,")).ok
    assert cache.version() > before
