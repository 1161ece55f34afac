"""Writes of management reviews: the meeting, its input pack assembled from the other modules
(sections edited by hand are kept when it is assembled again), holding it, the conclusions and
outputs (tracked as actions), the minutes with their official number and the signed scan.
Keyword-only, one transaction each, audited; the workflow table decides when."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.files import SCANS, check_upload
from eiso.core.notifications import notify
from eiso.core.numbers import official_number
from eiso.core.workflow import lock
from eiso.reviews import pack, rules
from eiso.reviews.choices import OutputKind, ReviewAction
from eiso.reviews.models import ManagementReview, ReviewInput, ReviewOutput
from eiso.reviews.workflows import REVIEW

MEETING_FIELDS = ("meeting_date", "place", "chair", "attendees")
OUTPUT_FIELDS = ("kind", "description", "owner", "due_date")


def _refuse(field: str, message: str):
    raise ValidationFailed(message, fields={field: [message]})


def _members(agency) -> set[int]:
    from eiso.accounts.models import Membership

    return set(
        Membership.objects.filter(agency=agency, is_active=True).values_list("user_id", flat=True)
    )


def review_url(review) -> str:
    return reverse("reviews:detail", args=[review.pk])


def _symbol(agency) -> str:
    from eiso.core.numbers import agency_symbol

    return agency_symbol(agency)


def _clean_meeting(agency, data: dict) -> dict:
    cleaned = {name: data[name] for name in MEETING_FIELDS if name in data}
    for name in ("place", "attendees"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if "meeting_date" in cleaned and cleaned["meeting_date"] is None:
        _refuse("meeting_date", _("Give the day of the meeting."))
    chair = cleaned.get("chair")
    if chair is not None and chair.pk not in _members(agency):
        _refuse("chair", _("Choose someone who works in this agency."))
    return cleaned


def _previous_date(review) -> datetime.date | None:
    return (
        ManagementReview.objects.filter(
            agency_id=review.agency_id, meeting_date__lt=review.meeting_date
        )
        .exclude(pk=review.pk)
        .order_by("-meeting_date")
        .values_list("meeting_date", flat=True)
        .first()
    )


def _assemble(actor, review: ManagementReview, *, keep_edited: bool = True) -> int:
    """(Re)build the pack as the data stands on the meeting date (today while it is to come);
    a section changed by hand is kept unless ``keep_edited`` is false."""
    period = pack.period_of(
        review, today=timezone.localdate(), previous_date=_previous_date(review)
    )
    existing = {i.key: i for i in review.inputs.all()}
    written = 0
    for order, section in enumerate(pack.assemble(actor, review, period), start=1):
        row = existing.get(section.key)
        if row is not None and row.edited and keep_edited:
            continue
        values = {
            "clause": section.clause,
            "order": order,
            "title": section.title,
            "source": section.source[:300],
            "content": section.content,
            "has_data": section.has_data,
            "edited": False,
            "edited_by": None,
        }
        if row is None:
            ReviewInput.objects.create(
                agency=review.agency, review=review, key=section.key, **values
            )
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
        written += 1
    review.pack_as_of = period.on
    review.save(update_fields=["pack_as_of", "updated_at"])
    return written


@transaction.atomic
def review_create(*, actor, agency, data: dict) -> ManagementReview:
    """Plan a meeting; its input pack is assembled at once."""
    if not rules.can_keep(actor, agency):
        raise NotPermitted(_("Only the ISO secretary or the head prepare the management review."))
    cleaned = _clean_meeting(agency, {"meeting_date": data.get("meeting_date"), **data})
    year = cleaned["meeting_date"].year
    if not 2000 <= year <= timezone.localdate().year + 1:
        _refuse("meeting_date", _("Give a date of this year or the next."))
    sequence = (
        ManagementReview.objects.filter(agency=agency, year=year).aggregate(n=Max("sequence"))["n"]
        or 0
    ) + 1
    review = ManagementReview.objects.create(
        agency=agency, year=year, sequence=sequence, created_by=actor, **cleaned
    )
    audit_record(
        actor=actor,
        action="management_review.create",
        obj=review,
        changes={"year": year, **snapshot(review, MEETING_FIELDS)},
    )
    _assemble(actor, review)
    return review


@transaction.atomic
def review_update(*, actor, review: ManagementReview, data: dict) -> ManagementReview:
    locked = lock(review, related=("agency",))
    REVIEW.check(actor=actor, obj=locked, action=ReviewAction.EDIT)
    cleaned = _clean_meeting(locked.agency, data)
    if "meeting_date" in cleaned and cleaned["meeting_date"].year != locked.year:
        _refuse("meeting_date", _("The meeting stays in %(year)s.") % {"year": locked.year})
    before = snapshot(locked, MEETING_FIELDS)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    changes = changes_between(before, snapshot(locked, MEETING_FIELDS))
    if changes:
        audit_record(actor=actor, action="management_review.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def inputs_assemble(*, actor, review: ManagementReview, keep_edited: bool = True) -> int:
    """Assemble the pack again from the other modules (before the meeting)."""
    locked = lock(review, related=("agency",))
    REVIEW.check(actor=actor, obj=locked, action=ReviewAction.EDIT)
    written = _assemble(actor, locked, keep_edited=keep_edited)
    audit_record(
        actor=actor,
        action="management_review.assemble",
        obj=locked,
        changes={"pack_as_of": locked.pack_as_of, "sections": written},
    )
    return written


@transaction.atomic
def input_update(*, actor, section: ReviewInput, content: str) -> ReviewInput:
    """Edit a section of the pack before the meeting; it is kept when the pack is assembled
    again."""
    locked = lock(section, related=("review",))
    REVIEW.check(actor=actor, obj=locked.review, action=ReviewAction.EDIT)
    content = (content or "").strip()
    if not content:
        _refuse("content", _("Write the section, or say that there is nothing to report."))
    before = locked.content
    locked.content = content
    locked.edited = True
    locked.edited_by = actor
    locked.has_data = True
    locked.save()
    audit_record(
        actor=actor,
        action="management_review.edit_input",
        obj=locked.review,
        changes={"section": f"{locked.clause} {locked.title}", "content": [before, content]},
    )
    return locked


@transaction.atomic
def review_hold(*, actor, review: ManagementReview) -> ManagementReview:
    """The meeting took place (on or after its date): the pack's sections not changed by hand
    are assembled once more as the data stood on the meeting date."""
    locked = lock(review, related=("agency",))
    REVIEW.check(actor=actor, obj=locked, action=ReviewAction.HOLD)
    _assemble(actor, locked)
    REVIEW.apply(
        actor=actor,
        obj=locked,
        action=ReviewAction.HOLD,
        changes={"pack_as_of": locked.pack_as_of},
    )
    return locked


@transaction.atomic
def minutes_save(*, actor, review: ManagementReview, data: dict) -> ManagementReview:
    """The conclusions, number and date of the minutes, while the meeting is being recorded."""
    locked = lock(review, related=("agency",))
    REVIEW.check(actor=actor, obj=locked, action=ReviewAction.RECORD)
    _clean_minutes(locked, data)
    locked.save()
    audit_record(
        actor=actor,
        action="management_review.record",
        obj=locked,
        changes=snapshot(locked, ("conclusions", "minutes_number", "minutes_date")),
    )
    return locked


def _clean_minutes(review: ManagementReview, data: dict) -> None:
    if "conclusions" in data:
        review.conclusions = (data["conclusions"] or "").strip()
    if data.get("minutes_number"):
        review.minutes_number = official_number(
            data["minutes_number"], kind="BB", symbol=_symbol(review.agency), field="minutes_number"
        )
    if "minutes_date" in data and data["minutes_date"] is not None:
        day = data["minutes_date"]
        if day > timezone.localdate():
            _refuse("minutes_date", _("The minutes cannot be dated on a day to come."))
        if day < review.meeting_date:
            _refuse("minutes_date", _("The minutes cannot be dated before the meeting."))
        review.minutes_date = day


@transaction.atomic
def minutes_issue(*, actor, review: ManagementReview, data: dict | None = None) -> ManagementReview:
    """Issue the minutes: conclusions written, numbered and dated; the outputs' owners are
    told."""
    locked = lock(review, related=("agency",))
    REVIEW.check(actor=actor, obj=locked, action=ReviewAction.RECORD)
    _clean_minutes(locked, data or {})
    REVIEW.apply(
        actor=actor,
        obj=locked,
        action=ReviewAction.ISSUE_MINUTES,
        changes=snapshot(locked, ("conclusions", "minutes_number", "minutes_date")),
    )
    owners = {o.owner for o in locked.outputs.select_related("owner") if o.owner_id}
    owners.discard(actor)
    if owners:
        notify(
            users=list(owners),
            agency=locked.agency,
            message=_("The minutes of %(review)s are issued: an action is yours.")
            % {"review": locked},
            url=review_url(locked) + "#outputs",
        )
    return locked


@transaction.atomic
def minutes_attach_scan(*, actor, review: ManagementReview, upload) -> ManagementReview:
    locked = lock(review)
    REVIEW.check(actor=actor, obj=locked, action=ReviewAction.ATTACH_SCAN)
    if upload is None:
        _refuse("scan", _("Choose the scanned or signed file."))
    checked = check_upload(upload, allowed=SCANS, field="scan")
    locked.signed_scan, locked.signed_scan_name = checked.content, checked.original_name
    locked.save()
    audit_record(
        actor=actor,
        action="management_review.attach_scan",
        obj=locked,
        changes={"signed_scan": checked.original_name},
    )
    return locked


# --- outputs ------------------------------------------------------------------------------------


def _clean_output(review, data: dict) -> dict:
    cleaned = {name: data[name] for name in OUTPUT_FIELDS if name in data}
    errors = {}
    if "kind" in cleaned and cleaned["kind"] not in OutputKind.values:
        errors["kind"] = [_("Say whether it is an improvement, a change to the QMS or a need.")]
    if "description" in cleaned:
        cleaned["description"] = (cleaned["description"] or "").strip()
        if not cleaned["description"]:
            errors["description"] = [_("Say what was decided.")]
    owner = cleaned.get("owner")
    if owner is not None and owner.pk not in _members(review.agency):
        errors["owner"] = [_("Choose someone who works in this agency.")]
    if "due_date" in cleaned:
        due = cleaned["due_date"]
        if due is None:
            errors["due_date"] = [_("Say by when it is done.")]
        elif due < review.meeting_date:
            errors["due_date"] = [_("An action cannot be due before the meeting.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return cleaned


@transaction.atomic
def output_create(*, actor, review: ManagementReview, data: dict) -> ReviewOutput:
    """Record a decision of the meeting as a tracked action; its owner is told."""
    locked = lock(review, related=("agency",))
    REVIEW.check(actor=actor, obj=locked, action=ReviewAction.RECORD)
    cleaned = _clean_output(locked, {"kind": None, "description": "", "due_date": None, **data})
    number = (locked.outputs.aggregate(n=Max("number"))["n"] or 0) + 1
    output = ReviewOutput.objects.create(
        agency=locked.agency, review=locked, number=number, created_by=actor, **cleaned
    )
    audit_record(
        actor=actor,
        action="management_review.add_output",
        obj=locked,
        changes=snapshot(output, OUTPUT_FIELDS),
    )
    if output.owner_id and output.owner_id != actor.pk:
        notify(
            users=[output.owner],
            agency=locked.agency,
            message=_("A decision of %(review)s is yours, due %(due)s: %(what)s")
            % {
                "review": locked,
                "due": output.due_date.strftime("%d/%m/%Y"),
                "what": output.description[:200],
            },
            url=review_url(locked) + "#outputs",
        )
    return output


@transaction.atomic
def output_update(*, actor, output: ReviewOutput, data: dict) -> ReviewOutput:
    locked = lock(output, related=("review", "agency"))
    REVIEW.check(actor=actor, obj=locked.review, action=ReviewAction.RECORD)
    cleaned = _clean_output(locked.review, data)
    before = snapshot(locked, OUTPUT_FIELDS)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    changes = changes_between(before, snapshot(locked, OUTPUT_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="management_review.change_output",
            obj=locked.review,
            changes=changes,
        )
    return locked


@transaction.atomic
def output_delete(*, actor, output: ReviewOutput) -> None:
    locked = lock(output, related=("review",))
    REVIEW.check(actor=actor, obj=locked.review, action=ReviewAction.RECORD)
    audit_record(
        actor=actor,
        action="management_review.remove_output",
        obj=locked.review,
        changes={"description": locked.description},
    )
    locked.delete()


@transaction.atomic
def output_complete(
    *, actor, output: ReviewOutput, done_on: datetime.date | None = None, result: str = ""
) -> ReviewOutput:
    """Record a decision carried out (its owner or the keepers), not on a day to come nor
    before the meeting."""
    locked = lock(output, related=("review", "agency"))
    if not rules.can_complete(actor, locked):
        raise NotPermitted(_("Only the action's owner, the ISO secretary or the head record it."))
    REVIEW.check(actor=actor, obj=locked.review, action=ReviewAction.FOLLOW_UP)
    if locked.done_on is not None:
        _refuse("done_on", _("This action is already recorded as done."))
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        _refuse("done_on", _("An action cannot be done on a day to come."))
    if done_on < locked.review.meeting_date:
        _refuse("done_on", _("An action cannot be done before the meeting that decided it."))
    locked.done_on = done_on
    locked.result = (result or "").strip()
    locked.save()
    audit_record(
        actor=actor,
        action="management_review.output_done",
        obj=locked.review,
        changes={"output": locked.description[:200], "done_on": done_on, "result": locked.result},
    )
    return locked
