"""The API of inspections: isolation of plans (the overseers of the subtree keep them) and of
inspections (the inspected agency reads its own, the team its plan's); the flow through the
API — a plan drafted, its agency list imported after a bad row is fixed, the two decisions, a
team with a member from another department (one from an inspected agency refused, in the one
error shape), the checklist filled with a correction that says why, a finding raising a
nonconformity, the record, the summary counting it; the team's access starting and ending with
the plan's period (frozen clock); pinned query counts on every list."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.core.scoping import forget_scope
from eiso.core.testing import IsolationContract
from eiso.improvements.models import Nonconformity
from eiso.inspections import services
from eiso.inspections.models import Inspection, InspectionPlan, TeamMember
from eiso.inspections.tests.factories import (
    add,
    at,
    make_plan,
    ready,
    science_department,
    started,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june", "media_in_tmp")]


@pytest.fixture
def june():
    """15/06/2026, inside the 2026 plan's period (01/06 – 30/09)."""
    with time_machine.travel(at(2026, 6, 15), tick=False) as traveller:
        yield traveller


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def post(client, name, *args, data=None):
    return client.post(url(name, *args), data or {}, content_type="application/json")


def plan_of(world, agency):
    """The draft plan of ``agency``'s province inspecting ``agency``."""
    root = world.Q if agency.path.startswith(world.Q.path) else world.P
    plan = InspectionPlan.objects.filter(agency=root).first() or make_plan(world, root)
    if not plan.inspections.filter(agency=agency).exists():
        add(world, plan, agency)
    return plan


def _csv(*rows: str) -> SimpleUploadedFile:
    body = "\n".join(["Mã cơ quan,Hình thức,Ngày,Địa điểm", *rows]).encode("utf-8")
    return SimpleUploadedFile("danh-sach.csv", body, content_type="text/csv")


class TestInspectionPlanApiIsolation(IsolationContract):
    """Plans live in the overseer's agency: dung keeps P's, em Q's."""

    api = True
    home = "P"
    foreign = "Q"
    viewer = "dung"
    outsider = "em"
    overseer = "dung"
    outside_overseer_agency = "C"
    overseer_may_change = True

    def make(self, world, agency):
        root = world.Q if agency.path.startswith(world.Q.path) else world.P
        plan = plan_of(world, world.C if root == world.Q else world.A)
        if not plan.team.exists():
            services.team_add(
                actor=world.em if root == world.Q else world.dung,
                plan=plan,
                role="member",
                name="Nguyễn Thị Ngoài",
                organisation="Hội Tiêu chuẩn và Bảo vệ người tiêu dùng",
            )
        return plan

    def list_url(self):
        return url("inspection-plan-list")

    def marker(self, obj):
        return f'"agency_code":"{obj.agency.code}"'

    def read_urls(self, obj):
        return [
            url("inspection-plan-detail", obj.pk),
            url("inspection-plan-agencies", obj.pk),
            url("inspection-plan-team", obj.pk),
            url("inspection-plan-summary", obj.pk),
            url("inspection-plan-summary-docx", obj.pk),
            url("inspection-plan-summary-xlsx", obj.pk),
        ]

    def change_requests(self, obj):
        visit = obj.inspections.first()
        member = obj.team.first()
        return [
            ("patch", url("inspection-plan-detail", obj.pk), {"title": "x"}),
            ("post", url("inspection-plan-agencies", obj.pk), {"mode": "records"}),
            ("post", url("inspection-plan-import", obj.pk), {}),
            ("post", url("inspection-plan-approve", obj.pk), {"number": "1"}),
            ("post", url("inspection-plan-team", obj.pk), {"role": "member"}),
            ("delete", url("inspection-plan-team-remove", obj.pk, member.pk), {}),
            ("post", url("inspection-plan-team-decision", obj.pk), {"number": "1"}),
            ("post", url("inspection-plan-attach", obj.pk), {}),
            ("post", url("inspection-plan-summary", obj.pk), {"summary_conclusion": "x"}),
            ("post", url("inspection-plan-complete", obj.pk), {}),
            ("post", url("inspection-schedule", visit.pk), {"mode": "on_site"}),
            ("delete", url("inspection-detail", visit.pk), {}),
        ]

    def create_request(self, world, agency):
        data = {
            "agency": agency.pk,
            "year": 2026,
            "period_start": "2026-06-01",
            "period_end": "2026-09-30",
        }
        return ("post", url("inspection-plan-list"), data)

    def count(self):
        return InspectionPlan.objects.count()

    def test_agency_people_see_no_plan(self, client, world):
        plan = self.make(world, world.P)
        client.force_login(world.an)
        assert client.get(url("inspection-plan-detail", plan.pk)).status_code == 404
        assert client.get(url("inspection-plan-list")).json()["count"] == 0


class TestInspectionApiIsolation(IsolationContract):
    """One agency's inspection lives in that agency: an (A) reads A's, not B's."""

    api = True

    def make(self, world, agency):
        return plan_of(world, agency).inspections.get(agency=agency)

    def list_url(self):
        return url("inspection-list")

    def marker(self, obj):
        return f'"agency_code":"{obj.agency.code}"'

    def read_urls(self, obj):
        return [
            url("inspection-detail", obj.pk),
            url("inspection-checklist", obj.pk),
            url("inspection-findings", obj.pk),
            url("inspection-record-docx", obj.pk),
        ]

    def change_requests(self, obj):
        return [
            ("post", url("inspection-start", obj.pk), {}),
            ("post", url("inspection-refresh", obj.pk), {}),
            ("post", url("inspection-findings", obj.pk), {"description": "x"}),
            ("post", url("inspection-record", obj.pk), {"conclusion": "x"}),
            ("post", url("inspection-record-attach", obj.pk), {}),
            ("post", url("inspection-return", obj.pk), {"note": "x"}),
            ("post", url("inspection-close", obj.pk), {}),
        ]

    def test_the_agency_changes_only_its_remediation(self, client, world):
        obj = self.make(world, world.A)
        client.force_login(world.an)
        for method, address, data in self.change_requests(obj):
            assert self._send(client, method, address, data).status_code == 404, address
        # its own remediation: refused by the workflow (nothing to remedy yet), not hidden
        assert_error_shape(
            post(client, "inspection-remediation", obj.pk, data={"report": "Đã khắc phục"}), 409
        )
        client.force_login(world.chi)
        response = post(client, "inspection-remediation", obj.pk, data={"report": "x"})
        assert_error_shape(response, 404)


def test_the_team_reads_its_plan_and_inspections_and_not_another_plan(client, world):
    dept = science_department(world)
    plan, (mine,) = ready(world, world.B)
    other = plan_of(world, world.C).inspections.get()
    inspection = started(world, mine, dept.bao)
    item = inspection.answers.get(number="1.1")
    client.force_login(dept.bao)
    assert client.get(url("inspection-plan-list")).json()["count"] == 1
    listed = client.get(url("inspection-list")).json()
    assert [row["agency_code"] for row in listed["results"]] == ["B"]
    assert client.get(url("inspection-plan-summary", plan.pk)).status_code == 200
    for address in (
        url("inspection-plan-detail", other.plan_id),
        url("inspection-detail", other.pk),
        url("inspection-checklist", other.pk),
    ):
        assert client.get(address).status_code == 404, address
    # the team does not keep the plan
    assert_error_shape(post(client, "inspection-plan-complete", plan.pk), 404)
    # an item of one inspection is not answered through another's URL
    response = post(client, "inspection-result", other.pk, item.pk, data={"result": "pass"})
    assert_error_shape(response, 404)


# --- the flow ------------------------------------------------------------------------------------


def test_plan_import_decisions_team_checklist_finding_and_summary(client, world):
    dept = science_department(world)
    client.force_login(world.dung)
    created = post(
        client,
        "inspection-plan-list",
        data={
            "agency": world.P.pk,
            "year": 2026,
            "period_start": "2026-06-01",
            "period_end": "2026-09-30",
        },
    )
    assert created.status_code == 201, created.content
    plan = created.json()
    assert plan["status"] == "draft" and plan["agency_count"] == 0
    address = url("inspection-plan-import", plan["id"])
    bad = client.post(
        address + "?dry_run=1", {"file": _csv("B,tại chỗ,10/06/2026,Trụ sở", "ZZZ,qua hồ sơ,,")}
    )
    assert bad.status_code == 200 and bad.json()["ok"] is False
    assert [e["row"] for e in bad.json()["errors"]] == [3]
    rejected = assert_error_shape(
        client.post(address, {"file": _csv("B,tại chỗ,10/06/2026,Trụ sở", "ZZZ,qua hồ sơ,,")}),
        400,
        "import_rejected",
    )
    assert rejected["rows"][0]["row"] == 3 and not Inspection.objects.exists()
    done = client.post(address, {"file": _csv("B,tại chỗ,10/06/2026,Trụ sở", "A,qua hồ sơ,,")})
    assert done.status_code == 201 and done.json() == {"imported": 2}
    agencies = client.get(url("inspection-plan-agencies", plan["id"])).json()["results"]
    assert {(row["agency_code"], row["mode"]) for row in agencies} == {
        ("A", "records"),
        ("B", "on_site"),
    }
    approved = post(
        client,
        "inspection-plan-approve",
        plan["id"],
        data={"number": "125", "date": "2026-05-20", "signer": "Nguyễn Văn Tỉnh"},
    )
    assert approved.json()["decision_number"] == "125/QĐ-UBND"
    assert approved.json()["status"] == "approved"
    # a member from an inspected agency (chi works in B) is refused
    refused = assert_error_shape(
        post(
            client,
            "inspection-plan-team",
            plan["id"],
            data={"role": "member", "user": world.chi.pk},
        ),
        400,
    )
    assert "đơn vị được kiểm tra" in refused["fields"]["user"][0]  # Vietnamese first
    # once approved, the list of agencies stays as decided
    visit_a = next(row for row in agencies if row["agency_code"] == "A")
    assert_error_shape(client.delete(url("inspection-detail", visit_a["id"])), 409)
    leader = post(
        client, "inspection-plan-team", plan["id"], data={"role": "leader", "user": dept.bao.pk}
    )
    assert leader.status_code == 201 and leader.json()["organisation"] == dept.D.name
    outsider = post(
        client,
        "inspection-plan-team",
        plan["id"],
        data={
            "role": "member",
            "name": "Lê Thị Thanh",
            "position": "Chuyên viên",
            "organisation": "Sở Nội vụ tỉnh Phú An",
        },
    )
    assert outsider.status_code == 201 and outsider.json()["user"] is None
    formed = post(
        client,
        "inspection-plan-team-decision",
        plan["id"],
        data={"number": "130", "date": "2026-05-25", "signer": "Nguyễn Văn Tỉnh"},
    )
    assert formed.json()["team_formed"] is True and formed.json()["team_count"] == 2
    team = client.get(url("inspection-plan-team", plan["id"])).json()["results"]
    assert [m["role"] for m in team] == ["leader", "member"]

    # the team fills B's checklist
    forget_scope(dept.bao)
    client.force_login(dept.bao)  # the session does not outlive the clock's jumps
    client.force_login(dept.bao)
    visit_b = next(row for row in agencies if row["agency_code"] == "B")
    started_ = post(client, "inspection-start", visit_b["id"])
    assert started_.json()["status"] == "in_progress" and started_.json()["item_count"] > 0
    items = client.get(url("inspection-checklist", visit_b["id"])).json()["results"]
    first = next(i for i in items if i["number"] == "1.1")
    assert first["platform_result"] == "fail"  # B keeps no documents on the platform
    why = assert_error_shape(
        post(client, "inspection-result", visit_b["id"], first["id"], data={"result": "pass"}),
        400,
    )
    assert "note" in why["fields"]
    given = post(
        client,
        "inspection-result",
        visit_b["id"],
        first["id"],
        data={"result": "fail", "note": "Chưa công bố HTQLCL"},
    )
    assert given.json()["result"] == "fail" and given.json()["corrected"] is False
    finding = post(
        client,
        "inspection-findings",
        visit_b["id"],
        data={
            "description": "Chưa ban hành quyết định công bố HTQLCL",
            "due_date": "2026-08-15",
            "answer": first["id"],
        },
    )
    assert finding.status_code == 201, finding.content
    assert finding.json()["code"] == "KT-01" and finding.json()["nonconformity_code"]
    nonconformity = Nonconformity.objects.get(pk=finding.json()["nonconformity"])
    assert nonconformity.agency == world.B
    early = assert_error_shape(
        post(client, "inspection-record", visit_b["id"], data={"conclusion": "x", "make": True}),
        409,
    )
    assert early["message"]
    for item in items:
        if item["id"] != first["id"]:
            post(
                client,
                "inspection-result",
                visit_b["id"],
                item["id"],
                data={"result": item["platform_result"] or "pass", "note": "Đã xem hồ sơ"},
            )
    made = post(
        client,
        "inspection-record",
        visit_b["id"],
        data={"conclusion": "Chưa công bố HTQLCL", "record_date": "2026-06-15", "make": True},
    )
    assert made.json()["status"] == "concluded" and made.json()["finding_count"] == 1
    pdf = client.get(url("inspection-record-pdf", visit_b["id"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # the agency sees its inspection and the summary counts the finding
    client.force_login(world.chi)
    mine = client.get(url("inspection-findings", visit_b["id"])).json()["results"]
    assert [f["code"] for f in mine] == ["KT-01"]
    client.force_login(world.dung)
    summary = client.get(url("inspection-plan-summary", plan["id"])).json()
    assert summary["total"]["in_plan"] == 2 and summary["total"]["findings"] == 1
    assert summary["total"]["on_site"] == 1 and summary["total"]["records"] == 1
    assert summary["total"]["recorded"] == 1 and summary["announced_line"] == "0/2"
    assert summary["nonconformities_open"] == 1
    assert {row["agency_code"]: row["finding_count"] for row in summary["agencies"]} == {
        "A": 0,
        "B": 1,
    }


def test_the_teams_access_starts_and_ends_with_the_plans_period(client, world, june):
    dept = science_department(world)
    plan, (inspection,) = ready(world, world.B)
    client.force_login(dept.bao)
    june.move_to(at(2026, 5, 31, 23, 50))  # the day before the period
    forget_scope(dept.bao)
    client.force_login(dept.bao)  # the session does not outlive the clock's jumps
    refused = assert_error_shape(post(client, "inspection-start", inspection.pk), 409)
    assert "01/06/2026" in refused["message"]
    june.move_to(at(2026, 6, 1, 0, 10))  # its first day
    forget_scope(dept.bao)
    client.force_login(dept.bao)  # the session does not outlive the clock's jumps
    assert post(client, "inspection-start", inspection.pk).status_code == 200
    item = Inspection.objects.get(pk=inspection.pk).answers.get(number="2.1")
    june.move_to(at(2026, 9, 30, 23, 50))  # its last day
    forget_scope(dept.bao)
    client.force_login(dept.bao)  # the session does not outlive the clock's jumps
    response = post(
        client,
        "inspection-result",
        inspection.pk,
        item.pk,
        data={"result": "not_applicable", "note": "Không có"},
    )
    assert response.status_code == 200, response.content
    june.move_to(at(2026, 10, 1, 0, 10))  # the day after
    forget_scope(dept.bao)
    client.force_login(dept.bao)  # the session does not outlive the clock's jumps
    assert_error_shape(
        post(
            client,
            "inspection-result",
            inspection.pk,
            item.pk,
            data={"result": "pass", "note": "x"},
        ),
        409,
    )
    # the team's own records stay readable
    assert client.get(url("inspection-detail", inspection.pk)).status_code == 200


# --- query counts ------------------------------------------------------------------------------


def _grow(world, size):
    from eiso.organizations.tests.factories import AgencyFactory

    dept = science_department(world)
    agencies = [AgencyFactory(code=f"X{size}{i}", parent=world.P) for i in range(size)]
    plan, inspections = ready(world, *agencies)
    for inspection in inspections:
        inspection = started(world, inspection, dept.bao)
        services.finding_record(
            actor=dept.bao,
            inspection=inspection,
            description="Thiếu sổ theo dõi",
            due_date=datetime.date(2026, 8, 1),
        )
    return plan


@pytest.mark.parametrize("size", [1, 3])
def test_lists_keep_their_query_count(client, world, size, django_assert_num_queries):
    plan = _grow(world, size)
    dept = science_department(world)
    first = plan.inspections.order_by("pk").first()
    pages = {
        ("dung", url("inspection-plan-list")): 6,
        ("dung", url("inspection-list")): 5,
        ("dung", url("inspection-plan-agencies", plan.pk)): 6,
        ("dung", url("inspection-plan-team", plan.pk)): 5,
        ("dung", url("inspection-plan-summary", plan.pk)): 8,
        ("bao", url("inspection-list")): 6,
        ("bao", url("inspection-checklist", first.pk)): 7,
        ("bao", url("inspection-findings", first.pk)): 6,
    }
    for (who, address), expected in pages.items():
        client.force_login(dept.bao if who == "bao" else world.persona(who))
        client.get(address)
        with django_assert_num_queries(expected):
            assert client.get(address).status_code == 200, address
    assert TeamMember.objects.filter(plan=plan).count() == 1
