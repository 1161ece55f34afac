"""Document control on the home page: what to read, revision tasks, the master-list review;
the number of queries stays fixed whatever the number of rows."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from eiso.core import inbox
from eiso.documents import services
from eiso.documents.models import RevisionTask
from eiso.documents.tests.factories import issue_revisions, make_draft, make_issued


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def body(response) -> str:
    return response.content.decode()


def future_text(world, number: str):
    return services.external_document_create(
        actor=world.an,
        agency=world.A,
        number=number,
        title="Thông tư mới",
        effective_date=timezone.localdate() + datetime.timedelta(days=10),
    )


@pytest.mark.django_db
def test_staff_see_the_documents_they_must_read(client, world):
    document, revision = make_issued(world, world.A, code="QT-01")
    client.force_login(world.binh)
    page = body(client.get(reverse("dashboard:home")))
    to_read = page[page.index('data-testid="to-read"') :]
    assert reverse("documents:detail", args=[document.pk]) in to_read[:2000]
    assert 'data-testid="document-control"' not in page
    services.revision_acknowledge(actor=world.binh, revision=revision)
    page = body(client.get(reverse("dashboard:home")))
    assert reverse("documents:detail", args=[document.pk]) not in page


@pytest.mark.django_db
def test_the_secretary_sees_tasks_and_the_review_status(client, world):
    text = future_text(world, "01/2027/TT")
    document, _ = make_draft(world, world.A, code="QT-05", legal_bases=[text])
    RevisionTask.objects.filter(document=document).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    client.force_login(world.an)
    page = body(client.get(reverse("dashboard:home")))
    box = page[page.index('data-testid="document-control"') :][:3000]
    assert "QT-05" in box and "text-danger" in box


@pytest.mark.django_db
def test_overseers_see_the_overdue_tasks_of_their_subtree(client, world):
    text = future_text(world, "02/2027/TT")
    document, _ = make_draft(world, world.A, code="QT-06", legal_bases=[text])
    RevisionTask.objects.filter(document=document).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    client.force_login(world.dung)
    assert client.get(reverse("dashboard:home")).context["overdue_tasks"] == 1
    client.force_login(world.em)
    assert client.get(reverse("dashboard:home")).context["overdue_tasks"] == 0


@pytest.mark.django_db
def test_the_overdue_tasks_are_kept_like_the_dashboard(client, world, settings):
    """Others' changes show once the count is older than DASHBOARD_MAX_AGE (or when asked to
    compute again); another overseer never gets it (test above)."""
    settings.DASHBOARD_MAX_AGE = 300
    start = datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)
    url = reverse("dashboard:home")

    def overdue(**query) -> int:
        return client.get(url, query).context["overdue_tasks"]

    def make_overdue(code: str) -> None:
        document, _ = make_draft(world, world.A, code=code, legal_bases=[future_text(world, code)])
        RevisionTask.objects.filter(document=document).update(
            due_date=timezone.localdate() - datetime.timedelta(days=1)
        )

    with time_machine.travel(start, tick=False) as clock:
        make_overdue("QT-07")
        client.force_login(world.dung)
        assert overdue() == 1
        make_overdue("QT-08")  # the Sở's secretary writes meanwhile
        clock.shift(datetime.timedelta(seconds=299))
        assert overdue() == 1  # kept while young
        clock.shift(datetime.timedelta(seconds=2))
        assert overdue() == 2  # too old: counted again
        make_overdue("QT-09")
        assert overdue() == 2
        assert overdue(fresh="1") == 3  # asked to compute again
        client.force_login(world.em)
        assert overdue() == 0  # another province's overseer: their own count


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_documents(
    client, world, django_assert_num_queries, django_assert_max_num_queries
):
    text = future_text(world, "03/2027/TT")
    make_issued(world, world.A, code="QT-00", legal_bases=[text])
    client.force_login(world.an)
    url = reverse("dashboard:home")
    client.get(url)
    # session, user, memberships; documents to read (+ count); open tasks (+ count, overdue
    # count); review status (last, this quarter, last quarter, history); departments;
    # colleagues; the year's obligations (their snapshot's version, its rows); the inbox: at
    # most two queries per provider (eiso.core.inbox)
    with django_assert_max_num_queries(17 + 2 * len(inbox.providers())) as first:
        client.get(url)
    count = len(first.captured_queries)  # read now: the connection's query log is a ring
    revisions = [
        make_draft(
            world, world.A, code=f"QT-{n:02d}", with_file=False, content="x", legal_bases=[text]
        )[1]
        for n in range(1, 21)
    ]
    issue_revisions(world, revisions[:10], number="09/QĐ")
    # The agency's data changed: the first page computes its obligations again (once).
    client.get(url)
    with django_assert_num_queries(count):
        client.get(url)
