import pytest

from eiso.accounts.tests.factories import MembershipFactory
from eiso.core.roles import Action, Role
from eiso.core.scoping import user_scope
from eiso.organizations.models import Agency, Department
from eiso.organizations.tests.factories import DepartmentFactory


def codes(qs):
    return set(qs.values_list("code", flat=True))


@pytest.mark.django_db
def test_staff_sees_only_their_agency(world):
    assert codes(Agency.objects.visible_to(world.binh)) == {"A"}
    assert user_scope(world.binh, Action.CHANGE).agency_ids == frozenset({world.A.pk})
    assert user_scope(world.binh, Action.MANAGE_USERS).empty


@pytest.mark.django_db
def test_overseer_sees_the_subtree_only_and_changes_nothing(world):
    assert codes(Agency.objects.visible_to(world.dung)) == {"P", "A", "B"}
    assert codes(Agency.objects.visible_to(world.em)) == {"Q", "C"}
    assert user_scope(world.dung, Action.CHANGE).empty


@pytest.mark.django_db
def test_admin_and_superuser_see_everything(world, django_user_model):
    assert codes(Agency.objects.visible_to(world.quan)) == {"P", "A", "B", "Q", "C"}
    root = django_user_model.objects.create_superuser("root", password="x")
    assert user_scope(root).everything


@pytest.mark.django_db
def test_roles_in_several_agencies_add_up(world):
    MembershipFactory(user=world.binh, agency=world.C, role=Role.STAFF)
    world.binh = type(world.binh).objects.get(pk=world.binh.pk)  # a fresh request
    assert codes(Agency.objects.visible_to(world.binh)) == {"A", "C"}


@pytest.mark.django_db
def test_ended_roles_and_inactive_agencies_give_nothing(world):
    world.binh.memberships.update(is_active=False)
    assert not Agency.objects.visible_to(world.binh).exists()
    Agency.objects.filter(pk=world.B.pk).update(is_active=False)
    chi = type(world.chi).objects.get(pk=world.chi.pk)
    assert not Agency.objects.visible_to(chi).exists()


@pytest.mark.django_db
def test_anonymous_and_inactive_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Agency.objects.visible_to(AnonymousUser()).exists()
    world.an.is_active = False
    assert not Agency.objects.visible_to(world.an).exists()


@pytest.mark.django_db
def test_agency_owned_rows_follow_their_agency(world):
    DepartmentFactory(agency=world.A, name="VP A")
    DepartmentFactory(agency=world.C, name="VP C")
    assert set(Department.objects.visible_to(world.dung).values_list("name", flat=True)) == {"VP A"}
    assert set(Department.objects.visible_to(world.em).values_list("name", flat=True)) == {"VP C"}


@pytest.mark.django_db
def test_the_scope_is_computed_once_per_request(world, django_assert_num_queries):
    user = type(world.dung).objects.get(pk=world.dung.pk)
    with django_assert_num_queries(1):
        user_scope(user, Action.VIEW)
        user_scope(user, Action.AUDIT)
        user_scope(user, Action.MANAGE_AGENCIES)
