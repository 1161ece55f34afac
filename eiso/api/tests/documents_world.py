"""The world of the document-control API tests, on top of the helpers of
eiso/documents/tests/factories.py (the ``draft`` / ``issue`` pattern of its service tests, for
any of the personas' agencies): unique codes and numbers, a decision left unsigned, legal
texts."""

import datetime
import uuid

from django.urls import reverse
from django.utils import timezone

from eiso.documents import services
from eiso.documents.choices import RevisionStatus
from eiso.documents.tests.factories import (
    approve,
    drafter,
    issue_revisions,
    make_draft,
)

TODAY = timezone.localdate()

__all__ = ["TODAY", "approve", "draft", "ids", "issue", "prepare_decision", "text", "url"]


def draft(world, code=None, agency=None, **kwargs):
    """A document of ``agency`` (default A) with its draft revision 01 and a DOCX file."""
    return make_draft(world, agency or world.A, code or f"QT-{uuid.uuid4().hex[:8]}", **kwargs)


def issue(world, revisions, number=None, date=TODAY):
    """Issue with a signed decision; ``number`` as typed (e.g. "12"), default the next free."""
    return issue_revisions(world, revisions, number=number or "", date=date)


def prepare_decision(world, revisions, subject="Ban hành tài liệu HTQLCL"):
    """A draft decision (not signed) over ``revisions``, approved first when needed."""
    agency = revisions[0].agency
    for revision in revisions:
        revision.refresh_from_db()
        if revision.status != RevisionStatus.APPROVED:
            approve(world, revision)
    return services.decision_create(
        actor=drafter(world, agency),
        agency=agency,
        subject=subject,
        signer_name="Đặng Văn Hải",
        signer_title="GIÁM ĐỐC",
        revisions=revisions,
    )


def text(world, agency, *, days=0, shared=False, number=None):
    """A legal text of ``agency`` taking effect in ``days`` days; a shared one is kept by the
    overseer of the province."""
    return services.external_document_create(
        actor=world.dung if shared else drafter(world, agency),
        agency=agency,
        number=number or f"{uuid.uuid4().hex[:6]}/2026/NĐ-CP",
        title="Nghị định về thủ tục hành chính",
        effective_date=TODAY + datetime.timedelta(days=days),
        is_shared=shared,
    )


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content[:500]
    return {row["id"] for row in response.json()["results"]}
