"""Issue 13, "Must show": an agency whose 2023 follows the cycle's dates exactly shows each
obligation met or overdue correctly on any date of 2023 (the clock moved day by day), and the
reminders fire once each."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from eiso.core.models import Notification
from eiso.cycle import selectors, services
from eiso.cycle.models import ReminderLog
from eiso.cycle.tests.year import EXPECTED, build_year, expected_state
from eiso.objectives.tests.conftest import at

pytestmark = pytest.mark.django_db

DAYS = [datetime.date(2023, 1, 1) + datetime.timedelta(days=n) for n in range(365)]


def _instance(obligation, task) -> str:
    return "task" if obligation.instance == f"task-{task.pk}" else obligation.instance


# The year day by day (365 clocks) takes tens of seconds of CPU: `make test-slow` (on SQLite),
# not `make test` nor `make test-postgres`.
@pytest.mark.slow
def test_every_day_of_2023_shows_each_obligation_as_the_dates_say(world):
    task = build_year(world)
    wrong = []
    for day in DAYS:
        with time_machine.travel(at(day.year, day.month, day.day), tick=False):
            found = selectors.agency_obligations(agency=world.A, year=2023, on=timezone.localdate())
        states = {(o.code, _instance(o, task)): o for o in found.obligations}
        for item in EXPECTED:
            want = expected_state(item, day)
            got = states.get((item.code, item.instance))
            if want is None:
                if got is not None:
                    wrong.append((day, item.code, item.instance, "exists too early"))
                continue
            if got is None or got.state != want or got.due != item.due:
                wrong.append(
                    (day, item.code, item.instance, want, got and got.state, got and got.due)
                )
        extra = set(states) - {(i.code, i.instance) for i in EXPECTED}
        if extra:
            wrong.append((day, "unexpected", sorted(extra)))
    assert wrong == []


def test_the_evidence_is_linked(world):
    build_year(world)
    found = selectors.agency_obligations(agency=world.A, year=2023, on=datetime.date(2023, 12, 31))
    by_code = {o.code: o for o in found.obligations if not o.instance or o.code != "master_list"}
    assert by_code["objectives"].evidence.url == reverse(
        "objectives:set_detail", args=[by_code["objectives"].evidence.url.split("/")[-2]]
    )
    assert "/audits/" in by_code["internal_audit"].evidence.url
    assert by_code["objectives_report"].anchor.date == datetime.date(2023, 10, 16)
    assert by_code["reannouncement"].trigger.date == datetime.date(2023, 7, 1)
    assert "88/QĐ-A" in by_code["reannouncement"].evidence.title


@pytest.mark.slow
def test_reminders_fire_once_each_as_the_clock_moves(world):
    build_year(world)
    for day in DAYS:
        with time_machine.travel(at(day.year, day.month, day.day, 7), tick=False):
            services.reminders_send(on=timezone.localdate())
    logs = ReminderLog.objects.filter(agency=world.A, year=2023)
    keys = Counter((r.rule_code, r.instance, r.stage) for r in logs)
    assert all(count == 1 for count in keys.values()), keys
    # Met before their reminder window: no reminder. Each one met within it: one "before".
    # The third quarter's review, never made: before, after, and escalated after 15 days.
    q3 = {r.stage: r for r in logs if r.rule_code == "master_list" and r.instance == "Q3"}
    assert set(q3) == {"before", "overdue", "escalation"}
    assert timezone.localdate(q3["before"].sent_at) == datetime.date(2023, 9, 20)
    assert timezone.localdate(q3["overdue"].sent_at) == datetime.date(2023, 10, 1)
    assert timezone.localdate(q3["escalation"].sent_at) == datetime.date(2023, 10, 15)
    assert [u.username for u in q3["escalation"].recipients.all()] == ["dung"]
    assert {u.username for u in q3["before"].recipients.all()} >= {"an", "hai"}
    for item in EXPECTED:
        stages = {
            s
            for (c, i, s) in keys
            if c == item.code
            and (i == item.instance or (item.instance == "task" and i[:5] == "task-"))
        }
        # The first day a "before" reminder may go: the reminder window opens (or the event
        # happens, if later); it goes when the obligation is not met by then.
        first = item.due - datetime.timedelta(days=item.remind_before)
        if item.appears is not None:
            first = max(first, item.appears)
        reminded = item.met is None or item.met > first
        assert ("before" in stages) == reminded, (item, stages)
        assert ("overdue" in stages) == (item.met is None), (item, stages)
    # Every reminder reached its people in the app, with a link to the obligations.
    for log in logs:
        for user in log.recipients.all():
            assert Notification.objects.filter(user=user, message=log.message).count() == 1


def test_running_twice_a_day_sends_nothing_more(world, django_capture_on_commit_callbacks):
    build_year(world)
    on = datetime.date(2023, 10, 20)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.reminders_send(on=on)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.reminders_send(on=on)
    assert sent >= first.total > 0
    assert len(mail.outbox) == sent
    assert first.total > 0
    assert second.total == 0
    assert second.already >= first.total
