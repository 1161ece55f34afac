"""TTHC rows for the page and API tests, built through the services (as the pages would)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from eiso.documents.tests.factories import drafter, issue_revisions, make_draft
from eiso.procedures import services


def procedure(world, code: str | None = None, **kwargs):
    """A catalogue entry, added by the province's overseer (``dung`` keeps the catalogue)."""
    kwargs.setdefault("name", f"Thủ tục thử nghiệm {code or ''}".strip())
    kwargs.setdefault("level", "provincial")
    kwargs.setdefault("field", "Hộ tịch")
    kwargs.setdefault("time_limit_days", Decimal("10"))
    return services.procedure_create(
        actor=world.dung, code=code or f"2.{uuid.uuid4().int % 10**6:06d}", **kwargs
    )


def handled(world, agency, *procedures):
    """``agency`` handles ``procedures`` (assigned by an administrator)."""
    services.handled_assign(actor=world.quan, agency=agency, procedures=list(procedures))


def iso_procedure(world, agency, tthc, *, code: str | None = None, issued=False, steps=()):
    """A document of kind "procedure of an administrative procedure" in ``agency`` that
    implements ``tthc`` (which the agency handles), with ``steps`` (name, responsible, days)."""
    code = code or f"QT-{uuid.uuid4().hex[:6]}"
    document, revision = make_draft(world, agency, code, with_file=issued)
    actor = drafter(world, agency)
    services.iso_procedure_link(actor=actor, document=document, procedure=tthc)
    if steps:
        services.steps_replace(
            actor=actor,
            revision=revision,
            steps=[
                {"name": name, "responsible": responsible, "time_days": days}
                for name, responsible, days in steps
            ],
        )
    if issued:
        issue_revisions(world, [revision])
        document.refresh_from_db()
    return document


STEPS = [
    ("Tiếp nhận hồ sơ", "Bộ phận một cửa", "0.5"),
    ("Thẩm định hồ sơ", "Phòng Hành chính tư pháp", "7"),
    ("Ký, trả kết quả", "Lãnh đạo Sở", "1.5"),
]


def newest_revision(document):
    """The document's newest revision (a draft while nothing is issued)."""
    return document.revisions.order_by("-number").first()
