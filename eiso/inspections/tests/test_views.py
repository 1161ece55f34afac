"""The inspection pages: the isolation contract on every page (plans: the overseers of the
subtree keep them, a team reads its own; inspections: the inspected agency reads its own, the
overseer its subtree's, the team its plan's), pinned query counts on every list and on the
pages of one plan and one inspection, the flows from the pages (import with a bad row, pick
from the tree, the checklist from a phone-sized form with a refusal kept under its item), the
record and summary files."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eiso.core.scoping import forget_scope
from eiso.core.testing import IsolationContract
from eiso.inspections import services
from eiso.inspections.choices import Mode, Result, TeamRole
from eiso.inspections.models import Finding, Inspection, InspectionPlan, TeamMember
from eiso.inspections.tests.factories import (
    add,
    make_plan,
    ready,
    science_department,
    started,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june", "media_in_tmp")]

CSV = "text/csv"


def plan_in(world, agency):
    """A draft plan of ``agency``'s province (P for A and B, Q for C) inspecting ``agency``."""
    root = world.Q if agency.path.startswith(world.Q.path) else world.P
    plan = InspectionPlan.objects.filter(agency=root).first() or make_plan(world, root)
    add(world, plan, agency)
    return plan


class TestPlanIsolation(IsolationContract):
    """Plans live in the overseer's agency: dung keeps P's, em Q's; agency people see none."""

    home = "P"
    foreign = "Q"
    viewer = "dung"
    outsider = "em"
    overseer = "dung"
    outside_overseer_agency = "C"
    overseer_may_change = True

    def make(self, world, agency):
        root = world.Q if agency.path.startswith(world.Q.path) else world.P
        found = InspectionPlan.objects.filter(agency=root).first()
        if found is None:
            found = make_plan(world, root)
            add(world, found, world.C if root == world.Q else world.A)
        return found

    def list_url(self):
        return reverse("inspections:plan_list")

    def marker(self, obj):
        return f'href="/inspections/plans/{obj.pk}/"'

    def read_urls(self, obj):
        return [
            reverse("inspections:plan_detail", args=[obj.pk]),
            reverse("inspections:summary", args=[obj.pk]),
            reverse("inspections:summary_pdf", args=[obj.pk]),
            reverse("inspections:summary_docx", args=[obj.pk]),
            reverse("inspections:summary_xlsx", args=[obj.pk]),
        ]

    def change_requests(self, obj):
        visit = obj.inspections.first()
        return [
            ("post", reverse("inspections:plan_update", args=[obj.pk]), {"title": "x"}),
            ("post", reverse("inspections:agency_add", args=[obj.pk]), {"mode": "records"}),
            ("post", reverse("inspections:agency_pick", args=[obj.pk]), {"mode": "records"}),
            ("post", reverse("inspections:agency_import", args=[obj.pk]), {}),
            ("post", reverse("inspections:approve", args=[obj.pk]), {"decision_number": "1"}),
            ("post", reverse("inspections:team_add", args=[obj.pk]), {"role": "member"}),
            ("post", reverse("inspections:team_decision", args=[obj.pk]), {}),
            ("post", reverse("inspections:attach", args=[obj.pk, "decision"]), {}),
            ("post", reverse("inspections:summary", args=[obj.pk]), {}),
            ("post", reverse("inspections:complete", args=[obj.pk]), {}),
            ("post", reverse("inspections:visit_update", args=[visit.pk]), {"mode": "on_site"}),
            ("post", reverse("inspections:agency_remove", args=[visit.pk]), {}),
        ]

    def create_request(self, world, agency):
        return (
            "post",
            reverse("inspections:plan_create") + f"?agency={agency.pk}",
            {"year": "2026", "period_start": "01/06/2026", "period_end": "30/09/2026"},
        )

    def count(self):
        return InspectionPlan.objects.count()

    def test_agency_people_and_the_team_of_another_plan_see_no_plan(self, client, world):
        plan = self.make(world, world.P)
        client.force_login(world.an)
        assert client.get(reverse("inspections:plan_detail", args=[plan.pk])).status_code == 404
        assert f"/inspections/plans/{plan.pk}/" not in client.get(self.list_url()).content.decode()


class TestInspectionIsolation(IsolationContract):
    """One agency's inspection lives in that agency: an (A) reads A's, not B's."""

    def make(self, world, agency):
        plan = plan_in(world, agency)
        return plan.inspections.get(agency=agency)

    def list_url(self):
        return reverse("inspections:list")

    def marker(self, obj):
        return f'href="/inspections/{obj.pk}/"'

    def read_urls(self, obj):
        return [
            reverse("inspections:detail", args=[obj.pk]),
            reverse("inspections:checklist", args=[obj.pk]),
            reverse("inspections:record_pdf", args=[obj.pk]),
            reverse("inspections:record_docx", args=[obj.pk]),
        ]

    def change_requests(self, obj):
        return [
            ("post", reverse("inspections:start", args=[obj.pk]), {}),
            ("post", reverse("inspections:refresh", args=[obj.pk]), {}),
            ("post", reverse("inspections:finding_add", args=[obj.pk]), {"description": "x"}),
            ("post", reverse("inspections:conclude", args=[obj.pk]), {"conclusion": "x"}),
            ("post", reverse("inspections:record_attach", args=[obj.pk]), {}),
            ("post", reverse("inspections:return", args=[obj.pk]), {"note": "x"}),
            ("post", reverse("inspections:close", args=[obj.pk]), {}),
        ]

    def test_the_agency_itself_changes_only_its_remediation(self, client, world):
        obj = self.make(world, world.A)
        client.force_login(world.an)
        for method, url, data in self.change_requests(obj):
            assert self._send(client, method, url, data).status_code == 404, url
        assert client.get(reverse("inspections:remediation", args=[obj.pk])).status_code == 200
        client.force_login(world.chi)
        assert client.get(reverse("inspections:remediation", args=[obj.pk])).status_code == 404


def test_the_team_reads_its_plan_and_inspection_but_not_another_plan(client, world):
    dept = science_department(world)
    plan, (mine,) = ready(world, world.B)
    other = plan_in(world, world.C).inspections.get()
    client.force_login(dept.bao)
    for url in (
        reverse("inspections:plan_detail", args=[plan.pk]),
        reverse("inspections:detail", args=[mine.pk]),
        reverse("inspections:checklist", args=[mine.pk]),
        reverse("inspections:mine"),
    ):
        assert client.get(url).status_code == 200, url
    for url in (
        reverse("inspections:plan_detail", args=[other.plan_id]),
        reverse("inspections:detail", args=[other.pk]),
        reverse("inspections:approve", args=[plan.pk]),  # the team does not keep the plan
    ):
        assert client.get(url).status_code == 404, url


def test_my_inspections_is_in_the_menu_of_everyone_on_a_team(client, world):
    """An inspector has the entry by role; a head put on a team (as an expert) has it too, from
    the flag read with the memberships; someone on no team and without the role has none."""
    mine = reverse("inspections:mine")
    bao = science_department(world).bao
    client.force_login(bao)
    assert f'href="{mine}"' in client.get(reverse("dashboard:home")).content.decode()
    client.force_login(world.hai)
    assert f'href="{mine}"' not in client.get(reverse("dashboard:home")).content.decode()
    ready(world, world.B, members=[(bao, TeamRole.LEADER), (world.hai, TeamRole.MEMBER)])
    page = client.get(reverse("dashboard:home")).content.decode()
    assert f'href="{mine}"' in page
    assert client.get(mine).context["inspections"]
    client.force_login(world.binh)
    assert f'href="{mine}"' not in client.get(reverse("dashboard:home")).content.decode()


# --- query counts ----------------------------------------------------------------------------------


def _grow(world, n):
    dept = science_department(world)
    from eiso.organizations.tests.factories import AgencyFactory

    agencies = [AgencyFactory(code=f"X{n}{i}", parent=world.P) for i in range(n)]
    plan = InspectionPlan.objects.filter(agency=world.P).first()
    if plan is None:
        plan, _found = ready(world, *agencies)
    else:
        raise AssertionError("one plan per test")
    for inspection in plan.inspections.all():
        inspection = started(world, inspection, dept.bao)
        services.finding_record(
            actor=dept.bao,
            inspection=inspection,
            description="Thiếu",
            due_date=datetime.date(2026, 8, 1),
        )
    return plan


@pytest.mark.parametrize("size", [1, 3])
def test_lists_keep_their_query_count_as_rows_grow(client, world, size, django_assert_num_queries):
    plan = _grow(world, size)
    dept = science_department(world)
    pages = {
        ("dung", reverse("inspections:plan_list")): 6,
        # one query fewer than with a select: the agency filter is typed (AgencyField)
        ("dung", reverse("inspections:list")): 6,
        ("dung", reverse("inspections:plan_detail", args=[plan.pk])): 9,
        ("dung", reverse("inspections:summary", args=[plan.pk])): 8,
        ("bao", reverse("inspections:mine")): 7,
        ("bao", reverse("inspections:list")): 7,
    }
    for (who, url), expected in pages.items():
        client.force_login(dept.bao if who == "bao" else world.persona(who))
        client.get(url)  # the notifications it clears
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200, url


def test_pages_of_one_inspection_keep_their_query_count(client, world, django_assert_num_queries):
    dept = science_department(world)
    plan, (inspection,) = ready(world, world.B)
    inspection = started(world, inspection, dept.bao)
    client.force_login(dept.bao)
    urls = [
        reverse("inspections:detail", args=[inspection.pk]),
        reverse("inspections:checklist", args=[inspection.pk]),
    ]
    for url in urls:
        client.get(url)
    counts = {}
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts[url] = len(captured.captured_queries)
    for number in ("1.1", "2.1", "3.1"):
        services.finding_record(
            actor=dept.bao,
            inspection=inspection,
            description=f"Thiếu {number}",
            due_date=datetime.date(2026, 8, 1),
            answer=inspection.answers.get(number=number),
        )
    for url in urls:
        with django_assert_num_queries(counts[url]):
            client.get(url)


# --- flows ---------------------------------------------------------------------------------------------


def _csv(*rows: str) -> SimpleUploadedFile:
    body = "\n".join(["Mã cơ quan,Hình thức,Ngày,Địa điểm", *rows]).encode("utf-8")
    return SimpleUploadedFile("danh-sach.csv", body, content_type=CSV)


def test_the_agency_list_is_imported_after_a_bad_row_is_fixed(client, world):
    plan = make_plan(world)
    client.force_login(world.dung)
    url = reverse("inspections:agency_import", args=[plan.pk])
    bad = client.post(url, {"file": _csv("A,tại chỗ,10/06/2026,Trụ sở", "ZZZ,qua hồ sơ,,")})
    assert bad.status_code == 200
    report = bad.context["report"]
    assert not report.ok and report.bad_rows == {3}
    assert "ZZZ" in bad.content.decode()
    good = client.post(url, {"file": _csv("A,tại chỗ,10/06/2026,Trụ sở", "B,qua hồ sơ,,")})
    batch = good.context["batch"]
    assert good.context["report"].ok
    done = client.post(url, {"batch": batch.pk})
    assert done.status_code == 302
    rows = {i.agency.code: i for i in plan.inspections.select_related("agency")}
    assert set(rows) == {"A", "B"} and rows["A"].mode == Mode.ON_SITE
    assert rows["A"].date == datetime.date(2026, 6, 10)


def test_agencies_are_picked_from_the_tree_by_their_filters(client, world):
    from eiso.organizations.tests.factories import AgencyFactory, kind

    commune = AgencyFactory(code="XA1", parent=world.P, kind=kind("ubnd_xa"), tier="commune")
    plan = make_plan(world)
    client.force_login(world.dung)
    url = reverse("inspections:agency_pick", args=[plan.pk])
    found = client.get(url, {"tier": "commune", "mode": "records"})
    assert found.context["count"] == 1 and found.context["preview"] == [commune]
    client.post(url, {"tier": "commune", "mode": "on_site"})
    assert list(plan.inspections.values_list("agency__code", "mode")) == [("XA1", "on_site")]


def test_not_inspected_in_the_last_two_years(world):
    from eiso.inspections import selectors

    dept = science_department(world)
    plan_2025 = make_plan(
        world, year=2025, start=datetime.date(2025, 6, 1), end=datetime.date(2025, 9, 30)
    )
    (old,) = add(world, plan_2025, world.A)
    Inspection.objects.filter(pk=old.pk).update(
        status="closed", record_date=datetime.date(2025, 7, 1)
    )
    plan = make_plan(world)
    found = selectors.pickable_agencies(user=world.dung, plan=plan, not_inspected_years=2)
    assert world.A not in found and world.B in found
    found = selectors.pickable_agencies(user=world.dung, plan=plan)
    assert world.A in found and dept.D in found


def test_the_checklist_is_filled_from_a_phone_sized_form(client, world):
    dept = science_department(world)
    plan, (inspection,) = ready(world, world.B)
    client.force_login(dept.bao)
    assert client.post(reverse("inspections:start", args=[inspection.pk])).status_code == 302
    item = inspection.answers.get(number="1.1")  # the platform: not met
    page = client.post(
        reverse("inspections:answer", args=[item.pk]), {"result": "pass", "note": ""}
    )
    assert page.status_code == 200  # refused: a correction says why
    body = page.content.decode()
    assert 'data-testid="answer-error"' in body and 'value="pass" id="r-' in body
    done = client.post(
        reverse("inspections:answer", args=[item.pk]),
        {"result": "pass", "note": "Hồ sơ giấy đầy đủ"},
    )
    assert done.status_code == 302 and done["Location"].endswith(f"#item-{item.pk}")
    item.refresh_from_db()
    assert item.result == Result.PASS and item.corrected
    finding = client.post(
        reverse("inspections:finding_add", args=[inspection.pk]),
        {
            "description": "Chưa niêm yết quyết định công bố",
            "due_date": "15/08/2026",
            "answer": item.pk,
        },
    )
    assert finding.status_code == 302
    assert Finding.objects.get().nonconformity.agency == world.B


def test_the_record_and_the_summary_are_official_files(client, world):
    dept = science_department(world)
    plan, (inspection,) = ready(world, world.B)
    started(world, inspection, dept.bao)
    client.force_login(world.dung)
    pdf = client.get(reverse("inspections:record_pdf", args=[inspection.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("inspections:record_docx", args=[inspection.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    xlsx = client.get(reverse("inspections:summary_xlsx", args=[plan.pk]))
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Theo cấp", "Từng đơn vị"]
    assert "Sở Y tế tỉnh Phú An" in [c.value for c in book["Từng đơn vị"]["B"]]


def test_the_team_is_formed_from_the_plan_page(client, world):
    dept = science_department(world)
    plan = make_plan(world)
    add(world, plan, world.B)
    client.force_login(world.dung)
    url = reverse("inspections:team_add", args=[plan.pk])
    refused = client.post(url, {"role": "member", "user": world.chi.pk})
    # refused, in the page's language: "… không bố trí thành viên đoàn từ đơn vị được kiểm tra"
    assert refused.status_code == 200 and "user" in refused.context["form"].errors
    assert "từ đơn vị được kiểm tra" in refused.content.decode()
    assert not TeamMember.objects.filter(plan=plan).exists()
    assert client.post(url, {"role": "leader", "user": dept.bao.pk}).status_code == 302
    assert client.post(url, {"role": "member", "user": world.binh.pk}).status_code == 302
    decided = client.post(
        reverse("inspections:team_decision", args=[plan.pk]),
        {
            "team_decision_number": "130",
            "team_decision_date": "25/05/2026",
            "team_decision_signer": "Nguyễn Văn Tỉnh",
        },
    )
    assert decided.status_code == 302
    assert TeamMember.objects.filter(plan=plan).count() == 2
    plan.refresh_from_db()
    assert plan.team_decision_number == "130/QĐ-UBND"
    forget_scope(world.binh)


def test_team_only_pages_and_stored_files_are_404_outside_their_readers(client, world):
    """The pages not in the contracts above: an item's answer and the team's removal (the team
    and the plan's keepers only), the signed files (whoever reads the plan or inspection)."""
    from eiso.accounts.tests.factories import MembershipFactory, UserFactory
    from eiso.core.roles import Role

    dept = science_department(world)
    plan, (inspection,) = ready(world, world.B)
    inspection = started(world, inspection, dept.bao)
    services.plan_attach(
        actor=world.dung,
        plan=plan,
        which="decision",
        file=SimpleUploadedFile("qd.pdf", b"%PDF-1.4\n%scan\n%%EOF\n"),
    )
    member = plan.team.get()
    item = inspection.answers.get(number="1.1")
    # the inspector of another province's plan, on no team of P's
    other = UserFactory(username="khac", full_name="Lý Văn Khác")
    MembershipFactory(user=other, agency=world.C, role=Role.INSPECTOR)
    answer_url = reverse("inspections:answer", args=[item.pk])
    remove_url = reverse("inspections:team_remove", args=[member.pk])
    file_url = reverse("inspections:decision_file", args=[plan.pk, "decision"])
    for who in (world.an, world.chi, world.em, world.dung, other):
        client.force_login(who)
        assert client.post(answer_url, {"result": "pass", "note": "x"}).status_code == 404
    for who in (world.an, world.chi, world.em, dept.bao, other):
        client.force_login(who)
        assert client.post(remove_url).status_code == 404
    for who in (world.an, world.chi, world.em, other):
        client.force_login(who)
        assert client.get(file_url).status_code == 404
    for who in (world.dung, dept.bao):
        client.force_login(who)
        assert client.get(file_url).status_code == 200
    item.refresh_from_db()
    assert item.result == "" and plan.team.count() == 1
