"""Reminders from the overseer: who is reminded, who is told, and the agencies nobody can be
reminded in — never reported as sent."""

from __future__ import annotations

import pytest

from eiso.accounts.models import Membership
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.models import AuditEvent, Notification
from eiso.oversight import selectors, services
from eiso.oversight.tests.worlds import announcement
from eiso.qms.choices import QmsStatus, ReminderKind
from eiso.qms.models import Announcement, QualitySystem, Reminder


@pytest.fixture
def announced_a(world):
    """A announced and flagged for re-announcement; B and P (must apply) have not announced.
    P (the People's Committee) has nobody with the ISO secretary or head role."""
    Announcement.objects.bulk_create([announcement(world.A, number="25/QĐ-STP")])
    QualitySystem.objects.create(
        agency=world.A, status=QmsStatus.ANNOUNCED, reannouncement_reason="Sáp nhập xã"
    )
    return world


@pytest.mark.django_db
def test_reminders_reach_only_the_agencies_that_have_not_announced(announced_a):
    world = announced_a
    result = services.reminders_send(
        actor=world.dung, root=world.P, kind=ReminderKind.NOT_ANNOUNCED, message="Nhắc công bố"
    )
    assert result.count == 1
    assert [a.code for a in result.unreachable] == ["P"]
    assert set(Reminder.objects.values_list("agency__code", flat=True)) == {"B"}
    notification = Notification.objects.get(user=world.chi, agency=world.B)
    assert notification.url.endswith(f"?agency={world.B.pk}")  # it leads somewhere
    assert not Notification.objects.filter(user__in=[world.an, world.hai, world.cuong]).exists()
    reminder = Reminder.objects.get(agency=world.B)
    assert reminder.sent_by == world.dung and reminder.recipients == 1
    assert reminder.message == "Nhắc công bố"
    assert AuditEvent.objects.filter(action="qms.remind", agency=world.B).exists()
    assert not AuditEvent.objects.filter(action="qms.remind", agency=world.P).exists()


@pytest.mark.django_db
def test_a_reminder_that_reaches_nobody_is_not_recorded_as_sent(announced_a):
    """B's only secretary leaves (role ended) and P never had one: nothing is sent, nothing
    is recorded as sent, and both are named."""
    world = announced_a
    Membership.objects.filter(user=world.chi).update(is_active=False)
    result = services.reminders_send(
        actor=world.dung, root=world.P, kind=ReminderKind.NOT_ANNOUNCED
    )
    assert result.count == 0 and not Reminder.objects.exists()
    assert [a.code for a in result.unreachable] == ["P", "B"]
    assert not Notification.objects.exists()
    found = selectors.unreachable_targets(
        actor=world.dung, root=world.P, kind=ReminderKind.NOT_ANNOUNCED
    )
    assert {a.code for a in found} == {"P", "B"}


@pytest.mark.django_db
def test_an_inactive_account_does_not_count_as_someone_to_remind(announced_a):
    world = announced_a
    type(world.chi).objects.filter(pk=world.chi.pk).update(is_active=False)
    result = services.reminders_send(
        actor=world.dung, root=world.P, kind=ReminderKind.NOT_ANNOUNCED
    )
    assert result.count == 0 and {a.code for a in result.unreachable} == {"P", "B"}


@pytest.mark.django_db
def test_reminders_of_a_due_reannouncement_reach_the_secretary_and_the_head(announced_a):
    world = announced_a
    result = services.reminders_send(
        actor=world.dung, root=world.P, kind=ReminderKind.REANNOUNCEMENT_DUE
    )
    assert result.count == 1 and result.unreachable == []
    assert list(Reminder.objects.values_list("agency__code", flat=True)) == ["A"]
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"an", "hai"}  # not binh (staff), not chi (agency B)


@pytest.mark.django_db
def test_an_overseer_cannot_remind_another_province(world):
    with pytest.raises(NotPermitted):
        services.reminders_send(actor=world.em, root=world.P, kind=ReminderKind.NOT_ANNOUNCED)
    with pytest.raises(NotPermitted):
        services.reminders_send(actor=world.an, root=world.A, kind=ReminderKind.NOT_ANNOUNCED)
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_an_unknown_kind_of_reminder_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        services.reminders_send(actor=world.dung, root=world.P, kind="whatever")
    assert "kind" in refused.value.fields
    assert not Reminder.objects.exists()
