"""Nonconformities built through the services, as people would build them."""

from __future__ import annotations

import datetime

from eiso.accounts.tests.factories import MembershipFactory, UserFactory
from eiso.core.roles import Role
from eiso.improvements import services
from eiso.objectives.tests.factories import head, secretary
from eiso.organizations.tests.factories import DepartmentFactory


def department(agency, name: str = "Phòng Hành chính tư pháp"):
    from eiso.organizations.models import Department

    found = Department.objects.filter(agency=agency, name=name).first()
    return found or DepartmentFactory(agency=agency, name=name)


def auditor(world, agency, *, username: str = "", department_name: str = ""):
    """An internal auditor of ``agency`` (of ``department_name`` when given)."""
    from eiso.accounts.models import User

    username = username or f"auditor{agency.code.lower()}"
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    user = UserFactory(username=username, full_name=f"Chuyên gia đánh giá {agency.code}")
    MembershipFactory(
        user=user,
        agency=agency,
        role=Role.AUDITOR,
        department=department(agency, department_name) if department_name else None,
    )
    return user


def raise_nc(world, agency, *, owner=None, title: str = "", **extra):
    return services.nonconformity_raise(
        actor=secretary(world, agency),
        agency=agency,
        source=extra.pop("source", "staff"),
        title=title or f"Hồ sơ trả kết quả trễ hạn tại {agency.code}",
        description="Ba hồ sơ đăng ký hộ tịch trả kết quả trễ hạn trong tháng 10/2026.",
        owner=owner,
        **extra,
    )


def analysed(world, nc, *, due=None, owner=None):
    """The record with its cause written and one action planned."""
    actor = secretary(world, nc.agency)
    services.nonconformity_update(
        actor=actor,
        nonconformity=nc,
        data={
            "correction": "Gọi điện xin lỗi người dân, trả kết quả ngay trong ngày",
            "cause_category": "people",
            "whys": ["Công chức nghỉ phép", "Không có người thay"],
            "root_cause": "Chưa phân công người dự phòng khi công chức nghỉ phép",
        },
    )
    return services.action_create(
        actor=actor,
        nonconformity=nc,
        data={
            "action": "Ban hành quyết định phân công công chức dự phòng",
            "owner": owner,
            "due_date": due or datetime.date(2026, 12, 15),
        },
    )


def approved(world, nc, **kwargs):
    action = analysed(world, nc, **kwargs)
    services.plan_submit(actor=secretary(world, nc.agency), nonconformity=nc)
    services.plan_approve(actor=head(world, nc.agency), nonconformity=nc)
    return action
