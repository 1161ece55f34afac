"""The work inbox: what waits on a person in the role they act as, from every module's
providers — on the home page, at /inbox/, in the header's count and at /api/v1/inbox/."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from eiso.accounts.tests.factories import MembershipFactory
from eiso.core import inbox
from eiso.core.roles import Role
from eiso.documents import services
from eiso.documents.tests.factories import make_draft

pytestmark = pytest.mark.django_db


def submitted(world, agency, code="QT-05"):
    document, revision = make_draft(world, agency, code=code)
    services.revision_submit(actor=world.an if agency == world.A else world.chi, revision=revision)
    return document, revision


def kinds(items):
    return [item.kind for item in items]


def test_a_submitted_revision_waits_on_the_head_and_not_on_the_drafter(world):
    document, _ = submitted(world, world.A)
    head_items = inbox.inbox_for(world.hai)
    assert kinds(head_items) == ["documents.review"]
    assert head_items[0].url == reverse("documents:detail", args=[document.pk])
    assert document.code in head_items[0].title
    assert "documents.review" not in kinds(inbox.inbox_for(world.an))


def test_a_returned_draft_waits_on_its_drafter(world):
    _, revision = submitted(world, world.A)
    services.revision_return(actor=world.hai, revision=revision, comment="Bổ sung biểu mẫu")
    items = inbox.inbox_for(world.an)
    assert kinds(items) == ["documents.returned"]
    assert items[0].detail == "Bổ sung biểu mẫu"
    assert inbox.inbox_for(world.hai) == []


def test_another_agencys_work_never_reaches_the_inbox(world):
    submitted(world, world.B, code="QT-B")  # B's head is the admin in this world
    assert inbox.inbox_for(world.hai) == []
    assert inbox.inbox_for(world.an) == []


def test_overdue_items_come_first_then_by_due_date(world):
    today = datetime.date(2026, 12, 6)
    items = [
        inbox.InboxItem("k", "c", "later", "/", due=datetime.date(2027, 1, 1)),
        inbox.InboxItem("k", "c", "undated", "/"),
        inbox.InboxItem("k", "c", "overdue", "/", due=datetime.date(2026, 12, 5)),
        inbox.InboxItem("k", "c", "today", "/", due=today),
    ]
    items.sort(key=inbox._sort_key(today))
    assert [i.title for i in items] == ["overdue", "today", "later", "undated"]
    assert items[0].overdue_on(today)
    assert not items[1].overdue_on(today)


def test_a_revision_task_is_overdue_the_day_after_its_due_date(world):
    from eiso.dashboard.tests.test_home_documents import future_text

    text = future_text(world, "09/2027/TT")
    make_draft(world, world.A, code="QT-09", legal_bases=[text])
    task_items = [i for i in inbox.inbox_for(world.an) if i.kind == "documents.tasks"]
    assert len(task_items) == 1
    due = task_items[0].due
    with time_machine.travel(datetime.datetime.combine(due, datetime.time(23, 0)), tick=False):
        assert not inbox.inbox_for(world.an, kinds=["documents.tasks"])[0].overdue_on(due)
    day_after = due + datetime.timedelta(days=1)
    assert inbox.inbox_for(world.an, kinds=["documents.tasks"])[0].overdue_on(day_after)


def test_the_acting_role_decides_what_waits(client, world):
    """Hải is head of A and also ISO secretary of B: acting as head of A, B's returned
    drafts are not his; switching to B shows them."""
    second = MembershipFactory(user=world.hai, agency=world.B, role=Role.ISO_SECRETARY)
    submitted(world, world.A)
    client.force_login(world.hai)
    page = client.get(reverse("inbox:list"))
    assert [i.kind for i in page.context["items"]] == ["documents.review"]
    client.post(reverse("accounts:switch"), {"membership": second.pk})
    page = client.get(reverse("inbox:list"))
    assert page.context["items"] == []


def test_the_inbox_page_the_home_page_and_the_header_count_agree(client, world):
    submitted(world, world.A)
    client.force_login(world.hai)
    page = client.get(reverse("inbox:list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "QT-05" in body
    home = client.get(reverse("dashboard:home")).content.decode()
    assert "QT-05" in home
    badge = client.get(reverse("inbox:count")).content.decode()
    assert 'data-testid="inbox-count">1<' in badge


def test_an_empty_inbox_says_so(client, world):
    client.force_login(world.binh)
    assert "inbox-empty" in client.get(reverse("inbox:list")).content.decode()
    assert client.get(reverse("inbox:count")).content.decode().strip() == ""


def test_the_inbox_query_count_does_not_grow_with_the_items(
    client, world, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(world.hai)
    url = reverse("inbox:list")
    submitted(world, world.A, code="QT-01")
    client.get(url)
    # session, user, memberships, the header's unread notifications, and at most two queries
    # per provider (most answer in one, or none when the role has nothing of theirs)
    with django_assert_max_num_queries(4 + 2 * len(inbox.providers())) as first:
        client.get(url)
    for n in range(2, 8):
        submitted(world, world.A, code=f"QT-{n:02d}")
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert [i.kind for i in response.context["items"]].count("documents.review") == 7


def test_the_inbox_is_in_the_openapi_schema(client, world):
    client.force_login(world.quan)
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/inbox/" in schema["paths"]
