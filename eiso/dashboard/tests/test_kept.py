"""The dashboard kept between requests (selectors.dashboard_kept): shown again while nothing
changed, for at most DASHBOARD_MAX_AGE seconds while other people change data, at once after the
person's own change or when asked (?fresh=1); never shown to someone of another reach or in
another language; the page and the API say when it was computed."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eiso.accounts.tests.factories import MembershipFactory, UserFactory
from eiso.core.roles import Role
from eiso.cycle.tests.year import build_year
from eiso.dashboard import selectors, services
from eiso.objectives.tests.conftest import at
from eiso.organizations.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

API = reverse("api:dashboard")
QUERY = {"root": "P", "date": "2023-12-20"}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(at(2023, 12, 20), tick=False) as traveller:
        yield traveller


def new_formula(actor, name="Điểm 2023b"):
    return services.score_formula_create(
        actor=actor,
        name=name,
        effective_from=datetime.date(2023, 1, 1),
        weights={"announced": 100},
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_kept_dashboard_is_shown_again_without_reading_the_evidence(client, world):
    build_year(world)
    client.force_login(world.dung)
    with CaptureQueriesContext(connection) as computed:
        first = client.get(reverse("dashboard:home")).content.decode()
    with CaptureQueriesContext(connection) as kept:
        again = client.get(reverse("dashboard:home")).content.decode()
    assert len(kept.captured_queries) < len(computed.captured_queries) - 30
    assert 'data-testid="computed-at"' in again and "10:00:00" in again
    # the same panels and numbers: the page is the same but for its form token
    assert (
        again.split('data-testid="panel-tiers"')[1] == first.split('data-testid="panel-tiers"')[1]
    )


def test_agencies_added_show_when_computed_again(client, world):
    build_year(world)
    api = signed_in(client, world.dung)
    before = api.get(API, QUERY).json()
    AgencyFactory(code="Z1", name="Sở mới", parent=world.P)  # no service: no audit event
    assert api.get(API, QUERY).json()["agencies"] == before["agencies"]
    page = client.get(reverse("dashboard:home"), {"root": world.P.pk, "fresh": "1"})
    assert page.status_code == 200
    assert api.get(API, QUERY).json()["agencies"] == before["agencies"] + 1


def test_someone_else_s_change_shows_once_the_kept_one_is_too_old(client, world, clock, settings):
    settings.DASHBOARD_MAX_AGE = 300
    build_year(world)
    api = signed_in(client, world.dung)
    before = api.get(API, QUERY).json()
    assert before["weights"] != {"announced": 100}
    assert before["computed_at"].startswith("2023-12-20T10:00:00")
    new_formula(world.quan)  # an administrator changes the formula meanwhile
    clock.shift(datetime.timedelta(seconds=299))
    assert api.get(API, QUERY).json() == before
    clock.shift(datetime.timedelta(seconds=2))
    after = api.get(API, QUERY).json()
    assert after["weights"] == {"announced": 100}
    assert after["computed_at"].startswith("2023-12-20T10:05:01")


@pytest.mark.parametrize(
    "max_age, viewer",
    [(0, "dung"), (300, "quan")],
    ids=["no max age: anyone's change at once", "the person's own change at once"],
)
def test_a_change_shows_at_once(client, world, settings, max_age, viewer):
    settings.DASHBOARD_MAX_AGE = max_age
    build_year(world)
    api = signed_in(client, getattr(world, viewer))
    assert api.get(API, QUERY).json()["weights"] != {"announced": 100}
    new_formula(world.quan)
    assert api.get(API, QUERY).json()["weights"] == {"announced": 100}


def test_only_people_of_the_same_reach_share_a_kept_dashboard(world):
    build_year(world)
    day = datetime.date(2023, 12, 20)
    colleague = UserFactory(username="dung2", full_name="Lê Thị Dung")
    MembershipFactory(user=colleague, agency=world.P, role=Role.OVERSEER)
    mine = selectors.dashboard_kept(user=world.dung, root=world.P, on=day)
    theirs = selectors.dashboard_kept(user=colleague, root=world.P, on=day)
    assert theirs is not mine and theirs.computed_at == mine.computed_at  # read, not computed
    # an administrator (every agency) and an overseer of one agency under P do not share it
    narrow = UserFactory(username="a-overseer", full_name="Phan Văn An")
    MembershipFactory(user=narrow, agency=world.A, role=Role.OVERSEER)
    keys = {selectors._kept_key(user, world.P, day) for user in (world.dung, colleague, world.quan)}
    assert len(keys) == 2
    assert selectors._kept_key(narrow, world.A, day) != selectors._kept_key(
        world.dung, world.A, day
    )
    assert selectors._kept_key(world.dung, world.P, day) != selectors._kept_key(
        world.dung, world.P, day + datetime.timedelta(days=1)
    )


def test_another_language_is_computed_in_it(client, world):
    build_year(world)
    client.force_login(world.dung)
    vietnamese = client.get(reverse("dashboard:home")).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Cấp tỉnh" in vietnamese.split('data-testid="panel-tiers"')[1][:3000]
    assert "Provincial" in english.split('data-testid="panel-tiers"')[1][:3000]


def test_the_api_returns_the_league_table_it_asks_for_from_the_kept_one(client, world):
    build_year(world)
    for n in range(4):
        AgencyFactory(code=f"Z{n}", name=f"Sở số {n}", parent=world.P)
    api = signed_in(client, world.dung)
    full = selectors.dashboard(user=world.dung, root=world.P, on=datetime.date(2023, 12, 20))
    ranking = api.get(API, {**QUERY, "ranking": 500}).json()["ranking"]
    assert [r["code"] for r in ranking] == [s.agency.code for s in full.scores]
    assert [r["score"] for r in ranking] == [s.score for s in full.scores]
    two = api.get(API, {**QUERY, "ranking": 2}).json()
    assert [r["code"] for r in two["ranking"]] == [r["code"] for r in ranking[:2]]
    assert two["concerned"] == full.concerned


def test_computing_again_is_for_one_s_own_subtree_and_only_when_asked(client, world):
    build_year(world)
    client.force_login(world.dung)
    home = reverse("dashboard:home")

    def queries(**query) -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(home, {"root": world.P.pk, **query}).status_code == 200
        return len(seen.captured_queries)

    queries()
    kept = queries()
    for value in ("yes", "0", ""):  # anything but 1 shows the kept one
        assert queries(fresh=value) == kept
    assert queries(fresh="1") > kept + 30  # the dashboard computed again
    assert client.get(home, {"root": world.Q.pk, "fresh": "1"}).status_code == 404
    assert client.get(API, {"root": "Q", "date": "2023-12-20"}).status_code == 404
