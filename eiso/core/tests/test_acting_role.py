"""The role a person acts as (the header's switch) narrows what they see and what they may do;
the explicit "all my agencies" view shows every agency, with an agency column."""

import pytest
from django.urls import reverse

from eiso.accounts.tests.factories import MembershipFactory
from eiso.core import scoping
from eiso.core.errors import NotPermitted
from eiso.core.roles import Action, Role
from eiso.documents import rules, services
from eiso.documents.tests.factories import make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_hats(world):
    """Hải: head of A (first) and ISO secretary of B."""
    second = MembershipFactory(user=world.hai, agency=world.B, role=Role.ISO_SECRETARY)
    make_draft(world, world.A, code="QT-A1", title="Quy trình của Sở Tư pháp")
    make_draft(world, world.B, code="QT-B1", title="Quy trình của Sở Y tế")
    return world.hai.memberships.get(agency=world.A), second


def codes(response):
    return {d.code for d in response.context["object_list"]}


def test_lists_show_only_the_acting_agency_without_an_agency_column(client, world, two_hats):
    head_of_a, secretary_of_b = two_hats
    client.force_login(world.hai)
    client.post(reverse("accounts:switch"), {"membership": head_of_a.pk})
    response = client.get(reverse("documents:list"))
    assert codes(response) == {"QT-A1"}
    assert response.context["show_agency"] is False
    client.post(reverse("accounts:switch"), {"membership": secretary_of_b.pk})
    assert codes(client.get(reverse("documents:list"))) == {"QT-B1"}


def test_all_my_agencies_lists_both_with_the_agency_column(client, world, two_hats):
    client.force_login(world.hai)
    client.post(reverse("accounts:switch"), {"membership": "all"})
    response = client.get(reverse("documents:list"))
    assert codes(response) == {"QT-A1", "QT-B1"}
    assert response.context["show_agency"] is True
    assert "Sở Y tế" in response.content.decode()
    # choosing one role again leaves the "all" view
    client.post(reverse("accounts:switch"), {"membership": two_hats[0].pk})
    assert codes(client.get(reverse("documents:list"))) == {"QT-A1"}


def test_all_my_agencies_needs_more_than_one_role(client, world):
    client.force_login(world.an)
    client.post(reverse("accounts:switch"), {"membership": "all"})
    assert codes(client.get(reverse("documents:list"))) == set()
    assert client.session.get("eiso_all_agencies") is None


def test_permissions_are_those_of_the_acting_role_only(world, two_hats):
    head_of_a, secretary_of_b = two_hats
    hai = world.hai
    scoping.prime_scope(hai, [head_of_a, secretary_of_b], acting=head_of_a)
    assert rules.can_review(hai, world.A)
    assert not rules.can_draft(hai, world.B)  # he drafts in B only when acting as its secretary
    with pytest.raises(NotPermitted):
        services.document_create(
            actor=hai, agency=world.B, code="QT-B2", title="Không được", kind="other"
        )
    scoping.act_as(hai, secretary_of_b)
    assert rules.can_draft(hai, world.B)
    assert not rules.can_review(hai, world.A)
    assert scoping.user_scope(hai, Action.VIEW).agency_ids == frozenset({world.B.pk})


def test_without_an_acting_role_the_union_applies(world, two_hats):
    """Commands, tasks and API clients: every role at once."""
    hai = world.hai
    scoping.forget_scope(hai)
    assert scoping.user_scope(hai).agency_ids == frozenset({world.A.pk, world.B.pk})
    assert rules.can_review(hai, world.A) and rules.can_draft(hai, world.B)


def test_another_persons_membership_cannot_be_chosen(client, world, two_hats):
    client.force_login(world.hai)
    chis = world.chi.memberships.get()
    assert client.post(reverse("accounts:switch"), {"membership": chis.pk}).status_code == 404
