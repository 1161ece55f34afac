"""Inspection plans built through the services, as the Sở KH&CN would build them.

The calendar of the tests: the plan of 2026 inspects from 01/06/2026 to 30/09/2026; it is
approved by decision 125/QĐ-UBND of 20/05/2026 and its team formed by 130/QĐ-UBND of
25/05/2026. ``D`` is the Sở KH&CN (in province P) where ``bao`` is an inspector."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from eiso.accounts.tests.factories import MembershipFactory, UserFactory
from eiso.core.roles import Role
from eiso.core.scoping import forget_scope
from eiso.inspections import services
from eiso.inspections.choices import Mode, TeamRole
from eiso.organizations.tests.factories import AgencyFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime.date(2026, 6, 1)
END = datetime.date(2026, 9, 30)
APPROVED_ON = datetime.date(2026, 5, 20)
TEAM_ON = datetime.date(2026, 5, 25)


def at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=VN)


def science_department(world):
    """D, the Sở KH&CN of province P, and its inspector ``bao``."""
    from eiso.accounts.models import User
    from eiso.organizations.models import Agency

    D = Agency.objects.filter(code="D").first() or AgencyFactory(
        code="D", name="Sở Khoa học và Công nghệ tỉnh Phú An", short_name="Sở KH&CN", parent=world.P
    )
    bao = User.objects.filter(username="bao").first()
    if bao is None:
        bao = UserFactory(username="bao", full_name="Trần Quốc Bảo", position="Thanh tra viên")
        MembershipFactory(user=bao, agency=D, role=Role.INSPECTOR)
    return SimpleNamespace(D=D, bao=bao)


def overseer_of(world, agency):
    return world.em if agency.path.startswith(world.Q.path) else world.dung


def make_plan(world, agency=None, *, year: int = 2026, start=START, end=END):
    agency = agency or world.P
    return services.plan_create(
        actor=overseer_of(world, agency),
        agency=agency,
        data={"year": year, "period_start": start, "period_end": end},
    )


def add(world, plan, *agencies, mode=Mode.RECORDS, day=None):
    actor = overseer_of(world, plan.agency)
    return [
        services.plan_agency_add(actor=actor, plan=plan, agency=a, mode=mode, date=day)
        for a in agencies
    ]


def approve(world, plan, *, number: str = "125", day=APPROVED_ON):
    return services.plan_approve(
        actor=overseer_of(world, plan.agency),
        plan=plan,
        number=number,
        date=day,
        signer="Nguyễn Văn Tỉnh",
        signer_title="Phó Chủ tịch UBND tỉnh",
    )


def form_team(world, plan, members, *, number: str = "130", day=TEAM_ON):
    """``members``: (user, role) pairs; the first is the leader unless a role says otherwise."""
    actor = overseer_of(world, plan.agency)
    for user, role in members:
        services.team_add(actor=actor, plan=plan, role=role, user=user)
    plan = services.plan_team_decision(
        actor=actor, plan=plan, number=number, date=day, signer="Nguyễn Văn Tỉnh"
    )
    for user, _role in members:
        forget_scope(user)
    return plan


def ready(world, *inspected, members=None, agency=None, mode=Mode.RECORDS):
    """An approved plan of ``agency`` (P) inspecting ``inspected`` (B by default), its team
    formed (``bao`` leads it by default). Returns (plan, [inspections])."""
    agency = agency or world.P
    plan = make_plan(world, agency)
    inspections = add(world, plan, *(inspected or (world.B,)), mode=mode)
    plan = approve(world, plan)
    if members is None:
        members = [(science_department(world).bao, TeamRole.LEADER)]
    plan = form_team(world, plan, members)
    return plan, inspections


def started(world, inspection, actor):
    forget_scope(actor)
    services.inspection_start(actor=actor, inspection=inspection)
    inspection.refresh_from_db()
    return inspection
