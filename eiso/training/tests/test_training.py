"""Training and competence (issue 10, ISO 7.2): courses, sessions with attendance and evidence,
certificates that follow the person across agencies, the selector internal audits call on both
sides of the expiry day, certificates expiring in the inbox, isolation and query counts."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eiso.accounts.tests.factories import MembershipFactory
from eiso.core import inbox
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.roles import Role
from eiso.core.testing import IsolationContract
from eiso.training import selectors, services
from eiso.training.choices import CertificateKind, certificate_kinds
from eiso.training.models import Certificate, Course

pytestmark = pytest.mark.django_db

KEEPER = {"A": "an", "B": "chi", "C": "cuong"}
D = datetime.date
ISSUED = D(2025, 6, 1)
EXPIRES = D(2028, 5, 31)


@pytest.fixture(autouse=True)
def june(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel("2026-06-15 10:00 +0700", tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def keeper(world, agency):
    return world.persona(KEEPER[agency.code])


def course(world, agency, title="Đào tạo chuyên gia đánh giá nội bộ", **data):
    return services.course_create(
        actor=keeper(world, agency),
        agency=agency,
        data={
            "title": title,
            "kind": "internal_auditor",
            "certificate_kind": "internal_auditor",
            **data,
        },
    )


def certificate(world, agency, holder, *, issued=ISSUED, expires=EXPIRES, **data):
    return services.certificate_create(
        actor=keeper(world, agency),
        agency=agency,
        holder=holder,
        data={
            "kind": "internal_auditor",
            "issuer": "Trung tâm Năng suất Việt Nam",
            "issued_on": issued,
            "expires_on": expires,
            **data,
        },
    )


# --- the contract with internal audits ------------------------------------------------------------


def test_certificate_kinds_are_choices_with_the_internal_auditor():
    assert ("internal_auditor", "Internal auditor") in certificate_kinds


@pytest.mark.parametrize(
    ("day", "valid"),
    [
        (D(2025, 5, 31), False),  # the day before it was issued
        (D(2025, 6, 1), True),  # the day it was issued
        (D(2028, 5, 31), True),  # its last valid day
        (D(2028, 6, 1), False),  # the day after
    ],
)
def test_a_certificate_is_valid_from_its_issue_to_its_expiry_day(world, day, valid):
    certificate(world, world.A, world.binh)
    assert selectors.has_valid_certificate(user=world.binh, on=day) is valid
    assert selectors.has_valid_certificate(user=world.binh, kind="awareness", on=day) is False


def test_a_certificate_follows_its_holder_to_another_agency(client, world):
    found = certificate(world, world.A, world.binh)
    membership = world.binh.memberships.get()
    membership.is_active = False
    membership.save()
    MembershipFactory(user=world.binh, agency=world.B, role=Role.STAFF)
    assert selectors.has_valid_certificate(user=world.binh, on=D(2026, 6, 15))
    client.force_login(world.chi)  # B's secretary sees it, recorded by A
    page = client.get(reverse("training:certificates")).content.decode()
    assert 'data-holder="binh"' in page
    assert client.get(reverse("training:person", args=[world.binh.pk])).status_code == 200
    client.force_login(world.cuong)  # C's does not
    assert 'data-holder="binh"' not in client.get(reverse("training:certificates")).content.decode()
    assert client.get(reverse("training:person", args=[world.binh.pk])).status_code == 404
    services.certificate_update(actor=world.chi, certificate=found, data={"number": "CG-12"})
    with pytest.raises(NotPermitted):
        services.certificate_update(actor=world.cuong, certificate=found, data={"number": "X"})


# --- courses, sessions, attendance, certificates ----------------------------------------------


def test_a_session_with_evidence_attendance_and_certificates_for_those_who_passed(world):
    a_course = course(world, world.A)
    session = services.session_create(
        actor=world.an,
        course=a_course,
        data={"starts_on": D(2026, 5, 20), "ends_on": D(2026, 5, 22), "trainer": "ThS. Lê Minh"},
        evidence=SimpleUploadedFile("diem-danh.pdf", b"%PDF-1.4 danh sach"),
    )
    assert session.evidence_name == "diem-danh.pdf"
    services.attendance_record(
        actor=world.an,
        session=session,
        rows=[
            {"person": world.binh, "attended": True, "passed": True},
            {"person": world.hai, "attended": True, "passed": False},
        ],
    )
    given = services.certificates_for_session(
        actor=world.an, session=session, issuer="Sở KH&CN", years=3
    )
    assert [c.holder for c in given] == [world.binh]
    assert given[0].expires_on == D(2029, 5, 22)
    assert Certificate.objects.get().session == session
    again = services.certificates_for_session(actor=world.an, session=session, issuer="Sở KH&CN")
    assert again == []  # once per person and session
    history = selectors.competence_of(user=world.an, person=world.binh)
    assert [a.session for a in history["attendance"]] == [session]


def test_refusals_say_why_and_save_nothing(world):
    a_course = course(world, world.A)
    with pytest.raises(ValidationFailed) as refused:
        services.session_create(
            actor=world.an,
            course=a_course,
            data={"starts_on": D(2026, 5, 22), "ends_on": D(2026, 5, 20), "trainer": "X"},
        )
    assert "end before" in refused.value.message
    with pytest.raises(ValidationFailed):
        certificate(world, world.A, world.binh, issued=D(2026, 7, 1))  # a day to come
    with pytest.raises(ValidationFailed):
        certificate(world, world.A, world.binh, issued=D(2026, 1, 1), expires=D(2025, 1, 1))
    with pytest.raises(ValidationFailed):
        certificate(world, world.A, world.chi)  # not a person of A
    with pytest.raises(NotPermitted):
        services.course_create(actor=world.binh, agency=world.A, data={"title": "X"})
    with pytest.raises(NotPermitted):
        services.course_create(actor=world.dung, agency=world.A, data={"title": "X"})
    assert Certificate.objects.count() == 0 and Course.objects.count() == 1


# --- the inbox ---------------------------------------------------------------------------------


def test_a_certificate_expiring_within_60_days_waits_in_the_inbox(world, june):
    certificate(world, world.A, world.binh, expires=D(2026, 8, 14))  # 60 days after 15/06
    items = [
        i
        for i in inbox.inbox_for(world.an, kinds=["training.expiring"])
        if i.kind == "training.expiring"
    ]
    assert [i.due for i in items] == [D(2026, 8, 14)]
    assert [
        i.kind
        for i in inbox.inbox_for(world.binh, kinds=["training.expiring"])
        if i.kind == "training.expiring"
    ]
    assert not [
        i
        for i in inbox.inbox_for(world.chi, kinds=["training.expiring"])
        if i.kind == "training.expiring"
    ]
    june.move_to("2026-06-14 10:00 +0700")  # 61 days before: not yet
    assert not [
        i
        for i in inbox.inbox_for(world.an, kinds=["training.expiring"])
        if i.kind == "training.expiring"
    ]
    june.move_to("2026-08-15 10:00 +0700")  # expired: no longer "expiring"
    assert not [
        i
        for i in inbox.inbox_for(world.an, kinds=["training.expiring"])
        if i.kind == "training.expiring"
    ]


# --- pages -------------------------------------------------------------------------------------


class TestCourseIsolation(IsolationContract):
    def make(self, world, agency):
        return course(world, agency, title=f"Nhận thức ISO {agency.code}")

    def list_url(self):
        return reverse("training:list")

    def marker(self, obj):
        return obj.title

    def read_urls(self, obj):
        return [reverse("training:course", args=[obj.pk])]

    def change_requests(self, obj):
        return [
            (
                "post",
                reverse("training:course_update", args=[obj.pk]),
                {"title": "X", "kind": "awareness"},
            ),
            (
                "post",
                reverse("training:session_create", args=[obj.pk]),
                {"starts_on": "01/06/2026", "trainer": "X"},
            ),
        ]

    def create_request(self, world, agency):
        return (
            "post",
            f"{reverse('training:course_create')}?agency={agency.pk}",
            {"title": "Lạ", "kind": "awareness"},
        )

    def count(self):
        return Course.objects.count()


class TestSessionIsolation(IsolationContract):
    def make(self, world, agency):
        return services.session_create(
            actor=keeper(world, agency),
            course=course(world, agency),
            data={"starts_on": D(2026, 6, 1), "trainer": f"Giảng viên {agency.code}"},
            evidence=SimpleUploadedFile("b.pdf", b"%PDF-1.4 x"),
        )

    def list_url(self):
        return reverse("training:list")

    def marker(self, obj):
        return obj.course.title + ""

    def read_urls(self, obj):
        return [
            reverse("training:session", args=[obj.pk]),
            reverse("training:session_evidence", args=[obj.pk]),
        ]

    def change_requests(self, obj):
        return [
            ("post", reverse("training:session", args=[obj.pk]), {}),
            ("post", reverse("training:session_update", args=[obj.pk]), {"trainer": "X"}),
            ("post", reverse("training:session_certificates", args=[obj.pk]), {"issuer": "X"}),
        ]

    def test_list_shows_own_rows_and_hides_foreign_rows(self, client, world):
        pytest.skip("sessions are listed on their course's page (TestCourseIsolation)")


class TestCertificateIsolation(IsolationContract):
    def make(self, world, agency):
        holder = {"A": world.binh, "B": world.chi, "C": world.cuong}[agency.code]
        return certificate(world, agency, holder, number=f"CC-{agency.code}")

    def list_url(self):
        return reverse("training:certificates")

    def marker(self, obj):
        return f'data-holder="{obj.holder.username}"'

    def read_urls(self, obj):
        return [reverse("training:person", args=[obj.holder_id])]

    def change_requests(self, obj):
        return [
            ("post", reverse("training:certificate_update", args=[obj.pk]), {"issuer": "X"}),
            ("post", reverse("training:certificate_delete", args=[obj.pk]), {"reason": "X"}),
        ]

    def create_request(self, world, agency):
        return (
            "post",
            f"{reverse('training:certificate_create')}?agency={agency.pk}",
            {"kind": "internal_auditor", "issuer": "X", "issued_on": "01/01/2026"},
        )

    def count(self):
        return Certificate.objects.count()


@pytest.mark.parametrize("name", ["training:list", "training:certificates"])
def test_list_query_counts_do_not_grow_with_rows(client, world, django_assert_num_queries, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.an)
    url = reverse(name)
    people = [world.binh, world.hai, world.an]

    def fill(start, count):
        for n in range(start, start + count):
            c = course(world, world.A, title=f"Khóa {n}")
            services.session_create(
                actor=world.an, course=c, data={"starts_on": D(2026, 6, 1), "trainer": "X"}
            )
            certificate(world, world.A, people[n % 3], number=f"N{n}")

    fill(0, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    fill(10, 4)
    with django_assert_num_queries(len(captured.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_course_session_and_person_pages_query_counts_do_not_grow(
    client, world, django_assert_num_queries
):
    """The sessions of a course, the attendance of a session and a person's certificates and
    training: the same number of queries for one row as for several."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a_course = course(world, world.A)
    people = [world.binh, world.hai, world.an]

    def fill(start, count):
        sessions = []
        for n in range(start, start + count):
            session = services.session_create(
                actor=world.an,
                course=a_course,
                data={"starts_on": D(2026, 5, 1 + n), "trainer": f"Giảng viên {n}"},
            )
            services.attendance_record(
                actor=world.an,
                session=session,
                rows=[{"person": p, "attended": True, "passed": True} for p in people],
            )
            certificate(world, world.A, world.binh, number=f"N{n}")
            sessions.append(session)
        return sessions

    first = fill(0, 1)[0]
    urls = [
        reverse("training:course", args=[a_course.pk]),
        reverse("training:session", args=[first.pk]),
        reverse("training:person", args=[world.binh.pk]),
    ]
    client.force_login(world.an)
    counts = []
    for url in urls:
        client.get(url)  # warm the caches (session, scope)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    fill(10, 4)
    assert Certificate.objects.filter(holder=world.binh).count() == 5
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200


def test_the_keepers_record_attendance_on_the_session_page(client, world):
    a_course = course(world, world.A)
    session = services.session_create(
        actor=world.an, course=a_course, data={"starts_on": D(2026, 6, 1), "trainer": "X"}
    )
    client.force_login(world.an)
    page = client.get(reverse("training:session", args=[session.pk])).content.decode()
    assert f"attended_{world.binh.pk}" in page
    response = client.post(
        reverse("training:session", args=[session.pk]),
        {f"attended_{world.binh.pk}": "on", f"passed_{world.binh.pk}": "on"},
    )
    assert response.status_code == 302
    assert session.attendances.get().passed is True
    assert a_course.certificate_kind == CertificateKind.INTERNAL_AUDITOR
