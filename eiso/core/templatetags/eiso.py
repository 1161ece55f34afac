"""Template helpers shared by every page: query-string editing, sortable headers."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (empty values removed)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def sort_header(context, field: str, label: str) -> str:
    """A column header that toggles ascending/descending ordering on ``field``."""
    request = context["request"]
    current = request.GET.get("ordering", "")
    if current == field:
        target, icon = f"-{field}", "bi-caret-up-fill"
    elif current == f"-{field}":
        target, icon = field, "bi-caret-down-fill"
    else:
        target, icon = field, ""
    query = request.GET.copy()
    query["ordering"] = target
    query.pop("page", None)
    return format_html(
        '<a class="sort" href="?{}">{} <i class="bi {}"></i></a>', query.urlencode(), label, icon
    )


@register.filter
def cell(row: dict, key: str) -> str:
    return row.get(key, "")


@register.filter
def row_number(row: dict) -> int:
    return row.get("_row", 0)


@register.filter
def errors_for_row(report, row: dict) -> list:
    return report.errors_for(row.get("_row", 0))


@register.filter
def row_has_error(row: dict, report) -> bool:
    return row.get("_row", 0) in report.bad_rows


@register.filter
def moment(value) -> str:
    """When a kept result was computed: the time if it was today (local), else time and date,
    so a result kept across midnight does not pass for today's."""
    if not value:
        return ""
    local = timezone.localtime(value)
    if local.date() == timezone.localdate():
        return date_format(local, "H:i:s")
    return date_format(local, "H:i:s d/m/Y")
