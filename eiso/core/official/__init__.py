"""Vietnamese official documents (văn bản hành chính) in the Nghị định 30/2020/NĐ-CP layout.

Build an :class:`OfficialDocument` (plain data: texts, paragraphs, tables) and render it::

    from eiso.core.official import OfficialDocument, Paragraph, Table, render_pdf, pdf_response

    doc = OfficialDocument(superior_body="UBND TỈNH PHÚ AN", issuing_body="SỞ TƯ PHÁP", …)
    return pdf_response(render_pdf(doc), "Quyết định 15-QĐ-STP.pdf")

``render_docx`` gives an editable Word file with the same content. Used for the decision issuing
ISO documents, the master list of documents (``landscape=True`` with a :class:`Table`), the
announcement of conformity and annual reports.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse

from eiso.core.text import vn_fold

from .docx import render_docx
from .model import Block, OfficialDocument, Paragraph, Table, date_line
from .pdf import render_html, render_pdf

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"

__all__ = [
    "DOCX_TYPE",
    "PDF_TYPE",
    "Block",
    "OfficialDocument",
    "Paragraph",
    "Table",
    "content_disposition",
    "date_line",
    "docx_response",
    "pdf_response",
    "render_docx",
    "render_html",
    "render_pdf",
]


def ascii_filename(filename: str, default: str = "document") -> str:
    """``"Quyết định 15/QĐ-STP.pdf"`` → ``"quyet-dinh-15-qd-stp.pdf"``: the fallback
    ``filename=`` for clients that ignore ``filename*``."""
    stem, dot, ext = filename.rpartition(".")
    if not dot or not stem or not re.fullmatch(r"[A-Za-z0-9]{1,8}", ext):
        stem, ext = filename, ""
    stem = re.sub(r"[^a-z0-9._-]+", "-", vn_fold(stem)).strip("-._") or default
    return f"{stem}.{ext.lower()}" if ext else stem


def content_disposition(filename: str, *, attachment: bool = True) -> str:
    """``attachment; filename="quyet-dinh.pdf"; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf``
    (RFC 6266 / RFC 5987): browsers use the UTF-8 name, old clients the ASCII one."""
    name = unicodedata.normalize("NFC", filename.replace("/", "-").replace("\\", "-")).strip()
    kind = "attachment" if attachment else "inline"
    return f"{kind}; filename=\"{ascii_filename(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def _response(content: bytes, filename: str, content_type: str, attachment: bool):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, attachment=attachment)
    response["Content-Length"] = str(len(content))
    return response


def docx_response(content: bytes, filename: str, *, attachment: bool = True) -> HttpResponse:
    """A download of DOCX bytes under a (Vietnamese) file name."""
    return _response(content, filename, DOCX_TYPE, attachment)


def pdf_response(content: bytes, filename: str, *, attachment: bool = True) -> HttpResponse:
    """PDF bytes under a (Vietnamese) file name; ``attachment=False`` to show it in the browser."""
    return _response(content, filename, PDF_TYPE, attachment)
