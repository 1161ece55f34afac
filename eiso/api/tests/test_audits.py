"""The API of internal audits: isolation, the plan (an auditor refused on their own department,
in the one error shape), the checklist answered, a finding raising a nonconformity, the report,
pinned query counts."""

import pytest
import time_machine
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.audits import services
from eiso.audits.models import AuditSession, ChecklistItem, InternalAudit
from eiso.audits.tests.factories import FROM, approved, clause, load_bank, staffed
from eiso.core.testing import IsolationContract
from eiso.improvements.tests.factories import auditor, department
from eiso.objectives.tests.conftest import at

pytestmark = pytest.mark.usefixtures("november", "media_in_tmp", "bank")


@pytest.fixture
def november():
    with time_machine.travel(at(2026, 11, 16), tick=False) as traveller:
        yield traveller


@pytest.fixture
def bank(db):
    load_bank()


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def post(client, name, *args, data=None):
    return client.post(url(name, *args), data or {}, content_type="application/json")


KEEPERS = {"A": "an", "B": "chi", "C": "cuong"}


@pytest.mark.django_db
class TestAuditApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        audit, _session, _lead = staffed(world, agency)
        return services.audit_update(
            actor=world.persona(KEEPERS[agency.code]),
            audit=audit,
            data={"scope": f"Phạm vi API {agency.code}"},
        )

    def list_url(self):
        return url("audit-list")

    def marker(self, obj):
        return obj.scope

    def read_urls(self, obj):
        return [
            url("audit-detail", obj.pk),
            url("audit-checklist", obj.pk),
            url("audit-findings", obj.pk),
            url("audit-plan-pdf", obj.pk),
            url("audit-report-docx", obj.pk),
        ]

    def change_requests(self, obj):
        item = obj.checklist.first()
        return [
            ("patch", url("audit-detail", obj.pk), {"scope": "x"}),
            ("post", url("audit-team", obj.pk), {"user": 1}),
            ("post", url("audit-schedule", obj.pk), {}),
            ("post", url("audit-approve", obj.pk), {"number": "1", "date": "2026-11-16"}),
            ("post", url("audit-revise", obj.pk), {"reason": "x"}),
            ("post", url("audit-checklist", obj.pk), {"clauses": ["7.5"]}),
            ("post", url("audit-answer", obj.pk, item.pk), {"answer": "conform"}),
            ("post", url("audit-findings", obj.pk), {"grade": "minor"}),
            ("post", url("audit-report", obj.pk), {"conclusion": "x"}),
            ("post", url("audit-close", obj.pk), {}),
        ]

    def create_request(self, world, agency):
        data = {
            "agency": agency.pk,
            "scope": "x",
            "start_date": "2026-11-16",
            "end_date": "2026-11-17",
        }
        return ("post", url("audit-list"), data)

    def count(self):
        return InternalAudit.objects.count()


@pytest.mark.django_db
class TestProgrammeApiIsolation(IsolationContract):
    api = True

    def make(self, world, agency):
        return services.programme_create(
            actor=world.persona(KEEPERS[agency.code]),
            agency=agency,
            year=2026,
            data={"objectives": f"Chương trình API {agency.code}"},
        )

    def list_url(self):
        return url("audit-programme-list")

    def marker(self, obj):
        return obj.objectives

    def read_urls(self, obj):
        return [url("audit-programme-detail", obj.pk)]

    def change_requests(self, obj):
        return [
            ("patch", url("audit-programme-detail", obj.pk), {"objectives": "x"}),
            ("post", url("audit-programme-items", obj.pk), {"process": "x", "month": 3}),
            ("post", url("audit-programme-approve", obj.pk), {}),
        ]

    def create_request(self, world, agency):
        return ("post", url("audit-programme-list"), {"agency": agency.pk, "year": 2025})

    def count(self):
        from eiso.audits.models import AuditProgramme

        return AuditProgramme.objects.count()


@pytest.mark.django_db
def test_plan_team_schedule_and_the_own_department_refusal(client, world):
    client.force_login(world.an)
    created = post(
        client,
        "audit-list",
        data={
            "scope": "Các phòng chuyên môn",
            "start_date": "2026-11-16",
            "end_date": "2026-11-18",
        },
    )
    assert created.status_code == 201, created.content
    audit = created.json()
    own = auditor(world, world.A, username="oanh", department_name="Phòng Bổ trợ tư pháp")
    member = post(client, "audit-team", audit["id"], data={"user": own.pk, "role": "lead"})
    assert member.status_code == 201 and member.json()["role"] == "lead"
    error = assert_error_shape(
        post(
            client,
            "audit-schedule",
            audit["id"],
            data={
                "department": department(world.A, "Phòng Bổ trợ tư pháp").pk,
                "clauses": ["7.5", "8.5"],
                "date": "2026-11-16",
                "start_time": "08:00",
                "end_time": "10:00",
                "auditor": own.pk,
            },
        ),
        400,
    )
    assert "bộ phận mình" in error["fields"]["auditor"][0]  # Vietnamese first
    assert not AuditSession.objects.exists()
    ok = post(
        client,
        "audit-schedule",
        audit["id"],
        data={
            "department": department(world.A, "Văn phòng").pk,
            "clauses": ["7.5"],
            "date": "2026-11-16",
            "start_time": "08:00",
            "end_time": "10:00",
            "auditor": own.pk,
        },
    )
    assert ok.status_code == 201 and ok.json()["clauses"] == ["7.5"]
    copied = post(client, "audit-checklist", audit["id"], data={"clauses": ["7.5"]})
    assert copied.status_code == 200 and copied.json()["count"] > 0
    assert_error_shape(
        post(client, "audit-approve", audit["id"], data={"number": "5", "date": "2026-11-16"}), 403
    )
    client.force_login(world.hai)
    approved_ = post(
        client, "audit-approve", audit["id"], data={"number": "5", "date": "2026-11-16"}
    )
    assert approved_.json()["plan_number"] == "05/KH-A"


@pytest.mark.django_db
def test_answer_find_and_report_through_the_api(client, world):
    audit, session, lead = approved(world, world.A)
    item = ChecklistItem.objects.filter(audit=audit).first()
    client.force_login(lead)
    answered = post(
        client, "audit-answer", audit.pk, item.pk, data={"answer": "nonconform", "note": "Thiếu sổ"}
    )
    assert answered.json()["answer"] == "nonconform"
    finding = post(
        client,
        "audit-findings",
        audit.pk,
        data={
            "item": item.pk,
            "grade": "minor",
            "clause": "7.5",
            "department": session.department_id,
            "description": "Thiếu sổ theo dõi",
            "evidence": "Kiểm tra ngày 16/11",
            "owner": world.binh.pk,
        },
    )
    assert finding.status_code == 201, finding.content
    assert finding.json()["nonconformity_code"] == "01/2026"
    error = assert_error_shape(
        post(client, "audit-report", audit.pk, data={"conclusion": "x", "issue": True}), 409
    )
    assert "not answered" in error["message"] or "chưa" in error["message"]
    for other in ChecklistItem.objects.filter(audit=audit).exclude(pk=item.pk):
        services.checklist_answer(actor=lead, item=other, answer="conform")
    reported = post(
        client,
        "audit-report",
        audit.pk,
        data={
            "conclusion": "Phù hợp",
            "report_number": "3",
            "report_date": "2026-11-16",
            "issue": True,
        },
    )
    assert reported.json()["status"] == "reported" and reported.json()["report_number"] == "03/BC-A"


@pytest.mark.django_db
def test_lists_keep_their_query_count(client, world, django_assert_num_queries):
    client.force_login(world.dung)

    def add(agency, n):
        for _ in range(n):
            audit, session, lead = approved(world, agency)
            services.finding_record(
                actor=lead,
                audit=audit,
                data={"grade": "improvement", "clause": clause("8.5"), "description": "Cải tiến"},
            )

    add(world.A, 1)
    pinned = {"audit-list": 8, "audit-programme-list": 4}
    for name, queries in pinned.items():
        with django_assert_num_queries(queries):
            assert client.get(url(name)).status_code == 200
    add(world.B, 2)
    for name, queries in pinned.items():
        with django_assert_num_queries(queries):
            assert client.get(url(name)).status_code == 200
    audit = InternalAudit.objects.filter(agency=world.B).first()
    with django_assert_num_queries(11):
        assert client.get(url("audit-checklist", audit.pk)).status_code == 200
    services.checklist_copy(
        actor=world.chi,
        audit=audit,
        session=audit.sessions.first(),
        clauses=[clause("4.1"), clause("9.2"), clause("10.2")],
    )
    with django_assert_num_queries(11):
        assert client.get(url("audit-checklist", audit.pk)).status_code == 200
    assert FROM
