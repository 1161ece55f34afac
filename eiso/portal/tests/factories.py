"""A world with something public and something not, built through the services as an agency
would: Sở Tư pháp (A) handles two TTHC; it published one, whose ISO procedure QT-01 has a first
revision (January, no longer in force), a second in force since March (with its step table and
file) and a third in draft; of the procedure's two forms it published one; an internal
procedure it never published; its announcement is published with the signed decision, while
Sở Y tế (B) signed one and did not publish it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from eiso.documents import services as documents
from eiso.documents.tests.factories import docx_upload, issue_revisions, make_draft, make_issued
from eiso.objectives.tests.conftest import at
from eiso.portal import services
from eiso.procedures import services as procedures
from eiso.procedures.tests.factories import handled, procedure
from eiso.qms import services as qms


@dataclass
class Published:
    tthc: object
    hidden_tthc: object
    iso: object
    rev1: object
    rev2: object
    draft: object
    form: object
    hidden_form: object
    internal: object
    announcement: object
    unpublished_announcement: object

    def file_of(self, revision_or_document):
        from eiso.documents.models import RevisionFile

        revision = revision_or_document
        if hasattr(revision_or_document, "revisions"):
            revision = revision_or_document.revisions.order_by("-number").first()
        return RevisionFile.objects.filter(revision=revision).order_by("pk").first()


def scan(name="qd-cong-bo.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def announce(world, agency, actor, *, number, day, published):
    draft = qms.announcement_create(
        actor=actor, agency=agency, signer_name="Đặng Văn Hải", signer_title="GIÁM ĐỐC"
    )
    signed = qms.announcement_sign(
        actor=actor, announcement=draft, number=number, date=day, signed_scan=scan()
    )
    if published:
        signed = qms.announcement_publish(actor=actor, announcement=signed, published=True)
    return signed


def published_world(world) -> Published:
    A, an = world.A, world.an
    with time_machine.travel(at(2026, 1, 12), tick=False):
        tthc = procedure(world, "1.001.A", name="Đăng ký khai sinh", field="Hộ tịch")
        hidden_tthc = procedure(world, "1.002.A", name="Đăng ký kết hôn", field="Hộ tịch")
        handled(world, A, tthc, hidden_tthc)
        form, form_rev = make_draft(
            world, A, "BM-01", kind="form", title="Tờ khai đăng ký khai sinh"
        )
        hidden_form, hidden_rev = make_draft(
            world, A, "BM-02", kind="form", title="Phiếu kiểm soát quá trình"
        )
        iso, rev1 = make_draft(
            world, A, "QT-01", title="Quy trình đăng ký khai sinh", forms=[form, hidden_form]
        )
        procedures.iso_procedure_link(actor=an, document=iso, procedure=tthc)
        procedures.steps_replace(
            actor=an,
            revision=rev1,
            steps=[
                {"name": "Tiếp nhận hồ sơ", "responsible": "Bộ phận một cửa", "time_days": "1"},
                {"name": "Thẩm định", "responsible": "Phòng Hộ tịch", "time_days": "4"},
            ],
        )
        issue_revisions(world, [form_rev, hidden_rev, rev1])
    with time_machine.travel(at(2026, 3, 2), tick=False):
        rev2 = documents.revision_start(
            actor=an, document=iso, change_summary="Rút ngắn thời gian thẩm định"
        )
        documents.revision_attach_file(
            actor=an, revision=rev2, upload=docx_upload("QT-01 lần 2.docx", "Lần 2")
        )
        procedures.steps_replace(
            actor=an,
            revision=rev2,
            steps=[
                {"name": "Tiếp nhận hồ sơ", "responsible": "Bộ phận một cửa", "time_days": "0.5"},
                {"name": "Thẩm định, trình ký", "responsible": "Phòng Hộ tịch", "time_days": "2.5"},
            ],
        )
        issue_revisions(world, [rev2])
        internal, _ = make_issued(
            world, A, "QT-NB-01", kind="internal_procedure", title="Quy trình nội bộ lưu trữ"
        )
    with time_machine.travel(at(2026, 5, 4), tick=False):
        draft = documents.revision_start(actor=an, document=iso, change_summary="Dự thảo lần 3")
        documents.revision_attach_file(
            actor=an, revision=draft, upload=docx_upload("QT-01 dự thảo.docx", "Dự thảo")
        )
        ann = announce(world, A, an, number="25", day=datetime.date(2026, 5, 4), published=True)
        handled(world, world.B, hidden_tthc)
        hidden_ann = announce(
            world, world.B, world.chi, number="31", day=datetime.date(2026, 5, 4), published=False
        )
    from eiso.procedures.models import HandledProcedure

    services.procedure_publish(
        actor=an, handled=HandledProcedure.objects.get(agency=A, procedure=tthc)
    )
    services.document_publish(actor=an, document=form)
    for obj in (iso, rev1, rev2, draft, form):
        obj.refresh_from_db()
    return Published(
        tthc=tthc,
        hidden_tthc=hidden_tthc,
        iso=iso,
        rev1=rev1,
        rev2=rev2,
        draft=draft,
        form=form,
        hidden_form=hidden_form,
        internal=internal,
        announcement=ann,
        unpublished_announcement=hidden_ann,
    )
