"""Reads of training and competence. A certificate follows its holder: it is read by those
who see the agency that recorded it AND by those who see an agency the holder works in now
(staff rotate; their next agency must see their internal-auditor certificate). Each read is
a fixed number of queries."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from eiso.accounts.models import Membership, User
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.core.subqueries import count_of
from eiso.training.choices import CertificateKind, CertificateState
from eiso.training.models import Attendance, Certificate, Course, TrainingSession

EXPIRING_DAYS = 60


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def has_valid_certificate(
    *, user, kind: str = CertificateKind.INTERNAL_AUDITOR, on: datetime.date | None = None
) -> bool:
    """Whether ``user`` holds a certificate of ``kind`` valid on ``on`` (today): issued by
    then and not expired (valid up to and including its expiry day), recorded by any agency —
    a certificate follows the person. Internal audits call it before assigning an auditor.
    One query."""
    day = on or timezone.localdate()
    return (
        Certificate.objects.filter(holder=user, kind=kind, issued_on__lte=day)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        .exists()
    )


def people_of(*, user, agency) -> QuerySet[User]:
    """People who work in ``agency`` now (visible to ``user``)."""
    members = Membership.objects.visible_to(user).filter(agency=agency, is_active=True)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "full_name", "username"
    )


def _people_in_scope(user, action: Action = Action.VIEW):
    """The people who work now in an agency ``user`` reaches (a subquery)."""
    return (
        Membership.objects.visible_to(user, action=action).filter(is_active=True).values("user_id")
    )


# --- courses and sessions ---------------------------------------------------------------------


COURSE_ORDERING = {
    "title": ("title", "pk"),
    "-title": ("-title", "pk"),
    "kind": ("kind", "title"),
    "last": ("-last_session", "title"),
}


def course_list(
    *, user, agency=None, kind: str = "", q: str = "", ordering: str = "",
    action: Action = Action.VIEW,
) -> QuerySet[Course]:  # fmt: skip
    last = (
        TrainingSession.objects.filter(course=OuterRef("pk"))
        .order_by("-starts_on")
        .values("starts_on")[:1]
    )
    qs = (
        Course.objects.visible_to(user, action=action)
        .select_related("agency")
        .annotate(
            session_count=count_of(TrainingSession.objects.all(), "course"),
            trained=count_of(Attendance.objects.filter(attended=True), "session__course"),
            last_session=Subquery(last),
        )
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return qs.order_by(*COURSE_ORDERING.get(ordering, COURSE_ORDERING["last"]))


def course_get(*, user, pk, action: Action = Action.VIEW) -> Course:
    return _get(Course.objects.visible_to(user, action=action).select_related("agency"), pk)


def sessions_of(*, user, course: Course) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.visible_to(user)
        .filter(course=course)
        .annotate(
            attendees=count_of(Attendance.objects.filter(attended=True), "session"),
            passed_count=count_of(Attendance.objects.filter(passed=True), "session"),
        )
        .order_by("-starts_on", "-pk")
    )


def session_get(*, user, pk, action: Action = Action.VIEW) -> TrainingSession:
    return _get(
        TrainingSession.objects.visible_to(user, action=action).select_related("course", "agency"),
        pk,
    )


def attendance_of(*, user, session: TrainingSession) -> list[Attendance]:
    return list(
        Attendance.objects.visible_to(user)
        .filter(session=session)
        .select_related("person")
        .order_by("person__full_name", "person__username")
    )


# --- certificates ---------------------------------------------------------------------------


def certificates_visible(user) -> QuerySet[Certificate]:
    """Certificates recorded by an agency ``user`` sees, and those of the people who work
    now in an agency ``user`` sees (the certificate follows its holder)."""
    if user_scope(user).everything:
        return Certificate.objects.all()
    recorded = Certificate.objects.visible_to(user)
    return Certificate.objects.filter(
        Q(pk__in=recorded.values("pk")) | Q(holder_id__in=_people_in_scope(user))
    )


CERTIFICATE_ORDERING = {
    "holder": ("holder__full_name", "-issued_on"),
    "-holder": ("-holder__full_name", "-issued_on"),
    "issued": ("-issued_on", "-pk"),
    "-issued": ("issued_on", "pk"),
    "expires": ("expires_on", "pk"),
    "-expires": ("-expires_on", "-pk"),
}


def certificate_list(
    *, user, kind: str = "", state: str = "", q: str = "", agency=None, ordering: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Certificate]:  # fmt: skip
    """Certificates ``user`` may read; ``state``: valid, expiring (within 60 days) or
    expired on ``today``; ``agency``: of the people working there now."""
    day = today or timezone.localdate()
    qs = certificates_visible(user).select_related("holder", "agency")
    if agency is not None:
        working = Membership.objects.visible_to(user).filter(agency=agency, is_active=True)
        qs = qs.filter(holder_id__in=working.values("user_id"))
    if kind:
        qs = qs.filter(kind=kind)
    soon = day + datetime.timedelta(days=EXPIRING_DAYS)
    valid = Q(issued_on__lte=day) & (Q(expires_on__isnull=True) | Q(expires_on__gte=day))
    if state == CertificateState.VALID:
        qs = qs.filter(valid)
    elif state == CertificateState.EXPIRING:
        qs = qs.filter(valid, expires_on__isnull=False, expires_on__lte=soon)
    elif state == CertificateState.EXPIRED:
        qs = qs.filter(expires_on__lt=day)
    if q:
        qs = qs.filter(
            Q(holder__full_name__icontains=q)
            | Q(holder__username__icontains=q)
            | Q(number__icontains=q)
            | Q(issuer__icontains=q)
        )
    return qs.order_by(*CERTIFICATE_ORDERING.get(ordering, CERTIFICATE_ORDERING["issued"]))


def certificate_get(*, user, pk, action: Action = Action.VIEW) -> Certificate:
    """One certificate: in ``user``'s view scope (recorded or followed); to change it, the
    agency that recorded it or the holder's agency now must be one ``user`` changes."""
    if action == Action.VIEW:
        qs = certificates_visible(user)
    else:
        qs = Certificate.objects.filter(
            Q(pk__in=Certificate.objects.visible_to(user, action=action).values("pk"))
            | Q(holder_id__in=_people_in_scope(user, action))
        )
    return _get(qs.select_related("holder", "agency", "session", "session__course"), pk)


def expiring_certificates(*, user, agencies: list, holder=None, today: datetime.date, limit: int):
    """Certificates expiring within 60 days of ``today`` (not yet expired): of the people
    working in ``agencies``, or of ``holder``. One query."""
    soon = today + datetime.timedelta(days=EXPIRING_DAYS)
    qs = certificates_visible(user).filter(expires_on__gte=today, expires_on__lte=soon)
    condition = Q()
    if agencies:
        working = Membership.objects.filter(agency__in=agencies, is_active=True)
        condition |= Q(holder_id__in=working.values("user_id"))
    if holder is not None:
        condition |= Q(holder=holder)
    if not condition:
        return []
    return list(
        qs.filter(condition).select_related("holder", "agency").order_by("expires_on", "pk")[:limit]
    )


# --- a person's competence history -------------------------------------------------------------


def person_get(*, user, pk) -> User:
    """A person ``user`` may read the competence of: one who works (or worked) in an agency
    ``user`` sees."""
    members = Membership.objects.visible_to(user).values("user_id")
    return _get(User.objects.filter(pk__in=members), pk)


def competence_of(*, user, person: User) -> dict:
    """The person's training (every session attended, whatever the agency that ran it) and
    certificates, oldest first: their competence history. Three queries."""
    attended = list(
        Attendance.objects.filter(person=person)
        .filter(
            Q(pk__in=Attendance.objects.visible_to(user).values("pk"))
            | Q(person_id__in=_people_in_scope(user))
        )
        .select_related("session", "session__course", "agency")
        .order_by("-session__starts_on")
    )
    certificates = list(
        certificates_visible(user)
        .filter(holder=person)
        .select_related("agency")
        .order_by("-issued_on")
    )
    memberships = list(
        Membership.objects.filter(user=person)
        .select_related("agency")
        .order_by("-is_active", "-started_on")
    )
    return {"attendance": attended, "certificates": certificates, "memberships": memberships}
