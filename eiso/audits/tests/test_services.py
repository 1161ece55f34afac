"""Internal audits through their services: the plan and its gates, an auditor never on their own
department, the certificate warning, the checklist from the bank, findings raising
nonconformities, the report and closing — every guard refused."""

import datetime

import pytest

from eiso.audits import services
from eiso.audits.choices import AuditStatus
from eiso.audits.models import ChecklistItem, Finding, InternalAudit
from eiso.audits.tests.factories import FROM, approved, clause, plan, staffed
from eiso.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from eiso.improvements import services as improvements
from eiso.improvements.choices import NcStatus
from eiso.improvements.tests.factories import auditor, department

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november", "media_in_tmp")]


def test_only_the_keepers_plan_and_only_the_head_approves(world):
    with pytest.raises(NotPermitted):
        services.audit_create(
            actor=world.binh,
            agency=world.A,
            data={"scope": "x", "start_date": FROM, "end_date": FROM},
        )
    audit, _session, _lead = staffed(world, world.A)
    assert (audit.year, audit.sequence) == (2026, 1)
    assert audit.title.endswith("năm 2026 (đợt 1)")
    with pytest.raises(NotPermitted):
        services.audit_approve(actor=world.an, audit=audit, number="5", date=FROM)
    done = services.audit_approve(actor=world.hai, audit=audit, number="5", date=FROM)
    assert (done.status, done.plan_number) == (AuditStatus.APPROVED, "05/KH-A")


def test_approval_needs_a_lead_a_schedule_and_a_date_not_to_come(world):
    audit = plan(world, world.A)
    with pytest.raises(InvalidTransition, match="lead auditor"):
        services.audit_approve(actor=world.hai, audit=audit, number="5", date=FROM)
    lead = auditor(world, world.A, department_name="Văn phòng")
    services.team_add(actor=world.an, audit=audit, user=lead, role="lead")
    with pytest.raises(InvalidTransition, match="schedule"):
        services.audit_approve(actor=world.hai, audit=audit, number="5", date=FROM)
    with pytest.raises(ValidationFailed):
        services.audit_approve(
            actor=world.hai, audit=audit, number="5", date=datetime.date(2026, 11, 17)
        )


def test_an_auditor_may_not_audit_their_own_department(world):
    audit = plan(world, world.A)
    own = auditor(world, world.A, username="oanh", department_name="Phòng Bổ trợ tư pháp")
    services.team_add(actor=world.an, audit=audit, user=own, role="lead")
    with pytest.raises(ValidationFailed) as refused:
        services.session_add(
            actor=world.an,
            audit=audit,
            data={
                "department": department(world.A, "Phòng Bổ trợ tư pháp"),
                "date": FROM,
                "start_time": datetime.time(8),
                "end_time": datetime.time(9),
                "auditor": own,
            },
        )
    assert "auditor" in refused.value.fields
    assert "own department" in refused.value.fields["auditor"][0]
    assert "Phòng Bổ trợ tư pháp" in refused.value.fields["auditor"][0]
    # another department is fine
    services.session_add(
        actor=world.an,
        audit=audit,
        data={
            "department": department(world.A, "Văn phòng"),
            "date": FROM,
            "start_time": datetime.time(8),
            "end_time": datetime.time(9),
            "auditor": own,
        },
    )


def test_the_schedule_stays_within_the_audit_and_with_its_team(world):
    audit = plan(world, world.A)
    stranger = auditor(world, world.A, username="ngoai")
    base = {
        "department": department(world.A, "Văn phòng"),
        "date": FROM,
        "start_time": datetime.time(8),
        "end_time": datetime.time(9),
        "auditor": stranger,
    }
    with pytest.raises(ValidationFailed) as refused:
        services.session_add(actor=world.an, audit=audit, data=base)
    assert "auditor" in refused.value.fields  # not on the team
    services.team_add(actor=world.an, audit=audit, user=stranger, role="lead")
    for day in (datetime.date(2026, 11, 15), datetime.date(2026, 11, 19)):
        with pytest.raises(ValidationFailed) as refused:
            services.session_add(actor=world.an, audit=audit, data={**base, "date": day})
        assert "date" in refused.value.fields
    for day in (datetime.date(2026, 11, 16), datetime.date(2026, 11, 18)):
        services.session_add(actor=world.an, audit=audit, data={**base, "date": day})


def test_someone_from_another_agency_is_not_put_on_the_team(world):
    audit = plan(world, world.A)
    with pytest.raises(ValidationFailed):
        services.team_add(actor=world.an, audit=audit, user=world.chi)


def test_an_auditor_without_a_valid_certificate_is_warned_about(world, monkeypatch):
    """The wiring, with the training module's answer stood in for: asked for the audit's
    first day, a "no" becomes a warning kept on the member, a "yes" says nothing."""
    from eiso.audits.services import _common

    asked = []

    class Training:
        valid = False

        @classmethod
        def has_valid_certificate(cls, *, user, kind, on):
            asked.append((user, kind, on))
            return cls.valid

    monkeypatch.setattr(_common, "training_selectors", lambda: Training)
    audit = plan(world, world.A)
    member = services.team_add(actor=world.an, audit=audit, user=auditor(world, world.A))
    assert asked == [(member.user, "internal_auditor", FROM)]
    assert "certificate" in member.warning and "16/11/2026" in member.warning
    Training.valid = True
    other = services.team_add(
        actor=world.an, audit=audit, user=auditor(world, world.A, username="cochungchi")
    )
    assert other.warning == ""


def test_the_training_modules_certificates_are_read(world):
    from eiso.audits.services import _common

    if _common.training_selectors() is None:
        pytest.skip("the training module does not keep certificates yet")
    audit = plan(world, world.A)
    member = services.team_add(actor=world.an, audit=audit, user=auditor(world, world.A))
    assert "certificate" in member.warning  # nobody in this world has one


def test_without_the_training_module_nothing_is_said(world, monkeypatch):
    from django.apps import apps

    monkeypatch.setattr(apps, "is_installed", lambda name: name != "eiso.training")
    audit = plan(world, world.A)
    member = services.team_add(actor=world.an, audit=audit, user=auditor(world, world.A))
    assert member.warning == ""


def test_the_checklist_comes_from_the_bank_once(world):
    audit, session, _lead = staffed(world, world.A)
    copied = ChecklistItem.objects.filter(audit=audit)
    assert copied.count() >= 5
    assert set(copied.values_list("clause__code", flat=True)) == {"7.5", "8.5"}
    again = services.checklist_copy(
        actor=world.an, audit=audit, session=session, clauses=[clause("7.5")]
    )
    assert again == 0
    more = services.checklist_copy(
        actor=world.an,
        audit=audit,
        session=session,
        clauses=[clause("8.5")],
        processes=["Tiếp nhận và trả kết quả thủ tục hành chính"],
    )
    assert more > 0


def test_the_checklist_is_filled_only_by_the_team_once_the_plan_is_approved(world):
    audit, session, lead = staffed(world, world.A)
    item = ChecklistItem.objects.filter(audit=audit).first()
    with pytest.raises(InvalidTransition):  # still a draft
        services.checklist_answer(actor=lead, item=item, answer="conform")
    services.audit_approve(actor=world.hai, audit=audit, number="5", date=FROM)
    with pytest.raises(NotPermitted):
        services.checklist_answer(actor=world.binh, item=item, answer="conform")
    with pytest.raises(ValidationFailed):
        services.checklist_answer(actor=lead, item=item, answer="nonconform", note="")
    services.checklist_answer(actor=lead, item=item, answer="conform", note="Đủ hồ sơ")
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS


def test_a_minor_nonconformity_opens_its_corrective_action_record(world):
    audit, session, lead = approved(world, world.A)
    item = ChecklistItem.objects.filter(audit=audit).first()
    services.checklist_answer(actor=lead, item=item, answer="nonconform", note="Sổ theo dõi thiếu")
    finding = services.finding_record(
        actor=lead,
        audit=audit,
        data={
            "item": item,
            "grade": "minor",
            "clause": clause("7.5"),
            "department": session.department,
            "description": "Sổ theo dõi hồ sơ chưa ghi đủ ngày trả kết quả",
            "evidence": "Sổ theo dõi tháng 10/2026",
            "owner": world.binh,
        },
    )
    nc = finding.nonconformity
    assert (nc.source, nc.grade, nc.owner, nc.department) == (
        "internal_audit",
        "minor",
        world.binh,
        session.department,
    )
    assert "PH-01" in nc.source_ref and "7.5" in nc.source_ref
    with pytest.raises(ValidationFailed) as refused:
        services.finding_record(
            actor=lead,
            audit=audit,
            data={"grade": "major", "clause": clause("7.5"), "description": "x", "evidence": ""},
        )
    assert "evidence" in refused.value.fields


def test_the_report_needs_every_question_answered_and_a_conclusion(world):
    audit, session, lead = approved(world, world.A)
    items = list(ChecklistItem.objects.filter(audit=audit))
    services.checklist_answer(actor=lead, item=items[0], answer="conform")
    with pytest.raises(InvalidTransition, match="not answered"):
        services.audit_report(actor=lead, audit=audit, data={"conclusion": "Phù hợp"})
    for item in items[1:]:
        services.checklist_answer(actor=lead, item=item, answer="conform")
    with pytest.raises(InvalidTransition, match="conclusion"):
        services.audit_report(actor=lead, audit=audit, data={})
    with pytest.raises(ValidationFailed):
        services.audit_report(
            actor=lead,
            audit=audit,
            data={
                "conclusion": "x",
                "report_number": "3",
                "report_date": datetime.date(2026, 11, 17),
            },
        )
    with pytest.raises(NotPermitted):
        services.audit_report(actor=world.binh, audit=audit, data={"conclusion": "x"})
    reported = services.audit_report(
        actor=lead,
        audit=audit,
        data={"conclusion": "HTQLCL phù hợp", "report_number": "3", "report_date": FROM},
    )
    assert (reported.status, reported.report_number) == (AuditStatus.REPORTED, "03/BC-A")


def test_the_audit_closes_once_every_finding_is_answered(world):
    audit, session, lead = approved(world, world.A)
    for item in ChecklistItem.objects.filter(audit=audit):
        services.checklist_answer(actor=lead, item=item, answer="conform")
    minor = services.finding_record(
        actor=lead,
        audit=audit,
        data={
            "grade": "minor",
            "clause": clause("8.5"),
            "description": "Thiếu phiếu",
            "evidence": "Hồ sơ 12",
            "owner": world.binh,
        },
    )
    ofi = services.finding_record(
        actor=lead,
        audit=audit,
        data={"grade": "improvement", "clause": clause("7.5"), "description": "Số hóa sổ theo dõi"},
    )
    services.audit_report(
        actor=lead,
        audit=audit,
        data={"conclusion": "Phù hợp", "report_number": "3", "report_date": FROM},
    )
    with pytest.raises(InvalidTransition, match="PH-01"):
        services.audit_close(actor=world.an, audit=audit)
    nc = minor.nonconformity
    improvements.nonconformity_update(
        actor=world.binh, nonconformity=nc, data={"root_cause": "Chưa có mẫu phiếu"}
    )
    improvements.action_create(
        actor=world.binh,
        nonconformity=nc,
        data={
            "action": "Ban hành mẫu phiếu",
            "owner": world.binh,
            "due_date": datetime.date(2026, 12, 1),
        },
    )
    improvements.plan_submit(actor=world.binh, nonconformity=nc)
    improvements.plan_approve(actor=world.hai, nonconformity=nc)
    with pytest.raises(InvalidTransition, match="PH-02"):
        services.audit_close(actor=world.an, audit=audit)
    with pytest.raises(ValidationFailed):
        services.finding_reply(actor=world.binh, finding=minor, reply="x")
    services.finding_reply(actor=world.binh, finding=ofi, reply="Sẽ số hóa trong quý I/2027")
    closed = services.audit_close(actor=world.an, audit=audit)
    assert closed.status == AuditStatus.CLOSED
    assert Finding.objects.get(pk=minor.pk).nonconformity.status == NcStatus.PLAN_APPROVED


def test_the_question_bank_is_kept_by_administrators_only(world):
    with pytest.raises(NotPermitted):
        services.question_create(actor=world.an, data={"clause": clause("9.2"), "text": "x"})
    added = services.question_create(
        actor=world.quan, data={"clause": clause("9.2"), "text": "Chương trình có dựa trên rủi ro?"}
    )
    services.question_update(actor=world.quan, question=added, data={"is_active": False})
    added.refresh_from_db()
    assert not added.is_active


def test_the_plan_is_frozen_once_approved(world):
    audit, session, lead = approved(world, world.A)
    with pytest.raises(InvalidTransition):
        services.audit_update(actor=world.an, audit=audit, data={"scope": "Khác"})
    services.audit_revise(actor=world.an, audit=audit, reason="Đổi lịch")
    assert InternalAudit.objects.get(pk=audit.pk).status == AuditStatus.DRAFT


def test_a_plan_may_not_end_before_it_starts(world):
    with pytest.raises(ValidationFailed) as refused:
        plan(world, world.A, end_date=datetime.date(2026, 11, 1))
    assert "end_date" in refused.value.fields
