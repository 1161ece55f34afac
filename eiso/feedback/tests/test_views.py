"""The agency's pages of satisfaction and feedback: isolation on every page (complaints,
ratings, desks), pinned query counts on every list, the sender's contact only for the keepers
and the handler (never an overseer, nor in their export), the workflow from the pages, overdue
complaints in the inbox on both sides of the due date, the QR codes and the A4 poster."""

import datetime
import shutil
import subprocess

import pytest
import time_machine
from django.urls import reverse

from eiso.core import inbox
from eiso.core.testing import IsolationContract
from eiso.documents.tests.factories import xlsx_rows
from eiso.feedback import services
from eiso.feedback.models import Complaint, Desk
from eiso.feedback.tests.factories import rate, register
from eiso.objectives.tests.conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june")]


class TestComplaintIsolation(IsolationContract):
    def make(self, world, agency):
        return register(world, agency, subject=f"Phản ánh riêng của {agency.code}")

    def list_url(self):
        return reverse("feedback:complaints")

    def marker(self, obj):
        return obj.subject

    def read_urls(self, obj):
        return [reverse("feedback:complaint_detail", args=[obj.pk])]

    def change_requests(self, obj):
        return [
            ("post", reverse("feedback:complaint_update", args=[obj.pk]), {"subject": "x"}),
            ("post", reverse("feedback:complaint_assign", args=[obj.pk]), {"handler": 1}),
            (
                "post",
                reverse("feedback:complaint_answer", args=[obj.pk]),
                {"answer": "x", "outcome": "guidance"},
            ),
            ("post", reverse("feedback:complaint_close", args=[obj.pk]), {}),
            ("post", reverse("feedback:complaint_decline", args=[obj.pk]), {"reason": "x"}),
            ("post", reverse("feedback:complaint_reopen", args=[obj.pk]), {"reason": "x"}),
            (
                "post",
                reverse("feedback:complaint_nonconformity", args=[obj.pk]),
                {"title": "x", "description": "y"},
            ),
        ]

    def create_request(self, world, agency):
        return (
            "post",
            reverse("feedback:complaint_create") + f"?agency={agency.pk}",
            {
                "kind": "complaint",
                "channel": "desk",
                "received_on": "17/06/2026",
                "subject": "Lạ",
                "content": "Lạ",
                "agency": agency.pk,
            },
        )

    def count(self):
        return Complaint.objects.filter(subject="Lạ").exclude(agency__code="A").count()


class TestRatingIsolation(IsolationContract):
    def make(self, world, agency):
        return rate(agency, comment=f"Ý kiến riêng của {agency.code}")

    def list_url(self):
        return reverse("feedback:ratings")

    def marker(self, obj):
        return obj.comment

    def read_urls(self, obj):
        return [f"{reverse('feedback:summary')}?agency={obj.agency_id}"]


class TestDeskIsolation(IsolationContract):
    def make(self, world, agency):
        actor = {"A": world.an, "B": world.chi, "C": world.cuong}[agency.code]
        return services.desk_create(
            actor=actor, agency=agency, data={"name": f"Quầy {agency.code}"}
        )

    def list_url(self):
        return reverse("feedback:qr")

    def marker(self, obj):
        return obj.name

    def read_urls(self, obj):
        return [reverse("feedback:desk_poster", args=[obj.pk])]

    def change_requests(self, obj):
        return [("post", reverse("feedback:desk_update", args=[obj.pk]), {"name": "x"})]

    def count(self):
        return Desk.objects.count()


def test_the_overseer_reads_the_summary_of_an_agency_below_and_not_outside(client, world):
    rate(world.A, comment="Tốt")
    client.force_login(world.dung)
    assert client.get(reverse("feedback:summary"), {"agency": world.A.pk}).status_code == 200
    assert client.get(reverse("feedback:summary"), {"agency": world.C.pk}).status_code == 404
    client.force_login(world.em)
    assert client.get(reverse("feedback:summary"), {"agency": world.A.pk}).status_code == 404


# --- query counts -------------------------------------------------------------------------------


def _more(world, count: int) -> None:
    for i in range(count):
        rate(world.A, comment=f"Ý kiến {i}")
        register(world, subject=f"Phản ánh {i}", channel="email")
        rate(world.B, comment=f"B {i}")


@pytest.mark.parametrize(
    "persona, url",
    [
        ("an", "/feedback/complaints/"),
        ("an", "/feedback/complaints/?state=overdue&ordering=-due"),
        ("dung", "/feedback/complaints/"),
        ("an", "/feedback/ratings/"),
        ("dung", "/feedback/ratings/?with_comment=on"),
        ("an", "/feedback/"),
        ("dung", "/feedback/overview/"),
        ("an", "/feedback/qr/"),
    ],
)
def test_lists_keep_their_query_count_whatever_the_rows(
    client, world, django_assert_num_queries, persona, url
):
    client.force_login(world.persona(persona))
    _more(world, 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _more(world, 8)
    with django_assert_num_queries(len(few)):
        assert client.get(url).status_code == 200


# --- the sender's contact -------------------------------------------------------------------------


def test_the_contact_is_shown_to_the_keepers_and_the_handler_only(client, world):
    complaint = register(world, contact_phone="0912345678", contact_name="Nguyễn Văn Dân")
    url = reverse("feedback:complaint_detail", args=[complaint.pk])
    for persona, shown in (("an", True), ("hai", True), ("binh", False), ("dung", False)):
        client.force_login(world.persona(persona))
        body = client.get(url).content.decode()
        assert ("0912345678" in body) is shown, persona
    services.complaint_assign(actor=world.an, complaint=complaint, handler=world.binh)
    client.force_login(world.binh)
    assert "0912345678" in client.get(url).content.decode()


def test_the_overseers_export_carries_no_contact(client, world):
    register(world, contact_phone="0912345678", subject="Có liên hệ")
    client.force_login(world.dung)
    rows = xlsx_rows(client.get(reverse("feedback:complaints"), {"export": "xlsx"}))
    flat = " ".join(str(c) for row in rows for c in row)
    assert "Có liên hệ" in flat and "0912345678" not in flat
    client.force_login(world.an)
    rows = xlsx_rows(client.get(reverse("feedback:complaints"), {"export": "xlsx"}))
    assert "0912345678" in " ".join(str(c) for row in rows for c in row)
    client.force_login(world.binh)  # staff: the column is there, the value is not
    rows = xlsx_rows(client.get(reverse("feedback:complaints"), {"export": "xlsx"}))
    assert "0912345678" not in " ".join(str(c) for row in rows for c in row)


# --- the workflow from the pages ------------------------------------------------------------------


def test_staff_register_the_keeper_assigns_the_handler_answers(client, world):
    client.force_login(world.binh)
    response = client.post(
        reverse("feedback:complaint_create"),
        {
            "kind": "complaint",
            "channel": "hotline",
            "received_on": "16/06/2026",
            "subject": "Thái độ tiếp dân",
            "content": "Công chức trả lời cộc lốc qua điện thoại.",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{complaint.pk}/")
    assert complaint.due_date == datetime.date(2026, 6, 30)
    client.force_login(world.an)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="assign-form"' in page
    client.post(
        reverse("feedback:complaint_assign", args=[complaint.pk]), {"handler": world.binh.pk}
    )
    client.force_login(world.binh)
    answered = client.post(
        reverse("feedback:complaint_answer", args=[complaint.pk]),
        {"answer": "Đã nhắc nhở công chức, xin lỗi ông/bà.", "outcome": "justified"},
    )
    assert answered.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "answered" and complaint.answered_by == world.binh


def test_a_refused_answer_keeps_what_was_typed(client, world):
    complaint = register(world)
    client.force_login(world.an)
    response = client.post(
        reverse("feedback:complaint_answer", args=[complaint.pk]),
        {"answer": "Nội dung trả lời", "outcome": "guidance", "answered_on": "01/01/2026"},
    )
    assert response.status_code == 200
    assert "Nội dung trả lời" in response.content.decode()


def test_the_complaint_opens_a_nonconformity_from_its_page(client, world):
    complaint = register(world)
    client.force_login(world.an)
    page = client.get(reverse("feedback:complaint_detail", args=[complaint.pk])).content.decode()
    assert 'data-testid="raise-nc"' in page
    response = client.post(
        reverse("feedback:complaint_nonconformity", args=[complaint.pk]),
        {"title": "Trả kết quả trễ", "description": "Phát hiện từ phản ánh"},
    )
    complaint.refresh_from_db()
    assert response["Location"] == reverse("improvements:detail", args=[complaint.nonconformity_id])


# --- the inbox ----------------------------------------------------------------------------------------


def _items(user, day):
    return inbox.inbox_for(user, today=day, kinds=["feedback.complaint"])


def test_a_complaint_waits_on_the_keepers_and_an_overdue_one_says_so(world):
    complaint = register(world)  # due 01/07/2026
    assert [i.category for i in _items(world.an, datetime.date(2026, 7, 1))] == [
        "Complaint to assign or answer"
    ]
    assert [i.category for i in _items(world.an, datetime.date(2026, 7, 2))] == [
        "Complaint overdue"
    ]
    assert _items(world.binh, datetime.date(2026, 7, 2)) == []
    services.complaint_assign(actor=world.an, complaint=complaint, handler=world.binh)
    assert [i.category for i in _items(world.binh, datetime.date(2026, 7, 1))] == [
        "Complaint to answer"
    ]
    assert _items(world.an, datetime.date(2026, 7, 1)) == []  # assigned, not yet overdue
    assert len(_items(world.an, datetime.date(2026, 7, 2))) == 1  # overdue: back to the keepers
    services.complaint_answer(actor=world.binh, complaint=complaint, answer="x", outcome="guidance")
    assert _items(world.binh, datetime.date(2026, 7, 2)) == []
    assert _items(world.an, datetime.date(2026, 7, 2)) == []
    assert _items(world.chi, datetime.date(2026, 7, 2)) == []


# --- QR codes and posters ------------------------------------------------------------------------


def test_the_qr_page_shows_the_agency_code_and_each_desk(client, world):
    desk = services.desk_create(actor=world.an, agency=world.A, data={"name": "Quầy Hộ tịch"})
    client.force_login(world.an)
    body = client.get(reverse("feedback:qr")).content.decode()
    assert "http://testserver/public/danh-gia/A/?qr=1" in body
    assert f"http://testserver/public/danh-gia/A/quay/{desk.pk}/" in body
    assert body.count("<svg") == 2 and "style=" not in body


def test_the_qr_code_holds_the_site_address_when_set(client, world, settings):
    settings.SITE_URL = "https://eiso.phuan.gov.vn"
    client.force_login(world.an)
    body = client.get(reverse("feedback:qr")).content.decode()
    assert "https://eiso.phuan.gov.vn/public/danh-gia/A/?qr=1" in body


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_poster_is_an_a4_pdf_naming_the_agency_and_the_desk(client, world, tmp_path):
    desk = services.desk_create(actor=world.an, agency=world.A, data={"name": "Quầy số 2"})
    client.force_login(world.an)
    response = client.get(reverse("feedback:desk_poster", args=[desk.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "poster.pdf"
    path.write_bytes(response.content)
    words = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "SỞ TƯ PHÁP TỈNH PHÚ AN" in words.upper() and "Quầy số 2" in words
    assert f"/public/danh-gia/A/quay/{desk.pk}/" in words
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info


def test_the_rules_page_lists_the_rule_and_its_basis(client, world):
    client.force_login(world.binh)
    body = client.get(reverse("feedback:rules")).content.decode()
    assert "Nghị định 20/2008/NĐ-CP" in body and "01/07/2026" in body


def test_the_summary_page_shows_the_index_and_the_comments(client, world):
    rate(world.A, attitude=5, comment="Rất hài lòng")
    rate(world.A, attitude=2, comment="Phải chờ lâu")
    with time_machine.travel(at(2025, 12, 31), tick=False):
        rate(world.A, attitude=1, comment="Năm ngoái")
    client.force_login(world.an)
    body = client.get(reverse("feedback:summary")).content.decode()
    assert 'data-testid="satisfaction-index">50,0 %' in body
    assert "Phải chờ lâu" in body and "Năm ngoái" not in body
    last_year = client.get(
        reverse("feedback:summary"), {"start": "01/01/2025", "end": "31/12/2025"}
    ).content.decode()
    assert "Năm ngoái" in last_year and 'data-testid="rating-count">1<' in last_year
