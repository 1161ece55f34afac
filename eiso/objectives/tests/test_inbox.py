"""Quality objectives in the work inbox: what waits on the head, the secretary and an owner,
with the measurement due on both sides of the end of a period."""

import datetime

import pytest

from eiso.core import inbox
from eiso.objectives import services
from eiso.objectives.tests.factories import (
    action_data,
    draft_set,
    issue,
    objective_data,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("july", "media_in_tmp")]


def kinds(user, day=None, kind=""):
    items = inbox.inbox_for(user, today=day or datetime.date(2026, 7, 15))
    return [i for i in items if not kind or i.kind == kind]


def test_submitted_objectives_wait_on_the_head_returned_ones_on_the_secretary(world):
    objective_set = draft_set(world, world.A, 2026)
    services.objective_set_submit(actor=world.an, objective_set=objective_set)
    assert [i.title for i in kinds(world.hai, kind="objectives.approve")] == [str(objective_set)]
    assert kinds(world.an, kind="objectives.approve") == []
    assert kinds(world.chi, kind="objectives.approve") == []
    services.objective_set_return(actor=world.hai, objective_set=objective_set, reason="Sửa")
    assert kinds(world.hai, kind="objectives.approve") == []
    assert [i.detail for i in kinds(world.an, kind="objectives.returned")] == ["Sửa"]


def test_a_measurement_is_due_from_the_owner_once_the_period_ends(world):
    objective_set = draft_set(world, world.A, 2026, objectives=0)
    objective = services.objective_create(
        actor=world.an, objective_set=objective_set, data=objective_data(owner=world.binh)
    )
    services.plan_action_create(actor=world.an, objective=objective, data=action_data(2026))
    issue(world, objective_set)
    services.measurement_record(actor=world.binh, objective=objective, period=1, value="99")
    # Q2 ends on 30/06: not due on that day, due the day after (and late after ten days)
    assert kinds(world.binh, datetime.date(2026, 6, 30), "objectives.measure") == []
    due = kinds(world.binh, datetime.date(2026, 7, 1), "objectives.measure")
    assert len(due) == 1 and "II" in due[0].title and due[0].due == datetime.date(2026, 7, 10)
    assert not due[0].overdue_on(datetime.date(2026, 7, 10))
    assert due[0].overdue_on(datetime.date(2026, 7, 11))
    # the secretary sees it too; the head (not the owner) and another agency do not
    assert len(kinds(world.an, datetime.date(2026, 7, 1), "objectives.measure")) == 1
    assert kinds(world.hai, datetime.date(2026, 7, 1), "objectives.measure") == []
    assert kinds(world.chi, datetime.date(2026, 7, 1), "objectives.measure") == []
    services.measurement_record(actor=world.binh, objective=objective, period=2, value="99")
    assert kinds(world.binh, datetime.date(2026, 7, 1), "objectives.measure") == []
