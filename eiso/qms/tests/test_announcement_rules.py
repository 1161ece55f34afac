"""The announcement's life on the workflow table (issue 7, A2, A3, A9): dates that cannot be
true are refused on both sides of each boundary (frozen clock), numbers take the official shape,
the overseer returns an announcement for correction with a reason and the agency corrects and
sends it again (history kept), drafts are edited and discarded but never once signed, and every
notification leads to the announcement."""

import datetime

import pytest
from django.urls import reverse

from eiso.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from eiso.core.models import AuditEvent, Notification
from eiso.qms import selectors, services
from eiso.qms.choices import AnnouncementAction, AnnouncementStatus
from eiso.qms.models import Announcement, CommitteeDecision
from eiso.qms.tests.test_qms import DAY, on, scan, scoped
from eiso.qms.workflows import WORKFLOW, ready

NEXT = DAY + datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def draft(world, agency=None, actor=None):
    return services.announcement_create(
        actor=actor or world.an,
        agency=agency or world.A,
        signer_name="Đặng Văn Hải",
        signer_title="GIÁM ĐỐC",
    )


def sign(world, announcement, number="25", date=DAY, actor=None):
    return services.announcement_sign(
        actor=actor or world.an,
        announcement=announcement,
        number=number,
        date=date,
        signed_scan=scan(),
    )


def sent(world, day=DAY, number="25"):
    """A's announcement signed on ``day`` and sent the next day at 10:00."""
    scoped(world, "1.001")
    with on(day):
        signed = sign(world, draft(world), number=number, date=day)
    with on(day + datetime.timedelta(days=1)):
        return services.announcement_send(actor=world.an, announcement=signed)


def url_of(announcement) -> str:
    return reverse("qms:announcement_detail", args=[announcement.pk])


# --- A2: dates that cannot be true --------------------------------------------------------------


@pytest.mark.django_db
def test_an_announcement_is_signed_today_at_the_latest(world):
    scoped(world, "1.001")
    with on(DAY, hour=23):
        prepared = draft(world)
        with pytest.raises(ValidationFailed) as refused:
            sign(world, prepared, date=NEXT)
        assert "date" in refused.value.fields
        assert NEXT.strftime("%d/%m/%Y") in refused.value.message
        assert Announcement.objects.get(pk=prepared.pk).status == AnnouncementStatus.DRAFT
        assert sign(world, prepared, date=DAY).status == AnnouncementStatus.SIGNED


@pytest.mark.django_db
def test_the_future_is_judged_in_vietnam_time(world):
    """At 01:00 in Hà Nội it is still the previous day in UTC: the Vietnamese day counts."""
    scoped(world, "1.001")
    with on(NEXT, hour=1):
        assert sign(world, draft(world), date=NEXT).date == NEXT


@pytest.mark.django_db
def test_a_reannouncement_is_not_dated_before_the_decision_it_replaces(world):
    sent(world)
    scoped(world, "1.002")
    with on(DAY + datetime.timedelta(days=30)):
        again = draft(world)
        with pytest.raises(ValidationFailed, match="25/QĐ-A"):
            sign(world, again, number="40", date=DAY - datetime.timedelta(days=1))
        assert sign(world, again, number="40", date=DAY).status == AnnouncementStatus.SIGNED


@pytest.mark.django_db
def test_a_committee_decision_is_signed_today_at_the_latest(world):
    members = [{"user": world.hai, "committee_role": "head"}]
    with on(DAY):
        with pytest.raises(ValidationFailed) as refused:
            services.committee_decision_create(
                actor=world.an, agency=world.A, number="5", date=NEXT, members=members
            )
        assert "date" in refused.value.fields
        assert not CommitteeDecision.objects.exists()
        decision = services.committee_decision_create(
            actor=world.an, agency=world.A, number="5", date=DAY, members=members
        )
    assert decision.number == "05/QĐ-A"


@pytest.mark.django_db
def test_a_receipt_is_dated_between_the_sending_and_today(world):
    announcement = sent(world)  # sent on DAY + 1
    with on(DAY + datetime.timedelta(days=5)):
        for wrong in (DAY, DAY + datetime.timedelta(days=6)):  # before sending, in the future
            with pytest.raises(ValidationFailed) as refused:
                services.announcement_receive(actor=world.dung, announcement=announcement, on=wrong)
            assert "on" in refused.value.fields
        assert Announcement.objects.get(pk=announcement.pk).status == AnnouncementStatus.SENT
        received = services.announcement_receive(
            actor=world.dung, announcement=announcement, on=NEXT
        )
    assert received.status == AnnouncementStatus.RECEIVED and received.received_on == NEXT


@pytest.mark.django_db
def test_the_receipt_defaults_to_today(world):
    announcement = sent(world)
    with on(DAY + datetime.timedelta(days=3)):
        received = services.announcement_receive(actor=world.dung, announcement=announcement)
    assert received.received_on == DAY + datetime.timedelta(days=3)


# --- A3: numbers ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_number_typed_is_completed_with_the_agencys_symbol(world):
    scoped(world, "1.001")
    with on(DAY):
        signed = sign(world, draft(world), number="45")
    assert signed.number == "45/QĐ-A"
    event = AuditEvent.objects.get(action="announcement.sign")
    assert event.changes["number"] == "45/QĐ-A"


@pytest.mark.django_db
def test_a_malformed_number_is_refused_and_nothing_is_saved(world):
    scoped(world, "1.001")
    with on(DAY):
        prepared = draft(world)
        for wrong in ("45/CV-A", "abc", "45/2025/QĐ-UBND"):
            with pytest.raises(ValidationFailed) as refused:
                sign(world, prepared, number=wrong)
            assert "number" in refused.value.fields
    assert Announcement.objects.get(pk=prepared.pk).number == ""


@pytest.mark.django_db
def test_the_same_number_in_another_shape_is_already_used(world):
    sent(world, number="25/QĐ-A")
    scoped(world, "1.002")
    with on(DAY + datetime.timedelta(days=10)):
        again = draft(world)
        with pytest.raises(ValidationFailed, match="25/QĐ-A"):
            sign(world, again, number="25", date=DAY + datetime.timedelta(days=10))


@pytest.mark.django_db
def test_a_committee_number_takes_the_same_shape(world):
    decision = services.committee_decision_create(
        actor=world.an,
        agency=world.A,
        number="7/qđ-a",
        date=DAY,
        members=[{"user": world.hai, "committee_role": "head"}],
    )
    assert decision.number == "07/QĐ-A"
    with pytest.raises(ValidationFailed):
        services.committee_decision_create(
            actor=world.an,
            agency=world.A,
            number="BCĐ-7",
            date=DAY,
            members=[{"user": world.hai, "committee_role": "head"}],
        )


# --- A9: returned for correction --------------------------------------------------------------


@pytest.mark.django_db
def test_the_overseer_returns_with_a_reason_and_the_agency_corrects_and_sends_again(world):
    announcement = sent(world)
    assert WORKFLOW.available(world.dung, announcement) == ["receive", "return"]
    assert sorted(WORKFLOW.available(world.an, announcement)) == ["attach_scan", "publish"]
    assert not ready(world.an, announcement, "attach_scan")  # the overseer holds the scan
    with on(DAY + datetime.timedelta(days=3)):
        with pytest.raises(ValidationFailed) as refused:
            services.announcement_return(actor=world.dung, announcement=announcement, reason=" ")
        assert "reason" in refused.value.fields
        with pytest.raises(NotPermitted):
            services.announcement_return(actor=world.an, announcement=announcement, reason="x")
        returned = services.announcement_return(
            actor=world.dung,
            announcement=announcement,
            reason="Bản scan thiếu trang 2; ngày ký ghi sai.",
        )
    assert returned.status == AnnouncementStatus.RETURNED
    # the agency's keepers are told, with the link to the announcement; staff are not
    told = Notification.objects.filter(message__contains="Bản scan thiếu trang 2")
    assert {n.user for n in told} == {world.an, world.hai}
    assert {n.url for n in told} == {url_of(announcement)}
    # a returned announcement was signed all the same: the QMS stays announced
    assert selectors.latest_announcement(agency=world.A) == returned
    assert WORKFLOW.available(world.dung, returned) == []
    with on(DAY + datetime.timedelta(days=4)):
        corrected = services.announcement_correct(
            actor=world.an,
            announcement=returned,
            date=DAY - datetime.timedelta(days=1),
            comment="Ngày ký đúng là ngày trước đó.",
        )
        services.announcement_attach_scan(actor=world.an, announcement=corrected, upload=scan())
        again = services.announcement_send(actor=world.an, announcement=corrected)
    assert again.status == AnnouncementStatus.SENT and again.date == DAY - datetime.timedelta(1)
    to_overseer = Notification.objects.filter(user=world.dung).order_by("id")
    assert to_overseer.count() == 2  # sent, then sent again once corrected
    assert to_overseer.first().message != to_overseer.last().message
    assert {n.url for n in to_overseer} == {url_of(announcement)}
    steps = [e.action for e in selectors.announcement_events(announcement=again)]
    assert steps == [
        AnnouncementAction.CREATE,
        AnnouncementAction.SIGN,
        AnnouncementAction.SEND,
        AnnouncementAction.RETURN,
        AnnouncementAction.CORRECT,
        AnnouncementAction.ATTACH_SCAN,
        AnnouncementAction.SEND,
    ]
    first_return = again.events.get(action=AnnouncementAction.RETURN)
    assert first_return.actor == world.dung and "trang 2" in first_return.comment
    audit = AuditEvent.objects.get(action="announcement.return")
    assert audit.reason.startswith("Bản scan") and audit.changes["status"] == ["sent", "returned"]


@pytest.mark.django_db
def test_the_agency_is_told_when_the_overseer_receives_its_announcement(world):
    announcement = sent(world)
    with on(DAY + datetime.timedelta(days=2)):
        services.announcement_receive(actor=world.dung, announcement=announcement)
    told = Notification.objects.filter(user__in=[world.an, world.hai], url=url_of(announcement))
    assert told.count() == 2
    assert all((DAY + datetime.timedelta(days=2)).strftime("%d/%m/%Y") in n.message for n in told)
    assert not Notification.objects.filter(user=world.binh).exists()


@pytest.mark.django_db
def test_every_notification_of_an_announcement_links_to_it(world):
    announcement = sent(world)
    with on(DAY + datetime.timedelta(days=2)):
        services.announcement_return(actor=world.dung, announcement=announcement, reason="Sửa")
        services.announcement_send(actor=world.an, announcement=announcement)
        services.announcement_receive(actor=world.dung, announcement=announcement)
    notes = Notification.objects.all()
    assert notes.count() >= 6
    assert set(notes.values_list("url", flat=True)) == {url_of(announcement)}


@pytest.mark.django_db
def test_the_scan_the_overseer_holds_is_replaced_only_after_a_return(world):
    announcement = sent(world)
    with pytest.raises(InvalidTransition):
        services.announcement_attach_scan(actor=world.an, announcement=announcement, upload=scan())
    with on(DAY + datetime.timedelta(days=2)):
        services.announcement_return(actor=world.dung, announcement=announcement, reason="Scan mờ")
    replaced = services.announcement_attach_scan(
        actor=world.an, announcement=announcement, upload=scan()
    )
    assert replaced.status == AnnouncementStatus.RETURNED


@pytest.mark.django_db
def test_only_a_sent_announcement_is_returned(world):
    scoped(world, "1.001")
    with on(DAY):
        signed = sign(world, draft(world))
    with pytest.raises(InvalidTransition):
        services.announcement_return(actor=world.dung, announcement=signed, reason="x")


# --- A9: drafts are edited and discarded, never once signed ---------------------------------


@pytest.mark.django_db
def test_a_draft_is_edited_and_its_scope_taken_again(world):
    scoped(world, "1.001")
    prepared = draft(world)
    scoped(world, "1.002")
    edited = services.announcement_update(
        actor=world.an, announcement=prepared, signer_name="Nguyễn Văn Phó", refresh_scope=True
    )
    assert edited.signer_name == "Nguyễn Văn Phó"
    assert edited.procedure_codes == ["1.001", "1.002"]
    event = AuditEvent.objects.get(action="announcement.update")
    assert event.changes["signer_name"] == ["Đặng Văn Hải", "Nguyễn Văn Phó"]
    with pytest.raises(NotPermitted):
        services.announcement_update(actor=world.binh, announcement=prepared, signer_name="X")


@pytest.mark.django_db
def test_a_draft_is_discarded_kept_out_of_the_list_and_a_new_one_may_start(world):
    scoped(world, "1.001")
    prepared = draft(world)
    with pytest.raises(NotPermitted):
        services.announcement_discard(actor=world.dung, announcement=prepared)
    services.announcement_discard(actor=world.an, announcement=prepared, reason="Làm lại")
    assert Announcement.objects.get(pk=prepared.pk).status == AnnouncementStatus.DISCARDED
    assert prepared not in selectors.announcement_list(user=world.an)
    assert prepared in selectors.announcement_list(user=world.an, status="discarded")
    assert selectors.draft_announcement(user=world.an, agency=world.A) is None
    assert draft(world).status == AnnouncementStatus.DRAFT
    assert AuditEvent.objects.get(action="announcement.discard").reason == "Làm lại"


@pytest.mark.django_db
def test_a_signed_announcement_is_neither_discarded_nor_edited_as_a_draft(world):
    scoped(world, "1.001")
    with on(DAY):
        signed = sign(world, draft(world))
    with pytest.raises(InvalidTransition):
        services.announcement_discard(actor=world.an, announcement=signed)
    with pytest.raises(InvalidTransition):
        services.announcement_update(actor=world.an, announcement=signed, signer_name="X")
    with pytest.raises(InvalidTransition):
        services.announcement_sign(actor=world.an, announcement=signed, number="26", date=DAY)
    assert Announcement.objects.get(pk=signed.pk).status == AnnouncementStatus.SIGNED


@pytest.mark.django_db
def test_a_correction_that_changes_nothing_is_refused(world):
    scoped(world, "1.001")
    with on(DAY):
        signed = sign(world, draft(world))
        with pytest.raises(ValidationFailed):
            services.announcement_correct(actor=world.an, announcement=signed, number="25")
        corrected = services.announcement_correct(actor=world.an, announcement=signed, number="26")
    assert corrected.number == "26/QĐ-A"
