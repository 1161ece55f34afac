"""Objectives built through the services, as people would build them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from eiso.core.roles import Role
from eiso.objectives import services
from eiso.objectives.models import ObjectiveSet, QualityObjective

KEEPERS = {"A": "an", "B": "chi", "C": "cuong"}


def person(world, agency, role: str, username: str):
    """A person with ``role`` in ``agency`` (made once per test)."""
    from eiso.accounts.models import User
    from eiso.accounts.tests.factories import MembershipFactory, UserFactory

    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    user = UserFactory(username=username, full_name=f"Lãnh đạo {agency.code}")
    MembershipFactory(user=user, agency=agency, role=role)
    return user


def secretary(world, agency):
    return world.persona(KEEPERS[agency.code])


def head(world, agency):
    if agency.code == "A":
        return world.hai
    return person(world, agency, Role.HEAD, f"head{agency.code.lower()}")


def objective_data(**overrides) -> dict:
    data = {
        "statement": "Giải quyết hồ sơ thủ tục hành chính đúng hạn",
        "indicator": "Tỷ lệ hồ sơ được giải quyết đúng hoặc trước hạn",
        "comparator": "ge",
        "target": Decimal("98"),
        "unit": "%",
        "frequency": "quarter",
    }
    data.update(overrides)
    return data


def action_data(year: int, **overrides) -> dict:
    data = {
        "what": "Theo dõi tiến độ giải quyết hồ sơ hằng tuần",
        "responsible": "Văn phòng",
        "due_date": datetime.date(year, 12, 31),
        "resources": "Hệ thống một cửa điện tử",
        "evaluation": "Báo cáo quý",
    }
    data.update(overrides)
    return data


def draft_set(world, agency, year: int, *, objectives: int = 1, **data) -> ObjectiveSet:
    """A draft with ``objectives`` objectives, each with one plan action."""
    drafter = secretary(world, agency)
    objective_set = services.objective_set_create(actor=drafter, agency=agency, year=year)
    for n in range(objectives):
        objective = services.objective_create(
            actor=drafter,
            objective_set=objective_set,
            data=objective_data(
                statement=data.get("statement", f"Mục tiêu {n + 1} của {agency.code}"),
                **{k: v for k, v in data.items() if k != "statement"},
            ),
        )
        services.plan_action_create(actor=drafter, objective=objective, data=action_data(year))
    return objective_set


def issue(world, objective_set, *, number: str = "", date: datetime.date | None = None):
    agency = objective_set.agency
    services.objective_set_submit(actor=secretary(world, agency), objective_set=objective_set)
    services.objective_set_approve(actor=head(world, agency), objective_set=objective_set)
    return services.objective_set_issue(
        actor=head(world, agency),
        objective_set=objective_set,
        number=number or str(objective_set.pk + 10),
        date=date or datetime.date(objective_set.year, 1, 15),
    )


def issued_set(world, agency, year: int, **kwargs) -> ObjectiveSet:
    date = kwargs.pop("date", None)
    return issue(world, draft_set(world, agency, year, **kwargs), date=date)


def first_objective(objective_set) -> QualityObjective:
    return objective_set.objectives.order_by("number").first()
