"""Writes of the QMS record, announcements of conformity and the steering committee.
Keyword-only, one transaction, audited, permission-checked. The announcement's steps are the
transitions of ``eiso.qms.workflows.WORKFLOW``: each service locks the row and lets the table
check the status, the person and the guards; numbers take their official shape
(``eiso.core.numbers``) and dates that cannot be true are refused."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core import workflow
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import ConcurrentEdit, InvalidTransition, NotPermitted, ValidationFailed
from eiso.core.files import JPEG, PDF, PNG, check_upload
from eiso.core.notifications import notify
from eiso.core.numbers import agency_symbol, official_number
from eiso.core.roles import Role
from eiso.core.text import clashes
from eiso.documents.choices import DocumentKind
from eiso.procedures.models import HandledProcedure
from eiso.qms import rules
from eiso.qms.choices import (
    SIGNED_STATUSES,
    AnnouncementAction,
    AnnouncementKind,
    AnnouncementStatus,
    QmsStatus,
    StandardVersion,
)
from eiso.qms.models import (
    Announcement,
    AnnouncementEvent,
    CommitteeDecision,
    CommitteeMember,
    QualitySystem,
)
from eiso.qms.workflows import WORKFLOW

QMS_FIELDS = (
    "standard_version",
    "status",
    "internal_activities",
    "exclusions",
    "quality_policy",
    "consultant",
    "consultant_cost",
)
DRAFT_FIELDS = ("signer_name", "signer_title", "reason")
SIGNING_FIELDS = ("number", "date", "signer_name", "signer_title")
KEEPERS = (Role.ISO_SECRETARY, Role.HEAD)


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


def scope_snapshots(agency_ids, qms_by_agency: dict[int, QualitySystem]) -> dict[int, dict]:
    """``scope_snapshot`` of many agencies at once (a query per few hundred agencies):
    agency id → snapshot; ``qms_by_agency`` holds the QMS records that exist."""
    ids = sorted(set(agency_ids))
    codes: dict[int, list[str]] = {pk: [] for pk in ids}
    for start in range(0, len(ids), 500):
        handled = (
            HandledProcedure.objects.filter(agency_id__in=ids[start : start + 500], is_active=True)
            .order_by()
            .values_list("agency_id", "procedure__code")
        )
        for agency_id, code in handled:
            codes[agency_id].append(code)
    return {
        pk: {
            "procedures": sorted(codes[pk]),
            "internal_activities": (
                qms_by_agency[pk].internal_activities if pk in qms_by_agency else ""
            ).strip(),
        }
        for pk in ids
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
        and not Announcement.objects.filter(agency=agency, status__in=SIGNED_STATUSES).exists()
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


# --- announcements: shared pieces -----------------------------------------------------------


def _locked(announcement: Announcement) -> Announcement:
    return workflow.lock(announcement, related=("agency",))


def _event(announcement: Announcement, action: str, actor, comment: str = "") -> None:
    AnnouncementEvent.objects.create(
        agency_id=announcement.agency_id,
        announcement=announcement,
        action=action,
        actor=actor,
        comment=comment,
    )


def announcement_url(announcement: Announcement) -> str:
    return reverse("qms:announcement_detail", args=[announcement.pk])


def _overseers_of(agency):
    from eiso.accounts.models import Membership

    ancestors = agency.path.split("/")[:-1]
    paths = ["/".join(ancestors[:end]) + "/" for end in range(1, len(ancestors) + 1)]
    members = Membership.objects.filter(
        role=Role.OVERSEER, is_active=True, agency__path__in=paths
    ).select_related("user")
    return [m.user for m in members]


def _keepers_of(agency):
    """Who keeps the agency's QMS (its ISO secretaries and head): told what the overseer
    did with its announcement."""
    from eiso.accounts.models import Membership

    members = Membership.objects.filter(
        agency=agency, role__in=KEEPERS, is_active=True
    ).select_related("user")
    return [m.user for m in members]


def _number(agency, number: str) -> str:
    """The number in its official shape, the agency's symbol filled in ("45" → "45/QĐ-STP")."""
    return official_number(number, symbol=agency_symbol(agency))


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


def _check_signed_by_today(date: datetime.date | None) -> None:
    """A decision is signed today at the latest."""
    if date is None:
        message = _("Give the date the decision was signed.")
        raise ValidationFailed(message, fields={"date": [message]})
    today = timezone.localdate()
    if date > today:
        message = _(
            "The decision cannot be signed on %(date)s: that day has not come yet (today is "
            "%(today)s)."
        ) % {"date": date.strftime("%d/%m/%Y"), "today": today.strftime("%d/%m/%Y")}
        raise ValidationFailed(message, fields={"date": [message]})


def _check_signing_date(announcement: Announcement, date: datetime.date | None) -> None:
    """An announcement is signed today at the latest, and a re-announcement not before the
    decision it replaces."""
    _check_signed_by_today(date)
    previous = (
        Announcement.objects.filter(
            agency_id=announcement.agency_id, status__in=SIGNED_STATUSES, date__isnull=False
        )
        .exclude(pk=announcement.pk)
        .order_by("-date", "-id")
        .first()
    )
    if previous is not None and date < previous.date:
        message = _(
            "The decision cannot be dated %(date)s: the announcement it replaces, %(number)s, "
            "is dated %(previous)s."
        ) % {
            "date": date.strftime("%d/%m/%Y"),
            "number": previous.number,
            "previous": previous.date.strftime("%d/%m/%Y"),
        }
        raise ValidationFailed(message, fields={"date": [message]})


def _check_scan(upload):
    return check_upload(upload, allowed=(PDF, PNG, JPEG), field="signed_scan")


# --- announcements: the steps --------------------------------------------------------------------


@transaction.atomic
def announcement_create(
    *, actor, agency, signer_name: str, signer_title: str, reason: str = ""
) -> Announcement:
    """A draft announcement with the scope as it stands now. It is a re-announcement when the
    agency has announced before — then the reason is required (left empty, the reasons found
    are used)."""
    _require_keeper(actor, agency)
    qms = _qms_locked(agency)
    if Announcement.objects.filter(agency=agency, status=AnnouncementStatus.DRAFT).exists():
        raise InvalidTransition(_("This agency already has a draft announcement."))
    snapshot_now = scope_snapshot(agency, qms)
    if not snapshot_now["procedures"] and not snapshot_now["internal_activities"]:
        message = _("The scope is empty: add the procedures the agency handles first.")
        raise ValidationFailed(message)
    again = Announcement.objects.filter(agency=agency, status__in=SIGNED_STATUSES).exists()
    reason = _reason(actor, agency, reason) if again else ""
    announcement = Announcement.objects.create(
        agency=agency,
        kind=AnnouncementKind.RE if again else AnnouncementKind.FIRST,
        reason=reason,
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        standard_version=qms.standard_version,
        scope_snapshot=snapshot_now,
        created_by=actor,
    )
    _event(announcement, AnnouncementAction.CREATE, actor)
    audit_record(
        actor=actor,
        action="announcement.create",
        obj=announcement,
        changes={"kind": announcement.kind, "procedures": len(snapshot_now["procedures"])},
    )
    return announcement


def _reason(actor, agency, reason: str) -> str:
    """The reason of a re-announcement: as typed, else the reasons found; one is needed."""
    if not reason.strip():
        from eiso.qms.selectors import reannouncement_reasons

        reason = " ".join(reannouncement_reasons(user=actor, agency=agency))
    if not reason.strip():
        message = _("Say why the QMS is announced again (scope change, merger, new version…).")
        raise ValidationFailed(message, fields={"reason": [message]})
    return reason.strip()[:300]


@transaction.atomic
def announcement_update(
    *,
    actor,
    announcement: Announcement,
    signer_name: str | None = None,
    signer_title: str | None = None,
    reason: str | None = None,
    refresh_scope: bool = False,
) -> Announcement:
    """Edit a draft: who signs, the reason of a re-announcement, and (``refresh_scope``) the
    scope taken again as it stands now."""
    locked = _locked(announcement)
    WORKFLOW.check(actor=actor, obj=locked, action=AnnouncementAction.EDIT)
    before = snapshot(locked, DRAFT_FIELDS)
    for name, value in (("signer_name", signer_name), ("signer_title", signer_title)):
        if value is None:
            continue
        if not value.strip():
            message = _("Required.")
            raise ValidationFailed(message, fields={name: [message]})
        setattr(locked, name, value.strip())
    if reason is not None and locked.kind == AnnouncementKind.RE:
        locked.reason = _reason(actor, locked.agency, reason)
    changes = changes_between(before, snapshot(locked, DRAFT_FIELDS))
    if refresh_scope:
        qms = QualitySystem.objects.filter(agency_id=locked.agency_id).first()
        fresh = scope_snapshot(locked.agency, qms)
        if fresh != locked.scope_snapshot:
            changes["procedures"] = [
                len(locked.scope_snapshot.get("procedures", [])),
                len(fresh["procedures"]),
            ]
            locked.scope_snapshot = fresh
            locked.standard_version = qms.standard_version if qms else locked.standard_version
    if changes:
        locked.save()
        _event(locked, AnnouncementAction.EDIT, actor)
        audit_record(actor=actor, action="announcement.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def announcement_discard(*, actor, announcement: Announcement, reason: str = "") -> Announcement:
    """Discard a draft (kept, marked discarded, out of the lists); a signed announcement is
    never discarded."""
    locked = _locked(announcement)
    WORKFLOW.apply(
        actor=actor, obj=locked, action=AnnouncementAction.DISCARD, reason=reason.strip()
    )
    _event(locked, AnnouncementAction.DISCARD, actor, reason.strip())
    return locked


@transaction.atomic
def announcement_sign(
    *, actor, announcement: Announcement, number: str, date: datetime.date, signed_scan=None
) -> Announcement:
    """Record the signed decision (its number in the official shape, its date — not in the
    future): the QMS becomes announced and any re-announcement due is settled."""
    locked = _locked(announcement)
    WORKFLOW.check(actor=actor, obj=locked, action=AnnouncementAction.SIGN)
    number = _number(locked.agency, number)
    _check_signing_date(locked, date)
    _check_number_free(locked, number, date)
    if signed_scan is not None:
        checked = _check_scan(signed_scan)
        locked.signed_file, locked.signed_file_name = checked.content, checked.original_name
    locked.number, locked.date = number, date
    WORKFLOW.apply(
        actor=actor,
        obj=locked,
        action=AnnouncementAction.SIGN,
        changes={"number": number, "date": date, "kind": locked.kind},
    )
    qms = _qms_locked(locked.agency)
    qms.status = QmsStatus.ANNOUNCED
    qms.reannouncement_reason = ""
    qms.save(update_fields=["status", "reannouncement_reason", "updated_at"])
    _event(locked, AnnouncementAction.SIGN, actor)
    return locked


@transaction.atomic
def announcement_correct(
    *,
    actor,
    announcement: Announcement,
    number: str | None = None,
    date: datetime.date | None = None,
    signer_name: str | None = None,
    signer_title: str | None = None,
    comment: str = "",
) -> Announcement:
    """Correct what was recorded of the signed decision (its number, date, signer) before it is
    sent, or after the overseer returned it; the history keeps what it was."""
    locked = _locked(announcement)
    WORKFLOW.check(actor=actor, obj=locked, action=AnnouncementAction.CORRECT)
    before = snapshot(locked, SIGNING_FIELDS)
    if number is not None:
        locked.number = _number(locked.agency, number)
    if date is not None:
        _check_signing_date(locked, date)
        locked.date = date
    if signer_name is not None and signer_name.strip():
        locked.signer_name = signer_name.strip()
    if signer_title is not None and signer_title.strip():
        locked.signer_title = signer_title.strip()
    changes = changes_between(before, snapshot(locked, SIGNING_FIELDS))
    if not changes:
        message = _("Nothing was changed.")
        raise ValidationFailed(message)
    if "number" in changes or "date" in changes:
        _check_number_free(locked, locked.number, locked.date)
    locked.save()
    _event(locked, AnnouncementAction.CORRECT, actor, comment.strip())
    audit_record(
        actor=actor, action="announcement.correct", obj=locked, changes=changes, reason=comment
    )
    return locked


@transaction.atomic
def announcement_attach_scan(*, actor, announcement: Announcement, upload) -> Announcement:
    """Attach (or, until it is sent, replace) the signed scan."""
    locked = _locked(announcement)
    WORKFLOW.check(actor=actor, obj=locked, action=AnnouncementAction.ATTACH_SCAN)
    checked = _check_scan(upload)
    locked.signed_file, locked.signed_file_name = checked.content, checked.original_name
    locked.save()
    _event(locked, AnnouncementAction.ATTACH_SCAN, actor, checked.original_name)
    audit_record(
        actor=actor,
        action="announcement.attach_scan",
        obj=locked,
        changes={"signed_scan": checked.original_name},
    )
    return locked


@transaction.atomic
def announcement_send(*, actor, announcement: Announcement) -> Announcement:
    """Send the signed announcement (again, once corrected) to the overseer (Sở KH&CN), who is
    notified with a link to it."""
    locked = _locked(announcement)
    again = locked.events.filter(action=AnnouncementAction.RETURN).exists()
    locked.sent_at = timezone.now()
    WORKFLOW.apply(actor=actor, obj=locked, action=AnnouncementAction.SEND)
    _event(locked, AnnouncementAction.SEND, actor)
    message = (
        _("%(agency)s sent its corrected announcement %(number)s: please acknowledge receipt.")
        if again
        else _("%(agency)s sent its announcement %(number)s: please acknowledge receipt.")
    )
    notify(
        users=_overseers_of(locked.agency),
        agency=locked.agency,
        message=message % {"agency": locked.agency, "number": locked.number},
        url=announcement_url(locked),
    )
    return locked


@transaction.atomic
def announcement_return(*, actor, announcement: Announcement, reason: str) -> Announcement:
    """The overseer returns a sent announcement for correction, saying why; the agency's ISO
    secretary and head are told, with a link to it."""
    locked = _locked(announcement)
    WORKFLOW.check(actor=actor, obj=locked, action=AnnouncementAction.RETURN)
    reason = (reason or "").strip()
    if not reason:
        message = _("Say what the agency must correct.")
        raise ValidationFailed(message, fields={"reason": [message]})
    WORKFLOW.apply(actor=actor, obj=locked, action=AnnouncementAction.RETURN, reason=reason)
    _event(locked, AnnouncementAction.RETURN, actor, reason)
    notify(
        users=_keepers_of(locked.agency),
        agency=locked.agency,
        message=_("The overseer returned the announcement %(number)s for correction: %(reason)s")
        % {"number": locked.number, "reason": reason},
        url=announcement_url(locked),
    )
    return locked


@transaction.atomic
def announcement_receive(
    *, actor, announcement: Announcement, on: datetime.date | None = None
) -> Announcement:
    """The overseer acknowledges receipt of a sent announcement — on a day between its sending
    and today; the agency's ISO secretary and head are told."""
    locked = _locked(announcement)
    WORKFLOW.check(actor=actor, obj=locked, action=AnnouncementAction.RECEIVE)
    today = timezone.localdate()
    on = on or today
    sent_on = timezone.localdate(locked.sent_at) if locked.sent_at else None
    if on > today:
        message = _("The receipt cannot be dated %(on)s: that day has not come yet.") % {
            "on": on.strftime("%d/%m/%Y")
        }
        raise ValidationFailed(message, fields={"on": [message]})
    if sent_on is not None and on < sent_on:
        message = _(
            "The receipt cannot be dated %(on)s: the announcement was sent on %(sent)s."
        ) % {"on": on.strftime("%d/%m/%Y"), "sent": sent_on.strftime("%d/%m/%Y")}
        raise ValidationFailed(message, fields={"on": [message]})
    if locked.date and on < locked.date:
        message = _("Receipt cannot be before the announcement's date.")
        raise ValidationFailed(message, fields={"on": [message]})
    locked.received_on, locked.received_by = on, actor
    WORKFLOW.apply(actor=actor, obj=locked, action=AnnouncementAction.RECEIVE, changes={"on": on})
    _event(locked, AnnouncementAction.RECEIVE, actor)
    notify(
        users=_keepers_of(locked.agency),
        agency=locked.agency,
        message=_("The overseer acknowledged receipt of the announcement %(number)s on %(on)s.")
        % {"number": locked.number, "on": on.strftime("%d/%m/%Y")},
        url=announcement_url(locked),
    )
    return locked


@transaction.atomic
def announcement_publish(*, actor, announcement: Announcement, published: bool = True):
    """Show (or hide) a signed announcement on the public portal."""
    locked = _locked(announcement)
    WORKFLOW.check(actor=actor, obj=locked, action=AnnouncementAction.PUBLISH)
    locked.is_published = published
    locked.published_at = timezone.now() if published else None
    locked.save()
    _event(locked, AnnouncementAction.PUBLISH, actor)
    audit_record(
        actor=actor, action="announcement.publish", obj=locked, changes={"published": published}
    )
    return locked


# --- the steering committee ----------------------------------------------------------------------


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
    number = _number(agency, number)
    _check_signed_by_today(date)
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
        agency=agency, number=number, date=date, notes=notes.strip(), created_by=actor
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
