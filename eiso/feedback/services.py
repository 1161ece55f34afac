"""Writes of satisfaction and feedback: a rating given on the public form, the desks that have
their own QR code, and complaints and petitions — registered by staff or submitted on the
public portal, assigned, answered, closed, declined, reopened, and the nonconformity a
complaint reveals. Keyword-only, one transaction each; the complaint's life is the declared
table ``workflows.COMPLAINT``.

Ratings are anonymous and written without an audit event: the row itself is the immutable
record, and an event would keep the address of the person who rated (the audit trail records
every request's address), which the form promises not to keep. Everything staff do is
audited; the sender's contact is never written into the audit trail, only that it changed."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from eiso.core.notifications import notify
from eiso.core.workflow import lock
from eiso.feedback import deadlines, rules
from eiso.feedback.choices import (
    SATISFIED_FROM,
    STAFF_CHANNELS,
    ComplaintAction,
    ComplaintChannel,
    ComplaintKind,
    Outcome,
    RatingSource,
)
from eiso.feedback.models import SCORE_FIELDS, Complaint, Desk, Rating
from eiso.feedback.workflows import COMPLAINT

COMMENT_MAX = 1000
CONTENT_MAX = 5000
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "contact_address")
MASK = "•••"
# Letters and digits that cannot be mistaken for one another when read aloud or typed from a
# receipt (no 0/O, 1/I/L): 12 of them give about 60 bits, far beyond guessing.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


class PublicSender:
    """The person who used the public portal: nobody is signed in. Named in the audit trail;
    never a user."""

    pk = None
    is_authenticated = False
    is_active = False
    is_superuser = False

    @property
    def full_name(self) -> str:
        return _("Citizen (public portal)")

    def get_username(self) -> str:
        return ""

    def __str__(self) -> str:
        return self.full_name


PUBLIC = PublicSender()


def _refuse(field: str, message: str):
    raise ValidationFailed(message, fields={field: [message]})


def _errors(errors: dict) -> None:
    if errors:
        raise ValidationFailed(str(next(iter(errors.values()))[0]), fields=errors)


def _handled_by(agency, procedure) -> bool:
    from eiso.procedures.models import HandledProcedure

    return HandledProcedure.objects.filter(
        agency=agency, procedure=procedure, is_active=True
    ).exists()


def _check_procedure(agency, procedure, field: str = "procedure") -> None:
    if procedure is not None and not _handled_by(agency, procedure):
        _refuse(field, _("Choose one of the procedures this agency handles."))


def _members(agency) -> set[int]:
    from eiso.accounts.models import Membership

    return set(
        Membership.objects.filter(agency=agency, is_active=True).values_list("user_id", flat=True)
    )


def _keepers(agency):
    from eiso.accounts.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(
            agency=agency, is_active=True, role__in=rules.KEEPERS, user__is_active=True
        ).select_related("user")
    ]


def _tell(users, complaint: Complaint, message: str, *, actor=None) -> None:
    seen: set[int] = set()
    wanted = []
    for user in users:
        if user is None or user.pk in seen or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        wanted.append(user)
    if wanted:
        notify(
            users=wanted,
            agency=complaint.agency,
            message=message,
            url=reverse("feedback:complaint_detail", args=[complaint.pk]),
        )


# --- ratings -------------------------------------------------------------------------------------


def _clean_scores(scores: Mapping[str, object]) -> dict[str, int | None]:
    cleaned: dict[str, int | None] = {}
    errors = {}
    for name in SCORE_FIELDS:
        value = scores.get(name)
        if value in (None, ""):
            cleaned[name] = None
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= 5:
            errors[name] = [_("Choose a level from 1 to 5.")]
        cleaned[name] = number
    _errors(errors)
    if all(v is None for v in cleaned.values()):
        _refuse("attitude", _("Rate at least one of the criteria."))
    return cleaned


def average(scores: Mapping[str, int | None]) -> Decimal:
    given = [v for v in scores.values() if v is not None]
    return (Decimal(sum(given)) / Decimal(len(given))).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@transaction.atomic
def rating_submit(
    *,
    agency,
    scores: Mapping[str, object],
    procedure=None,
    desk: Desk | None = None,
    dossier_code: str = "",
    comment: str = "",
    source: str = RatingSource.QR,
    on: datetime.date | None = None,
) -> Rating:
    """Keep one person's rating of ``agency``'s service: 1–5 on the criteria answered (at least
    one), optionally the procedure (one the agency handles), the desk (one of its own, in use)
    and the dossier code, and a comment. Nothing about the person is asked or kept. The public
    form's abuse checks (rate limit, honeypot, signed form token, duplicates) happen before
    this is called (``eiso.portal.guards``)."""
    if agency is None or not agency.is_active:
        raise NotPermitted(_("This agency no longer receives ratings."))
    cleaned = _clean_scores(scores)
    if desk is not None and (desk.agency_id != agency.pk or not desk.is_active):
        _refuse("desk", _("This desk does not take ratings."))
    _check_procedure(agency, procedure)
    dossier_code = (dossier_code or "").strip()
    comment = (comment or "").strip()
    errors = {}
    if len(dossier_code) > 60:
        errors["dossier_code"] = [_("A dossier code has at most 60 characters.")]
    if len(comment) > COMMENT_MAX:
        errors["comment"] = [
            _("Write at most %(n)s characters.") % {"n": COMMENT_MAX},
        ]
    if source not in RatingSource.values:
        errors["source"] = [_("Unknown source.")]
    _errors(errors)
    score = average(cleaned)
    return Rating.objects.create(
        agency=agency,
        desk=desk,
        procedure=procedure,
        dossier_code=dossier_code,
        score=score,
        satisfied=score >= SATISFIED_FROM,
        comment=comment,
        submitted_on=on or timezone.localdate(),
        source=source,
        **cleaned,
    )


# --- desks ----------------------------------------------------------------------------------------

DESK_FIELDS = ("name", "procedure", "is_active")


def _require_keeper(actor, agency) -> None:
    if not rules.can_keep(actor, agency):
        raise NotPermitted(_("Only the ISO secretary or the head manage the desks."))


def _clean_desk(agency, data: dict, desk: Desk | None = None) -> dict:
    cleaned = {k: data[k] for k in DESK_FIELDS if k in data}
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if not cleaned["name"]:
            _refuse("name", _("Name the desk."))
        taken = Desk.objects.filter(agency=agency, name__iexact=cleaned["name"])
        if desk is not None:
            taken = taken.exclude(pk=desk.pk)
        if taken.exists():
            _refuse("name", _("The agency already has a desk of this name."))
    if "procedure" in cleaned:
        _check_procedure(agency, cleaned["procedure"])
    return cleaned


@transaction.atomic
def desk_create(*, actor, agency, data: dict) -> Desk:
    """A desk with its own QR code (ratings given there say where)."""
    _require_keeper(actor, agency)
    cleaned = _clean_desk(agency, data)
    if "name" not in cleaned:
        _refuse("name", _("Name the desk."))
    desk = Desk.objects.create(agency=agency, **cleaned)
    audit_record(actor=actor, action="desk.create", obj=desk, changes=snapshot(desk, DESK_FIELDS))
    return desk


@transaction.atomic
def desk_update(*, actor, desk: Desk, data: dict) -> Desk:
    locked = lock(desk, related=("agency",))
    _require_keeper(actor, locked.agency)
    cleaned = _clean_desk(locked.agency, data, locked)
    before = snapshot(locked, DESK_FIELDS)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    changes = changes_between(before, snapshot(locked, DESK_FIELDS))
    if changes:
        audit_record(actor=actor, action="desk.update", obj=locked, changes=changes)
    return locked


# --- complaints: registering ----------------------------------------------------------------------

COMPLAINT_FIELDS = (
    "kind",
    "channel",
    "subject",
    "content",
    "procedure",
    "dossier_code",
    "department",
    "received_on",
    *CONTACT_FIELDS,
)
AUDITED_FIELDS = ("kind", "channel", "subject", "procedure", "dossier_code", "department")


def normalize_tracking_code(value: str) -> str:
    """What a person typed ("abcd efgh-jkmn") as stored ("ABCD-EFGH-JKMN")."""
    bare = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    if len(bare) != CODE_LENGTH:
        return ""
    return "-".join(bare[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def new_tracking_code() -> str:
    bare = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return normalize_tracking_code(bare)


def _masked_contact(complaint: Complaint) -> dict:
    """What the audit trail keeps of the contact: that there is one, never what it is."""
    return {name: MASK for name in CONTACT_FIELDS if getattr(complaint, name)}


def _clean_contact(data: dict, errors: dict) -> dict:
    cleaned = {}
    limits = {"contact_name": 200, "contact_phone": 40, "contact_email": 254}
    limits["contact_address"] = 300
    for name in CONTACT_FIELDS:
        if name not in data:
            continue
        value = " ".join(str(data.get(name) or "").split())
        if len(value) > limits[name]:
            errors[name] = [_("Too long.")]
        cleaned[name] = value
    email = cleaned.get("contact_email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = [_("Enter a valid e-mail address.")]
    phone = cleaned.get("contact_phone")
    if phone and not all(ch.isdigit() or ch in " +-.()" for ch in phone):
        errors["contact_phone"] = [_("Enter a phone number (digits).")]
    return cleaned


def _clean_complaint(agency, data: dict, *, creating: bool, public: bool) -> dict:
    cleaned = {k: data[k] for k in COMPLAINT_FIELDS if k in data}
    errors: dict = {}
    for name in ("subject", "content", "dossier_code"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if creating or "subject" in cleaned:
        if not cleaned.get("subject"):
            errors["subject"] = [_("Say in a few words what it is about.")]
        elif len(cleaned["subject"]) > 300:
            errors["subject"] = [_("Write at most %(n)s characters.") % {"n": 300}]
    if creating or "content" in cleaned:
        if not cleaned.get("content"):
            errors["content"] = [_("Describe what happened or what you propose.")]
        elif len(cleaned["content"]) > CONTENT_MAX:
            errors["content"] = [_("Write at most %(n)s characters.") % {"n": CONTENT_MAX}]
    if "dossier_code" in cleaned and len(cleaned["dossier_code"]) > 60:
        errors["dossier_code"] = [_("A dossier code has at most 60 characters.")]
    if "kind" in cleaned and cleaned["kind"] not in ComplaintKind.values:
        errors["kind"] = [_("Choose complaint or petition.")]
    if "channel" in cleaned:
        allowed = [ComplaintChannel.PUBLIC_PORTAL] if public else list(STAFF_CHANNELS)
        if not public and not creating:
            allowed = list(ComplaintChannel.values)
        if cleaned["channel"] not in allowed:
            errors["channel"] = [_("Say how it was received.")]
    elif creating and not public:
        errors["channel"] = [_("Say how it was received.")]
    cleaned.update(_clean_contact(data, errors))
    if "received_on" in cleaned:
        received = cleaned["received_on"]
        today = timezone.localdate()
        if received is None:
            errors["received_on"] = [_("Say when it was received.")]
        elif received > today:
            errors["received_on"] = [_("It cannot have been received on a day to come.")]
        elif received < today - datetime.timedelta(days=366):
            errors["received_on"] = [_("It cannot have been received more than a year ago.")]
    _errors(errors)
    if "procedure" in cleaned:
        _check_procedure(agency, cleaned["procedure"])
    department = cleaned.get("department")
    if department is not None and department.agency_id != agency.pk:
        _refuse("department", _("Choose a department of this agency."))
    return cleaned


def _create_complaint(agency, cleaned: dict, *, actor, registered_by) -> Complaint:
    received_on = cleaned.pop("received_on", None) or timezone.localdate()
    due = deadlines.due_for(cleaned["channel"], received_on)
    year = received_on.year
    for attempt in range(5):
        number = (
            Complaint.objects.filter(agency=agency, year=year).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        complaint = Complaint(
            agency=agency,
            year=year,
            number=number,
            tracking_code=new_tracking_code(),
            received_on=received_on,
            due_date=due.date,
            due_basis=due.basis[:400],
            registered_by=registered_by,
            **cleaned,
        )
        try:
            with transaction.atomic():
                complaint.save()
            break
        except IntegrityError:  # two arrived at once (same number) or a code drawn twice
            if attempt == 4:
                raise
    audit_record(
        actor=actor,
        action="complaint.create",
        obj=complaint,
        changes={
            **snapshot(complaint, AUDITED_FIELDS),
            "received_on": complaint.received_on,
            "due_date": complaint.due_date,
            **_masked_contact(complaint),
        },
    )
    return complaint


@transaction.atomic
def complaint_register(*, actor, agency, data: dict) -> Complaint:
    """Register a complaint or petition received at the desk, by the hotline, the e-mail box,
    the national portal or a letter: anyone who works in the agency. The due date comes from
    the answer rule of its channel on the day it was received; the keepers are told."""
    if not rules.works_in(actor, agency):
        raise NotPermitted(_("Only people who work in the agency register its complaints."))
    cleaned = _clean_complaint(agency, data, creating=True, public=False)
    cleaned.setdefault("kind", ComplaintKind.COMPLAINT)
    complaint = _create_complaint(agency, cleaned, actor=actor, registered_by=actor)
    _tell(
        _keepers(agency),
        complaint,
        _("A complaint was registered: %(code)s %(subject)s")
        % {"code": complaint.code, "subject": complaint.subject},
        actor=actor,
    )
    return complaint


@transaction.atomic
def complaint_submit(*, agency, data: dict) -> Complaint:
    """A complaint or petition sent by a person on the public portal (nobody signed in): the
    subject, the content, optionally the procedure, the dossier code and a contact. It gets a
    tracking code to follow it; the agency's keepers are told."""
    if agency is None or not agency.is_active:
        raise NotPermitted(_("This agency no longer receives complaints."))
    data = {k: v for k, v in data.items() if k not in ("received_on", "department")}
    cleaned = _clean_complaint(
        agency, {**data, "channel": ComplaintChannel.PUBLIC_PORTAL}, creating=True, public=True
    )
    cleaned.setdefault("kind", ComplaintKind.COMPLAINT)
    complaint = _create_complaint(agency, cleaned, actor=PUBLIC, registered_by=None)
    _tell(
        _keepers(agency),
        complaint,
        _("A complaint arrived from the public portal: %(code)s %(subject)s")
        % {"code": complaint.code, "subject": complaint.subject},
    )
    return complaint


@transaction.atomic
def complaint_update(*, actor, complaint: Complaint, data: dict) -> Complaint:
    """Correct what was registered (subject, content, procedure, dossier, department, contact)
    while it waits for its answer. The channel and the day received, which set the due date,
    stay as registered."""
    locked = lock(complaint, related=("agency",))
    COMPLAINT.check(actor=actor, obj=locked, action=ComplaintAction.EDIT)
    data = {k: v for k, v in data.items() if k not in ("channel", "received_on")}
    cleaned = _clean_complaint(locked.agency, data, creating=False, public=False)
    before = snapshot(locked, AUDITED_FIELDS)
    contact_before = {name: getattr(locked, name) for name in CONTACT_FIELDS}
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    changes = changes_between(before, snapshot(locked, AUDITED_FIELDS))
    for name in CONTACT_FIELDS:
        if getattr(locked, name) != contact_before[name]:
            changes[name] = [
                MASK if contact_before[name] else "",
                MASK if getattr(locked, name) else "",
            ]
    if changes:
        audit_record(actor=actor, action="complaint.update", obj=locked, changes=changes)
    return locked


# --- complaints: handling -------------------------------------------------------------------------


@transaction.atomic
def complaint_assign(
    *, actor, complaint: Complaint, handler, department=None, note: str = ""
) -> Complaint:
    """Give the complaint to someone of the agency to handle (and their department)."""
    locked = lock(complaint, related=("agency",))
    if handler is None:
        _refuse("handler", _("Choose who handles it."))
    if handler.pk not in _members(locked.agency):
        _refuse("handler", _("Choose someone who works in this agency."))
    if department is not None and department.agency_id != locked.agency_id:
        _refuse("department", _("Choose a department of this agency."))
    locked.handler = handler
    if department is not None:
        locked.department = department
    note = (note or "").strip()
    if note:
        locked.handling_note = "\n".join(t for t in (locked.handling_note, note) if t)
    COMPLAINT.apply(
        actor=actor,
        obj=locked,
        action=ComplaintAction.ASSIGN,
        changes={"handler": str(handler), "department": str(department or "")},
        reason=note,
    )
    _tell(
        [handler],
        locked,
        _("Complaint %(code)s is yours to handle, to be answered by %(due)s: %(subject)s")
        % {
            "code": locked.code,
            "due": locked.due_date.strftime("%d/%m/%Y"),
            "subject": locked.subject,
        },
        actor=actor,
    )
    return locked


@transaction.atomic
def complaint_answer(
    *,
    actor,
    complaint: Complaint,
    answer: str,
    outcome: str,
    answered_on: datetime.date | None = None,
    note: str = "",
) -> Complaint:
    """The answer to the person (shown to them with their tracking code) and what the
    handling found; an answer after the due date is kept as late."""
    locked = lock(complaint, related=("agency",))
    answer = (answer or "").strip()
    if not answer:
        _refuse("answer", _("Write the answer first."))
    if outcome not in Outcome.values:
        _refuse("outcome", _("Say what the handling found."))
    answered_on = answered_on or timezone.localdate()
    if answered_on > timezone.localdate():
        _refuse("answered_on", _("An answer cannot be dated on a day to come."))
    if answered_on < locked.received_on:
        _refuse("answered_on", _("An answer cannot be dated before the complaint was received."))
    locked.answer, locked.outcome = answer, outcome
    locked.answered_on, locked.answered_by = answered_on, actor
    note = (note or "").strip()
    if note:
        locked.handling_note = "\n".join(t for t in (locked.handling_note, note) if t)
    COMPLAINT.apply(
        actor=actor,
        obj=locked,
        action=ComplaintAction.ANSWER,
        changes={
            "outcome": outcome,
            "answered_on": answered_on,
            "late": answered_on > locked.due_date,
        },
    )
    if not rules.can_keep(actor, locked.agency):
        _tell(
            _keepers(locked.agency),
            locked,
            _("Complaint %(code)s was answered.") % {"code": locked.code},
            actor=actor,
        )
    return locked


@transaction.atomic
def complaint_close(*, actor, complaint: Complaint) -> Complaint:
    locked = lock(complaint, related=("agency",))
    locked.closed_on = timezone.localdate()
    COMPLAINT.apply(
        actor=actor,
        obj=locked,
        action=ComplaintAction.CLOSE,
        changes={"closed_on": locked.closed_on},
    )
    return locked


@transaction.atomic
def complaint_decline(*, actor, complaint: Complaint, reason: str) -> Complaint:
    """Not accepted (outside the agency's remit, nothing to act on…): the reason is the answer
    the person reads."""
    locked = lock(complaint, related=("agency",))
    reason = (reason or "").strip()
    if not reason:
        _refuse("reason", _("Say why it is not accepted: the person reads it."))
    COMPLAINT.check(actor=actor, obj=locked, action=ComplaintAction.DECLINE)
    today = timezone.localdate()
    locked.answer, locked.answered_on, locked.answered_by = reason, today, actor
    locked.closed_on = today
    COMPLAINT.apply(actor=actor, obj=locked, action=ComplaintAction.DECLINE, reason=reason)
    return locked


@transaction.atomic
def complaint_reopen(*, actor, complaint: Complaint, reason: str) -> Complaint:
    """The answer did not settle it: back to handling (the earlier answer stays in the audit
    trail; the due date stays as the rule set it)."""
    locked = lock(complaint, related=("agency",))
    reason = (reason or "").strip()
    if not reason:
        _refuse("reason", _("Say why it is reopened."))
    COMPLAINT.check(actor=actor, obj=locked, action=ComplaintAction.REOPEN)
    previous = {"answer": locked.answer, "outcome": locked.outcome}
    locked.closed_on = None
    locked.handling_note = "\n".join(
        t for t in (locked.handling_note, _("Reopened: %(reason)s") % {"reason": reason}) if t
    )
    COMPLAINT.apply(
        actor=actor,
        obj=locked,
        action=ComplaintAction.REOPEN,
        changes={"previous_answer": previous["answer"], "previous_outcome": previous["outcome"]},
        reason=reason,
    )
    _tell(
        [locked.handler],
        locked,
        _("Complaint %(code)s was reopened: %(reason)s") % {"code": locked.code, "reason": reason},
        actor=actor,
    )
    return locked


def nonconformities_available() -> bool:
    """Whether a complaint can open a nonconformity (the check-and-act module is installed)."""
    return apps.is_installed("eiso.improvements")


@transaction.atomic
def complaint_raise_nonconformity(
    *,
    actor,
    complaint: Complaint,
    title: str = "",
    description: str = "",
    due_date: datetime.date | None = None,
):
    """The complaint revealed a nonconformity: open one (``eiso.improvements``, source
    "complaint") and link it to the complaint — once."""
    if not nonconformities_available():
        raise InvalidTransition(
            _("Nonconformities are not kept in this installation (module not installed).")
        )
    from eiso.improvements.services import nonconformity_raise

    locked = lock(complaint, related=("agency",))
    if not rules.can_handle(actor, locked):
        raise NotPermitted(_("Only the handler, the ISO secretary or the head do this."))
    if locked.nonconformity_id is not None:
        raise InvalidTransition(_("This complaint has already opened a nonconformity."))
    nc = nonconformity_raise(
        actor=actor,
        agency=locked.agency,
        source="complaint",
        source_ref=(_("Complaint %(code)s") % {"code": locked.code} + f": {locked.subject}")[:300],
        title=(title or locked.subject).strip()[:300],
        description=(description or locked.content).strip(),
        department=locked.department,
        due_date=due_date,
    )
    locked.nonconformity_id = nc.pk
    locked.save(update_fields=["nonconformity_id", "updated_at"])
    audit_record(
        actor=actor,
        action="complaint.nonconformity",
        obj=locked,
        changes={"nonconformity": nc.code},
    )
    return nc
