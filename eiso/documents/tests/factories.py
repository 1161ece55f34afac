from __future__ import annotations

import io
import itertools
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile


def docx_bytes(text: str = "Quy trình") -> bytes:
    """A minimal file whose content is a DOCX (a ZIP holding word/document.xml), the same bytes
    for the same text whenever it is made (the members are dated, not stamped with the time:
    two calls a second apart made different files)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in (
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", f"<w:document><w:t>{text}</w:t></w:document>"),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


def docx_upload(name: str = "quy-trinh.docx", text: str = "Quy trình") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx_bytes(text))


def pdf_upload(name: str = "quyet-dinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def xlsx_rows(response) -> list[tuple]:
    """The table of an XLSX export (header first; the title block above it skipped), dates
    as Excel shows them (dd/mm/yyyy)."""
    import datetime

    from openpyxl import load_workbook

    assert response.status_code == 200, response.status_code
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [tuple(row) for row in workbook.active.iter_rows(values_only=True)]
    blanks = [i for i, row in enumerate(rows[:6]) if not any(c is not None for c in row)]
    blank = blanks[0] if blanks else -1  # an import sample has no title block

    def shown(value):
        if isinstance(value, datetime.datetime) and (value.hour, value.minute) == (0, 0):
            return value.strftime("%d/%m/%Y")
        return value

    table = rows[blank + 1 :]
    width = max((len(row) for row in table), default=0)  # empty trailing cells are not stored
    return [tuple(shown(c) for c in row) + (None,) * (width - len(row)) for row in table]


# --- documents built through the services, in any agency of the test world -----------------

# Who drafts and who approves in each agency of eiso.core.testing.World: the admin ``quan``
# plays the head where the world has none (the approver must not be the drafter).
DRAFTER = {"A": "an", "B": "chi", "C": "cuong"}
APPROVER = {"A": "hai", "B": "quan", "C": "quan"}


def drafter(world, agency):
    return world.persona(DRAFTER[agency.code])


def approver(world, agency):
    return world.persona(APPROVER[agency.code])


def make_draft(world, agency, code: str = "QT-TTHC-01", *, with_file: bool = True, **kwargs):
    """A new document with its draft revision 01 (and a DOCX file)."""
    from eiso.documents import services

    document = services.document_create(
        actor=drafter(world, agency),
        agency=agency,
        code=code,
        title=kwargs.pop("title", f"Quy trình thử nghiệm {code}"),
        kind=kwargs.pop("kind", "tthc_procedure"),
        **kwargs,
    )
    revision = document.revisions.get()
    if with_file:
        services.revision_attach_file(
            actor=drafter(world, agency), revision=revision, upload=docx_upload()
        )
    return document, revision


def approve(world, revision):
    from eiso.documents import services

    revision.refresh_from_db()
    services.revision_submit(actor=drafter(world, revision.agency), revision=revision)
    return services.revision_approve(actor=approver(world, revision.agency), revision=revision)


_numbers = itertools.count(101)


def issue_revisions(world, revisions, *, number: str = "", date=None):
    """Approve (when needed) and issue revisions of one agency with one signed decision.
    ``number``: its sequence is kept ("12/QĐ-STP" → 12), completed with the agency's symbol
    (12/QĐ-A); none: the next free one of the test run."""
    from django.utils import timezone

    from eiso.documents import services
    from eiso.documents.choices import RevisionStatus

    agency = revisions[0].agency
    for revision in revisions:
        revision.refresh_from_db()
        if revision.status != RevisionStatus.APPROVED:
            approve(world, revision)
    decision = services.decision_create(
        actor=drafter(world, agency),
        agency=agency,
        subject="Ban hành tài liệu HTQLCL",
        signer_name="Đặng Văn Hải",
        signer_title="GIÁM ĐỐC",
        revisions=revisions,
    )
    from eiso.documents.numbering import sequence_of

    sequence = sequence_of(number) if number else next(_numbers)
    return services.decision_sign(
        actor=approver(world, agency),
        decision=decision,
        number=str(sequence),
        date=date or timezone.localdate(),
    )


def make_issued(world, agency, code: str = "QT-TTHC-01", *, number: str | None = None, **kwargs):
    """A document whose revision 01 is issued (current)."""
    document, revision = make_draft(world, agency, code, **kwargs)
    issue_revisions(world, [revision], number=number or "")
    document.refresh_from_db()
    revision.refresh_from_db()
    return document, revision


def tr(message: str, plural: str = "", number: int | None = None, **params) -> str:
    """A message as the pages show it (in the site's language), to compare with a response."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        text = (
            translation.ngettext(message, plural, number)
            if plural
            else translation.gettext(message)
        )
    return text % params if params else text
