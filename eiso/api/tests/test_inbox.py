"""/api/v1/inbox/: the same items as the page, the same scoping."""

import pytest
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


def test_the_api_gives_the_same_items_with_the_same_scope(world, as_token):
    document, _ = submitted(world, world.A)
    items = [
        i
        for i in as_token(world.hai).get("/api/v1/inbox/").json()
        if i["kind"].startswith("documents.")
    ]
    assert [i["kind"] for i in items] == ["documents.review"]
    assert items[0]["overdue"] is False
    assert items[0]["url"].endswith(reverse("documents:detail", args=[document.pk]))
    assert all(
        i["agency_name"] != str(world.A) for i in as_token(world.chi).get("/api/v1/inbox/").json()
    )
    assert as_token(world.hai).get("/api/v1/inbox/?kind=documents.read").json() == []


def test_the_api_acts_as_one_role_only_among_the_callers_own(world, as_token):
    second = MembershipFactory(user=world.hai, agency=world.B, role=Role.ISO_SECRETARY)
    submitted(world, world.A)
    client = as_token(world.hai)
    as_b = client.get(f"/api/v1/inbox/?membership={second.pk}").json()
    assert [i for i in as_b if i["kind"].startswith("documents.")] == []
    chis = world.chi.memberships.get()
    assert client.get(f"/api/v1/inbox/?membership={chis.pk}").status_code == 404
    assert client.get("/api/v1/inbox/?membership=x").status_code == 400


def test_the_inbox_query_count_does_not_grow_with_the_items(
    world, as_token, django_assert_num_queries, django_assert_max_num_queries
):
    client = as_token(world.hai)
    submitted(world, world.A, code="QT-01")
    client.get("/api/v1/inbox/")
    # the token and its user, memberships, at most two queries per provider
    with django_assert_max_num_queries(3 + 2 * len(inbox.providers())) as first:
        client.get("/api/v1/inbox/")
    expected = len(first.captured_queries)  # read now: the next request clears the log
    for n in range(2, 6):
        submitted(world, world.A, code=f"QT-{n:02d}")
    client.get("/api/v1/inbox/")  # the obligations computed again once after the new evidence
    with django_assert_num_queries(expected):
        kinds = [i["kind"] for i in client.get("/api/v1/inbox/").json()]
    assert kinds.count("documents.review") == 5
