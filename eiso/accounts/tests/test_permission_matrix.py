"""THE permission matrix and THE grant policy (``eiso/core/roles.py``): README shows exactly
the data, the data keeps its own promises, and every role × action behaves as the data says
through the real rules (scoping, services, the apps' rules predicates)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import translation

from eiso.accounts.services import membership_grant
from eiso.accounts.tests.factories import MembershipFactory, UserFactory
from eiso.core import selectors as core_selectors
from eiso.core.audit import audit_record
from eiso.core.errors import NotPermitted
from eiso.core.roles import (
    ADMIN_ONLY_ROLES,
    GRANT_POLICY,
    ROLE_RANK,
    Action,
    Reach,
    Role,
    reach_of,
    readme_with_blocks,
)
from eiso.documents import rules as document_rules
from eiso.inspections import rules as inspection_rules
from eiso.inspections import services as inspection_services
from eiso.organizations import selectors as org_selectors
from eiso.organizations import services as org_services
from eiso.organizations.models import Department
from eiso.organizations.tests.factories import AgencyFactory
from eiso.procedures import rules as procedure_rules
from eiso.qms import rules as qms_rules


def test_readme_shows_the_permission_matrix_and_grant_policy_from_the_data():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    with translation.override("en"):
        expected = readme_with_blocks(readme)
    assert readme == expected, (
        "README differs from eiso/core/roles.py: manage.py write_policy_readme"
    )


def test_nobody_may_grant_a_role_above_their_own():
    for granter, rule in GRANT_POLICY.items():
        for granted in rule.roles:
            assert ROLE_RANK[granted] <= ROLE_RANK[granter], (granter, granted)


def test_only_administrators_grant_head_overseer_inspector_and_admin():
    for granter, rule in GRANT_POLICY.items():
        if granter != Role.ADMIN:
            assert not set(rule.roles) & ADMIN_ONLY_ROLES, granter
    assert {Role.HEAD, Role.OVERSEER, Role.INSPECTOR, Role.ADMIN} <= ADMIN_ONLY_ROLES


def test_overseers_change_no_agency_data():
    """Item 8 of issue 8: overseers read, remind, receive, inspect and report."""
    for action in (
        Action.CHANGE,
        Action.MANAGE_AGENCIES,
        Action.MANAGE_STRUCTURE,
        Action.MANAGE_USERS,
    ):
        assert reach_of(Role.OVERSEER, action) is None, action


# --- every role × action, through the real rules ---------------------------------------------


class Place:
    """A role held in agency P (a province root); A is below P; Q is another root."""

    def __init__(self, role: str):
        self.P = AgencyFactory(code="P")
        self.A = AgencyFactory(code="A", parent=self.P)
        self.Q = AgencyFactory(code="Q")
        self.user = UserFactory(username="nguoi")
        MembershipFactory(user=self.user, agency=self.P, role=role)
        self.somebody = UserFactory(username="ai-do")
        self.events = {
            name: audit_record(actor=None, action="test.event", agency=getattr(self, name))
            for name in ("P", "A", "Q")
        }

    def agencies(self):
        return {"P": self.P, "A": self.A, "Q": self.Q}


def _permitted(call) -> bool:
    """Whether a service accepts the actor (its effect is rolled back)."""

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            call()
            raise Rollback
    except Rollback:
        return True
    except NotPermitted:
        return False


def _views(place, user, agency) -> bool:
    try:
        org_selectors.agency_get(user=user, pk=agency.pk)
    except Http404:
        return False
    return True


def _changes(place, user, agency) -> bool:
    Department.objects.get_or_create(agency=agency, name=f"Phòng {agency.code}")
    return Department.objects.visible_to(user, action=Action.CHANGE).filter(agency=agency).exists()


def _manages_agencies(place, user, agency) -> bool:
    return _permitted(
        lambda: org_services.agency_update(
            actor=user, agency=agency, data={"short_name": "Tên mới"}
        )
    )


def _manages_structure(place, user, agency) -> bool:
    by_service = _permitted(
        lambda: org_services.department_create(actor=user, agency=agency, name="Phòng mới")
    )
    by_rule = procedure_rules.can_manage_scope(user, agency)
    assert by_service == by_rule, "departments and handled procedures must agree"
    return by_service


def _manages_users(place, user, agency) -> bool:
    return _permitted(
        lambda: membership_grant(actor=user, user=place.somebody, agency=agency, role=Role.STAFF)
    )


def _oversees(place, user, agency) -> bool:
    return qms_rules.can_receive(user, agency)


def _keeps_catalogues(place, user, agency) -> bool:
    return document_rules.can_keep_external(user, agency, shared=True)


def _audits(place, user, agency) -> bool:
    event = place.events[agency.code]
    return core_selectors.audit_list(user=user).filter(pk=event.pk).exists()


def _inspects(place, user, agency) -> bool:
    import datetime

    year = datetime.date.today().year
    by_service = _permitted(
        lambda: inspection_services.plan_create(
            actor=user,
            agency=agency,
            data={
                "year": year,
                "period_start": datetime.date(year, 1, 1),
                "period_end": datetime.date(year, 12, 31),
            },
        )
    )
    assert by_service == inspection_rules.can_manage(user, agency)
    return by_service


PROBES = {
    Action.VIEW: _views,
    Action.CHANGE: _changes,
    Action.MANAGE_AGENCIES: _manages_agencies,
    Action.MANAGE_STRUCTURE: _manages_structure,
    Action.MANAGE_USERS: _manages_users,
    Action.OVERSEE: _oversees,
    Action.KEEP_CATALOGUES: _keeps_catalogues,
    Action.AUDIT: _audits,
    Action.INSPECT: _inspects,
}

EXPECTED_REACH = {
    None: set(),
    Reach.AGENCY: {"P"},
    Reach.SUBTREE: {"P", "A"},
    Reach.EVERYTHING: {"P", "A", "Q"},
}


def test_every_action_has_a_probe():
    assert set(PROBES) == set(Action)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "action"), list(itertools.product(Role, Action)))
def test_the_permission_matrix_is_what_the_rules_do(role, action):
    place = Place(role)
    probe = PROBES[action]
    reached = {
        name for name, agency in place.agencies().items() if probe(place, place.user, agency)
    }
    assert reached == EXPECTED_REACH[reach_of(role, action)], (role, action, reached)
    if action == Action.KEEP_CATALOGUES:  # the TTHC catalogue: a province root's keepers
        assert procedure_rules.can_keep_catalogue(place.user) == bool(reached)


@pytest.mark.django_db
@pytest.mark.parametrize(("granter", "granted"), list(itertools.product(Role, Role)))
def test_the_grant_policy_is_what_the_service_does(granter, granted):
    place = Place(granter)
    rule = GRANT_POLICY.get(granter)
    for name, agency in place.agencies().items():
        allowed = _permitted(
            lambda agency=agency: membership_grant(
                actor=place.user, user=place.somebody, agency=agency, role=granted
            )
        )
        expected = rule is not None and granted in rule.roles and name in EXPECTED_REACH[rule.reach]
        assert allowed == expected, (granter, granted, name)
