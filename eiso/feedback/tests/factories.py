"""Ratings and complaints built through the services, as people (and the public form) would."""

from __future__ import annotations

import datetime

from eiso.feedback import services
from eiso.procedures.tests.factories import handled, procedure


def tthc(world, agency, code: str = "1.001.A", name: str = "Đăng ký khai sinh"):
    """A TTHC of the catalogue that ``agency`` handles."""
    from eiso.procedures.models import AdministrativeProcedure

    found = AdministrativeProcedure.objects.filter(code=code).first()
    found = found or procedure(world, code, name=name)
    handled(world, agency, found)
    return found


def rate(agency, *, on: datetime.date | None = None, comment: str = "", **scores):
    scores = scores or {"attitude": 5, "timeliness": 4, "guidance": 5, "result": 4}
    return services.rating_submit(agency=agency, scores=scores, comment=comment, on=on)


def register(world, agency=None, *, actor=None, **data):
    agency = agency or world.A
    actor = actor or {"A": world.an, "B": world.chi, "C": world.cuong}[agency.code]
    data.setdefault("kind", "complaint")
    data.setdefault("channel", "hotline")
    data.setdefault("subject", f"Hồ sơ trễ hạn tại {agency.code}")
    data.setdefault("content", "Tôi nộp hồ sơ đăng ký khai sinh ngày 02/06 nhưng chưa có kết quả.")
    return services.complaint_register(actor=actor, agency=agency, data=data)


def submitted(agency, **data):
    data.setdefault("subject", "Cán bộ hướng dẫn chưa rõ")
    data.setdefault("content", "Tôi phải đi lại ba lần mới nộp được hồ sơ.")
    return services.complaint_submit(agency=agency, data=data)
