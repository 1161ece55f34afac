"""Ratings and complaints through their services: the satisfied share and its refusals, no
personal data kept; the answer rule as data (per channel, from a date, working days on both
sides of a weekend and of a new rule); registering (staff) and submitting (the public portal);
every gate of the complaint's workflow; the contact kept out of the audit trail; the
nonconformity a complaint opens; the measurement source ``feedback.satisfaction``."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from eiso.core import measures
from eiso.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from eiso.core.models import AuditEvent
from eiso.feedback import deadlines, selectors, services
from eiso.feedback.choices import ComplaintStatus
from eiso.feedback.models import AnswerRule, Complaint, Rating
from eiso.feedback.tests.factories import rate, register, submitted, tthc
from eiso.objectives.tests.conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june")]
D = datetime.date


# --- ratings ------------------------------------------------------------------------------------


def test_a_rating_keeps_its_average_and_whether_it_is_satisfied(world):
    good = rate(world.A, attitude=5, timeliness=4, guidance=4)
    poor = rate(world.A, attitude=4, timeliness=3, guidance=4, result=3)
    assert (good.score, good.satisfied) == (Decimal("4.33"), True)
    assert (poor.score, poor.satisfied) == (Decimal("3.50"), False)
    assert good.submitted_on == D(2026, 6, 17) and good.result is None


def test_a_rating_is_refused_without_a_score_or_out_of_the_scale(world):
    with pytest.raises(ValidationFailed) as none:
        rate(world.A, attitude=None, timeliness="")
    assert "attitude" in none.value.fields
    with pytest.raises(ValidationFailed) as high:
        rate(world.A, attitude=6)
    with pytest.raises(ValidationFailed):
        rate(world.A, guidance=0)
    with pytest.raises(ValidationFailed):
        rate(world.A, result="x")
    assert "attitude" in high.value.fields and Rating.objects.count() == 0


def test_a_rating_names_only_a_procedure_and_a_desk_of_the_agency(world):
    mine = tthc(world, world.A, "1.001.A")
    theirs = tthc(world, world.B, "1.002.B", "Cấp phép")
    desk = services.desk_create(actor=world.an, agency=world.A, data={"name": "Quầy 1"})
    other = services.desk_create(actor=world.chi, agency=world.B, data={"name": "Quầy 1"})
    ok = services.rating_submit(agency=world.A, scores={"attitude": 5}, procedure=mine, desk=desk)
    assert ok.procedure == mine and ok.desk == desk
    with pytest.raises(ValidationFailed) as wrong_procedure:
        services.rating_submit(agency=world.A, scores={"attitude": 5}, procedure=theirs)
    assert "procedure" in wrong_procedure.value.fields
    with pytest.raises(ValidationFailed):
        services.rating_submit(agency=world.A, scores={"attitude": 5}, desk=other)
    desk = services.desk_update(actor=world.an, desk=desk, data={"is_active": False})
    with pytest.raises(ValidationFailed):
        services.rating_submit(agency=world.A, scores={"attitude": 5}, desk=desk)


def test_a_rating_keeps_nothing_about_the_person_not_even_an_audit_event(world):
    before = AuditEvent.objects.count()
    rate(world.A, comment="Cán bộ nhiệt tình")
    assert AuditEvent.objects.count() == before
    fields = {f.name for f in Rating._meta.get_fields()}
    assert not fields & {"ip", "remote_addr", "user", "name", "phone", "email", "created_by"}


def test_a_long_comment_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        rate(world.A, comment="x" * 1001)
    assert "comment" in refused.value.fields


def test_only_the_keepers_manage_desks(world):
    with pytest.raises(NotPermitted):
        services.desk_create(actor=world.binh, agency=world.A, data={"name": "Quầy 2"})
    services.desk_create(actor=world.hai, agency=world.A, data={"name": "Quầy 2"})
    with pytest.raises(ValidationFailed):
        services.desk_create(actor=world.an, agency=world.A, data={"name": "quầy 2"})


# --- the answer rule ------------------------------------------------------------------------------


def test_working_days_skip_the_weekend():
    friday = D(2026, 6, 19)
    assert deadlines.add_days(friday, 1, "working") == D(2026, 6, 22)  # Monday
    assert deadlines.add_days(friday, 10, "working") == D(2026, 7, 3)
    assert deadlines.add_days(D(2026, 6, 20), 1, "working") == D(2026, 6, 22)  # from Saturday
    assert deadlines.add_days(friday, 10, "calendar") == D(2026, 6, 29)


def test_the_due_date_comes_from_the_rule_of_the_channel_in_force_that_day(world):
    default = register(world, channel="desk")
    assert default.received_on == D(2026, 6, 17)
    assert default.due_date == D(2026, 7, 1)  # 10 working days
    assert "Nghị định 20/2008/NĐ-CP" in default.due_basis
    AnswerRule.objects.create(
        channel="hotline",
        days=5,
        day_kind="working",
        effective_from=D(2026, 6, 18),
        legal_basis="Quy chế đường dây nóng của tỉnh",
    )
    # received the day before the hotline's own rule: the general one
    before = register(world, channel="hotline")
    assert before.due_date == D(2026, 7, 1)
    with time_machine.travel(at(2026, 6, 18), tick=False):
        after = register(world, channel="hotline")
        by_email = register(world, channel="email")
    assert after.due_date == D(2026, 6, 25)
    assert after.due_basis.startswith("5 working days")
    assert by_email.due_date == D(2026, 7, 2)


def test_without_a_rule_a_complaint_is_refused_with_the_reason(world):
    AnswerRule.objects.all().delete()
    with pytest.raises(ValidationFailed) as refused:
        register(world)
    assert "rule" in refused.value.message
    assert Complaint.objects.count() == 0


# --- registering and submitting --------------------------------------------------------------------


def test_staff_register_a_complaint_numbered_per_agency_and_year_the_keepers_are_told(world):
    first = register(world, actor=world.binh, contact_phone="0912 345 678")
    second = register(world)
    other = register(world, world.B)
    assert (first.code, second.code, other.code) == ("01/2026", "02/2026", "01/2026")
    assert first.status == ComplaintStatus.RECEIVED and first.registered_by == world.binh
    assert world.an.notifications.filter(url__endswith=f"/complaints/{first.pk}/").exists()
    assert world.hai.notifications.filter(url__endswith=f"/complaints/{first.pk}/").exists()
    assert len(first.tracking_code) == 14 and first.tracking_code != second.tracking_code


def test_the_contact_never_reaches_the_audit_trail(world):
    complaint = register(
        world,
        contact_name="Nguyễn Văn Dân",
        contact_phone="0912345678",
        contact_email="dan@example.vn",
    )
    services.complaint_update(
        actor=world.an, complaint=complaint, data={"contact_phone": "0987654321"}
    )
    events = AuditEvent.objects.filter(object_type="feedback.complaint")
    text = " ".join(str(e.changes) for e in events)
    assert events.count() == 2
    for secret in ("Nguyễn Văn Dân", "0912345678", "0987654321", "dan@example.vn"):
        assert secret not in text
    assert events.filter(action="complaint.update").get().changes["contact_phone"] == [
        services.MASK,
        services.MASK,
    ]


def test_a_complaint_from_the_public_portal_gets_a_tracking_code(world):
    complaint = submitted(world.A, contact_email="dan@example.vn", received_on=D(2020, 1, 1))
    assert complaint.channel == "public_portal" and complaint.registered_by is None
    assert complaint.received_on == D(2026, 6, 17)  # not what the visitor sent
    assert services.normalize_tracking_code(complaint.tracking_code.lower().replace("-", " "))
    found = selectors.complaint_by_tracking_code(
        services.normalize_tracking_code(complaint.tracking_code.lower())
    )
    assert found == complaint
    event = AuditEvent.objects.get(action="complaint.create")
    assert event.actor is None and event.actor_name == "Citizen (public portal)"
    assert world.an.notifications.filter(url__endswith=f"/complaints/{complaint.pk}/").exists()


def test_registering_is_refused_outside_the_agency_and_with_bad_input(world):
    with pytest.raises(NotPermitted):
        register(world, world.A, actor=world.chi)
    with pytest.raises(NotPermitted):
        register(world, world.A, actor=world.dung)
    with pytest.raises(ValidationFailed) as future:
        register(world, received_on=D(2026, 6, 18))
    assert "received_on" in future.value.fields
    with pytest.raises(ValidationFailed) as email:
        register(world, contact_email="not an address")
    assert "contact_email" in email.value.fields
    with pytest.raises(ValidationFailed) as portal:
        register(world, channel="public_portal")
    assert "channel" in portal.value.fields
    with pytest.raises(ValidationFailed):
        register(world, subject=" ", content="")
    assert Complaint.objects.count() == 0


def test_tracking_codes_cannot_be_guessed_from_each_other(world):
    codes = {submitted(world.A, subject=f"Phản ánh {i}").tracking_code for i in range(30)}
    assert len(codes) == 30
    alphabet = set(services.CODE_ALPHABET) | {"-"}
    assert all(set(code) <= alphabet for code in codes)
    assert services.normalize_tracking_code("ABCD") == ""


# --- the workflow -----------------------------------------------------------------------------------


def test_assigned_answered_and_closed(world):
    complaint = register(world)
    with pytest.raises(NotPermitted):
        services.complaint_assign(actor=world.binh, complaint=complaint, handler=world.binh)
    with pytest.raises(ValidationFailed):
        services.complaint_assign(actor=world.an, complaint=complaint, handler=world.chi)
    services.complaint_assign(actor=world.an, complaint=complaint, handler=world.binh)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.HANDLING and complaint.handler == world.binh
    assert world.binh.notifications.filter(url__endswith=f"/complaints/{complaint.pk}/").exists()
    with pytest.raises(ValidationFailed):
        services.complaint_answer(actor=world.binh, complaint=complaint, answer="", outcome="x")
    services.complaint_answer(
        actor=world.binh,
        complaint=complaint,
        answer="Hồ sơ đã được trả kết quả ngày 18/06/2026. Xin lỗi ông/bà.",
        outcome="justified",
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED and not complaint.answered_late
    with pytest.raises(NotPermitted):
        services.complaint_close(actor=world.binh, complaint=complaint)
    services.complaint_close(actor=world.hai, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED and complaint.closed_on == D(2026, 6, 17)
    actions = list(
        AuditEvent.objects.filter(object_id=str(complaint.pk)).values_list("action", flat=True)
    )
    assert actions == [
        "complaint.close",
        "complaint.answer",
        "complaint.assign",
        "complaint.create",
    ]


def test_staff_who_do_not_handle_it_cannot_answer_nor_edit(world):
    complaint = register(world)
    with pytest.raises(NotPermitted):
        services.complaint_answer(
            actor=world.binh, complaint=complaint, answer="x", outcome="guidance"
        )
    with pytest.raises(NotPermitted):
        services.complaint_update(actor=world.binh, complaint=complaint, data={"subject": "y"})


def test_an_answer_after_the_due_date_is_kept_as_late(world):
    complaint = register(world)
    with time_machine.travel(at(2026, 7, 2), tick=False):
        services.complaint_answer(
            actor=world.an, complaint=complaint, answer="Trả lời", outcome="guidance"
        )
    complaint.refresh_from_db()
    assert complaint.answered_on == D(2026, 7, 2) and complaint.answered_late
    assert AuditEvent.objects.get(action="complaint.answer").changes["late"] is True


def test_declined_with_a_reason_and_reopened(world):
    complaint = register(world)
    with pytest.raises(ValidationFailed):
        services.complaint_decline(actor=world.an, complaint=complaint, reason=" ")
    services.complaint_decline(
        actor=world.an, complaint=complaint, reason="Không thuộc thẩm quyền của Sở Tư pháp."
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.DECLINED
    assert complaint.answer.startswith("Không thuộc")
    with pytest.raises(InvalidTransition):
        services.complaint_answer(
            actor=world.an, complaint=complaint, answer="x", outcome="guidance"
        )
    services.complaint_reopen(actor=world.an, complaint=complaint, reason="Người dân bổ sung")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.HANDLING and complaint.closed_on is None


def test_a_complaint_opens_a_nonconformity_once(world):
    from eiso.improvements.models import Nonconformity

    complaint = register(world, subject="Trả kết quả trễ hạn")
    nc = services.complaint_raise_nonconformity(actor=world.an, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.nonconformity_id == nc.pk
    saved = Nonconformity.objects.get(pk=nc.pk)
    assert saved.source == "complaint" and complaint.code in saved.source_ref
    assert saved.title == "Trả kết quả trễ hạn"
    with pytest.raises(InvalidTransition):
        services.complaint_raise_nonconformity(actor=world.an, complaint=complaint)
    with pytest.raises(NotPermitted):
        services.complaint_raise_nonconformity(actor=world.binh, complaint=register(world))


def test_without_the_improvements_app_the_hook_refuses_plainly(world, monkeypatch):
    complaint = register(world)
    monkeypatch.setattr(services, "nonconformities_available", lambda: False)
    with pytest.raises(InvalidTransition) as refused:
        services.complaint_raise_nonconformity(actor=world.an, complaint=complaint)
    assert "not installed" in refused.value.message


# --- summaries and the measurement source -------------------------------------------------------------


def test_the_satisfaction_source_is_registered_and_measures_the_period(world):
    source = measures.get("feedback.satisfaction")
    assert source is not None and source.unit == "%"
    for scores in ({"attitude": 5}, {"attitude": 4}, {"attitude": 4}, {"attitude": 2}):
        rate(world.A, on=D(2026, 5, 10), **scores)
    rate(world.A, on=D(2026, 4, 30), attitude=1)  # outside the period
    rate(world.B, on=D(2026, 5, 10), attitude=1)  # another agency
    value = measures.compute("feedback.satisfaction", world.A, D(2026, 5, 1), D(2026, 5, 31))
    assert value == Decimal("75.0")
    assert (
        measures.compute("feedback.satisfaction", world.A, D(2025, 1, 1), D(2025, 12, 31)) is None
    )


def test_the_summary_counts_each_criterion_in_one_query(world, django_assert_num_queries):
    """One aggregate (and the reader's scope, loaded once per request)."""
    rate(world.A, attitude=5, timeliness=5)
    rate(world.A, attitude=4, timeliness=2, comment="Chờ lâu")
    rate(world.A, attitude=1)
    with django_assert_num_queries(2):
        summary = selectors.satisfaction_summary(user=world.an, agency=world.A)
    assert (summary.total, summary.satisfied, summary.with_comment) == (3, 1, 1)
    assert summary.index == Decimal("33.3")
    attitude = summary.criteria[0]
    assert attitude.counts == [1, 0, 0, 1, 1] and attitude.answered == 3
    assert attitude.satisfied_percent == Decimal("66.7")
    assert summary.criteria[1].answered == 2


def test_the_complaint_summary_for_the_management_review(world):
    on_time = register(world, channel="desk")
    services.complaint_answer(actor=world.an, complaint=on_time, answer="x", outcome="justified")
    register(world, channel="email")
    summary = selectors.complaint_summary(
        user=world.an, agency=world.A, start=D(2026, 1, 1), end=D(2026, 7, 31)
    )
    assert (summary.received, summary.answered, summary.answered_on_time) == (2, 1, 1)
    assert summary.open == 1 and summary.overdue == 1  # the e-mail one is past 01/07 on 31/07
    assert summary.by_channel == {"desk": 1, "email": 1}
    assert summary.by_outcome == {"justified": 1}
