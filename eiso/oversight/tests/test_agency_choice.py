"""The overseer's pages choose the subtree by typing (AgencyField): no page lists every agency
the national overseer reaches; the chosen one is shown; one outside is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from eiso.organizations.tests.factories import AgencyFactory


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["oversight:registry", "oversight:summary", "oversight:reminders"])
def test_the_under_filter_lists_no_agency_and_shows_the_chosen_one(client, world, name):
    for number in range(30):
        AgencyFactory(parent=world.P, code=f"X{number:02}", name=f"Phòng thử {number:02}")
    client.force_login(world.dung)
    body = client.get(reverse(name) + f"?root={world.A.pk}").content.decode()
    assert "data-agency-field" in body and f'name="root" value="{world.A.pk}"' in body
    assert "Phòng thử" not in body.split("data-agency-field")[1].split("</form>")[0]
    assert f'<option value="{world.B.pk}"' not in body


@pytest.mark.django_db
def test_a_subtree_outside_the_overseers_is_not_found(client, world):
    client.force_login(world.dung)
    response = client.get(reverse("oversight:summary") + f"?root={world.C.pk}")
    assert response.status_code == 404
