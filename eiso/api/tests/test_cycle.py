"""The API of the annual cycle: an agency's obligations of a year on a day (the same states as
the page, from the evidence), the overseer's matrix, the rule sets; the same scoping (another
agency's id refused like an unknown one, another subtree a 404); pinned query counts."""

import datetime

import pytest
from django.urls import reverse

from eiso.api.tests.helpers import assert_error_shape
from eiso.cycle import selectors
from eiso.cycle.tests.year import build_year
from eiso.organizations.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def url(name):
    return reverse(f"api:{name}")


def obligations(client, **query):
    return client.get(url("obligation-list"), query)


def test_the_secretary_reads_her_agency_s_year_as_the_page_computes_it(world, as_token):
    build_year(world)
    body = obligations(as_token(world.an), agency=world.A.pk, year=2023, date="2023-12-20").json()
    assert body["agency"]["code"] == "A" and body["year"] == 2023 and body["concerned"] is True
    found = selectors.agency_obligations(agency=world.A, year=2023, on=datetime.date(2023, 12, 20))
    expected = {(o.code, o.instance): o.state for o in found.obligations}
    got = {(o["code"], o["instance"]): o["state"] for o in body["obligations"]}
    assert got == {k: str(v) for k, v in expected.items()}
    by_code = {o["code"]: o for o in body["obligations"] if o["instance"] == ""}
    assert by_code["internal_audit"]["state"] in ("met_on_time", "met_late")
    assert "/audits/" in by_code["internal_audit"]["evidence"]["url"]
    # an earlier day: the audit had not been done yet
    earlier = obligations(as_token(world.an), agency=world.A.pk, year=2023, date="2023-02-01")
    states = {o["code"]: o["state"] for o in earlier.json()["obligations"] if not o["instance"]}
    assert states["internal_audit"] == "not_yet_due"


def test_another_agency_is_refused_and_overseers_read_their_subtree_only(world, as_token):
    refused = obligations(as_token(world.an), agency=world.B.pk, year=2023)
    assert_error_shape(refused, 400)
    assert obligations(as_token(world.dung), agency=world.A.pk, year=2023).status_code == 200
    assert_error_shape(obligations(as_token(world.em), agency=world.A.pk, year=2023), 400)
    matrix = url("obligation-matrix")
    assert as_token(world.dung).get(matrix, {"root": "P", "year": 2023}).status_code == 200
    assert_error_shape(as_token(world.em).get(matrix, {"root": "P", "year": 2023}), 404)
    assert_error_shape(as_token(world.an).get(matrix, {"root": "A", "year": 2023}), 404)


def test_the_matrix_lists_the_subtree_s_agencies_with_their_cells(world, as_token):
    build_year(world)
    body = as_token(world.dung).get(
        url("obligation-matrix"), {"root": "P", "year": 2023, "date": "2023-12-20"}
    )
    rows = {r["agency"]["code"]: r for r in body.json()["results"]}
    assert {"A", "B"} <= set(rows) and "C" not in rows
    assert rows["A"]["met"] > rows["B"]["met"]
    assert all(c["state"] for c in rows["A"]["cells"])


def test_the_obligations_and_the_matrix_keep_their_query_counts(
    client, world, django_assert_num_queries
):
    client.force_login(world.dung)
    query = {"root": "P", "year": 2023, "date": "2023-12-20"}
    client.get(url("obligation-matrix"), query)
    with django_assert_num_queries(24) as first:
        assert client.get(url("obligation-matrix"), query).status_code == 200
    matrix_queries = len(first.captured_queries)
    with django_assert_num_queries(25) as first:
        assert obligations(client, agency=world.A.pk, year=2023).status_code == 200
    agency_queries = len(first.captured_queries)
    build_year(world)
    for n in range(4):
        AgencyFactory(code=f"S{n}", name=f"Sở số {n}", parent=world.P)
    with django_assert_num_queries(matrix_queries):
        response = client.get(url("obligation-matrix"), query)
    assert response.json()["count"] >= 6
    with django_assert_num_queries(agency_queries):
        assert obligations(client, agency=world.A.pk, year=2023).status_code == 200


def test_the_rule_sets_are_read_with_their_rules(
    client, world, as_token, django_assert_num_queries
):
    body = as_token(world.an).get(url("obligation-rule-list"), {"year": 2023}).json()
    assert body["count"] >= 1
    rule_set = body["results"][0]
    codes = {r["code"] for r in rule_set["rules"]}
    assert {"annual_report", "internal_audit", "master_list"} <= codes
    one = as_token(world.an).get(reverse("api:obligation-rule-detail", args=[rule_set["id"]]))
    assert one.status_code == 200 and one.json()["id"] == rule_set["id"]
    assert (
        as_token(world.an).get(reverse("api:obligation-rule-detail", args=[99999])).status_code
        == 404
    )
    assert client.get(url("obligation-rule-list")).status_code in (401, 403)
    client.force_login(world.an)
    with django_assert_num_queries(7):  # session, user, memberships, count, sets, rules, kinds
        assert client.get(url("obligation-rule-list")).status_code == 200
