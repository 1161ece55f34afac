import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eiso.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from eiso.core.models import Notification
from eiso.procedures import services as procedures
from eiso.procedures.models import AdministrativeProcedure
from eiso.qms import selectors, services
from eiso.qms.choices import AnnouncementStatus, QmsStatus
from eiso.qms.models import Announcement, QualitySystem

DAY = datetime.date(2025, 9, 15)


def on(day: datetime.date, hour: int = 10):
    """The clock frozen at ``hour`` o'clock of ``day`` in Asia/Ho_Chi_Minh."""
    return time_machine.travel(f"{day.isoformat()} {hour:02d}:00 +0700", tick=False)


def scan():
    return SimpleUploadedFile("qd-cong-bo.pdf", b"%PDF-1.4\n%%EOF\n")


def tthc(code, level="provincial"):
    return AdministrativeProcedure.objects.create(code=code, name=f"Thủ tục {code}", level=level)


def scoped(world, *codes, agency=None):
    procedures.handled_assign(
        actor=world.an if agency is None else world.quan,
        agency=agency or world.A,
        procedures=[tthc(c) for c in codes],
    )


def announce(world, agency=None, number="25", date=DAY, reason="", actor=None):
    actor = actor or world.an
    agency = agency or world.A
    draft = services.announcement_create(
        actor=actor,
        agency=agency,
        signer_name="Đặng Văn Hải",
        signer_title="GIÁM ĐỐC",
        reason=reason,
    )
    return services.announcement_sign(
        actor=actor, announcement=draft, number=number, date=date, signed_scan=scan()
    )


@pytest.mark.django_db
def test_the_life_of_an_announcement(world):
    scoped(world, "1.001", "1.002")
    signed = announce(world)
    qms = QualitySystem.objects.get(agency=world.A)
    assert qms.status == QmsStatus.ANNOUNCED and signed.kind == "first"
    assert signed.scope_snapshot["procedures"] == ["1.001", "1.002"]
    with on(DAY + datetime.timedelta(days=1)):
        services.announcement_send(actor=world.an, announcement=signed)
    assert Notification.objects.filter(user=world.dung, agency=world.A).exists()
    with pytest.raises(NotPermitted):
        services.announcement_receive(actor=world.an, announcement=signed)
    received = services.announcement_receive(
        actor=world.dung, announcement=signed, on=datetime.date(2025, 9, 20)
    )
    assert received.status == AnnouncementStatus.RECEIVED and received.received_by == world.dung
    services.announcement_publish(actor=world.an, announcement=received)
    assert Announcement.objects.get(pk=signed.pk).is_published


@pytest.mark.django_db
def test_adding_procedures_makes_a_reannouncement_due_and_a_new_one_settles_it(world):
    scoped(world, "1.001")
    announce(world)
    assert selectors.reannouncement_reasons(user=world.an, agency=world.A) == []
    scoped(world, "1.002")
    reasons = selectors.reannouncement_reasons(user=world.an, agency=world.A)
    assert len(reasons) == 1 and "1.002" in reasons[0]
    again = announce(world, number="40", date=DAY + datetime.timedelta(days=30))
    assert again.kind == "re" and "1.002" in again.reason
    assert selectors.reannouncement_reasons(user=world.an, agency=world.A) == []


@pytest.mark.django_db
def test_a_new_standard_version_makes_a_reannouncement_due(world):
    scoped(world, "1.001")
    announce(world)
    qms = QualitySystem.objects.get(agency=world.A)
    services.qms_update(actor=world.an, agency=world.A, data={"standard_version": "2008"})
    assert selectors.reannouncement_reasons(user=world.an, agency=world.A) == [
        QualitySystem.objects.get(pk=qms.pk).reannouncement_reason
    ]


@pytest.mark.django_db
def test_refusals_save_nothing(world):
    with pytest.raises(ValidationFailed):  # empty scope
        services.announcement_create(
            actor=world.an, agency=world.A, signer_name="x", signer_title="y"
        )
    scoped(world, "1.001")
    with pytest.raises(NotPermitted):
        services.announcement_create(
            actor=world.binh, agency=world.A, signer_name="x", signer_title="y"
        )
    with pytest.raises(NotPermitted):
        services.announcement_create(
            actor=world.chi, agency=world.A, signer_name="x", signer_title="y"
        )
    draft = services.announcement_create(
        actor=world.an, agency=world.A, signer_name="x", signer_title="y"
    )
    with pytest.raises(InvalidTransition):  # one draft at a time
        services.announcement_create(
            actor=world.an, agency=world.A, signer_name="x", signer_title="y"
        )
    with pytest.raises(ValidationFailed):  # a future date
        services.announcement_sign(
            actor=world.an,
            announcement=draft,
            number="1/QĐ",
            date=timezone.localdate() + datetime.timedelta(days=5),
        )
    with pytest.raises(ValidationFailed):  # not a PDF or image
        services.announcement_sign(
            actor=world.an,
            announcement=draft,
            number="1/QĐ",
            date=DAY,
            signed_scan=SimpleUploadedFile("a.pdf", b"not a pdf"),
        )
    draft.refresh_from_db()
    assert draft.status == AnnouncementStatus.DRAFT and draft.number == ""
    with pytest.raises(InvalidTransition):
        services.announcement_send(actor=world.an, announcement=draft)


@pytest.mark.django_db
def test_the_committee_is_flagged_when_a_member_leaves_or_changes_position(world):
    assert selectors.committee_state(user=world.an, agency=world.A).needs_update
    with pytest.raises(ValidationFailed):  # no head
        services.committee_decision_create(
            actor=world.an,
            agency=world.A,
            number="5",
            date=DAY,
            members=[{"user": world.binh, "committee_role": "member"}],
        )
    with pytest.raises(ValidationFailed):  # someone of another agency
        services.committee_decision_create(
            actor=world.an,
            agency=world.A,
            number="5",
            date=DAY,
            members=[{"user": world.chi, "committee_role": "head"}],
        )
    services.committee_decision_create(
        actor=world.an,
        agency=world.A,
        number="5",
        date=DAY,
        members=[
            {"user": world.hai, "committee_role": "head", "position": "Giám đốc"},
            {"user": world.an, "committee_role": "secretary"},
            {"user": world.binh, "committee_role": "member"},
        ],
    )
    assert not selectors.committee_state(user=world.an, agency=world.A).needs_update
    world.binh.memberships.update(is_active=False)
    world.hai.position = "Phó Giám đốc"
    world.hai.save()
    flags = selectors.committee_state(user=world.an, agency=world.A).flags
    assert len(flags) == 2 and any("Lê Văn Bình" in f for f in flags)
