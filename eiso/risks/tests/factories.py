"""Registers built through the services."""

from __future__ import annotations

import datetime

from eiso.objectives.tests.factories import secretary
from eiso.risks import services


def risk_data(**overrides) -> dict:
    data = {
        "kind": "risk",
        "process_kind": "internal",
        "process": "Tiếp nhận và trả kết quả tại Bộ phận Một cửa",
        "description": "Hồ sơ bị trả kết quả trễ hạn do thiếu công chức tiếp nhận",
        "cause": "Công chức nghỉ phép, chưa bố trí người thay",
        "consequence": "Người dân phải đi lại nhiều lần; phải xin lỗi bằng văn bản",
        "likelihood": 4,
        "impact": 4,
    }
    data.update(overrides)
    return data


def add_risk(world, agency, year: int = 2026, **overrides):
    return services.risk_create(
        actor=secretary(world, agency), agency=agency, year=year, data=risk_data(**overrides)
    )


def add_treatment(world, risk, *, owner=None, due=None):
    return services.treatment_create(
        actor=secretary(world, risk.agency),
        risk=risk,
        data={
            "action": "Phân công công chức dự phòng tại Bộ phận Một cửa",
            "owner": owner,
            "due_date": due or datetime.date(risk.year, 9, 30),
        },
    )
