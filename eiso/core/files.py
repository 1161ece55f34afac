"""Uploaded files: the type is decided by the content (magic bytes, the inside of an Office
ZIP), never by the name; sizes are limited; files are stored under names the server chooses
(the original name is kept only as data) and served as attachments of their checked type.

The one place for what an upload form says about its limits (``upload_help_text``) and which
files its picker offers (``accept``)."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
CSV = "text/csv"  # spreadsheet imports only: parsed, never stored or served
EXTENSIONS = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx", PNG: "png", JPEG: "jpg"}
LABELS = {PDF: "PDF", DOCX: "DOCX", XLSX: "XLSX", PNG: "PNG", JPEG: "JPEG", CSV: "CSV"}
# What the browser's file picker offers (a convenience: the content is what is checked).
PICKER = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", PNG: ".png", JPEG: ".jpg,.jpeg", CSV: ".csv"}
SCANS = (PDF, PNG, JPEG)
OCTET_STREAM = "application/octet-stream"


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


def accept(allowed: tuple[str, ...]) -> str:
    """The ``accept`` attribute of a file input for these content types."""
    return ",".join(PICKER[t] for t in allowed)


def _upload_help_text(allowed: tuple[str, ...]) -> str:
    return _("Accepted: %(types)s; at most %(mb)s MB. The type is checked by the content.") % {
        "types": ", ".join(LABELS[t] for t in allowed),
        "mb": settings.MAX_UPLOAD_MB,
    }


upload_help_text = lazy(_upload_help_text, str)
upload_help_text.__doc__ = """The help text of an upload field: the accepted types and the size
limit (read when the form is shown, so it follows ``MAX_UPLOAD_MB``)."""


def stored_content_type(stored_name: str) -> str:
    """The checked content type of a stored file, from the extension the server gave it
    (``check_upload`` names files ``<uuid>.<extension of the sniffed type>``)."""
    extension = PurePath(stored_name).suffix.lower().lstrip(".")
    by_extension = {ext: content_type for content_type, ext in EXTENSIONS.items()}
    return by_extension.get(extension, OCTET_STREAM)


def download_name(original_name: str, content_type: str) -> str:
    """The name a download is offered under: the original name, with the extension of the
    checked type (a PDF uploaded as ``scan.html`` is offered as ``scan.pdf``)."""
    name = PurePath((original_name or "").replace("\\", "/")).name.strip() or "file"
    extension = EXTENSIONS.get(content_type)
    if extension is None:
        return name
    stem, dot, current = name.rpartition(".")
    allowed = {extension, *(e.lstrip(".") for e in PICKER[content_type].split(","))}
    if dot and stem and current.lower() in allowed:
        return name
    return f"{stem if dot and stem else name}.{extension}"


def file_response(field, *, name: str, content_type: str | None = None) -> FileResponse:
    """Serve a stored upload: always an attachment (never rendered by the browser), with the
    checked content type (never guessed from the user's file name) and ``nosniff``."""
    checked_type = content_type or stored_content_type(getattr(field, "name", "") or "")
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(name, checked_type),
        content_type=checked_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
