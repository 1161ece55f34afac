"""The management review pages: isolation on every page, pinned query counts on every list, the
pack shown with each section's source, a decision recorded from the page reaching its owner's
inbox, the minutes DOCX."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from eiso.core import inbox
from eiso.core.testing import IsolationContract
from eiso.objectives.tests.conftest import at
from eiso.reviews import services
from eiso.reviews.models import ReviewOutput
from eiso.reviews.tests.factories import MEETING, plan_review

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("late_november", "media_in_tmp")]

KEEPERS = {"A": "an", "B": "chi", "C": "cuong"}


@pytest.fixture
def late_november():
    with time_machine.travel(at(2026, 11, 26), tick=False) as traveller:
        yield traveller


def held(world, agency):
    review = plan_review(world, agency, attendees=f"Thành phần riêng của {agency.code}")
    services.review_hold(actor=world.persona(KEEPERS[agency.code]), review=review)
    services.output_create(
        actor=world.persona(KEEPERS[agency.code]),
        review=review,
        data={
            "kind": "improvement",
            "description": f"Quyết định riêng của {agency.code}",
            "due_date": datetime.date(2026, 12, 31),
        },
    )
    return review


class TestReviewIsolation(IsolationContract):
    def make(self, world, agency):
        return held(world, agency)

    def list_url(self):
        return reverse("reviews:list")

    def marker(self, obj):
        return f'href="/reviews/{obj.pk}/"'

    def read_urls(self, obj):
        return [
            reverse("reviews:detail", args=[obj.pk]),
            reverse("reviews:docx", args=[obj.pk]),
            reverse("reviews:pdf", args=[obj.pk]),
        ]

    def change_requests(self, obj):
        output = obj.outputs.first()
        section = obj.inputs.first()
        return [
            ("post", reverse("reviews:update", args=[obj.pk]), {"meeting_date": "25/11/2026"}),
            ("post", reverse("reviews:assemble", args=[obj.pk]), {}),
            ("post", reverse("reviews:hold", args=[obj.pk]), {}),
            ("post", reverse("reviews:minutes", args=[obj.pk]), {"conclusions": "x"}),
            ("post", reverse("reviews:scan", args=[obj.pk]), {}),
            ("post", reverse("reviews:output_create", args=[obj.pk]), {"kind": "resource"}),
            ("post", reverse("reviews:input_update", args=[section.pk]), {"content": "x"}),
            ("post", reverse("reviews:output_update", args=[output.pk]), {"description": "x"}),
            ("post", reverse("reviews:output_delete", args=[output.pk]), {}),
            ("post", reverse("reviews:output_done", args=[output.pk]), {}),
        ]

    def create_request(self, world, agency):
        review = held(world, agency)
        return (
            "post",
            reverse("reviews:output_create", args=[review.pk]),
            {"kind": "resource", "description": "Lạ", "due_date": "31/12/2026"},
        )

    def count(self):
        return ReviewOutput.objects.count()


class TestOutputListIsolation(IsolationContract):
    def make(self, world, agency):
        return held(world, agency).outputs.first()

    def list_url(self):
        return reverse("reviews:outputs")

    def marker(self, obj):
        return obj.description

    def read_urls(self, obj):
        return [reverse("reviews:detail", args=[obj.review_id])]


LIST_QUERIES = {"reviews:list": 6, "reviews:outputs": 6}


def test_lists_keep_their_query_count_as_rows_grow(client, world, django_assert_num_queries):
    client.force_login(world.dung)
    held(world, world.A)
    for name, queries in LIST_QUERIES.items():
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200
    held(world, world.B)
    held(world, world.B)
    for name, queries in LIST_QUERIES.items():
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200


def test_the_review_page_keeps_its_query_count(client, world, django_assert_num_queries):
    review = held(world, world.A)
    client.force_login(world.an)
    url = reverse("reviews:detail", args=[review.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(3):
        services.output_create(
            actor=world.an,
            review=review,
            data={
                "kind": "resource",
                "description": f"Thêm {n}",
                "owner": world.binh,
                "due_date": MEETING,
            },
        )
    with django_assert_num_queries(len(first)):
        client.get(url)


def test_plan_from_the_page_shows_the_pack_with_its_sources(client, world):
    client.force_login(world.an)
    response = client.post(
        reverse("reviews:create"),
        {"meeting_date": "30/11/2026", "chair": world.hai.pk, "attendees": "Ban chỉ đạo ISO"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert page.count('data-testid="source"') == 12
    assert "9.3.2 c) 2)" in page and 'data-testid="no-data"' in page


def test_a_decision_from_the_page_reaches_its_owners_inbox(client, world):
    review = plan_review(world, world.A)
    client.force_login(world.an)
    client.post(reverse("reviews:hold", args=[review.pk]))
    client.post(
        reverse("reviews:output_create", args=[review.pk]),
        {
            "kind": "qms_change",
            "description": "Sửa đổi quy trình QT-02",
            "owner": world.binh.pk,
            "due_date": "05/12/2026",
        },
    )
    titles = [i.title for i in inbox.inbox_for(world.binh) if i.kind == "reviews.output"]
    assert titles == ["Sửa đổi quy trình QT-02"]


def test_the_minutes_docx_opens(client, world):
    review = held(world, world.A)
    services.minutes_issue(
        actor=world.an,
        review=review,
        data={"conclusions": "HTQLCL phù hợp", "minutes_number": "4", "minutes_date": MEETING},
    )
    client.force_login(world.an)
    response = client.get(reverse("reviews:docx", args=[review.pk]))
    from docx import Document

    document = Document(io.BytesIO(response.content))
    body = "\n".join(p.text for p in document.paragraphs)
    body += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "BIÊN BẢN" in body and "Số: 04/BB-A" in body and "Quyết định riêng của A" in body


def test_the_signed_scan_is_attached_once_the_minutes_are_issued(client, world):
    review = held(world, world.A)
    client.force_login(world.an)
    pdf = io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    pdf.name = "bien-ban-ky.pdf"
    client.post(reverse("reviews:scan", args=[review.pk]), {"scan": pdf})
    review.refresh_from_db()
    assert not review.signed_scan  # not issued yet
    services.minutes_issue(
        actor=world.an,
        review=review,
        data={"conclusions": "x", "minutes_number": "4", "minutes_date": MEETING},
    )
    pdf.seek(0)
    client.post(reverse("reviews:scan", args=[review.pk]), {"scan": pdf})
    review.refresh_from_db()
    assert review.signed_scan_name == "bien-ban-ky.pdf"
    assert client.get(reverse("reviews:scan_file", args=[review.pk])).status_code == 200


def test_the_lists_export_xlsx(client, world):
    held(world, world.A)
    client.force_login(world.an)
    for name in ("reviews:list", "reviews:outputs"):
        response = client.get(reverse(name) + "?export=xlsx")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
