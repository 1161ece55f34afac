"""Agency search lists the best match first ("an phu" puts "UBND xã An Phú" first): an exact
name, short name or code, then one that starts with the words, then the words at the start of
a word, then anywhere — on the agency list and ``/api/v1/agencies/?q=``; the database's fold
agrees with ``vn_fold``."""

from __future__ import annotations

import pytest
from django.db.models import Value
from django.urls import reverse
from rest_framework.test import APIClient

from eiso.core.search import VnFold
from eiso.core.text import search_text_of, vn_fold
from eiso.organizations import selectors
from eiso.organizations.models import Agency
from eiso.organizations.tests.factories import AgencyFactory, kind

FOLDS = [
    "Ủy ban nhân dân xã An Phú",
    "ĐẶNG Văn Hải — Đồng Tháp",
    "Sở Khoa học và Công nghệ",
    "Nguyễn Thị Thúy Hằng, ấp Mỹ Lợi",
    "Trường THCS Lê Quý Đôn (Ơ ơ Ư ư ỹ Ỹ)",
    "plain ascii 45/QĐ-UBND",
]


@pytest.mark.django_db
@pytest.mark.parametrize("text", FOLDS)
def test_the_database_folds_as_vn_fold_does(text):
    folded = Agency.objects.annotate(f=VnFold(Value(text))).values_list("f", flat=True)
    AgencyFactory(code="ANY")
    assert folded.first() == vn_fold(text)


@pytest.fixture
def communes(world):
    """Created so that the tree order (path) puts the worse matches first."""
    xa = kind("ubnd_xa")

    def commune(code, name, short_name="", address=""):
        agency = AgencyFactory(code=code, name=name, short_name=short_name, kind=xa, parent=world.P)
        # as the agency services fill it: code, names and address
        Agency.objects.filter(pk=agency.pk).update(
            search_text=search_text_of(code, name, short_name, address)
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
