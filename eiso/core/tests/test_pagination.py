"""CheapPaginator (eiso/core/pagination.py): exact below its cap, "more than" past it (or
PostgreSQL's estimate), the pages past the cap still reachable, the count capped in SQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from eiso.core.pagination import CheapPage, CheapPaginator, _rounded, planner_estimate
from eiso.organizations.models import Agency
from eiso.organizations.tests.factories import AgencyFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the planner's estimate exists on PostgreSQL only"
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def agencies(world):
    """The world's agencies and twelve more: more rows than the small caps below."""
    for number in range(12):
        AgencyFactory(parent=world.P, code=f"X{number:02}")
    return Agency.objects.order_by("pk")


@pytest.mark.django_db
def test_below_the_cap_the_count_and_the_pages_are_exact(agencies):
    total = agencies.count()
    paginator = CheapPaginator(agencies, 5, cap=total)
    assert paginator.count == total and paginator.exact
    assert paginator.count_label == ""
    assert paginator.num_pages == -(-total // 5)
    last = paginator.page(paginator.num_pages)
    assert not isinstance(last, CheapPage)
    assert last.end_index() == total and not last.has_next()
    assert [a.pk for a in last] == list(agencies.values_list("pk", flat=True))[
        (paginator.num_pages - 1) * 5 :
    ]


@pytest.mark.django_db
def test_the_count_reads_at_most_one_row_past_the_cap(agencies):
    paginator = CheapPaginator(agencies, 5, cap=4)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 4
    sql = queries[0]["sql"].upper()
    assert "COUNT(" in sql and "LIMIT 5" in sql  # cap + 1: stops reading there
    # then, on PostgreSQL only, the planner's estimate (EXPLAIN, in a savepoint): no row read
    others = [q["sql"].upper() for q in queries[1:]]
    if connection.vendor == "postgresql":
        assert [q for q in others if "SAVEPOINT" not in q] == [others[1]]
        assert others[1].startswith("EXPLAIN")
    else:
        assert others == []


@pytest.mark.django_db
def test_past_the_cap_the_total_is_said_as_more_than(agencies):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL says its estimate instead (the next test)")
    paginator = CheapPaginator(agencies, 5, cap=4)
    assert paginator.count == 4 and not paginator.exact and paginator.estimate is None
    assert paginator.count_label == "more than 4"
    assert planner_estimate(agencies) is None


@pytest.mark.django_db
def test_past_the_cap_every_page_still_opens_from_one_extra_row(agencies):
    rows = list(agencies.values_list("pk", flat=True))
    paginator = CheapPaginator(agencies, 5, cap=4)
    first = paginator.page(1)
    assert isinstance(first, CheapPage) and first.has_next() and first.next_page_number() == 2
    assert [a.pk for a in first] == rows[:5]
    # a page past the capped count opens; the last one knows it is the last
    last_number = -(-len(rows) // 5)
    with CaptureQueriesContext(connection) as queries:
        last = paginator.page(last_number)
    assert len(queries) == 1  # the page and its one extra row, no count again
    assert [a.pk for a in last] == rows[(last_number - 1) * 5 :]
    assert not last.has_next() and last.end_index() == len(rows)
    assert last.start_index() == (last_number - 1) * 5 + 1
    from django.core.paginator import EmptyPage

    with pytest.raises(EmptyPage):
        last.next_page_number()
    with pytest.raises(EmptyPage):
        paginator.page(last_number + 1)
    with pytest.raises(EmptyPage):
        paginator.page(0)


@pytest.mark.django_db
def test_a_list_page_past_the_cap_says_more_than_and_has_no_last_page_link(
    client, world, agencies, monkeypatch
):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL says its estimate instead")
    monkeypatch.setattr("eiso.core.pagination.COUNT_CAP", 3)
    client.force_login(world.quan)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("organizations:list")).content.decode()
    assert "of more than 3" in body
    assert 'aria-label="Last"' not in body


@pytest.mark.django_db
@on_postgresql
def test_on_postgresql_past_the_cap_the_planners_estimate_is_said(agencies):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Agency._meta.db_table}")
    total = agencies.count()
    estimate = planner_estimate(agencies)
    assert estimate is not None and abs(estimate - total) <= max(2, total // 5)
    paginator = CheapPaginator(agencies, 5, cap=4)
    assert paginator.count == 4 and not paginator.exact
    assert paginator.estimate == estimate
    assert paginator.count_label.startswith("about ") and "(estimated)" in paginator.count_label


def test_an_estimate_is_said_with_two_significant_digits():
    assert _rounded(87) == 87
    assert _rounded(12_345) == 12_000
    assert _rounded(498_765) == 500_000


@pytest.mark.django_db
def test_the_api_says_whether_its_count_is_exact_and_opens_pages_past_the_cap(
    agencies, world, monkeypatch
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.quan)
    url = reverse("api:agency-list")
    total = agencies.count()
    body = api.get(url, {"page_size": 5}).json()
    assert (body["count"], body["count_exact"], body["count_estimate"]) == (total, True, None)
    monkeypatch.setattr("eiso.core.pagination.COUNT_CAP", 4)
    body = api.get(url, {"page_size": 5}).json()
    assert body["count"] == 4 and body["count_exact"] is False and body["next"]
    if connection.vendor == "postgresql":
        assert body["count_estimate"] is None or body["count_estimate"] > 4
    else:
        assert body["count_estimate"] is None
    codes = []
    page = 1
    while True:
        body = api.get(url, {"page_size": 5, "page": page}).json()
        codes += [row["code"] for row in body["results"]]
        if not body["next"]:
            break
        page += 1
    assert len(codes) == total == len(set(codes))  # every row, on pages past the cap too
    for wrong in (page + 1, 0, -1, "abc"):  # past the last row, or not a page at all
        assert api.get(url, {"page_size": 5, "page": wrong}).status_code == 404, wrong


@pytest.mark.django_db
def test_a_search_reads_its_matches_once_and_pages_them_as_the_list_does(agencies):
    """keys_first: the ordered keys of the matches are read once, counted, and each page's
    rows fetched by key, in the list's order; the same pages as counting and slicing."""
    ordered = agencies.order_by("-code", "pk")
    rows = list(ordered.values_list("pk", flat=True))
    plain = CheapPaginator(ordered, 5)
    assert plain.count == len(rows)
    paginator = CheapPaginator(ordered, 5, keys_first=True)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == len(rows) and paginator.exact
    assert len(queries) == 1
    sql = queries[0]["sql"].upper()
    assert "COUNT(" not in sql and "ORDER BY" in sql and f"LIMIT {paginator.cap + 1}" in sql
    for number in paginator.page_range:
        with CaptureQueriesContext(connection) as queries:
            page = paginator.page(number)
            keys = [a.pk for a in page]  # rows fetched by key, in the list's order
        assert len(queries) == 1, number
        assert keys == [a.pk for a in plain.page(number)] == rows[(number - 1) * 5 : number * 5]
        assert page.has_next() == (number < paginator.num_pages)
        assert page.end_index() == min(number * 5, len(rows))


@pytest.mark.django_db
def test_a_search_past_the_cap_pages_as_the_other_lists_do(agencies):
    rows = list(agencies.values_list("pk", flat=True))
    paginator = CheapPaginator(agencies, 5, cap=4, keys_first=True)
    assert paginator.count == 4 and not paginator.exact
    seen = []
    number = 1
    while True:
        page = paginator.page(number)
        assert isinstance(page, CheapPage)
        seen += [a.pk for a in page]
        if not page.has_next():
            break
        number += 1
    assert seen == rows


@pytest.mark.django_db
def test_a_row_gone_between_the_keys_and_the_page_is_left_out(agencies):
    paginator = CheapPaginator(agencies, 5, keys_first=True)
    assert paginator.count == agencies.count()
    first = list(agencies.values_list("pk", flat=True)[:5])
    Agency.objects.filter(pk=first[1]).update(is_active=False)
    narrowed = CheapPaginator(agencies.filter(is_active=True), 5, keys_first=True)
    narrowed._keys, narrowed.__dict__["count"] = first, len(first)  # keys read before it went
    assert [a.pk for a in narrowed.page(1)] == [first[0], *first[2:]]


@pytest.mark.django_db
def test_a_list_page_with_a_search_counts_and_shows_its_matches_from_one_read(client, world):
    for number in range(30):
        AgencyFactory(parent=world.P, code=f"TIM{number:02}", name=f"Phòng tìm kiếm {number:02}")
    client.force_login(world.quan)
    client.cookies["django_language"] = "en"
    url = reverse("organizations:list")
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url, {"q": "tim kiem", "page": 2}).content.decode()
    assert "26–30 of 30" in body or "26-30 of 30" in body
    searches = [q["sql"] for q in queries if "tim kiem" in q["sql"].lower()]
    assert len(searches) == 2 and "COUNT(" not in searches[0].upper()
    shown = [line for line in body.splitlines() if "Phòng tìm kiếm" in line]
    assert len(shown) == 5


@pytest.mark.django_db
def test_an_api_search_reads_its_matches_once_and_pages_every_one(world):
    from rest_framework.test import APIClient

    for number in range(12):
        AgencyFactory(parent=world.P, code=f"TIM{number:02}", name=f"Phòng tìm kiếm {number:02}")
    api = APIClient()
    api.force_authenticate(world.quan)
    url = reverse("api:agency-list")
    codes, page = [], 1
    while True:
        with CaptureQueriesContext(connection) as queries:
            body = api.get(url, {"q": "tim kiem", "page_size": 5, "page": page}).json()
        searches = [q["sql"].upper() for q in queries if "TIM KIEM" in q["sql"].upper()]
        assert len(searches) == 2 and "COUNT(" not in searches[0], page
        assert (body["count"], body["count_exact"]) == (12, True)
        codes += [row["code"] for row in body["results"]]
        if not body["next"]:
            break
        page += 1
    assert sorted(codes) == [f"TIM{number:02}" for number in range(12)] and page == 3


@pytest.mark.django_db
def test_a_search_read_once_keeps_to_what_the_person_may_see(client, world):
    """The keys read first come from the same scoped list: another province's agencies are
    neither counted nor shown, on the page nor through the API; a search no row matches
    counts 0 and fetches no row."""
    from rest_framework.test import APIClient

    AgencyFactory(parent=world.P, code="TIMP", name="Phòng tìm kiếm P")
    AgencyFactory(parent=world.Q, code="TIMQ", name="Phòng tìm kiếm Q")
    client.force_login(world.em)  # Q's overseer
    client.cookies["django_language"] = "en"
    body = client.get(reverse("organizations:list"), {"q": "tim kiem"}).content.decode()
    assert "TIMQ" in body and "TIMP" not in body
    api = APIClient()
    api.force_authenticate(world.em)
    found = api.get(reverse("api:agency-list"), {"q": "tim kiem"}).json()
    assert (found["count"], [r["code"] for r in found["results"]]) == (1, ["TIMQ"])
    with CaptureQueriesContext(connection) as queries:
        none = api.get(reverse("api:agency-list"), {"q": "khong co dau"}).json()
    assert (none["count"], none["results"]) == (0, [])
    assert len([q for q in queries if "khong co dau" in q["sql"].lower()]) == 1
