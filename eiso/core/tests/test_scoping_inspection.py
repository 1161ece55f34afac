"""The second source of scope (ARCHITECTURE.md, "Who sees what"): someone on the team of an
inspection plan reads, during the plan's period — its first and last day included, in
Asia/Ho_Chi_Minh — the QMS of the agencies the plan inspects, and nothing else of them; the
access ends with the period. It is cached with the rest of the scope (one query at most, none
for people on no team) and survives the acting-role switch without widening it.

World: the plan of province P inspects B (Sở Y tế) from 01/06/2026 to 30/09/2026; ``bao``, an
inspector of D (the Sở KH&CN), leads its team; A (Sở Tư pháp) is not inspected."""

from __future__ import annotations

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eiso.accounts.models import Membership, User
from eiso.accounts.selectors import active_memberships
from eiso.core.audit import audit_record
from eiso.core.models import Notification
from eiso.core.roles import Role
from eiso.core.scoping import (
    INSPECTABLE_MODELS,
    AgencyScopedQuerySet,
    act_as,
    forget_scope,
    inspects,
    prime_scope,
    single_agency,
    team_scope,
)
from eiso.core.testing import IsolationContract
from eiso.documents.models import Document
from eiso.inspections.models import Inspection, InspectionPlan
from eiso.inspections.tests.factories import (
    add,
    at,
    form_team,
    make_plan,
    ready,
    science_department,
)

pytestmark = pytest.mark.django_db


def document(agency, code: str = "QT-01") -> Document:
    creator = User.objects.order_by("pk").first()
    return Document.objects.create(
        agency=agency,
        code=code,
        title=f"Quy trình {code} của {agency.code}",
        kind="system_procedure",
        created_by=creator,
    )


@pytest.fixture
def team(world):
    """The plan of 2026 inspecting B, led by ``bao``; ``world.bao`` and ``world.D`` added."""
    with time_machine.travel(at(2026, 6, 15), tick=False):
        dept = science_department(world)
        world.bao, world.D = dept.bao, dept.D
        plan, (inspection,) = ready(world, world.B)
    return plan


def sees(user, obj) -> bool:
    forget_scope(user)
    return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()


# --- the period, on both sides of both ends ---------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 5, 31, 23, 59), False),  # the evening before it starts (16:59 UTC)
        (at(2026, 6, 1, 0, 0), True),  # its first minute (17:00 UTC the day before)
        (at(2026, 9, 30, 23, 59), True),  # the last minute of its last day
        (at(2026, 10, 1, 0, 0), False),  # the day after it ends
    ],
)
def test_the_team_reads_the_inspected_agency_only_during_the_period(world, team, moment, expected):
    b_document = document(world.B)
    with time_machine.travel(moment, tick=False):
        assert sees(world.bao, b_document) is expected
        assert inspects(world.bao, world.B) is expected
        assert sees(world.bao, world.B) is expected  # the registry row, to pick it in filters


def test_a_team_member_of_bs_inspection_never_reads_another_agency(world, team):
    a_document, c_document = document(world.A), document(world.C)
    with time_machine.travel(at(2026, 6, 15), tick=False):
        assert not sees(world.bao, a_document)
        assert not sees(world.bao, c_document)
        assert sees(world.bao, document(world.D))  # the inspector's own agency, by his role


def test_no_access_before_the_plan_is_approved_and_its_team_formed(world):
    with time_machine.travel(at(2026, 6, 15), tick=False):
        dept = science_department(world)
        plan = make_plan(world)
        add(world, plan, world.B)
        from eiso.inspections import services
        from eiso.inspections.choices import TeamRole

        services.team_add(actor=world.dung, plan=plan, role=TeamRole.LEADER, user=dept.bao)
        b_document = document(world.B)
        assert not sees(dept.bao, b_document)  # a draft plan
        from eiso.inspections.tests.factories import approve

        approve(world, plan)
        assert not sees(dept.bao, b_document)  # approved, the team not formed by decision
        form_team(world, plan, [])
        assert sees(dept.bao, b_document)


# --- the QMS, and nothing else ----------------------------------------------------------------------


def test_people_memberships_audit_trail_and_notifications_stay_out_of_reach(world, team):
    with time_machine.travel(at(2026, 6, 15), tick=False):
        event = audit_record(actor=world.chi, action="test.event", agency=world.B)
        note = Notification.objects.create(user=world.chi, agency=world.B, message="x")
        membership = Membership.objects.get(user=world.chi)
        assert not sees(world.bao, membership)
        assert not sees(world.bao, event)
        assert not sees(world.bao, note)
        forget_scope(world.bao)
        assert not User.objects.visible_to(world.bao).filter(pk=world.chi.pk).exists()


def _scoped_models():
    for model in apps.get_models():
        manager = getattr(model, "objects", None)
        queryset = getattr(manager, "get_queryset", None)
        if queryset is not None and isinstance(manager.get_queryset(), AgencyScopedQuerySet):
            yield model


def test_only_the_declared_models_widen_with_the_team(world, team):
    """The SQL of every scoped model's ``visible_to`` for the team member, during the period
    and after it: it changes for the declared QMS models (and the plan's own records), and for
    no other — dossiers, complaints, training, people, the audit trail…"""
    models = list(_scoped_models())
    assert len(models) > 40
    queries = {}
    for moment in (at(2026, 6, 15), at(2026, 10, 15)):
        with time_machine.travel(moment, tick=False):
            for model in models:
                forget_scope(world.bao)
                queries.setdefault(model, []).append(
                    str(model.objects.visible_to(world.bao).order_by().query)
                )
    widened = {m._meta.label for m, (during, after) in queries.items() if during != after}
    declared = {m._meta.label for m in models if m._meta.label in INSPECTABLE_MODELS}
    assert widened == declared
    assert {
        "feedback.Complaint",
        "records.Dossier",
        "accounts.Membership",
        "core.AuditEvent",
        "core.Notification",
    } & widened == set()


def test_every_declared_model_exists():
    labels = {m._meta.label for m in apps.get_models()}
    missing = {
        label
        for label in INSPECTABLE_MODELS
        if apps.is_installed(f"eiso.{label.split('.')[0]}") and label not in labels
    }
    assert missing == set()


def test_the_plans_own_records_stay_readable_to_the_team_after_the_period(world, team):
    inspection = Inspection.objects.get(plan=team)
    with time_machine.travel(at(2026, 12, 1), tick=False):
        assert sees(world.bao, inspection)  # to follow the remediation up
        assert sees(world.bao, team)
        assert not sees(world.bao, document(world.B, "QT-02"))
        assert sees(world.chi, inspection)  # the inspected agency its own
        assert not sees(world.an, inspection)
        assert not sees(world.an, team)
        assert not sees(world.em, team)


# --- cached, and beside the acting role ---------------------------------------------------------------


def test_one_query_for_a_team_member_none_for_anyone_else(world, team):
    with time_machine.travel(at(2026, 6, 15), tick=False):
        for user in (world.an, world.bao):
            user = User.objects.get(pk=user.pk)
            prime_scope(user, active_memberships(user=user))
            with CaptureQueriesContext(connection) as first:
                team_scope(user)
                team_scope(user)
            assert len(first.captured_queries) == (1 if user.username == "bao" else 0)
        unflagged = User.objects.get(pk=world.an.pk)
        prime_scope(unflagged, list(Membership.objects.filter(user=unflagged)))
        with CaptureQueriesContext(connection) as safe:
            team_scope(unflagged)
        assert len(safe.captured_queries) == 1  # memberships loaded elsewhere: asked, to be safe


def test_the_team_scope_survives_the_role_switch_without_widening_the_roles(world, team):
    """``lan`` is ISO secretary of A and staff of E; on B's team. Acting as A's secretary she
    reads A and (the team) B — never E, her other role's agency."""
    from eiso.accounts.tests.factories import MembershipFactory, UserFactory
    from eiso.organizations.tests.factories import AgencyFactory

    with time_machine.travel(at(2026, 6, 15), tick=False):
        E = AgencyFactory(code="E", name="Sở Xây dựng tỉnh Phú An", parent=world.P)
        lan = UserFactory(username="lan")
        as_secretary = MembershipFactory(user=lan, agency=world.A, role=Role.ISO_SECRETARY)
        MembershipFactory(user=lan, agency=E, role=Role.STAFF)
        from eiso.inspections import services
        from eiso.inspections.choices import TeamRole

        services.team_add(actor=world.dung, plan=team, role=TeamRole.MEMBER, user=lan)
        for code, agency in (("A", world.A), ("B", world.B), ("E", E)):
            document(agency, f"QT-{code}")
        lan = User.objects.get(pk=lan.pk)
        prime_scope(lan, active_memberships(user=lan))
        team_scope(lan)
        act_as(lan, next(m for m in active_memberships(user=lan) if m.pk == as_secretary.pk))
        visible = set(Document.objects.visible_to(lan).values_list("code", flat=True))
        assert visible == {"QT-A", "QT-B"}
        assert not single_agency(lan)  # the list shows which agency a row is from


def test_the_team_changes_nothing(world, team):
    from eiso.core.roles import Action

    b_document = document(world.B)
    with time_machine.travel(at(2026, 6, 15), tick=False):
        forget_scope(world.bao)
        assert (
            not Document.objects.visible_to(world.bao, action=Action.CHANGE)
            .filter(pk=b_document.pk)
            .exists()
        )


# --- the one isolation contract, seen by a team member ---------------------------------------------------


@pytest.mark.usefixtures("_in_the_period")
class TestTeamMemberIsolation(IsolationContract):
    """Documents of B (inspected) as ``bao`` reads them during the period: B's show, A's
    (not inspected) do not; Q's people and overseer see nothing of P; the overseer of P reads
    both and changes neither."""

    home = "B"
    foreign = "A"
    viewer = "bao"
    outsider = "cuong"

    @pytest.fixture
    def _in_the_period(self, world, team):
        with time_machine.travel(at(2026, 6, 15), tick=False):
            yield

    def make(self, world, agency):
        return document(agency, f"QT-{agency.code}-{Document.objects.count() + 1}")

    def list_url(self):
        return reverse("documents:list")

    def marker(self, obj):
        return f'href="/documents/{obj.pk}/"'

    def read_urls(self, obj):
        return [reverse("documents:detail", args=[obj.pk])]

    def change_requests(self, obj):
        return [("post", reverse("documents:withdraw", args=[obj.pk]), {"reason": "x"})]

    def test_the_team_member_changes_nothing_either(self, client, world):
        obj = self.make(world, world.B)
        client.force_login(world.bao)
        for method, url, data in self.change_requests(obj):
            assert self._send(client, method, url, data).status_code in (403, 404)


def test_after_the_period_the_team_member_gets_404(client, world, team):
    b_document = document(world.B)
    client.force_login(world.bao)
    with time_machine.travel(at(2026, 9, 30, 23, 0), tick=False):
        assert client.get(reverse("documents:detail", args=[b_document.pk])).status_code == 200
    with time_machine.travel(at(2026, 10, 1, 0, 5), tick=False):
        assert client.get(reverse("documents:detail", args=[b_document.pk])).status_code == 404
        listed = client.get(reverse("documents:list")).content.decode()
        assert f'href="/documents/{b_document.pk}/"' not in listed


def test_a_plan_never_names_a_model_that_does_not_exist():
    assert "inspections.InspectionPlan" not in INSPECTABLE_MODELS  # its own rule: the plan field
    assert InspectionPlan.objects.model is InspectionPlan
