"""The agency's page lists its people, given by ``eiso.accounts`` through the source it
registers (``eiso.organizations.members``): organizations never imports accounts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from eiso.organizations import members


@pytest.mark.django_db
def test_the_agency_page_lists_its_people_though_organizations_never_imports_accounts(
    client, world
):
    client.force_login(world.dung)
    response = client.get(reverse("organizations:detail", args=[world.A.pk]))
    assert response.status_code == 200
    shown = {m.user.username for m in response.context["members"]}
    assert shown == {"an", "binh", "hai"}  # A's people only, current roles
    assert {m.user.username for m in members.agency_members(user=world.dung, agency=world.B)} == {
        "chi"
    }
