"""/api/v1/dashboard/?root=<code>&date=: the overseer's panels for a subtree on a day; another
subtree (or no oversight at all) is a 404; a fixed number of queries whatever the number of
agencies; the same day gives the same figures."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.organizations.tests.factories import AgencyFactory
from eiso.reports.tests.factories import inspected, submitted_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]

URL = reverse("api:dashboard")


def test_the_overseer_reads_the_dashboard_of_the_subtree(world, as_token):
    body = as_token(world.dung).get(URL, {"root": "P", "date": "2026-12-10"}).json()
    assert body["root"] == "P" and body["date"] == "2026-12-10" and body["year"] == 2026
    assert body["agencies"] >= 3  # P, A, B
    assert {o["code"] for o in body["obligations"]} >= {"annual_report", "internal_audit"}
    assert body["formula"] and body["weights"]
    assert {s["code"] for s in body["ranking"]} <= {"P", "A", "B"}


def test_the_dashboard_gives_the_agencies_inspected_this_year(world, as_token):
    inspected(world, world.A)  # its record made on 15/06/2026 in P's approved plan
    inspected(world, world.C, province=world.Q)  # another province's
    body = as_token(world.dung).get(URL, {"root": "P", "date": "2026-12-10"}).json()
    assert body["inspected"] == {
        "count": 1,
        "agencies": body["agencies"],
        "pct": round(100 / body["agencies"], 1),
        "by_tier": {"provincial": 1},
    }
    before = as_token(world.dung).get(URL, {"root": "P", "date": "2026-06-14"}).json()
    assert before["inspected"]["count"] == 0
    other = as_token(world.em).get(URL, {"root": "Q", "date": "2026-12-10"}).json()
    assert other["inspected"]["count"] == 1 and other["inspected"]["by_tier"] == {"provincial": 1}


def test_other_subtrees_and_agency_people_get_a_404(world, as_token):
    assert_error_shape(as_token(world.em).get(URL, {"root": "P"}), 404)
    assert_error_shape(as_token(world.an).get(URL, {"root": "A"}), 404)
    assert_error_shape(as_token(world.dung).get(URL, {"root": "C"}), 404)
    assert_error_shape(as_token(world.dung).get(URL, {"date": "10/12/2026"}), 400)


def test_the_same_day_gives_the_same_figures_and_a_later_day_counts_the_report(world, as_token):
    import time_machine

    from eiso.objectives.tests.conftest import at

    client = as_token(world.dung)
    before = client.get(URL, {"root": "P", "date": "2026-12-09"}).json()
    with time_machine.travel(at(2026, 12, 10), tick=False):
        submitted_report(world, world.A)
    again = client.get(URL, {"root": "P", "date": "2026-12-09"}).json()
    assert again == before
    cache.clear()  # computed again, not kept: the same figures
    recomputed = client.get(URL, {"root": "P", "date": "2026-12-09"}).json()
    assert recomputed.pop("computed_at") >= before.pop("computed_at")
    assert recomputed == before

    def met(body):
        return next(o["met"] for o in body["obligations"] if o["code"] == "annual_report")

    later = client.get(URL, {"root": "P", "date": "2026-12-11"}).json()
    assert met(later) == met(before) + 1


def test_the_dashboard_keeps_its_query_count(client, world, django_assert_num_queries):
    client.force_login(world.dung)
    query = {"root": "P", "date": "2026-12-10"}
    client.get(URL, query)
    cache.clear()  # computed, not the kept one (selectors.dashboard_kept)
    # 43 before the agencies inspected were counted; inspected_counts adds one query, the
    # check of the kept one another
    with django_assert_num_queries(45) as first:
        assert client.get(URL, query).status_code == 200
    expected = len(first.captured_queries)
    with django_assert_num_queries(5):  # the kept one: the token, the scope, the last events
        assert client.get(URL, query).status_code == 200
    for n in range(6):
        AgencyFactory(code=f"S{n}", name=f"Sở số {n}", parent=world.P)
    cache.clear()
    with django_assert_num_queries(expected):
        body = client.get(URL, query).json()
    assert body["agencies"] >= 9
