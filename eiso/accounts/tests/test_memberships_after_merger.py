import datetime

import pytest

from eiso.accounts.models import Membership
from eiso.core.models import AuditEvent
from eiso.core.roles import Role
from eiso.organizations.reorganization import agency_merge

ON = datetime.date(2025, 7, 1)


@pytest.mark.django_db
def test_the_people_of_merged_agencies_keep_their_roles_in_the_successor(world):
    agency_merge(actor=world.quan, sources=[world.B], into=world.A, on=ON, reason="Sáp nhập")
    new_role = Membership.objects.get(user=world.chi, agency=world.A)
    assert new_role.role == Role.ISO_SECRETARY and new_role.is_active and new_role.started_on == ON
    old_role = Membership.objects.get(user=world.chi, agency=world.B)
    assert not old_role.is_active and old_role.ended_on == datetime.date(2025, 6, 30)
    assert AuditEvent.objects.filter(action="membership.carry_over", agency=world.A).count() == 1
    # and chi now works in the successor
    chi = type(world.chi).objects.get(pk=world.chi.pk)
    from eiso.organizations.models import Agency

    assert set(Agency.objects.visible_to(chi).values_list("code", flat=True)) >= {"A", "B"}


@pytest.mark.django_db
def test_a_role_already_held_in_the_successor_is_not_doubled(world):
    Membership.objects.create(user=world.chi, agency=world.A, role=Role.ISO_SECRETARY)
    agency_merge(actor=world.quan, sources=[world.B], into=world.A, on=ON, reason="Sáp nhập")
    assert Membership.objects.filter(user=world.chi, agency=world.A, is_active=True).count() == 1
