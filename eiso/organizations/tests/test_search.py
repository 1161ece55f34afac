"""Agency search lists the best match first ("an phu" puts "UBND xã An Phú" first): an exact
name, short name or code, then one that starts with the words, then the words at the start of
a word, then anywhere — on the agency list and ``/api/v1/agencies/?q=``. The rank reads the
stored ``search_text`` (code and names folded field by field, then the address): nothing is
folded in SQL."""

from __future__ import annotations

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from eiso.core.text import FIELD_MARK, REST_MARK, ranked_search_text, search_text_of
from eiso.organizations import selectors, services
from eiso.organizations.models import Agency
from eiso.organizations.tests.factories import AgencyFactory, kind


def test_the_ranked_text_folds_each_field_and_keeps_them_apart():
    text = ranked_search_text("XA-AN-PHU", ["Ủy ban nhân dân xã  An Phú", ""], ["Ấp Mỹ Lợi"])
    assert text == "xa-an-phu\x01uy ban nhan dan xa an phu\x01\x02ap my loi"
    # marks typed into a field are not taken for field boundaries
    assert ranked_search_text("A\x01B", ["Tên\x02"]) == f"ab{FIELD_MARK}ten{REST_MARK}"


@pytest.fixture
def communes(world):
    """Created so that the tree order (path) puts the worse matches first."""
    xa = kind("ubnd_xa")

    def commune(code, name, short_name="", address=""):
        agency = AgencyFactory(code=code, name=name, short_name=short_name, kind=xa, parent=world.P)
        agency.address = address
        # as the agency services fill it: code, names and address
        Agency.objects.filter(pk=agency.pk).update(
            address=address, search_text=services._search_text(agency)
        )
        return code

    return [
        commune("XA-TAN-PHU", "Ủy ban nhân dân xã Tân Phú", "UBND xã Tân Phú"),
        commune("CA-XUAN", "Công an xã Xuân Phú"),
        commune("TH-1", "Trường Tiểu học số 1", address="Thôn 2, xã An Phú"),
        commune("XA-AN-PHU", "Ủy ban nhân dân xã An Phú", "UBND xã An Phú"),
        commune("AN-PHU-HTX", "An Phú Hợp tác xã dịch vụ"),
        commune("AP", "Ban quản lý chợ", "An Phú"),
    ]


def ranked(user, q, **filters) -> list[str]:
    return [a.code for a in selectors.agency_list(user=user, q=q, **filters)]


@pytest.mark.django_db
def test_the_best_match_comes_first(world, communes):
    # exact short name, prefix, word start, then inside a word / the address
    first = ["AP", "AN-PHU-HTX", "XA-AN-PHU"]
    assert ranked(world.quan, "an phu") == [*first, "XA-TAN-PHU", "CA-XUAN", "TH-1"]
    assert ranked(world.quan, "ubnd xa an phu")[0] == "XA-AN-PHU"
    assert ranked(world.quan, "xa-an-phu") == ["XA-AN-PHU"]  # the code, exactly


@pytest.mark.django_db
def test_a_word_start_beats_the_tree_order(world, communes):
    """Without an exact or prefix match, the commune whose name has the words comes before
    those that only contain the letters, whatever their place in the tree."""
    assert ranked(world.quan, "xa an phu")[:1] == ["XA-AN-PHU"]
    assert ranked(world.quan, "an ph")[2] == "XA-AN-PHU"
    assert set(ranked(world.quan, "an ph")[3:]) == {"TH-1", "XA-TAN-PHU", "CA-XUAN"}


@pytest.mark.django_db
def test_a_chosen_order_wins_over_the_ranking(world, communes):
    assert ranked(world.quan, "an phu", ordering="code") == sorted(
        ["AP", "AN-PHU-HTX", "XA-AN-PHU", "TH-1", "XA-TAN-PHU", "CA-XUAN"]
    )


@pytest.mark.django_db
def test_the_agency_list_page_and_the_api_rank_the_same_way(client, world, communes):
    client.force_login(world.quan)
    response = client.get(reverse("organizations:list"), {"q": "an phu"})
    assert response.status_code == 200
    assert [a.code for a in response.context["object_list"]][:3] == [
        "AP",
        "AN-PHU-HTX",
        "XA-AN-PHU",
    ]
    api = APIClient()
    api.force_authenticate(world.quan)
    body = api.get(reverse("api:agency-list"), {"q": "an phu"}).json()
    assert [row["code"] for row in body["results"]][:3] == ["AP", "AN-PHU-HTX", "XA-AN-PHU"]


@pytest.mark.django_db
def test_the_ranking_costs_no_extra_query(world, communes, django_assert_num_queries):
    user = type(world.quan).objects.get(pk=world.quan.pk)
    list(selectors.agency_list(user=user))  # the scope, cached on the user
    with django_assert_num_queries(1):
        assert ranked(user, "an phu")[0] == "AP"


def _ranks(user, q) -> dict[str, int]:
    return {a.code: a.match for a in selectors.agency_list(user=user, q=q)}


@pytest.mark.django_db
def test_the_rank_knows_which_field_the_words_are_in(world, communes):
    """The address is searched, never ranked as a name: an address that is exactly the words,
    or starts with them, is rank 3; so is a code that has them inside."""
    assert _ranks(world.quan, "thon 2, xa an phu")["TH-1"] == 3
    assert _ranks(world.quan, "thon 2")["TH-1"] == 3
    assert _ranks(world.quan, "xa an phu") == {"XA-AN-PHU": 2, "TH-1": 3}
    assert _ranks(world.quan, "an-phu") == {"XA-AN-PHU": 3, "XA-TAN-PHU": 3, "AN-PHU-HTX": 1}
    assert _ranks(world.quan, "an phu hop tac xa dich vu") == {"AN-PHU-HTX": 0}
    assert _ranks(world.quan, "ubnd xa tan") == {"XA-TAN-PHU": 1}
    # "tan phu" starts a word of the name and of the short name
    assert _ranks(world.quan, "tan phu")["XA-TAN-PHU"] == 2


@pytest.mark.django_db
def test_words_across_two_fields_find_nothing(world, communes):
    """Each field is searched on its own: the end of a name and the start of the next field
    are not one text (they were joined by a space before the fields were marked)."""
    assert _ranks(world.quan, "dich vu") == {"AN-PHU-HTX": 2}
    assert _ranks(world.quan, "an-phu-htx an phu") == {}


@pytest.mark.django_db
def test_nothing_is_folded_in_sql(world, communes):
    """The rank compares the stored folded text: no TRANSLATE, LOWER nor a fold function."""
    with CaptureQueriesContext(connection) as queries:
        assert ranked(world.quan, "An Phú")[0] == "AP"
    sql = queries.captured_queries[-1]["sql"].upper()
    assert "ORDER BY" in sql and "LIKE" in sql
    assert "TRANSLATE" not in sql and "LOWER(" not in sql and "EISO_VN_FOLD" not in sql


@pytest.mark.django_db
def test_the_migration_rewrites_every_agency_field_by_field_and_back(world, communes):
    migration = __import__(
        "eiso.organizations.migrations.0004_agency_ranked_search_text", fromlist=["forwards"]
    )
    agency = Agency.objects.get(code="TH-1")
    Agency.objects.update(search_text="")
    migration.forwards(django_apps, None)
    agency.refresh_from_db()
    assert agency.search_text == ranked_search_text(
        "TH-1", ["Trường Tiểu học số 1", ""], ["Thôn 2, xã An Phú"]
    )
    assert ranked(world.quan, "an phu")[:3] == ["AP", "AN-PHU-HTX", "XA-AN-PHU"]
    migration.backwards(django_apps, None)
    agency.refresh_from_db()
    assert agency.search_text == search_text_of("TH-1", "Trường Tiểu học số 1", "Thôn 2, xã An Phú")
    assert (
        Agency.objects.exclude(search_text__contains=FIELD_MARK).count() == Agency.objects.count()
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
@pytest.mark.django_db
def test_postgresql_samples_enough_agency_names_to_see_a_rare_one():
    """A commune's name matches a few agencies of the country: with the default sample of 100
    values PostgreSQL took it for a fifth of them and read the whole table (migration 0005)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = 'organizations_agency'"
            "::regclass AND attname = 'search_text'"
        )
        assert cursor.fetchone()[0] == 1000


@pytest.mark.django_db
def test_like_wildcards_and_field_marks_typed_in_a_search_are_plain_text(world, communes):
    """ "%" and "_" are letters to find, not LIKE's wildcards; the marks that part the fields
    are taken out of what is typed, so they never join two fields."""
    assert ranked(world.quan, "%") == []
    assert ranked(world.quan, "_") == []
    assert ranked(world.quan, "an%phu") == []
    assert ranked(world.quan, "an\x01phu") == ranked(world.quan, "anphu") == []
    assert ranked(world.quan, "ban quan\x02ly cho") == []  # not "ban quan" + "ly cho"
    assert ranked(world.quan, "\x01xa-an-phu\x01") == ["XA-AN-PHU"]
