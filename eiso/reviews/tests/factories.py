"""Management reviews built through the services."""

from __future__ import annotations

import datetime

from eiso.objectives.tests.factories import head, secretary
from eiso.reviews import services

MEETING = datetime.date(2026, 11, 25)


def plan_review(world, agency, *, day=MEETING, **data):
    return services.review_create(
        actor=secretary(world, agency),
        agency=agency,
        data={
            "meeting_date": day,
            "place": "Phòng họp tầng 2",
            "chair": head(world, agency),
            "attendees": "Lãnh đạo cơ quan\nTrưởng các phòng\nThư ký ISO",
            **data,
        },
    )
