"""XLSX export of any list: columns are (header, getter) pairs; dates come out dd/mm/yyyy."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

Column = tuple[str, Callable[[object], object]]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%d/%m/%Y %H:%M")
        )
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "x" if value else ""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    return str(value)


def xlsx_bytes(*, title: str, columns: list[Column], rows: Iterable[object]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(header) for header, _ in columns])
    for row in rows:
        sheet.append([_cell(getter(row)) for _, getter in columns])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(*, filename: str, title: str, columns: list[Column], rows) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(title=title, columns=columns, rows=rows), content_type=XLSX_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
