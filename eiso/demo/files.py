"""The DOCX file of a demo document's revision: the agency, the document's identity (code,
revision, effective date), what changed, its content and, for a procedure, its step table.

python-docx takes tens of milliseconds to make a file, and the demo attaches eight hundred: the
file of each kind of document is made once with tokens where the values go, split into the
package without its main part (compressed once) and that part's XML; a revision's file is the
XML with its values filled in, appended to a copy of the package (about a millisecond)."""

from __future__ import annotations

import datetime
import io
import zipfile
from functools import cache
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as DocxDocument
from docx.shared import Pt

from eiso.demo.data_documents import KIND_HEADINGS

MAIN_PART = "word/document.xml"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STEP_HEADINGS = ("Bước", "Nội dung công việc", "Trách nhiệm", "Thời gian", "Biểu mẫu/Kết quả")


@cache
def _skeleton(kind: str) -> tuple[bytes, str]:
    document = DocxDocument()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    document.add_paragraph().add_run("@@AGENCY@@").bold = True
    document.add_paragraph(KIND_HEADINGS.get(kind, kind.upper())).runs[0].bold = True
    document.add_heading("@@TITLE@@", level=1)
    identity = document.add_table(rows=2, cols=3)
    identity.style = "Table Grid"
    for row, texts in zip(
        identity.rows,
        (("Mã hiệu", "Lần ban hành", "Ngày hiệu lực"), ("@@CODE@@", "@@NUMBER@@", "@@EFFECTIVE@@")),
        strict=True,
    ):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.add_paragraph("Nội dung sửa đổi: @@SUMMARY@@")
    document.add_paragraph("@@CONTENT@@")
    saved = io.BytesIO()
    document.save(saved)
    source = zipfile.ZipFile(saved)
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as rest:
        for item in source.infolist():
            if item.filename != MAIN_PART:
                rest.writestr(item, source.read(item.filename))
    return package.getvalue(), source.read(MAIN_PART).decode()


def _run(text: str, bold: bool = False) -> str:
    bold_mark = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{bold_mark}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(text: str, bold: bool = False) -> str:
    return f"<w:p>{_run(text, bold)}</w:p>"


def _table(rows: list[tuple[str, ...]]) -> str:
    columns = len(rows[0])
    grid = "".join('<w:gridCol w:w="1900"/>' for _ in range(columns))
    body = "".join(
        "<w:tr>"
        + "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="1900" w:type="dxa"/></w:tcPr>{_paragraph(cell)}</w:tc>'
            for cell in row
        )
        + "</w:tr>"
        for row in rows
    )
    properties = '<w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
    return f"<w:tbl>{properties}<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"


def revision_docx(
    *,
    agency_name: str,
    code: str,
    title: str,
    kind: str,
    number: int,
    effective: datetime.date | None,
    change_summary: str,
    content: str,
    steps: list[tuple[str, ...]] | None = None,
) -> bytes:
    """A small real DOCX of one revision."""
    package, xml = _skeleton(kind)
    values = {
        "@@AGENCY@@": agency_name.upper(),
        "@@TITLE@@": title,
        "@@CODE@@": code,
        "@@NUMBER@@": f"{number:02d}",
        "@@EFFECTIVE@@": effective.strftime("%d/%m/%Y") if effective else "…/…/……",
        "@@SUMMARY@@": change_summary,
    }
    for token, value in values.items():
        xml = xml.replace(token, escape(value))
    body = "".join(_paragraph(line) for line in content.splitlines() if line.strip())
    if steps:
        body += _paragraph("Trình tự thực hiện:", bold=True) + _table([STEP_HEADINGS, *steps])
    start = xml.rindex("<w:p>", 0, xml.index("@@CONTENT@@"))
    end = xml.index("</w:p>", start) + len("</w:p>")
    xml = xml[:start] + body + xml[end:]
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as filled:
        filled.writestr(MAIN_PART, xml)
    return buffer.getvalue()


def docx_upload(filename: str, payload: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(filename, payload, content_type=DOCX_TYPE)
