"""Management reviews through their services: the input pack assembled from the other modules
at the meeting date (each section's source, "no data" when empty, edits kept), every guard of
the life cycle refused, the outputs tracked in the inbox on both sides of their due date, the
minutes."""

import datetime

import pytest
import time_machine

from eiso.audits import services as audit_services
from eiso.audits.models import ChecklistItem
from eiso.audits.tests.factories import FROM, approved, clause
from eiso.core import inbox
from eiso.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from eiso.improvements.tests.factories import raise_nc
from eiso.objectives import services as objective_services
from eiso.objectives.tests.conftest import at
from eiso.objectives.tests.factories import first_objective, issued_set
from eiso.reviews import services
from eiso.reviews.choices import ReviewStatus
from eiso.reviews.tests.factories import MEETING, plan_review

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


@pytest.fixture
def late_november():
    with time_machine.travel(at(2026, 11, 26), tick=False) as traveller:
        yield traveller


def sections(review):
    return {s.key: s for s in review.inputs.all()}


def test_the_pack_has_every_section_of_9_3_2_and_says_when_there_is_no_data(world, late_november):
    review = plan_review(world, world.A)
    found = sections(review)
    assert list(found) == [
        "previous_actions",
        "context",
        "satisfaction",
        "objectives",
        "process",
        "nonconformities",
        "monitoring",
        "audits",
        "providers",
        "resources",
        "risks",
        "improvement",
    ]
    assert all(s.source for s in found.values())
    empty = [s for s in found.values() if not s.has_data]
    assert len(empty) == 12
    assert all("Không có dữ liệu" in s.content and "25/11/2026" in s.content for s in empty)
    assert review.pack_as_of == MEETING


def test_the_pack_reads_objectives_audits_and_nonconformities_at_the_meeting_date(world):
    with time_machine.travel(at(2026, 7, 15), tick=False) as clock:
        objective_set = issued_set(world, world.A, 2026, statement="Giải quyết hồ sơ đúng hạn")
        objective = first_objective(objective_set)
        objective_services.measurement_record(
            actor=world.an, objective=objective, period=2, value="95"
        )
        clock.move_to(at(2026, 11, 16))
        audit, session, lead = approved(world, world.A)
        for item in ChecklistItem.objects.filter(audit=audit):
            audit_services.checklist_answer(actor=lead, item=item, answer="conform")
        audit_services.finding_record(
            actor=lead,
            audit=audit,
            data={
                "grade": "minor",
                "clause": clause("7.5"),
                "description": "Biểu mẫu cũ còn dùng tại Bộ phận Một cửa",
                "evidence": "Mẫu tờ khai phiên bản 2023",
            },
        )
        audit_services.audit_report(
            actor=lead,
            audit=audit,
            data={"conclusion": "HTQLCL cơ bản phù hợp", "report_number": "7", "report_date": FROM},
        )
        raise_nc(world, world.A, title="Hồ sơ trễ hạn tháng 11")
        clock.move_to(at(2026, 11, 26))
        review = plan_review(world, world.A)
    found = sections(review)
    assert (
        found["objectives"].has_data and "Giải quyết hồ sơ đúng hạn" in found["objectives"].content
    )
    assert "Không đạt" in found["objectives"].content  # 95 % against ≥ 98 %
    assert found["monitoring"].has_data
    assert found["audits"].has_data and "07/BC-A" in found["audits"].content
    assert "Biểu mẫu cũ" in found["audits"].content
    assert found["nonconformities"].has_data
    assert "Hồ sơ trễ hạn tháng 11" in found["nonconformities"].content
    assert "Biểu mẫu cũ" in found["nonconformities"].content  # the audit's NC is open too
    assert not found["providers"].has_data


def test_a_section_edited_by_hand_is_kept_when_assembled_again(world, late_november):
    review = plan_review(world, world.A, day=datetime.date(2026, 11, 30))  # still to come
    section = review.inputs.get(key="resources")
    services.input_update(
        actor=world.an, section=section, content="Đủ 12 công chức; thiếu máy quét."
    )
    raise_nc(world, world.A, title="Sai sót kết quả chứng thực")
    services.inputs_assemble(actor=world.an, review=review)
    found = sections(review)
    assert found["resources"].content == "Đủ 12 công chức; thiếu máy quét."
    assert found["resources"].edited and found["resources"].has_data
    assert "Sai sót kết quả chứng thực" in found["nonconformities"].content
    assert review.pack_as_of == datetime.date(2026, 11, 26)  # today, the meeting is to come
    with pytest.raises(ValidationFailed):
        services.input_update(actor=world.an, section=section, content=" ")
    with pytest.raises(NotPermitted):
        services.input_update(actor=world.binh, section=section, content="x")


def test_what_happened_after_the_meeting_is_not_in_its_pack(world, late_november):
    review = plan_review(world, world.A)  # met on 25/11
    raise_nc(world, world.A, title="Phát hiện sau cuộc họp")
    services.inputs_assemble(actor=world.an, review=review)
    assert not sections(review)["nonconformities"].has_data


def test_the_meeting_is_not_held_before_its_day_nor_without_a_chair(world):
    with time_machine.travel(at(2026, 11, 24, 23), tick=False):
        review = plan_review(world, world.A)
        with pytest.raises(InvalidTransition, match="25/11/2026"):
            services.review_hold(actor=world.an, review=review)
    with time_machine.travel(at(2026, 11, 25), tick=False):
        chairless = plan_review(world, world.A, chair=None)
        with pytest.raises(InvalidTransition, match="chairs"):
            services.review_hold(actor=world.an, review=chairless)
        held = services.review_hold(actor=world.an, review=review)
        assert held.status == ReviewStatus.HELD
        with pytest.raises(InvalidTransition):  # the pack is frozen once held
            services.inputs_assemble(actor=world.an, review=review)


def test_the_minutes_need_conclusions_a_number_and_a_date(world, late_november):
    review = plan_review(world, world.A)
    with pytest.raises(InvalidTransition):  # not held yet
        services.minutes_issue(actor=world.an, review=review, data={})
    services.review_hold(actor=world.an, review=review)
    with pytest.raises(InvalidTransition, match="conclusions"):
        services.minutes_issue(actor=world.an, review=review, data={})
    with pytest.raises(ValidationFailed):
        services.minutes_issue(
            actor=world.an,
            review=review,
            data={
                "conclusions": "x",
                "minutes_number": "4",
                "minutes_date": datetime.date(2026, 11, 24),
            },
        )
    issued = services.minutes_issue(
        actor=world.an,
        review=review,
        data={
            "conclusions": "HTQLCL phù hợp, có hiệu lực",
            "minutes_number": "4",
            "minutes_date": MEETING,
        },
    )
    assert (issued.status, issued.minutes_number) == (ReviewStatus.MINUTES_ISSUED, "04/BB-A")
    with pytest.raises(InvalidTransition):
        services.output_create(
            actor=world.an,
            review=review,
            data={
                "kind": "improvement",
                "description": "x",
                "due_date": datetime.date(2026, 12, 31),
            },
        )


def test_an_output_becomes_an_action_in_its_owners_inbox(world, late_november):
    review = plan_review(world, world.A)
    services.review_hold(actor=world.an, review=review)
    with pytest.raises(ValidationFailed):
        services.output_create(
            actor=world.an,
            review=review,
            data={"kind": "resource", "description": "x", "due_date": datetime.date(2026, 11, 24)},
        )
    output = services.output_create(
        actor=world.an,
        review=review,
        data={
            "kind": "resource",
            "description": "Trang bị máy quét cho Bộ phận Một cửa",
            "owner": world.binh,
            "due_date": datetime.date(2026, 12, 31),
        },
    )
    assert world.binh.notifications.filter(url__contains=f"/reviews/{review.pk}/").exists()

    def items(user, day):
        return [i for i in inbox.inbox_for(user, today=day) if i.kind.startswith("reviews.output")]

    assert items(world.binh, datetime.date(2026, 12, 16)) == []
    soon = items(world.binh, datetime.date(2026, 12, 17))
    assert len(soon) == 1 and not soon[0].overdue_on(datetime.date(2026, 12, 17))
    assert items(world.an, datetime.date(2026, 12, 31)) == []
    late = items(world.binh, datetime.date(2027, 1, 1))
    assert late[0].overdue_on(datetime.date(2027, 1, 1))
    assert [i.kind for i in items(world.an, datetime.date(2027, 1, 1))] == [
        "reviews.output_overdue"
    ]
    with pytest.raises(NotPermitted):
        services.output_complete(actor=world.chi, output=output)
    done = services.output_complete(actor=world.binh, output=output, result="Đã mua 2 máy")
    assert done.done_on == datetime.date(2026, 11, 26)
    assert items(world.binh, datetime.date(2027, 1, 1)) == []


def test_the_previous_reviews_actions_are_the_first_section(world):
    with time_machine.travel(at(2026, 6, 10), tick=False) as clock:
        first = plan_review(world, world.A, day=datetime.date(2026, 6, 10))
        services.review_hold(actor=world.an, review=first)
        services.output_create(
            actor=world.an,
            review=first,
            data={
                "kind": "qms_change",
                "description": "Sửa đổi QT-02",
                "due_date": datetime.date(2026, 9, 30),
            },
        )
        clock.move_to(at(2026, 11, 26))
        second = plan_review(world, world.A)
    section = sections(second)["previous_actions"]
    assert section.has_data and "Sửa đổi QT-02" in section.content and "quá hạn" in section.content
    assert second.sequence == 2


def test_only_the_keepers_plan_a_review(world, late_november):
    with pytest.raises(NotPermitted):
        services.review_create(actor=world.binh, agency=world.A, data={"meeting_date": MEETING})
    with pytest.raises(ValidationFailed):
        plan_review(world, world.A, chair=world.chi)
