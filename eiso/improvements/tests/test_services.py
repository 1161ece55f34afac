"""Nonconformities through their services: raising (the contract other modules call), the
record and its plan, every gate of the workflow refused, the effectiveness check by someone
other than the person responsible, closing, reopening with the history kept."""

import datetime

import pytest
import time_machine

from eiso.core.errors import (
    InvalidTransition,
    NotPermitted,
    SeparationOfDutiesViolation,
    ValidationFailed,
)
from eiso.core.models import AuditEvent
from eiso.improvements import services
from eiso.improvements.choices import NcStatus
from eiso.improvements.models import Nonconformity
from eiso.improvements.tests.factories import analysed, approved, auditor, raise_nc
from eiso.objectives.tests.conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november", "media_in_tmp")]


def test_raise_numbers_per_agency_and_year_and_tells_the_owner(world):
    first = raise_nc(world, world.A, owner=world.binh)
    second = raise_nc(world, world.A)
    other = raise_nc(world, world.B)
    assert (first.code, second.code, other.code) == ("01/2026", "02/2026", "01/2026")
    assert first.status == NcStatus.OPEN and first.raised_on == datetime.date(2026, 11, 16)
    assert world.binh.notifications.filter(url__endswith=f"/{first.pk}/").exists()
    assert AuditEvent.objects.filter(action="nonconformity.raise", object_id=str(first.pk))


def test_raise_is_the_contract_other_modules_call(world):
    nc = services.nonconformity_raise(
        actor=world.binh,
        agency=world.A,
        source="complaint",
        source_ref="Phản ánh số 12",
        title="Thái độ tiếp dân chưa đúng mực",
        description="Người dân phản ánh qua đường dây nóng.",
        due_date=datetime.date(2026, 12, 31),
        evidence="Biên bản tiếp nhận phản ánh ngày 10/11/2026",
    )
    assert nc.source_ref == "Phản ánh số 12" and nc.evidence_text.startswith("Biên bản")
    # the keepers hear of it when staff raise one
    assert world.an.notifications.filter(url__endswith=f"/{nc.pk}/").exists()


def test_raise_is_refused_outside_the_agency_and_with_bad_input(world):
    with pytest.raises(NotPermitted):
        services.nonconformity_raise(
            actor=world.chi,
            agency=world.A,
            source="staff",
            title="x",
            description="y",
        )
    # an overseer may raise one from an inspection of an agency below them
    found = services.nonconformity_raise(
        actor=world.dung, agency=world.A, source="inspection", title="x", description="y"
    )
    assert found.source == "inspection"
    with pytest.raises(ValidationFailed) as refused:
        services.nonconformity_raise(
            actor=world.an, agency=world.A, source="nowhere", title="x", description="y"
        )
    assert "source" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        services.nonconformity_raise(
            actor=world.an, agency=world.A, source="staff", title="", description=""
        )
    assert set(refused.value.fields) == {"title", "description"}
    with pytest.raises(ValidationFailed) as refused:
        raise_nc(world, world.A, owner=world.chi)
    assert "owner" in refused.value.fields
    assert Nonconformity.objects.count() == 1


def test_the_plan_cannot_be_submitted_without_a_cause_and_an_action(world):
    nc = raise_nc(world, world.A, owner=world.binh)
    with pytest.raises(InvalidTransition, match="root cause"):
        services.plan_submit(actor=world.binh, nonconformity=nc)
    services.nonconformity_update(
        actor=world.binh, nonconformity=nc, data={"root_cause": "Chưa phân công người thay"}
    )
    with pytest.raises(InvalidTransition, match="at least one corrective action"):
        services.plan_submit(actor=world.binh, nonconformity=nc)


def test_only_the_keepers_approve_the_plan_and_someone_else_may_not_write_it(world):
    nc = raise_nc(world, world.A, owner=world.binh)
    analysed(world, nc, owner=world.binh)
    other = auditor(world, world.A)
    with pytest.raises(NotPermitted):
        services.action_create(
            actor=other,
            nonconformity=nc,
            data={"action": "x", "due_date": datetime.date(2026, 12, 1)},
        )
    services.plan_submit(actor=world.binh, nonconformity=nc)
    with pytest.raises(NotPermitted):
        services.plan_approve(actor=world.binh, nonconformity=nc)
    with pytest.raises(ValidationFailed):
        services.plan_return(actor=world.hai, nonconformity=nc, reason=" ")
    services.plan_return(actor=world.hai, nonconformity=nc, reason="Thiếu thời hạn cụ thể")
    assert Nonconformity.objects.get().status == NcStatus.OPEN


def test_actions_cannot_start_before_the_plan_is_approved(world):
    nc = raise_nc(world, world.A, owner=world.binh)
    action = analysed(world, nc, owner=world.binh)
    with pytest.raises(InvalidTransition, match="before the plan is approved"):
        services.action_complete(actor=world.binh, action=action)
    services.plan_submit(actor=world.binh, nonconformity=nc)
    with pytest.raises(InvalidTransition, match="before the plan is approved"):
        services.action_complete(actor=world.binh, action=action)
    services.plan_approve(actor=world.hai, nonconformity=nc)
    services.action_complete(actor=world.binh, action=action, result="Đã ban hành")
    nc.refresh_from_db()
    assert nc.status == NcStatus.AWAITING_VERIFICATION


def test_an_action_is_not_done_on_a_day_to_come_nor_by_a_stranger(world):
    nc = raise_nc(world, world.A, owner=world.binh)
    action = approved(world, nc, owner=world.binh)
    with pytest.raises(ValidationFailed):
        services.action_complete(
            actor=world.binh, action=action, done_on=datetime.date(2026, 11, 17)
        )
    with pytest.raises(NotPermitted):
        services.action_complete(actor=auditor(world, world.A), action=action)


def test_the_record_cannot_close_until_every_action_is_done(world):
    nc = raise_nc(world, world.A, owner=world.binh)
    first = approved(world, nc, owner=world.binh)
    # a second action planned before approval... planned in the same round
    nc.refresh_from_db()
    services.action_complete(actor=world.binh, action=first)
    nc.refresh_from_db()
    assert nc.status == NcStatus.AWAITING_VERIFICATION
    # reopen-style second round: a record with one action not done cannot close
    other = raise_nc(world, world.A, owner=world.binh)
    a1 = analysed(world, other, owner=world.binh)
    services.action_create(
        actor=world.an,
        nonconformity=other,
        data={"action": "Tập huấn", "owner": world.binh, "due_date": datetime.date(2026, 12, 20)},
    )
    services.plan_submit(actor=world.an, nonconformity=other)
    services.plan_approve(actor=world.hai, nonconformity=other)
    services.action_complete(actor=world.binh, action=a1)
    other.refresh_from_db()
    assert other.status == NcStatus.IN_PROGRESS
    with pytest.raises(InvalidTransition, match="Every corrective action must be done"):
        services.nonconformity_close(actor=world.an, nonconformity=other)


def test_closing_needs_an_effectiveness_check_by_someone_other_than_the_owner(world):
    owner = auditor(world, world.A)  # a verifier by role, but the person responsible here
    nc = raise_nc(world, world.A, owner=owner)
    action = approved(world, nc, owner=owner)
    services.action_complete(actor=owner, action=action)
    with pytest.raises(InvalidTransition, match="before someone other than"):
        services.nonconformity_close(actor=owner, nonconformity=nc)
    with pytest.raises(SeparationOfDutiesViolation):
        services.nonconformity_verify(
            actor=owner, nonconformity=nc, effective=True, note="Tự kiểm tra"
        )
    with pytest.raises(NotPermitted):  # staff are neither keepers nor auditors
        services.nonconformity_verify(actor=world.binh, nonconformity=nc, effective=True, note="x")
    services.nonconformity_verify(
        actor=world.an, nonconformity=nc, effective=True, note="Tháng 11 không còn hồ sơ trễ hạn"
    )
    closed = services.nonconformity_close(actor=owner, nonconformity=nc)
    assert closed.status == NcStatus.CLOSED
    assert (closed.closed_on, closed.days_to_close) == (datetime.date(2026, 11, 16), 0)


def test_a_check_that_finds_it_not_effective_starts_a_new_round(world):
    nc = raise_nc(world, world.A, owner=world.binh)
    action = approved(world, nc, owner=world.binh)
    services.action_complete(actor=world.binh, action=action)
    services.nonconformity_verify(
        actor=world.an, nonconformity=nc, effective=False, note="Vẫn còn hồ sơ trễ"
    )
    nc.refresh_from_db()
    assert (nc.status, nc.round) == (NcStatus.OPEN, 2)
    with pytest.raises(InvalidTransition, match="at least one corrective action"):
        services.plan_submit(actor=world.binh, nonconformity=nc)
    assert nc.checks.count() == 1 and nc.actions.count() == 1


def test_reopen_keeps_the_history(world, november):
    nc = raise_nc(world, world.A, owner=world.binh)
    action = approved(world, nc, owner=world.binh)
    services.action_complete(actor=world.binh, action=action)
    services.nonconformity_verify(actor=world.an, nonconformity=nc, effective=True, note="Ổn")
    services.nonconformity_close(actor=world.an, nonconformity=nc)
    with pytest.raises(NotPermitted):
        services.nonconformity_reopen(actor=world.binh, nonconformity=nc, reason="Lặp lại")
    with pytest.raises(ValidationFailed):
        services.nonconformity_reopen(actor=world.an, nonconformity=nc, reason="")
    november.move_to(at(2026, 12, 10))
    reopened = services.nonconformity_reopen(
        actor=world.an, nonconformity=nc, reason="Tháng 12 lại có hồ sơ trễ hạn"
    )
    assert (reopened.status, reopened.round, reopened.closed_on) == (NcStatus.OPEN, 2, None)
    assert reopened.actions.filter(round=1, done_on__isnull=False).count() == 1
    assert reopened.checks.filter(round=1, effective=True).count() == 1
    events = list(
        AuditEvent.objects.filter(object_id=str(nc.pk), object_type="improvements.nonconformity")
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )
    assert events[-2:] == ["nonconformity.close", "nonconformity.reopen"]


def test_the_plan_is_frozen_once_approved(world):
    nc = raise_nc(world, world.A, owner=world.binh)
    action = approved(world, nc, owner=world.binh)
    with pytest.raises(InvalidTransition):
        services.action_update(actor=world.an, action=action, data={"action": "Khác"})
    with pytest.raises(InvalidTransition):
        services.nonconformity_update(actor=world.an, nonconformity=nc, data={"title": "Khác"})


def test_an_action_due_date_on_both_sides_of_the_day_raised(world):
    nc = raise_nc(world, world.A)
    with pytest.raises(ValidationFailed):
        services.action_create(
            actor=world.an,
            nonconformity=nc,
            data={"action": "x", "due_date": datetime.date(2026, 11, 15)},
        )
    services.action_create(
        actor=world.an,
        nonconformity=nc,
        data={"action": "x", "due_date": datetime.date(2026, 11, 16)},
    )


def test_raised_on_cannot_be_a_day_to_come(world):
    with time_machine.travel(at(2026, 11, 16, 23), tick=False):
        with pytest.raises(ValidationFailed):
            raise_nc(world, world.A, raised_on=datetime.date(2026, 11, 17))
        assert raise_nc(world, world.A, raised_on=datetime.date(2026, 11, 16)).pk
