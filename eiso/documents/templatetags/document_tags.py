"""Small display helpers of document control: status badges, revision numbers."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from eiso.documents.choices import RevisionStatus, Validity

register = template.Library()

BADGE = {
    RevisionStatus.DRAFT: "text-bg-secondary",
    RevisionStatus.IN_REVIEW: "text-bg-info",
    RevisionStatus.RETURNED: "text-bg-warning",
    RevisionStatus.APPROVED: "text-bg-primary",
    RevisionStatus.ISSUED: "text-bg-success",
}
ICON = {
    RevisionStatus.DRAFT: "pencil",
    RevisionStatus.IN_REVIEW: "hourglass-split",
    RevisionStatus.RETURNED: "arrow-return-left",
    RevisionStatus.APPROVED: "check2",
    RevisionStatus.ISSUED: "patch-check",
}
VALIDITY_BADGE = {
    Validity.PENDING: ("text-bg-info", "calendar-event"),
    Validity.IN_FORCE: ("text-bg-success", "patch-check-fill"),
    Validity.EXPIRED: ("text-bg-dark", "archive"),
}


@register.simple_tag
def revision_badge(status: str, validity: str = "") -> str:
    """A revision's state as a coloured badge: its workflow status until it is issued, then
    whether it is in force (``validity``, computed from dates by the queryset)."""
    if validity in Validity.values:
        return validity_badge(validity)
    if status not in RevisionStatus.values:
        return ""
    return format_html(
        '<span class="badge {}" data-status="{}"><i class="bi bi-{}"></i> {}</span>',
        BADGE[status],
        status,
        ICON[status],
        RevisionStatus(status).label,
    )


@register.simple_tag
def validity_badge(validity: str) -> str:
    """ "Hiện hành", "Đã ban hành, chưa có hiệu lực" or "Hết hiệu lực" as a badge
    (``data-validity`` for tests and scripts)."""
    if validity not in Validity.values:
        return ""
    css, icon = VALIDITY_BADGE[validity]
    return format_html(
        '<span class="badge {}" data-validity="{}"><i class="bi bi-{}"></i> {}</span>',
        css,
        validity,
        icon,
        Validity(validity).label,
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


@register.simple_tag
def decision_title(decision) -> str:
    """The "Về việc …" line of a decision, exactly as its DOCX/PDF print it."""
    from eiso.documents.outputs import decision_title as title

    return title(decision)


DECISION_BADGE = {"draft": "text-bg-secondary", "signed": "text-bg-success"}


@register.simple_tag
def decision_badge(status: str, label: str) -> str:
    return format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        DECISION_BADGE.get(status, "text-bg-light border text-decoration-line-through"),
        status,
        label,
    )
