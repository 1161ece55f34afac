"""The work inbox: what waits on a person in the role they act as, from every module's
providers — on the home page, at /inbox/, in the header's count and at /api/v1/inbox/."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

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
    """The document kinds among the items: these tests are about documents; other modules add
    their own items (the annual cycle's obligations of the agency, for one)."""
    return [item.kind for item in items if item.kind.startswith("documents.")]


def home_titles(html: str) -> list[str]:
    """The titles of the home card's items, in their order."""
    import re

    card = html.split('data-testid="home-inbox"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a class="fw-semibold" href="[^"]*">([^<]*)</a>', card)


def test_a_submitted_revision_waits_on_the_head_and_not_on_the_drafter(world):
    document, _ = submitted(world, world.A)
    head_items = [i for i in inbox.inbox_for(world.hai) if i.kind.startswith("documents.")]
    assert kinds(head_items) == ["documents.review"]
    assert head_items[0].url == reverse("documents:detail", args=[document.pk])
    assert document.code in head_items[0].title
    assert "documents.review" not in kinds(inbox.inbox_for(world.an))


def test_a_returned_draft_waits_on_its_drafter(world):
    _, revision = submitted(world, world.A)
    services.revision_return(actor=world.hai, revision=revision, comment="Bổ sung biểu mẫu")
    items = inbox.inbox_for(world.an)
    assert kinds(items) == ["documents.returned"]
    returned = [i for i in items if i.kind == "documents.returned"]
    assert returned[0].detail == "Bổ sung biểu mẫu"
    assert kinds(inbox.inbox_for(world.hai)) == []


def test_another_agencys_work_never_reaches_the_inbox(world):
    submitted(world, world.B, code="QT-B")  # B's head is the admin in this world
    for person in (world.hai, world.an):
        items = inbox.inbox_for(person)
        assert kinds(items) == []
        assert all(i.agency_name in ("", str(world.A)) for i in items), items
        assert not any("QT-B" in i.title for i in items)


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
    assert kinds(page.context["items"]) == ["documents.review"]
    client.post(reverse("accounts:switch"), {"membership": second.pk})
    page = client.get(reverse("inbox:list"))
    assert kinds(page.context["items"]) == []
    # what B's secretary has besides is B's, never A's
    assert all(i.agency_name in ("", str(world.B)) for i in page.context["items"])


def test_the_inbox_page_the_home_page_and_the_header_count_agree(client, world):
    """The same list everywhere: the page shows every item, the home card the first ones in
    the same order with the total, the header the total."""
    submitted(world, world.A)
    client.force_login(world.hai)
    page = client.get(reverse("inbox:list"))
    assert page.status_code == 200
    items = page.context["items"]
    body = page.content.decode()
    assert "QT-05" in body
    assert body.count('data-kind="') == len(items)
    home = client.get(reverse("dashboard:home")).content.decode()
    shown = home_titles(home)
    assert shown and shown == [escape(i.title) for i in items[: len(shown)]]
    assert len(shown) == min(len(items), 8)
    assert any("QT-05" in i.title for i in items[:8]) == any("QT-05" in t for t in shown)
    assert f'<span class="badge text-bg-warning ms-2">{len(items)}</span>' in home
    badge = client.get(reverse("inbox:count")).content.decode()
    assert f'data-testid="inbox-count">{len(items)}<' in badge


def test_a_document_waiting_shows_on_the_home_page_when_nothing_else_comes_first(client, world):
    submitted(world, world.A)
    client.force_login(world.hai)
    home = client.get(reverse("dashboard:home")).content.decode()
    items = inbox.inbox_for(world.hai)
    position = next(n for n, i in enumerate(items) if i.kind == "documents.review")
    assert ("QT-05" in home) == (position < 8)


def test_an_empty_inbox_says_so(client, world):
    client.force_login(world.binh)
    assert "inbox-empty" in client.get(reverse("inbox:list")).content.decode()
    assert client.get(reverse("inbox:count")).content.decode().strip() == ""


def test_the_inbox_query_count_does_not_grow_with_the_items(
    client, world, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(world.hai)
    url = reverse("inbox:list") + "?fresh=1"  # computed, not kept (eiso.core.kept)
    submitted(world, world.A, code="QT-01")
    client.get(url)
    # session, user, memberships, the header's unread notifications, the last audit events
    # (is a kept inbox still valid?), and at most two queries per provider (most answer in one, or none when the role has nothing of theirs)
    with django_assert_max_num_queries(5 + 2 * len(inbox.providers())) as first:
        client.get(url)
    expected = len(first.captured_queries)  # read now: the next request clears the log
    for n in range(2, 8):
        submitted(world, world.A, code=f"QT-{n:02d}")
    # New evidence makes the agency's obligations be computed again once, on the next read
    # (eiso.cycle; that read's cost is pinned in eiso/cycle/tests/test_views.py): compared
    # here are two reads of the same kind, one item against seven.
    client.get(url)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert kinds(response.context["items"]).count("documents.review") == 7


def test_the_inbox_is_in_the_openapi_schema(client, world):
    client.force_login(world.quan)
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/inbox/" in schema["paths"]
