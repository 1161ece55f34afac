"""Writes of the QMS record, announcements of conformity and the steering committee.
Keyword-only, one transaction, audited, permission-checked."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import ConcurrentEdit, InvalidTransition, NotPermitted, ValidationFailed
from eiso.core.files import JPEG, PDF, PNG, check_upload
from eiso.core.notifications import notify
from eiso.core.roles import Role
from eiso.core.text import clashes
from eiso.documents.choices import DocumentKind
from eiso.procedures.models import HandledProcedure
from eiso.qms import rules
from eiso.qms.choices import AnnouncementKind, AnnouncementStatus, QmsStatus, StandardVersion
from eiso.qms.models import Announcement, CommitteeDecision, CommitteeMember, QualitySystem

QMS_FIELDS = (
    "standard_version",
    "status",
    "internal_activities",
    "exclusions",
    "quality_policy",
    "consultant",
    "consultant_cost",
)
SIGNED = (AnnouncementStatus.SIGNED, AnnouncementStatus.SENT, AnnouncementStatus.RECEIVED)


def _require_keeper(actor, agency) -> None:
    if not rules.can_keep_qms(actor, agency):
        raise NotPermitted(_("Only the ISO secretary or the head keep this agency's QMS record."))


def _qms_locked(agency) -> QualitySystem:
    qms, _created = QualitySystem.objects.get_or_create(agency=agency)
    return QualitySystem.objects.select_for_update().get(pk=qms.pk)


def scope_snapshot(agency, qms: QualitySystem | None = None) -> dict:
    """The scope as it stands: the procedures handled now and the internal activities."""
    codes = sorted(
        HandledProcedure.objects.filter(agency=agency, is_active=True).values_list(
            "procedure__code", flat=True
        )
    )
    return {
        "procedures": codes,
        "internal_activities": (qms.internal_activities if qms else "").strip(),
    }


@transaction.atomic
def qms_update(*, actor, agency, data: dict, expected_version: int | None = None) -> QualitySystem:
    """Change the QMS record. Changing the standard version of an announced QMS makes a
    re-announcement due."""
    _require_keeper(actor, agency)
    qms = _qms_locked(agency)
    if expected_version is not None and expected_version != qms.version:
        raise ConcurrentEdit()
    policy = data.get("quality_policy")
    if policy is not None and (
        policy.agency_id != agency.pk or policy.kind != DocumentKind.QUALITY_POLICY
    ):
        message = _("Choose this agency's quality policy document.")
        raise ValidationFailed(message, fields={"quality_policy": [message]})
    if (
        data.get("status") == QmsStatus.ANNOUNCED
        and not Announcement.objects.filter(agency=agency, status__in=SIGNED).exists()
    ):
        message = _("The status becomes “announced” when an announcement is signed.")
        raise ValidationFailed(message, fields={"status": [message]})
    before = snapshot(qms, QMS_FIELDS)
    for name in QMS_FIELDS:
        if name in data:
            value = data[name]
            setattr(qms, name, value.strip() if isinstance(value, str) else value)
    changes = changes_between(before, snapshot(qms, QMS_FIELDS))
    if "standard_version" in changes and qms.status == QmsStatus.ANNOUNCED:
        qms.reannouncement_reason = _("The standard version changed to %(v)s.") % {
            "v": StandardVersion(qms.standard_version).label
        }
    qms.version = F("version") + 1
    qms.save()
    qms.refresh_from_db()
    if changes:
        audit_record(actor=actor, action="qms.update", obj=qms, changes=changes)
    return qms


@transaction.atomic
def qms_flag_reannouncement(*, actor, agency, reason: str) -> QualitySystem:
    """Mark an agency's QMS as due for re-announcement (mergers, splits…)."""
    qms = _qms_locked(agency)
    qms.reannouncement_reason = reason[:300]
    qms.save(update_fields=["reannouncement_reason", "updated_at"])
    audit_record(actor=actor, action="qms.flag_reannouncement", obj=qms, reason=reason)
    return qms


@transaction.atomic
def announcement_create(
    *,
    actor,
    agency,
    signer_name: str,
    signer_title: str,
    reason: str = "",
    number: str = "",
    date: datetime.date | None = None,
) -> Announcement:
    """A draft announcement with the scope as it stands now. It is a re-announcement when the
    agency has announced before — then the reason is required."""
    _require_keeper(actor, agency)
    qms = _qms_locked(agency)
    if Announcement.objects.filter(agency=agency, status=AnnouncementStatus.DRAFT).exists():
        raise InvalidTransition(_("This agency already has a draft announcement."))
    snapshot_now = scope_snapshot(agency, qms)
    if not snapshot_now["procedures"] and not snapshot_now["internal_activities"]:
        message = _("The scope is empty: add the procedures the agency handles first.")
        raise ValidationFailed(message)
    again = Announcement.objects.filter(agency=agency, status__in=SIGNED).exists()
    if again and not reason.strip():
        from eiso.qms.selectors import reannouncement_reasons

        reason = " ".join(reannouncement_reasons(user=actor, agency=agency))
    if again and not reason.strip():
        message = _("Say why the QMS is announced again (scope change, merger, new version…).")
        raise ValidationFailed(message, fields={"reason": [message]})
    announcement = Announcement.objects.create(
        agency=agency,
        kind=AnnouncementKind.RE if again else AnnouncementKind.FIRST,
        reason=reason.strip()[:300] if again else "",
        number=number.strip(),
        date=date,
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        standard_version=qms.standard_version,
        scope_snapshot=snapshot_now,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="announcement.create",
        obj=announcement,
        changes={"kind": announcement.kind, "procedures": len(snapshot_now["procedures"])},
    )
    return announcement


def _check_number_free(announcement: Announcement, number: str, date: datetime.date) -> None:
    taken = (
        Announcement.objects.filter(agency=announcement.agency, date__year=date.year)
        .exclude(pk=announcement.pk)
        .exclude(number="")
        .values_list("number", flat=True)
    )
    if clashes(number, taken):
        message = _("The decision number %(number)s is already used.") % {"number": number}
        raise ValidationFailed(message, fields={"number": [message]})


@transaction.atomic
def announcement_sign(
    *, actor, announcement: Announcement, number: str, date: datetime.date, signed_scan=None
) -> Announcement:
    """Record the signed decision: the QMS becomes announced and any re-announcement due is
    settled."""
    locked = (
        Announcement.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=announcement.pk)
    )
    _require_keeper(actor, locked.agency)
    if locked.status != AnnouncementStatus.DRAFT:
        raise InvalidTransition(_("This announcement is already signed."))
    if not number.strip() or date is None:
        message = _("A signed announcement needs its number and date.")
        raise ValidationFailed(message, fields={"number": [message]})
    if date > timezone.localdate():
        message = _("The date cannot be in the future.")
        raise ValidationFailed(message, fields={"date": [message]})
    _check_number_free(locked, number.strip(), date)
    if signed_scan is not None:
        checked = check_upload(signed_scan, allowed=(PDF, PNG, JPEG), field="signed_scan")
        locked.signed_file, locked.signed_file_name = checked.content, checked.original_name
    locked.number, locked.date = number.strip(), date
    locked.status = AnnouncementStatus.SIGNED
    locked.save()
    qms = _qms_locked(locked.agency)
    qms.status = QmsStatus.ANNOUNCED
    qms.reannouncement_reason = ""
    qms.save(update_fields=["status", "reannouncement_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="announcement.sign",
        obj=locked,
        changes={"number": locked.number, "date": date, "kind": locked.kind},
    )
    return locked


@transaction.atomic
def announcement_attach_scan(*, actor, announcement: Announcement, upload) -> Announcement:
    locked = (
        Announcement.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=announcement.pk)
    )
    _require_keeper(actor, locked.agency)
    if locked.status == AnnouncementStatus.DRAFT:
        raise InvalidTransition(_("Sign the announcement (number and date) first."))
    checked = check_upload(upload, allowed=(PDF, PNG, JPEG), field="signed_scan")
    locked.signed_file, locked.signed_file_name = checked.content, checked.original_name
    locked.save()
    audit_record(
        actor=actor,
        action="announcement.attach_scan",
        obj=locked,
        changes={"signed_scan": checked.original_name},
    )
    return locked


def _overseers_of(agency):
    from eiso.accounts.models import Membership

    ancestors = agency.path.split("/")[:-1]
    paths = ["/".join(ancestors[:end]) + "/" for end in range(1, len(ancestors) + 1)]
    members = Membership.objects.filter(
        role=Role.OVERSEER, is_active=True, agency__path__in=paths
    ).select_related("user")
    return [m.user for m in members]


@transaction.atomic
def announcement_send(*, actor, announcement: Announcement) -> Announcement:
    """Send the signed announcement to the overseer (Sở KH&CN), who is notified."""
    locked = (
        Announcement.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=announcement.pk)
    )
    _require_keeper(actor, locked.agency)
    if locked.status != AnnouncementStatus.SIGNED:
        raise InvalidTransition(_("Only a signed announcement that was not sent can be sent."))
    if not locked.signed_file:
        message = _("Attach the signed scan before sending.")
        raise ValidationFailed(message, fields={"signed_scan": [message]})
    locked.status = AnnouncementStatus.SENT
    locked.sent_at = timezone.now()
    locked.save()
    notify(
        users=_overseers_of(locked.agency),
        agency=locked.agency,
        message=_("%(agency)s sent its announcement %(number)s: please acknowledge receipt.")
        % {"agency": locked.agency, "number": locked.number},
    )
    audit_record(actor=actor, action="announcement.send", obj=locked)
    return locked


@transaction.atomic
def announcement_receive(
    *, actor, announcement: Announcement, on: datetime.date | None = None
) -> Announcement:
    """The overseer acknowledges receipt of a sent announcement."""
    locked = (
        Announcement.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=announcement.pk)
    )
    if not rules.can_receive(actor, locked.agency):
        raise NotPermitted(_("Only the overseer of this agency acknowledges receipt."))
    if locked.status != AnnouncementStatus.SENT:
        raise InvalidTransition(_("Only a sent announcement can be received."))
    on = on or timezone.localdate()
    if locked.date and on < locked.date:
        message = _("Receipt cannot be before the announcement's date.")
        raise ValidationFailed(message, fields={"on": [message]})
    locked.status = AnnouncementStatus.RECEIVED
    locked.received_on, locked.received_by = on, actor
    locked.save()
    audit_record(actor=actor, action="announcement.receive", obj=locked, changes={"on": on})
    return locked


@transaction.atomic
def announcement_publish(*, actor, announcement: Announcement, published: bool = True):
    """Show (or hide) a signed announcement on the public portal."""
    locked = (
        Announcement.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=announcement.pk)
    )
    _require_keeper(actor, locked.agency)
    if locked.status == AnnouncementStatus.DRAFT:
        raise InvalidTransition(_("A draft cannot be published."))
    locked.is_published = published
    locked.published_at = timezone.now() if published else None
    locked.save()
    audit_record(
        actor=actor, action="announcement.publish", obj=locked, changes={"published": published}
    )
    return locked


@transaction.atomic
def committee_decision_create(
    *,
    actor,
    agency,
    number: str,
    date: datetime.date,
    members: list[dict],
    notes: str = "",
    upload=None,
) -> CommitteeDecision:
    """Establish or update the steering committee: the new decision's members replace the
    previous ones (every decision is kept as history)."""
    _require_keeper(actor, agency)
    if not number.strip():
        raise ValidationFailed(_("The number is required."), fields={"number": [_("Required.")]})
    if not members:
        message = _("List the committee's members.")
        raise ValidationFailed(message, fields={"members": [message]})
    if not any(m.get("committee_role") == "head" for m in members):
        message = _("The committee needs a head.")
        raise ValidationFailed(message, fields={"members": [message]})
    for member in members:
        user = member.get("user")
        if user is not None and not user.memberships.filter(agency=agency, is_active=True).exists():
            message = _("%(user)s does not work in this agency.") % {"user": user}
            raise ValidationFailed(message, fields={"members": [message]})
    decision = CommitteeDecision(
        agency=agency, number=number.strip(), date=date, notes=notes.strip(), created_by=actor
    )
    if upload is not None:
        checked = check_upload(upload, allowed=(PDF, PNG, JPEG), field="file")
        decision.file, decision.file_name = checked.content, checked.original_name
    decision.save()
    CommitteeMember.objects.bulk_create(
        [
            CommitteeMember(
                agency=agency,
                decision=decision,
                user=m.get("user"),
                name=(
                    m.get("name") or (m["user"].get_full_name() if m.get("user") else "")
                ).strip(),
                position=str(m.get("position", "")).strip(),
                committee_role=m["committee_role"],
            )
            for m in members
        ]
    )
    audit_record(
        actor=actor,
        action="committee.decision",
        obj=decision,
        changes={"number": decision.number, "members": len(members)},
    )
    return decision
