"""Results kept between requests (eiso.core.kept) and the inbox kept with it: shown again while
no audit event was written, for at most ``max_age`` seconds while other people change data, at
once after the person's own change or when asked; one person's kept inbox never reaches another
person or another role."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from eiso.accounts.tests.factories import MembershipFactory
from eiso.core.kept import kept, key_of, last_events
from eiso.core.roles import Role
from eiso.core.tests.test_inbox import kinds, submitted
from eiso.documents import services
from eiso.objectives.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 6, 17), tick=False) as traveller:
        yield traveller


def test_a_result_is_computed_once_while_nothing_changes(world, clock):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    first = kept(key_of("t", 1), compute, user=world.hai, max_age=0)
    again = kept(key_of("t", 1), compute, user=world.hai, max_age=0)
    assert (first.value, again.value, len(calls)) == (1, 1, 1)
    assert again.computed_at == first.computed_at
    assert kept(key_of("t", 2), compute, user=world.hai, max_age=0).value == 2  # another key
    assert kept(key_of("t", 1), compute, user=world.hai, max_age=0, fresh=True).value == 3


def test_while_another_process_computes_it_again_the_old_result_is_shown(world, clock):
    """Too old after others' changes: one process computes it again; meanwhile the others
    show the one it replaces (no stampede) — but never after the person's own change."""
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    key = key_of("t", "busy")
    assert kept(key, compute, user=world.hai, max_age=60).value == 1
    submitted(world, world.A)  # someone else writes
    clock.shift(datetime.timedelta(seconds=61))
    cache.add(f"{key}:computing", True, 60)  # another process is computing it
    assert kept(key, compute, user=world.hai, max_age=60).value == 1 and len(calls) == 1
    cache.delete(f"{key}:computing")  # it is done (here: gone without storing anything)
    assert kept(key, compute, user=world.hai, max_age=60).value == 2
    assert cache.get(f"{key}:computing") is None  # released once computed
    _, revision = submitted(world, world.A, code="QT-07")
    clock.shift(datetime.timedelta(seconds=61))
    cache.add(f"{key}:computing", True, 60)
    services.revision_return(actor=world.hai, revision=revision, comment="Sửa lại")  # hai's own
    assert kept(key, compute, user=world.hai, max_age=60).value == 3  # computed at once
    # … without taking the other process's lock away, nor when asked to compute again
    assert cache.get(f"{key}:computing") is True
    assert kept(key, compute, user=world.hai, max_age=60, fresh=True).value == 4
    assert cache.get(f"{key}:computing") is True


def test_a_failed_computation_releases_the_lock(world, clock):
    key = key_of("t", "fails")
    assert kept(key, lambda: "old", user=world.hai, max_age=60).value == "old"
    submitted(world, world.A)
    clock.shift(datetime.timedelta(seconds=61))

    def broken():
        assert cache.get(f"{key}:computing") is True  # held while computing
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        kept(key, broken, user=world.hai, max_age=60)
    assert cache.get(f"{key}:computing") is None
    assert kept(key, lambda: "new", user=world.hai, max_age=60).value == "new"


def test_others_changes_show_once_it_is_too_old_and_the_person_s_own_at_once(world, clock):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert kept(key_of("t"), compute, user=world.hai, max_age=60).value == 1
    submitted(world, world.A)  # the secretary writes: an audit event not of hai's
    clock.shift(datetime.timedelta(seconds=59))
    assert kept(key_of("t"), compute, user=world.hai, max_age=60).value == 1
    clock.shift(datetime.timedelta(seconds=2))
    assert kept(key_of("t"), compute, user=world.hai, max_age=60).value == 2
    last, mine = last_events(world.hai)
    assert last > 0 and mine == 0
    _, revision = submitted(world, world.A, code="QT-06")
    services.revision_return(actor=world.hai, revision=revision, comment="Sửa lại")  # hai's own
    assert kept(key_of("t"), compute, user=world.hai, max_age=60).value == 3
    assert last_events(world.hai)[1] == last_events(world.hai)[0]


def test_a_colleague_s_work_reaches_the_inbox_at_once_other_agencies_wait_for_the_age(
    client, world, clock, settings
):
    from eiso.documents.models import Revision
    from eiso.documents.tests.factories import make_draft

    settings.INBOX_MAX_AGE = 60
    client.force_login(world.hai)
    url = reverse("inbox:list")
    submitted(world, world.A, code="QT-01")
    page = client.get(url)
    assert kinds(page.context["items"]).count("documents.review") == 1
    assert 'data-testid="computed-at"' in page.content.decode()
    _, quiet = make_draft(world, world.A, code="QT-03")  # a draft, not for the head yet
    submitted(world, world.A, code="QT-02")  # by the secretary of hai's agency: at once
    assert kinds(client.get(url).context["items"]).count("documents.review") == 2
    count = client.get(reverse("inbox:count")).context["count"]  # the header's count: the same
    assert count == len(client.get(url).context["items"])
    # a change that wrote no audit event in A (by hand), while another agency works
    Revision.objects.filter(pk=quiet.pk).update(status="in_review")
    submitted(world, world.B, code="QT-B1")
    assert kinds(client.get(url).context["items"]).count("documents.review") == 2
    assert kinds(client.get(url + "?fresh=1").context["items"]).count("documents.review") == 3
    Revision.objects.filter(pk=quiet.pk).update(status="draft")
    submitted(world, world.B, code="QT-B2")
    assert kinds(client.get(url).context["items"]).count("documents.review") == 3
    clock.shift(datetime.timedelta(seconds=61))
    assert kinds(client.get(url).context["items"]).count("documents.review") == 2


def test_the_person_s_own_work_leaves_their_inbox_at_once(client, world, clock, settings):
    settings.INBOX_MAX_AGE = 60
    client.force_login(world.hai)
    url = reverse("inbox:list")
    _, revision = submitted(world, world.A, code="QT-01")
    assert kinds(client.get(url).context["items"]).count("documents.review") == 1
    services.revision_return(actor=world.hai, revision=revision, comment="Bổ sung")
    assert kinds(client.get(url).context["items"]).count("documents.review") == 0


def test_a_kept_inbox_is_one_person_s_in_one_role(client, world, clock, settings):
    settings.INBOX_MAX_AGE = 60
    submitted(world, world.A, code="QT-01")
    client.force_login(world.hai)
    assert "documents.review" in kinds(client.get(reverse("inbox:list")).context["items"])
    client.force_login(world.an)  # the drafter, in the same agency: not the head's inbox
    assert "documents.review" not in kinds(client.get(reverse("inbox:list")).context["items"])
    # the head also a staff member of B: acting there, the head's review of A is not theirs
    other = MembershipFactory(user=world.hai, agency=world.B, role=Role.STAFF)
    client.force_login(world.hai)
    session = client.session
    session["eiso_active_membership"] = other.pk
    session.save()
    assert "documents.review" not in kinds(client.get(reverse("inbox:list")).context["items"])


def test_a_colleague_s_issue_reaches_the_home_panels_at_once(client, world, clock, settings):
    from eiso.documents.tests.factories import make_issued

    settings.INBOX_MAX_AGE = 60
    make_issued(world, world.A, code="QT-01")
    client.force_login(world.binh)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "QT-01" in page.split('data-testid="to-read"')[1][:3000]
    make_issued(world, world.A, code="QT-02")  # A's people ask binh to read another
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "QT-02" in page.split('data-testid="to-read"')[1][:3000]


def test_a_kept_home_page_costs_a_few_fixed_queries(
    client, world, clock, django_assert_num_queries
):
    """Kept inbox and panels: the session, the user, the roles, the last audit events (once for
    both), the header's unread notifications — nothing of the panels."""
    client.force_login(world.cuong)
    client.get(reverse("dashboard:home"))
    with django_assert_num_queries(5):
        assert client.get(reverse("dashboard:home")).status_code == 200


def test_a_kept_master_list_is_one_agency_s_and_shows_its_issues_at_once(client, world, clock):
    from eiso.documents.tests.factories import make_issued

    make_issued(world, world.A, code="QT-A1")
    make_issued(world, world.B, code="QT-B1")
    client.force_login(world.dung)  # the province's overseer reads both agencies' lists
    url = reverse("documents:master_list")
    first = client.get(url, {"agency": world.A.pk}).content.decode()
    other = client.get(url, {"agency": world.B.pk}).content.decode()
    assert 'data-code="QT-A1"' in first and 'data-code="QT-B1"' not in first
    assert 'data-code="QT-B1"' in other and 'data-code="QT-A1"' not in other
    make_issued(world, world.A, code="QT-A2")  # issued by A's people
    assert 'data-code="QT-A2"' in client.get(url, {"agency": world.A.pk}).content.decode()


def test_a_result_about_agencies_is_computed_again_after_any_change_in_them(world, clock):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    def read():
        return kept(key_of("t"), compute, user=world.quan, max_age=60, agency_ids=[world.A.pk])

    assert read().value == 1
    submitted(world, world.B, code="QT-B1")  # elsewhere: kept for the age
    assert read().value == 1
    submitted(world, world.A, code="QT-A1")  # in A, by someone else: at once
    assert read().value == 2
    assert last_events(world.quan, [world.A.pk])[1] == last_events(world.quan, [world.A.pk])[0]
