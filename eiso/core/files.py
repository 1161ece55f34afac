"""Uploaded files: the type is decided by the content (magic bytes, the inside of an Office
ZIP), never by the name; sizes are limited; stored names are safe."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx", PNG: "png", JPEG: "jpg"}
LABELS = {PDF: "PDF", DOCX: "DOCX", XLSX: "XLSX", PNG: "PNG", JPEG: "JPEG"}


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile
    original_name: str
    content_type: str
    size: int
    sha256: str


def sniff(data: bytes) -> str | None:
    """The content type by the bytes themselves, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def check_upload(upload, *, allowed: tuple[str, ...], field: str = "file") -> CheckedFile:
    """Read an uploaded file and refuse it unless its content is one of ``allowed`` and it is
    within ``MAX_UPLOAD_MB``."""
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationFailed(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB},
            fields={field: [_("The file is too large.")]},
        )
    data = upload.read()
    if len(data) > limit:
        raise ValidationFailed(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB},
            fields={field: [_("The file is too large.")]},
        )
    if not data:
        raise ValidationFailed(_("The file is empty."), fields={field: [_("The file is empty.")]})
    content_type = sniff(data)
    if content_type not in allowed:
        accepted = ", ".join(LABELS[t] for t in allowed)
        message = _("This file is not a %(types)s file (its content was checked).") % {
            "types": accepted
        }
        raise ValidationFailed(message, fields={field: [message]})
    original = PurePath(getattr(upload, "name", "") or "file").name[:200]
    stored = f"{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"
    return CheckedFile(
        content=ContentFile(data, name=stored),
        original_name=original,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
