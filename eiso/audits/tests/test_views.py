"""The internal-audit pages: isolation on every page, pinned query counts on every list, the
flow from the pages (the own-department refusal said on the form, the checklist filled from a
phone-sized form, a finding recorded), the plan and report files, the auditor's home."""

import datetime
import io

import pytest
from django.urls import reverse

from eiso.audits import services
from eiso.audits.models import AuditSession, ChecklistItem, Finding, InternalAudit
from eiso.audits.tests.factories import FROM, approved, clause, plan, staffed
from eiso.core import inbox
from eiso.core.testing import IsolationContract
from eiso.improvements.tests.factories import auditor, department

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november", "media_in_tmp")]


class TestAuditIsolation(IsolationContract):
    def make(self, world, agency):
        audit, session, lead = staffed(world, agency)
        services.audit_update(
            actor=world.persona({"A": "an", "B": "chi", "C": "cuong"}[agency.code]),
            audit=audit,
            data={"scope": f"Phạm vi riêng của {agency.code}"},
        )
        return audit

    def list_url(self):
        return reverse("audits:list")

    def marker(self, obj):
        return f'href="/audits/{obj.pk}/"'

    def read_urls(self, obj):
        return [
            reverse("audits:detail", args=[obj.pk]),
            reverse("audits:checklist", args=[obj.pk]),
            reverse("audits:plan_pdf", args=[obj.pk]),
            reverse("audits:plan_docx", args=[obj.pk]),
            reverse("audits:report_pdf", args=[obj.pk]),
            reverse("audits:report_docx", args=[obj.pk]),
        ]

    def change_requests(self, obj):
        item = obj.checklist.first()
        session = obj.sessions.first()
        member = obj.team.first()
        return [
            ("post", reverse("audits:update", args=[obj.pk]), {"scope": "x"}),
            ("post", reverse("audits:team_add", args=[obj.pk]), {"role": "member"}),
            ("post", reverse("audits:team_remove", args=[member.pk]), {}),
            ("post", reverse("audits:session_add", args=[obj.pk]), {}),
            ("post", reverse("audits:session_update", args=[session.pk]), {}),
            ("post", reverse("audits:session_delete", args=[session.pk]), {}),
            (
                "post",
                reverse("audits:approve", args=[obj.pk]),
                {"number": "1", "date": "16/11/2026"},
            ),
            ("post", reverse("audits:revise", args=[obj.pk]), {"reason": "x"}),
            ("post", reverse("audits:report", args=[obj.pk]), {"conclusion": "x"}),
            ("post", reverse("audits:close", args=[obj.pk]), {}),
            ("post", reverse("audits:checklist_copy", args=[obj.pk]), {}),
            ("post", reverse("audits:item_add", args=[obj.pk]), {"question": "x"}),
            ("post", reverse("audits:item_update", args=[item.pk]), {"question": "x"}),
            ("post", reverse("audits:item_delete", args=[item.pk]), {}),
            ("post", reverse("audits:answer", args=[item.pk]), {"answer": "conform"}),
            ("post", reverse("audits:finding_add", args=[obj.pk]), {"grade": "minor"}),
        ]

    def create_request(self, world, agency):
        audit, _session, _lead = staffed(world, agency)
        return ("post", reverse("audits:item_add", args=[audit.pk]), {"question": "Lạ?"})

    def count(self):
        return ChecklistItem.objects.count()


class TestFindingIsolation(IsolationContract):
    def make(self, world, agency):
        audit, session, lead = approved(world, agency)
        return services.finding_record(
            actor=lead,
            audit=audit,
            data={
                "grade": "observation",
                "clause": clause("7.5"),
                "description": f"Khuyến nghị riêng của {agency.code}",
            },
        )

    def list_url(self):
        return reverse("audits:findings")

    def marker(self, obj):
        return obj.description

    def read_urls(self, obj):
        return [reverse("audits:detail", args=[obj.audit_id])]

    def change_requests(self, obj):
        return [("post", reverse("audits:finding_reply", args=[obj.pk]), {"reply": "x"})]


class TestProgrammeIsolation(IsolationContract):
    def make(self, world, agency):
        keeper = world.persona({"A": "an", "B": "chi", "C": "cuong"}[agency.code])
        programme = services.programme_create(
            actor=keeper, agency=agency, year=2026, data={"objectives": f"Mục tiêu {agency.code}"}
        )
        services.programme_item_add(
            actor=keeper, programme=programme, data={"process": "Một cửa", "month": 11}
        )
        return programme

    def list_url(self):
        return reverse("audits:programmes")

    def marker(self, obj):
        return f'href="/audits/programmes/{obj.pk}/"'

    def read_urls(self, obj):
        return [reverse("audits:programme", args=[obj.pk])]

    def change_requests(self, obj):
        item = obj.items.first()
        return [
            ("post", reverse("audits:programme_update", args=[obj.pk]), {"objectives": "x"}),
            (
                "post",
                reverse("audits:programme_item_add", args=[obj.pk]),
                {"process": "x", "month": 1},
            ),
            ("post", reverse("audits:programme_item_update", args=[item.pk]), {"month": 2}),
            ("post", reverse("audits:programme_item_delete", args=[item.pk]), {}),
            ("post", reverse("audits:programme_approve", args=[obj.pk]), {}),
            ("post", reverse("audits:programme_revise", args=[obj.pk]), {}),
        ]


LIST_QUERIES = {
    "audits:list": 6,
    "audits:findings": 6,
    "audits:programmes": 6,
    "audits:bank": 8,
    "audits:mine": 7,
}


def test_lists_keep_their_query_count_as_rows_grow(client, world, django_assert_num_queries):
    client.force_login(world.dung)

    def add(agency, n):
        keeper = world.persona({"A": "an", "B": "chi"}[agency.code])
        for year in range(2026 - n + 1, 2027):
            services.programme_create(actor=keeper, agency=agency, year=year)
        for _ in range(n):
            audit, session, lead = approved(world, agency)
            services.finding_record(
                actor=lead,
                audit=audit,
                data={"grade": "improvement", "clause": clause("8.5"), "description": "Cải tiến"},
            )

    add(world.A, 1)
    for name, queries in LIST_QUERIES.items():
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200
    add(world.B, 2)
    for name, queries in LIST_QUERIES.items():
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200


def test_pages_of_one_audit_keep_their_query_count(client, world, django_assert_num_queries):
    audit, session, lead = approved(world, world.A)
    client.force_login(lead)
    for name in ("audits:detail", "audits:checklist"):  # the notifications they clear
        client.get(reverse(name, args=[audit.pk]))
    counts = {}
    for name in ("audits:detail", "audits:checklist"):
        with django_assert_num_queries(counts.setdefault(name, _count(client, name, audit))):
            client.get(reverse(name, args=[audit.pk]))
    services.checklist_copy(
        actor=world.an,
        audit=audit,
        session=session,
        clauses=[clause("4.1"), clause("9.2"), clause("10.2")],
    )
    for name in ("audits:detail", "audits:checklist"):
        with django_assert_num_queries(counts[name]):
            client.get(reverse(name, args=[audit.pk]))


def _count(client, name, audit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse(name, args=[audit.pk]))
    return len(captured)


def test_assigning_an_auditor_to_their_own_department_is_refused_on_the_form(client, world):
    audit = plan(world, world.A)
    own = auditor(world, world.A, username="oanh", department_name="Phòng Bổ trợ tư pháp")
    services.team_add(actor=world.an, audit=audit, user=own, role="lead")
    client.force_login(world.an)
    response = client.post(
        reverse("audits:session_add", args=[audit.pk]),
        {
            "department": department(world.A, "Phòng Bổ trợ tư pháp").pk,
            "date": "16/11/2026",
            "start_time": "08:00",
            "end_time": "10:00",
            "auditor": own.pk,
        },
    )
    assert response.status_code == 200
    assert "không được đánh giá công việc của bộ phận mình" in response.content.decode()
    assert not AuditSession.objects.exists()


def test_plan_approve_fill_and_record_a_finding_from_the_pages(client, world):
    audit, session, lead = staffed(world, world.A)
    client.force_login(world.hai)
    client.post(reverse("audits:approve", args=[audit.pk]), {"number": "5", "date": "16/11/2026"})
    audit.refresh_from_db()
    assert audit.plan_number == "05/KH-A"
    client.force_login(lead)
    page = client.get(reverse("audits:checklist", args=[audit.pk]) + f"?session={session.pk}")
    assert page.status_code == 200 and 'data-testid="answer-form"' in page.content.decode()
    item = ChecklistItem.objects.filter(audit=audit).first()
    response = client.post(
        reverse("audits:answer", args=[item.pk]),
        {"answer": "nonconform", "note": "Sổ thiếu ngày trả"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.pk}")
    response = client.post(
        reverse("audits:finding_add", args=[audit.pk]) + f"?item={item.pk}",
        {
            "item": item.pk,
            "grade": "minor",
            "clause": item.clause_id,
            "department": session.department_id,
            "description": "Sổ theo dõi thiếu ngày trả kết quả",
            "evidence": "Sổ tháng 10/2026",
            "owner": world.binh.pk,
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.item == item and finding.nonconformity.owner == world.binh
    detail = client.get(reverse("audits:detail", args=[audit.pk])).content.decode()
    assert finding.nonconformity.code in detail


def test_the_answer_keeps_a_file_of_evidence(client, world):
    audit, session, lead = approved(world, world.A)
    item = ChecklistItem.objects.filter(audit=audit).first()
    client.force_login(lead)
    png = io.BytesIO(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
        b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
        b"\x00\x00IEND\xaeB`\x82"
    )
    png.name = "so-theo-doi.png"
    client.post(reverse("audits:answer", args=[item.pk]), {"answer": "conform", "file": png})
    item.refresh_from_db()
    stored = item.files.get()
    assert stored.name == "so-theo-doi.png"
    download = client.get(reverse("audits:file", args=[stored.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    client.force_login(world.chi)
    assert client.get(reverse("audits:file", args=[stored.pk])).status_code == 404


def test_the_report_pdf_lists_the_findings(client, world, tmp_path):
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    audit, session, lead = approved(world, world.A)
    services.finding_record(
        actor=lead,
        audit=audit,
        data={
            "grade": "minor",
            "clause": clause("8.5"),
            "description": "Thiếu phiếu kiểm soát quá trình",
            "evidence": "Hồ sơ số 15",
        },
    )
    client.force_login(world.an)
    path = tmp_path / "r.pdf"
    path.write_bytes(client.get(reverse("audits:report_pdf", args=[audit.pk])).content)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "BÁO CÁO" in text and "Thiếu phiếu kiểm soát quá trình" in text
    assert "Không phù hợp nhẹ" in text and "01/2026" in text
    plan_doc = client.get(reverse("audits:plan_docx", args=[audit.pk]))
    from docx import Document

    document = Document(io.BytesIO(plan_doc.content))
    body = "\n".join(p.text for p in document.paragraphs)
    body += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "KẾ HOẠCH" in body and "Số: 05/KH-A" in body


def test_the_auditors_home_and_inbox(client, world):
    audit, session, lead = approved(world, world.A)
    items = [i for i in inbox.inbox_for(lead) if i.kind == "audits.checklist"]
    assert len(items) == 1 and items[0].due == FROM
    finding = services.finding_record(
        actor=lead,
        audit=audit,
        data={"grade": "observation", "clause": clause("7.5"), "description": "Nên số hóa sổ"},
    )
    assert [i.kind for i in inbox.inbox_for(lead) if i.kind == "audits.finding"] == [
        "audits.finding"
    ]
    assert [i.category for i in inbox.inbox_for(world.an) if i.kind == "audits.finding"] == [
        "Finding to reply to"
    ]
    client.force_login(lead)
    page = client.get(reverse("audits:mine")).content.decode()
    assert audit.title in page and "Nên số hóa sổ" in page
    services.finding_reply(actor=world.an, finding=finding, reply="Sẽ số hóa trong quý I/2027")
    assert [i for i in inbox.inbox_for(lead) if i.kind == "audits.finding"] == []


def test_a_head_sees_plans_ready_to_approve(world):
    audit, _session, _lead = staffed(world, world.A)
    items = [i for i in inbox.inbox_for(world.hai) if i.kind == "audits.plan"]
    assert [i.title for i in items] == [audit.title]
    assert [i for i in inbox.inbox_for(world.an) if i.kind == "audits.plan"] == []


def test_the_question_bank_is_read_by_all_and_kept_by_administrators(client, world):
    client.force_login(world.binh)
    assert client.get(reverse("audits:bank")).status_code == 200
    assert client.get(reverse("audits:question_create")).status_code == 404
    client.force_login(world.quan)
    response = client.post(
        reverse("audits:question_create"),
        {"clause": clause("9.2").pk, "text": "Chuyên gia có được đào tạo?", "is_active": "on"},
    )
    assert response.status_code == 302


def test_the_lists_export_xlsx(client, world):
    approved(world, world.A)
    client.force_login(world.an)
    for name in ("audits:list", "audits:findings", "audits:programmes", "audits:bank"):
        response = client.get(reverse(name) + "?export=xlsx")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), name


def test_staff_do_not_see_the_keepers_buttons(client, world):
    plan(world, world.A)
    client.force_login(world.binh)
    page = client.get(reverse("audits:list")).content.decode()
    assert 'data-testid="plan-audit"' not in page
    assert client.get(reverse("audits:create")).status_code == 404
    assert InternalAudit.objects.count() == 1 and datetime.date(2026, 11, 16) == FROM


def test_the_session_form_labels_its_times_as_hours_not_dates(client, world):
    """A session's "From"/"To" are times of day: "Từ giờ"/"Đến giờ", while the plan's period
    keeps "Từ ngày"/"Đến ngày" (one English word, two Vietnamese meanings)."""
    audit = plan(world, world.A)
    client.force_login(world.an)
    body = client.get(reverse("audits:session_add", args=[audit.pk])).content.decode()
    assert 'for="id_start_time">Từ giờ' in body
    assert 'for="id_end_time">Đến giờ' in body
