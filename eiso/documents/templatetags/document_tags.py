"""Small display helpers of document control: status badges, revision numbers."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import pgettext

from eiso.documents.choices import RevisionStatus

register = template.Library()

BADGE = {
    RevisionStatus.DRAFT: "text-bg-secondary",
    RevisionStatus.IN_REVIEW: "text-bg-info",
    RevisionStatus.RETURNED: "text-bg-warning",
    RevisionStatus.APPROVED: "text-bg-primary",
    RevisionStatus.ISSUED: "text-bg-success",
    RevisionStatus.SUPERSEDED: "text-bg-dark",
}
ICON = {
    RevisionStatus.DRAFT: "pencil",
    RevisionStatus.IN_REVIEW: "hourglass-split",
    RevisionStatus.RETURNED: "arrow-return-left",
    RevisionStatus.APPROVED: "check2",
    RevisionStatus.ISSUED: "patch-check-fill",
    RevisionStatus.SUPERSEDED: "archive",
}


@register.simple_tag
def revision_badge(status: str) -> str:
    """The status of a revision as a coloured badge ("current" for the issued one)."""
    if status == RevisionStatus.ISSUED:
        label = pgettext("revision status", "Current")
    elif status in RevisionStatus.values:
        label = RevisionStatus(status).label
    else:
        return ""
    return format_html(
        '<span class="badge {}" data-status="{}"><i class="bi bi-{}"></i> {}</span>',
        BADGE[status],
        status,
        ICON[status],
        label,
    )


@register.filter
def rev(number) -> str:
    """Revision numbers are written 01, 02, …"""
    try:
        return f"{int(number):02d}"
    except (TypeError, ValueError):
        return ""


@register.filter
def filesize(size) -> str:
    try:
        size = int(size)
    except (TypeError, ValueError):
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


@register.filter
def file_icon(content_type: str) -> str:
    if "pdf" in content_type:
        return "file-earmark-pdf text-danger"
    if "spreadsheet" in content_type:
        return "file-earmark-excel text-success"
    if "word" in content_type:
        return "file-earmark-word text-primary"
    return "file-earmark"
