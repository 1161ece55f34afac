"""Issue 8, item 7: user names accepted spaces, markup and invisible look-alike characters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from eiso.accounts.models import User
from eiso.accounts.services import user_create, user_update
from eiso.accounts.tests.factories import PASSWORD, UserFactory
from eiso.accounts.usernames import (
    clean_username,
    normalize_username,
    username_errors,
    username_skeleton,
)
from eiso.core.errors import ValidationFailed


def make(world, username):
    return user_create(
        actor=world.quan,
        username=username,
        full_name="Người Mới",
        agency=world.A,
        role="staff",
        email="moi@example.gov.vn",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        "nguyen van an",  # a space
        "<script>an</script>",  # markup
        "an\u200b",  # an invisible zero-width space
        "an\u202e",  # a right-to-left override
        "nguyễn",  # Vietnamese letters: the ASCII set only
        ".an",  # starts with punctuation
        "an-",  # ends with punctuation
        "",
        "a" * 151,
    ],
)
def test_a_user_name_outside_the_safe_ascii_set_is_refused(raw):
    [(_name, problem)] = username_errors([raw])
    assert problem, raw
    with pytest.raises(ValidationFailed) as caught:
        clean_username(raw)
    assert "username" in caught.value.fields


@pytest.mark.django_db
def test_names_are_normalised_nfkc_and_lower_case():
    assert normalize_username("  Nguyen.Van.An ") == "nguyen.van.an"
    assert normalize_username("ＡＮ") == "an"  # full-width letters
    assert clean_username("Tran_Thi-B@stp") == "tran_thi-b@stp"


def test_look_alikes_share_a_skeleton_and_rn_is_not_m():
    assert username_skeleton("an") == username_skeleton("\u0430n")  # Cyrillic а
    assert username_skeleton("an1") == username_skeleton("anl")
    assert username_skeleton("h0a") == username_skeleton("hoa")
    assert username_skeleton("rn") != username_skeleton("m")


@pytest.mark.django_db
def test_a_look_alike_of_an_existing_name_is_refused(world):
    """An existing "аn" written with a Cyrillic а (from before this check) and "an" clash."""
    legacy = UserFactory(username="\u0430nh")  # Cyrillic а: a name from before the rules
    with pytest.raises(ValidationFailed, match=legacy.username):
        make(world, "anh")
    with pytest.raises(ValidationFailed):
        make(world, "AN")  # the persona "an" exists: case is not a difference
    assert not User.objects.filter(username__in=["anh"]).exists()


@pytest.mark.django_db
def test_a_different_name_is_accepted_and_stored_normalised(world):
    user = make(world, "Tran.Van.Moi")
    assert user.username == "tran.van.moi"
    assert user.username_skeleton == username_skeleton("tran.van.moi")


@pytest.mark.django_db
def test_a_batch_refuses_look_alikes_inside_itself_in_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        results = username_errors(["moi1", "MOIL", "khac", "an"])
    assert results[0] == ("moi1", None)
    assert results[1][1] and "moi1" in results[1][1]
    assert results[2] == ("khac", None)
    assert results[3][1]  # taken


@pytest.mark.django_db
def test_renaming_is_checked_the_same_way(world):
    with pytest.raises(ValidationFailed):
        user_update(actor=world.quan, user=world.binh, data={"username": "h\u0430i"})
    user_update(actor=world.quan, user=world.binh, data={"username": "Binh.Le"})
    world.binh.refresh_from_db()
    assert world.binh.username == "binh.le"


@pytest.mark.django_db
def test_sign_in_ignores_the_case_of_the_user_name(client, world):
    response = client.post(reverse("accounts:login"), {"username": "  AN", "password": PASSWORD})
    assert response.status_code == 302
