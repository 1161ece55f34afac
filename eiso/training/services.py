"""Writes of training and competence: courses, sessions with their evidence file, the
attendance of a session, certificates (one by one, or to everyone who passed a session of a
course that gives one). Keyword-only, one transaction each, audited."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.files import DOCX, JPEG, PDF, PNG, XLSX, check_upload
from eiso.training import rules
from eiso.training.choices import CertificateKind, CourseKind
from eiso.training.models import Attendance, Certificate, Course, TrainingSession

EVIDENCE_TYPES = (PDF, DOCX, XLSX, PNG, JPEG)
SCAN_TYPES = (PDF, PNG, JPEG)
COURSE_FIELDS = ("title", "kind", "description", "hours", "certificate_kind", "is_active")
SESSION_FIELDS = ("starts_on", "ends_on", "trainer", "place", "note")
CERTIFICATE_FIELDS = ("kind", "number", "issuer", "issued_on", "expires_on", "note")
# A certificate from a session is valid this many years unless said otherwise (default
# practice of internal-auditor courses: three years).
CERTIFICATE_YEARS = 3


def _refuse(field: str, message: str):
    raise ValidationFailed(message, fields={field: [message]})


def _require_keeper(actor, agency) -> None:
    if not rules.can_keep(actor, agency):
        raise NotPermitted(_("Only the ISO secretary or the head keep the training records."))


def _text(data: dict, field: str, message: str) -> str:
    value = " ".join(str(data.get(field) or "").split())
    if not value:
        _refuse(field, message)
    return value


# --- courses -------------------------------------------------------------------------------


def _clean_course(data: dict) -> dict:
    cleaned = {k: data[k] for k in COURSE_FIELDS if k in data}
    if "title" in cleaned:
        cleaned["title"] = _text(data, "title", _("Name the course."))
    if "kind" in cleaned and cleaned["kind"] not in CourseKind.values:
        _refuse("kind", _("Choose the kind of course."))
    if (
        cleaned.get("certificate_kind")
        and cleaned["certificate_kind"] not in CertificateKind.values
    ):
        _refuse("certificate_kind", _("Choose the kind of certificate."))
    hours = cleaned.get("hours")
    if hours is not None and not 0 < hours <= 1000:
        _refuse("hours", _("Between 0 and 1,000 hours."))
    return cleaned


@transaction.atomic
def course_create(*, actor, agency, data: dict) -> Course:
    _require_keeper(actor, agency)
    cleaned = _clean_course({"kind": CourseKind.AWARENESS, **data})
    if "title" not in cleaned:
        _refuse("title", _("Name the course."))
    course = Course.objects.create(agency=agency, **cleaned)
    audit_record(
        actor=actor,
        action="course.create",
        obj=course,
        changes=changes_between({}, snapshot(course, COURSE_FIELDS)),
    )
    return course


@transaction.atomic
def course_update(*, actor, course: Course, data: dict) -> Course:
    locked = Course.objects.select_for_update().get(pk=course.pk)
    _require_keeper(actor, locked.agency)
    before = snapshot(locked, COURSE_FIELDS)
    for name, value in _clean_course(data).items():
        setattr(locked, name, value)
    locked.save()
    changes = changes_between(before, snapshot(locked, COURSE_FIELDS))
    if changes:
        audit_record(actor=actor, action="course.update", obj=locked, changes=changes)
    return locked


# --- sessions --------------------------------------------------------------------------------


def _clean_session(data: dict) -> dict:
    cleaned = {k: data[k] for k in SESSION_FIELDS if k in data}
    if "trainer" in cleaned:
        cleaned["trainer"] = _text(data, "trainer", _("Say who trained."))
    starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
    if "starts_on" in cleaned and starts is None:
        _refuse("starts_on", _("Give the date of the session."))
    if starts and ends and ends < starts:
        _refuse("ends_on", _("The session cannot end before it starts."))
    return cleaned


def _evidence(session: TrainingSession, evidence) -> None:
    if evidence is None:
        return
    checked = check_upload(evidence, allowed=EVIDENCE_TYPES, field="evidence")
    session.evidence = checked.content
    session.evidence_name = checked.original_name


@transaction.atomic
def session_create(*, actor, course: Course, data: dict, evidence=None) -> TrainingSession:
    """A session of a course (its date, trainer, place) with its evidence file (attendance
    sheet, minutes, photos)."""
    locked = Course.objects.select_for_update().get(pk=course.pk)
    _require_keeper(actor, locked.agency)
    cleaned = _clean_session(data)
    if "trainer" not in cleaned or "starts_on" not in cleaned:
        _refuse("starts_on", _("Give the date of the session."))
    session = TrainingSession(agency=locked.agency, course=locked, **cleaned)
    _evidence(session, evidence)
    session.save()
    audit_record(
        actor=actor,
        action="training_session.create",
        obj=session,
        changes=changes_between({}, snapshot(session, (*SESSION_FIELDS, "evidence_name"))),
    )
    return session


@transaction.atomic
def session_update(*, actor, session: TrainingSession, data: dict, evidence=None):
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    _require_keeper(actor, locked.agency)
    fields = (*SESSION_FIELDS, "evidence_name")
    before = snapshot(locked, fields)
    for name, value in _clean_session({**snapshot_values(locked), **data}).items():
        setattr(locked, name, value)
    _evidence(locked, evidence)
    locked.save()
    changes = changes_between(before, snapshot(locked, fields))
    if changes:
        audit_record(actor=actor, action="training_session.update", obj=locked, changes=changes)
    return locked


def snapshot_values(session: TrainingSession) -> dict:
    return {name: getattr(session, name) for name in SESSION_FIELDS}


@transaction.atomic
def attendance_record(*, actor, session: TrainingSession, rows: list[dict]) -> list[Attendance]:
    """Record who attended ``session`` and who passed: ``rows`` of ``{"person", "attended",
    "passed", "note"}``, people of the session's agency (or who work there now). Replaces the
    attendance of the people named; others are left as they were."""
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    _require_keeper(actor, locked.agency)
    from eiso.accounts.models import Membership

    members = set(Membership.objects.filter(agency=locked.agency).values_list("user_id", flat=True))
    existing = {a.person_id: a for a in Attendance.objects.filter(session=locked)}
    saved = []
    changes = {}
    for row in rows:
        person = row["person"]
        if person.pk not in members and person.pk not in existing:
            _refuse("person", _("%(name)s does not work in this agency.") % {"name": person})
        attended = bool(row.get("attended", True))
        passed = row.get("passed")
        if passed and not attended:
            _refuse("passed", _("Only someone who attended can pass."))
        found = existing.get(person.pk)
        if found is None:
            found = Attendance(agency=locked.agency, session=locked, person=person)
        before = (found.attended, found.passed, found.note) if found.pk else None
        found.attended, found.passed, found.note = attended, passed, str(row.get("note") or "")
        found.save()
        if before != (found.attended, found.passed, found.note):
            changes[str(person)] = [list(before) if before else None, [attended, passed]]
        saved.append(found)
    if changes:
        audit_record(
            actor=actor,
            action="training_session.attendance",
            obj=locked,
            changes={"attendance": [len(saved), len(existing)]},
            reason=", ".join(sorted(changes)),
        )
    return saved


# --- certificates ----------------------------------------------------------------------------


def _clean_certificate(data: dict, today: datetime.date) -> dict:
    cleaned = {k: data[k] for k in CERTIFICATE_FIELDS if k in data}
    if "issuer" in cleaned:
        cleaned["issuer"] = _text(data, "issuer", _("Say who issued the certificate."))
    if "kind" in cleaned and cleaned["kind"] not in CertificateKind.values:
        _refuse("kind", _("Choose the kind of certificate."))
    issued, expires = cleaned.get("issued_on"), cleaned.get("expires_on")
    if "issued_on" in cleaned and issued is None:
        _refuse("issued_on", _("Give the date of issue."))
    if issued and issued > today:
        _refuse("issued_on", _("A certificate cannot be issued on a day to come."))
    if issued and expires and expires < issued:
        _refuse("expires_on", _("It cannot expire before it was issued."))
    return cleaned


def _may_certify(actor, holder, agency) -> None:
    """The keepers record certificates of the people of their agency."""
    _require_keeper(actor, agency)
    from eiso.accounts.models import Membership

    if not Membership.objects.filter(user=holder, agency=agency).exists():
        _refuse("holder", _("%(name)s does not work in this agency.") % {"name": holder})


@transaction.atomic
def certificate_create(*, actor, agency, holder, data: dict, file=None) -> Certificate:
    """Record a certificate a person of ``agency`` holds (its scan optional)."""
    _may_certify(actor, holder, agency)
    cleaned = _clean_certificate(data, timezone.localdate())
    for field in ("kind", "issuer", "issued_on"):
        if not cleaned.get(field):
            _refuse(field, _("This field is required."))
    certificate = Certificate(agency=agency, holder=holder, **cleaned)
    if file is not None:
        checked = check_upload(file, allowed=SCAN_TYPES, field="file")
        certificate.file, certificate.file_name = checked.content, checked.original_name
    certificate.save()
    audit_record(
        actor=actor,
        action="certificate.create",
        obj=certificate,
        changes=changes_between({}, snapshot(certificate, ("holder", *CERTIFICATE_FIELDS))),
    )
    return certificate


def _keeps_certificate(actor, certificate: Certificate) -> None:
    """The keepers of the agency that recorded it, or of an agency its holder works in now."""
    from eiso.accounts.models import Membership

    if rules.can_keep(actor, certificate.agency):
        return
    for membership in Membership.objects.filter(
        user_id=certificate.holder_id, is_active=True
    ).select_related("agency"):
        if rules.can_keep(actor, membership.agency):
            return
    raise NotPermitted(_("Only the ISO secretary or the head keep the training records."))


@transaction.atomic
def certificate_update(*, actor, certificate: Certificate, data: dict, file=None) -> Certificate:
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    _keeps_certificate(actor, locked)
    before = snapshot(locked, (*CERTIFICATE_FIELDS, "file_name"))
    for name, value in _clean_certificate(data, timezone.localdate()).items():
        setattr(locked, name, value)
    if file is not None:
        checked = check_upload(file, allowed=SCAN_TYPES, field="file")
        locked.file, locked.file_name = checked.content, checked.original_name
    locked.full_clean(exclude=["file", "holder", "agency", "session"])
    locked.save()
    changes = changes_between(before, snapshot(locked, (*CERTIFICATE_FIELDS, "file_name")))
    if changes:
        audit_record(actor=actor, action="certificate.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def certificate_delete(*, actor, certificate: Certificate, reason: str) -> None:
    """Remove a certificate recorded by mistake (the reason is kept in the audit trail)."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    _keeps_certificate(actor, locked)
    if not str(reason or "").strip():
        _refuse("reason", _("Say why the certificate is removed."))
    audit_record(
        actor=actor,
        action="certificate.delete",
        obj=locked,
        changes=changes_between(snapshot(locked, ("holder", *CERTIFICATE_FIELDS)), {}),
        reason=reason,
    )
    locked.delete()


@transaction.atomic
def certificates_for_session(
    *, actor, session: TrainingSession, issuer: str, issued_on: datetime.date | None = None,
    years: int | None = CERTIFICATE_YEARS,
) -> list[Certificate]:  # fmt: skip
    """Give the course's certificate to everyone who passed the session and has none from it
    yet (valid ``years`` years; None: without expiry)."""
    locked = TrainingSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    _require_keeper(actor, locked.agency)
    kind = locked.course.certificate_kind
    if not kind:
        _refuse("issuer", _("This course gives no certificate."))
    issued_on = issued_on or locked.ends_on or locked.starts_on
    expires = None
    if years:
        try:
            expires = issued_on.replace(year=issued_on.year + years)
        except ValueError:  # 29/02
            expires = issued_on.replace(year=issued_on.year + years, day=28)
    already = set(Certificate.objects.filter(session=locked).values_list("holder_id", flat=True))
    created = []
    for attendance in Attendance.objects.filter(session=locked, passed=True).select_related(
        "person"
    ):
        if attendance.person_id in already:
            continue
        created.append(
            certificate_create(
                actor=actor,
                agency=locked.agency,
                holder=attendance.person,
                data={
                    "kind": kind,
                    "issuer": issuer,
                    "issued_on": issued_on,
                    "expires_on": expires,
                    "note": str(locked.course),
                },
            )
        )
    Certificate.objects.filter(pk__in=[c.pk for c in created]).update(session=locked)
    return created
