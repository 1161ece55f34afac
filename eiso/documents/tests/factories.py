from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile


def docx_bytes(text: str = "Quy trình") -> bytes:
    """A minimal file whose content is a DOCX (a ZIP holding word/document.xml)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document><w:t>{text}</w:t></w:document>")
    return buffer.getvalue()


def docx_upload(name: str = "quy-trinh.docx", text: str = "Quy trình") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx_bytes(text))


def pdf_upload(name: str = "quyet-dinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
