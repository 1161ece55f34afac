"""The nonconformity pages: isolation on every page, pinned query counts on every list, the
flow from the pages, the hook of the objectives' page, the form as PDF/DOCX, overdue actions in
the owner's and the secretary's inbox on both sides of the due date, the overseer's counts."""

import datetime
import io

import pytest
from django.urls import reverse

from eiso.core import inbox
from eiso.core.testing import IsolationContract
from eiso.improvements import services
from eiso.improvements.models import CorrectiveAction, Nonconformity
from eiso.improvements.tests.factories import analysed, approved, auditor, raise_nc

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november", "media_in_tmp")]


class TestNonconformityIsolation(IsolationContract):
    def make(self, world, agency):
        nc = raise_nc(world, agency, title=f"Không phù hợp riêng của {agency.code}")
        analysed(world, nc)
        return nc

    def list_url(self):
        return reverse("improvements:list")

    def marker(self, obj):
        return obj.title

    def read_urls(self, obj):
        return [
            reverse("improvements:detail", args=[obj.pk]),
            reverse("improvements:form_pdf", args=[obj.pk]),
            reverse("improvements:form_docx", args=[obj.pk]),
        ]

    def change_requests(self, obj):
        action = obj.actions.first()
        return [
            (
                "post",
                reverse("improvements:update", args=[obj.pk]),
                {"title": "x", "description": "y"},
            ),
            ("post", reverse("improvements:cause", args=[obj.pk]), {"root_cause": "x"}),
            (
                "post",
                reverse("improvements:action_create", args=[obj.pk]),
                {"action": "x", "due_date": "01/12/2026"},
            ),
            ("post", reverse("improvements:submit_plan", args=[obj.pk]), {}),
            ("post", reverse("improvements:approve_plan", args=[obj.pk]), {}),
            ("post", reverse("improvements:return_plan", args=[obj.pk]), {"reason": "x"}),
            (
                "post",
                reverse("improvements:verify", args=[obj.pk]),
                {"effective": "yes", "note": "x"},
            ),
            ("post", reverse("improvements:close", args=[obj.pk]), {}),
            ("post", reverse("improvements:reopen", args=[obj.pk]), {"reason": "x"}),
            ("post", reverse("improvements:action_update", args=[action.pk]), {"action": "x"}),
            ("post", reverse("improvements:action_delete", args=[action.pk]), {}),
            ("post", reverse("improvements:action_done", args=[action.pk]), {}),
        ]

    def count(self):
        return CorrectiveAction.objects.count()

    def create_request(self, world, agency):
        nc = raise_nc(world, agency)
        return (
            "post",
            reverse("improvements:action_create", args=[nc.pk]),
            {"action": "Lạ", "due_date": "01/12/2026"},
        )


class TestActionListIsolation(IsolationContract):
    def make(self, world, agency):
        nc = raise_nc(world, agency)
        services.action_create(
            actor=world.persona({"A": "an", "B": "chi", "C": "cuong"}[agency.code]),
            nonconformity=nc,
            data={
                "action": f"Hành động riêng {agency.code}",
                "due_date": datetime.date(2026, 12, 1),
            },
        )
        return nc.actions.first()

    def list_url(self):
        return reverse("improvements:actions")

    def marker(self, obj):
        return obj.action

    def read_urls(self, obj):
        return [reverse("improvements:detail", args=[obj.nonconformity_id]) + "#actions"]


LIST_QUERIES = {"improvements:list": 6, "improvements:actions": 6, "improvements:overview": 7}


def test_lists_keep_their_query_count_as_rows_grow(client, world, django_assert_num_queries):
    client.force_login(world.dung)

    def add(agency, n):
        for _ in range(n):
            nc = raise_nc(world, agency, owner=None)
            analysed(world, nc)

    add(world.A, 1)
    for name, queries in LIST_QUERIES.items():
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200
    add(world.B, 3)
    for name, queries in LIST_QUERIES.items():
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200


def test_raise_plan_approve_act_verify_close_from_the_pages(client, world):
    client.force_login(world.binh)
    response = client.post(
        reverse("improvements:raise"),
        {"source": "staff", "title": "", "description": ""},
    )
    assert response.status_code == 200 and not Nonconformity.objects.exists()
    response = client.post(
        reverse("improvements:raise"),
        {
            "source": "process",
            "source_ref": "Hồ sơ 000.00.12.H01-261020-0015",
            "title": "Hồ sơ trả kết quả trễ hạn 2 ngày",
            "description": "Hồ sơ chứng thực trả trễ hạn, không có phiếu xin lỗi.",
            "evidence_text": "Phần mềm một cửa, ngày 20/10/2026",
        },
    )
    nc = Nonconformity.objects.get()
    assert response.status_code == 302 and nc.source == "process" and nc.owner is None
    client.force_login(world.an)
    client.post(
        reverse("improvements:update", args=[nc.pk]),
        {"title": nc.title, "description": nc.description, "owner": world.binh.pk},
    )
    client.force_login(world.binh)
    client.post(
        reverse("improvements:cause", args=[nc.pk]),
        {
            "correction": "Gọi điện xin lỗi, trả kết quả ngay",
            "cause_category": "people",
            "why_1": "Công chức thụ lý nghỉ ốm",
            "why_2": "Không có người thay",
            "root_cause": "Chưa phân công người dự phòng",
        },
    )
    client.post(
        reverse("improvements:action_create", args=[nc.pk]),
        {"action": "Phân công người dự phòng", "owner": world.binh.pk, "due_date": "30/11/2026"},
    )
    action = CorrectiveAction.objects.get()
    # not before the plan is approved: said on the page, nothing saved
    response = client.post(reverse("improvements:action_done", args=[action.pk]), {})
    assert (
        response.status_code == 200 and "kế hoạch chưa được phê duyệt" in response.content.decode()
    )
    client.post(reverse("improvements:submit_plan", args=[nc.pk]))
    client.force_login(world.hai)
    client.post(reverse("improvements:approve_plan", args=[nc.pk]))
    client.force_login(world.binh)
    client.post(reverse("improvements:action_done", args=[action.pk]), {"result": "Đã ban hành"})
    response = client.post(reverse("improvements:close", args=[nc.pk]), follow=True)
    assert "người khác người chịu trách nhiệm" in response.content.decode()
    client.force_login(world.an)
    client.post(reverse("improvements:verify", args=[nc.pk]), {"effective": "yes", "note": "Ổn"})
    client.post(reverse("improvements:close", args=[nc.pk]))
    nc.refresh_from_db()
    assert nc.status == "closed"
    assert nc.whys == ["Công chức thụ lý nghỉ ốm", "Không có người thay"]


def test_the_form_is_an_official_document(client, world, tmp_path):
    import shutil
    import subprocess

    nc = raise_nc(world, world.A, owner=world.binh, title="Sổ theo dõi chưa cập nhật")
    approved(world, nc, owner=world.binh)
    client.force_login(world.an)
    docx = client.get(reverse("improvements:form_docx", args=[nc.pk]))
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "PHIẾU YÊU CẦU HÀNH ĐỘNG KHẮC PHỤC" in text and "Sổ theo dõi chưa cập nhật" in text
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    path = tmp_path / "p.pdf"
    path.write_bytes(client.get(reverse("improvements:form_pdf", args=[nc.pk])).content)
    read = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "Số: 01/PKP-A" in read and "Ban hành quyết định phân công" in read


def test_overdue_actions_reach_the_owner_and_the_secretary_on_both_sides_of_the_due_date(world):
    nc = raise_nc(world, world.A, owner=world.binh)
    approved(world, nc, owner=world.binh, due=datetime.date(2026, 12, 15))

    def items(user, day, kind):
        return [i for i in inbox.inbox_for(user, today=day) if i.kind == kind]

    assert items(world.binh, datetime.date(2026, 11, 30), "improvements.action") == []
    soon = items(world.binh, datetime.date(2026, 12, 1), "improvements.action")
    assert len(soon) == 1 and not soon[0].overdue_on(datetime.date(2026, 12, 1))
    assert items(world.an, datetime.date(2026, 12, 15), "improvements.action_overdue") == []
    late = items(world.binh, datetime.date(2026, 12, 16), "improvements.action")
    assert late[0].overdue_on(datetime.date(2026, 12, 16)) and nc.code in late[0].title
    secretary = items(world.an, datetime.date(2026, 12, 16), "improvements.action_overdue")
    assert len(secretary) == 1 and secretary[0].detail == str(world.binh)
    assert items(world.chi, datetime.date(2026, 12, 16), "improvements.action_overdue") == []


def test_records_wait_on_whoever_must_act(world):
    nc = raise_nc(world, world.A, owner=world.binh)

    def kinds(user):
        return [i.category for i in inbox.inbox_for(user) if i.kind == "improvements.record"]

    assert kinds(world.binh) == ["Nonconformity to answer"]
    analysed(world, nc, owner=world.binh)
    services.plan_submit(actor=world.binh, nonconformity=nc)
    assert kinds(world.hai) == ["Corrective-action plan to approve"]
    assert kinds(world.binh) == []


def test_the_overseer_sees_counts_per_agency(client, world):
    raise_nc(world, world.A)
    late = raise_nc(world, world.A, due_date=datetime.date(2026, 11, 20))
    raise_nc(world, world.B)
    raise_nc(world, world.C)
    client.force_login(world.dung)
    response = client.get(reverse("improvements:overview"))
    rows = {a.code: a for a in response.context["object_list"]}
    assert (rows["A"].nc_open, rows["A"].nc_overdue, rows["B"].nc_open) == (2, 0, 1)
    assert "C" not in rows
    assert response.context["totals"]["nc_open"] == 3
    import time_machine

    from eiso.objectives.tests.conftest import at

    with time_machine.travel(at(2026, 11, 21), tick=False):
        client.force_login(world.dung)
        response = client.get(reverse("improvements:overview"))
    rows = {a.code: a for a in response.context["object_list"]}
    assert rows["A"].nc_overdue == 1 and late.pk
    client.force_login(world.an)
    assert client.get(reverse("improvements:overview")).status_code == 404


def test_the_average_days_to_close_is_computed_by_the_database(client, world, november):
    import time_machine

    from eiso.objectives.tests.conftest import at

    for days in (4, 10):
        with time_machine.travel(at(2026, 11, 1), tick=False):
            nc = raise_nc(world, world.A, owner=world.binh)
            action = approved(world, nc, owner=world.binh)
        with time_machine.travel(at(2026, 11, 1 + days), tick=False):
            services.action_complete(actor=world.binh, action=action)
            services.nonconformity_verify(
                actor=world.an, nonconformity=nc, effective=True, note="Ổn"
            )
            services.nonconformity_close(actor=world.an, nonconformity=nc)
    client.force_login(world.dung)
    response = client.get(reverse("improvements:overview") + "?year=2026")
    rows = {a.code: a for a in response.context["object_list"]}
    assert rows["A"].nc_days == 7 and rows["A"].nc_closed == 2


def test_an_objective_not_met_raises_a_nonconformity_from_its_page(client, world):
    from eiso.objectives import services as objective_services
    from eiso.objectives.tests.factories import first_objective, issued_set

    objective = first_objective(issued_set(world, world.A, 2026))
    objective_services.measurement_record(actor=world.an, objective=objective, period=1, value="90")
    client.force_login(world.an)
    page = client.get(reverse("objectives:detail", args=[objective.pk])).content.decode()
    url = reverse("improvements:raise_from_objective", args=[objective.pk])
    assert url in page
    form = client.get(url)
    assert objective.statement in form.content.decode()
    client.post(
        url,
        {
            "source": "objective",
            "source_ref": "x",
            "title": "Mục tiêu 1 không đạt quý I",
            "description": "Tỷ lệ đúng hạn 90 %, chỉ tiêu 98 %",
        },
    )
    nc = Nonconformity.objects.get()
    assert nc.source == "objective" and nc.title == "Mục tiêu 1 không đạt quý I"
    client.force_login(world.chi)
    assert client.get(url).status_code == 404


def test_the_hook_is_disabled_without_the_module(client, world, settings):
    from eiso.objectives.tests.factories import first_objective, issued_set
    from eiso.objectives.views.objectives import nonconformity_hook

    objective = first_objective(issued_set(world, world.A, 2026))
    assert nonconformity_hook(world.an, objective)
    from unittest import mock

    with mock.patch("eiso.objectives.views.objectives.apps.is_installed", return_value=False):
        assert nonconformity_hook(world.an, objective) is None
    assert nonconformity_hook(world.chi, objective) is None


def test_a_verifier_who_is_not_the_owner_sees_the_verify_form(client, world):
    nc = raise_nc(world, world.A, owner=world.binh)
    action = approved(world, nc, owner=world.binh)
    services.action_complete(actor=world.binh, action=action)
    client.force_login(auditor(world, world.A))
    assert (
        'data-testid="verify-form"'
        in client.get(reverse("improvements:detail", args=[nc.pk])).content.decode()
    )
    client.force_login(world.binh)
    assert (
        'data-testid="verify-form"'
        not in client.get(reverse("improvements:detail", args=[nc.pk])).content.decode()
    )


def test_the_lists_export_xlsx(client, world):
    raise_nc(world, world.A)
    client.force_login(world.an)
    for name in ("improvements:list", "improvements:actions"):
        response = client.get(reverse(name) + "?export=xlsx")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_record_page_keeps_its_query_count(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    nc = raise_nc(world, world.A, owner=world.binh)
    approved(world, nc, owner=world.binh)
    client.force_login(world.binh)
    url = reverse("improvements:detail", args=[nc.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    nc.refresh_from_db()
    for n in range(3):
        CorrectiveAction.objects.create(
            agency=nc.agency,
            nonconformity=nc,
            number=10 + n,
            action=f"Thêm {n}",
            owner=world.binh,
            due_date=datetime.date(2026, 12, 20),
        )
    with django_assert_num_queries(len(first)):
        client.get(url)
