"""The sample file of an importer, made from its column declaration: the header row (the labels,
as the import reads them) and the importer's sample rows on the first sheet, what each column
takes on a second sheet."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from eiso.core.exports import safe_text
from eiso.core.imports.base import Importer


def _header(sheet, text: str):
    cell = WriteOnlyCell(sheet, value=safe_text(text))
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor="DDE5F0")
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


def _text(sheet, value: str):
    cell = WriteOnlyCell(sheet, value=safe_text(value) or None)
    cell.data_type = "s"  # "01/07/2025" and "2.000635" stay as written
    return cell


def sample_xlsx(importer: Importer) -> bytes:
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(title="Du lieu")
    labels = [str(c.label) for c in importer.columns]
    for index, column in enumerate(importer.columns, start=1):
        longest = max(
            [len(labels[index - 1])]
            + [len(str(row.get(column.name, ""))) for row in importer.sample_rows]
        )
        data.column_dimensions[get_column_letter(index)].width = min(60, max(10, longest + 2))
    data.freeze_panes = "A2"
    data.append([_header(data, label) for label in labels])
    for row in importer.sample_rows:
        data.append([_text(data, str(row.get(c.name, ""))) for c in importer.columns])

    guide = workbook.create_sheet(title="Huong dan")
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 90
    guide.append([_header(guide, str(importer.title))])
    guide.append(
        [_text(guide, _("Only the first sheet is imported; its first row holds the column names."))]
    )
    guide.append([])
    guide.append(
        [
            _header(guide, _("Column")),
            _header(guide, _("Required")),
            _header(guide, _("What it takes")),
        ]
    )
    for column, help_text in importer.describe_columns():
        guide.append(
            [
                _text(guide, str(column.label)),
                _text(guide, _("yes") if column.required else ""),
                _text(guide, help_text),
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
