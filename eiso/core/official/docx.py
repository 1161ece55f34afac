"""DOCX of an official document (python-docx), laid out per Nghị định 30/2020/NĐ-CP.

LibreOffice sizes a table from its ``tblGrid`` and Word from the cell widths, so every table
gets both (see RECIPES.md), plus a fixed layout so neither program re-flows the columns.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from io import BytesIO
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from . import model as m
from .model import OfficialDocument, Paragraph, Table

FONT = "Times New Roman"
LANG = "vi-VN"
RED = RGBColor(0xC0, 0x00, 0x00)
ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
TWIPS_PER_CM = 1440 / 2.54


# -- low-level helpers -----------------------------------------------------------------------
def _set_fonts(rpr) -> None:
    """Times New Roman for every script slot (Vietnamese letters use ascii/hAnsi), no theme."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _child(parent, tag: str, **attrs):
    """The first ``tag`` child of ``parent`` (created and appended if missing), with attrs."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def _twips(cm: float) -> int:
    return round(cm * TWIPS_PER_CM)


def _run(paragraph, text: str, *, size: float = m.BODY_PT, bold=False, italic=False, color=None):
    run = paragraph.add_run()
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i:
            run.add_break()
        t = run._r.add_t(line)
        t.set(qn("xml:space"), "preserve")  # keep the blanks of a draft's date line
    run.font.name = FONT
    _set_fonts(run._r.get_or_add_rPr())
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None
    if color is not None:
        run.font.color.rgb = color
    return run


def _para(
    container,
    text: str = "",
    *,
    align: str = "center",
    size: float = m.BODY_PT,
    bold=False,
    italic=False,
    before: float = 0,
    after: float = 0,
    indent_cm: float = 0,
    color=None,
    keep_with_next=False,
):
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = ALIGN[align]
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if indent_cm:
        fmt.first_line_indent = Cm(indent_cm)
    if keep_with_next:
        fmt.keep_with_next = True
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic, color=color)
    elif size != m.BODY_PT:  # an empty spacer: its height is that of its paragraph mark
        ppr = paragraph._p.get_or_add_pPr()
        _child(_child(ppr, "w:rPr"), "w:sz", val=round(size * 2))
        _reorder(ppr, _PPR_ORDER)
    return paragraph


def _rule(container, width_cm: float, box_cm: float, *, before: float = 1, after: float = 0):
    """A short horizontal rule centred in a box ``box_cm`` wide: the top border of an empty,
    tiny paragraph whose indents leave ``width_cm`` between them."""
    width_cm = max(min(width_cm, box_cm), 0.5)
    side = (box_cm - width_cm) / 2
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent = Cm(side)
    fmt.right_indent = Cm(side)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = Pt(2)
    ppr = paragraph._p.get_or_add_pPr()
    _child(_child(ppr, "w:pBdr"), "w:top", val="single", sz=6, space=0, color="000000")
    _child(_child(ppr, "w:rPr"), "w:sz", val=4)  # a 2 pt paragraph mark: the rule adds no height
    _reorder(ppr, _PPR_ORDER)
    return paragraph


def _table(document, widths_cm: list[float], rows: int, *, borders: bool):
    """A fixed-layout table: grid widths (``tblGrid``, read by LibreOffice), cell widths (read
    by Word), table width, borders on or off, no cell margins for borderless layout tables."""
    table = document.add_table(rows=rows, cols=len(widths_cm))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    _child(tbl_pr, "w:tblW", w=_twips(sum(widths_cm)), type="dxa")
    _child(tbl_pr, "w:tblLayout", type="fixed")
    tbl_borders = _child(tbl_pr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if borders:
            _child(tbl_borders, f"w:{edge}", val="single", sz=4, space=0, color="000000")
        else:
            _child(tbl_borders, f"w:{edge}", val="nil")
    margins = _child(tbl_pr, "w:tblCellMar")
    pad = 0.1 if borders else 0
    for edge, value in (("left", pad), ("right", pad), ("top", 0), ("bottom", 0)):
        _child(margins, f"w:{edge}", w=_twips(value), type="dxa")
    _reorder(tbl_pr, _TBL_PR_ORDER)
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)  # <w:gridCol w:w=…>
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)  # <w:tcW …>
    return table


_TBL_PR_ORDER = [
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
]


_PPR_ORDER = [
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:widowControl",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:spacing",
    "w:ind",
    "w:jc",
    "w:rPr",
]


def _reorder(parent, order: list[str]) -> None:
    """Children of a properties element in schema order (Word rejects a file otherwise)."""
    rank = {qn(tag): i for i, tag in enumerate(order)}
    for child in sorted(parent, key=lambda el: rank.get(el.tag, len(rank))):
        parent.append(child)


def _trim(cell):
    """A new cell holds one bare ``<w:p/>``; drop it once the cell has content of its own."""
    paragraphs = cell._tc.p_lst
    if len(paragraphs) > 1 and len(paragraphs[0]) == 0:
        cell._tc.remove(paragraphs[0])
    return cell


def _row_flags(row, *, header=False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    _child(tr_pr, "w:cantSplit")
    if header:
        _child(tr_pr, "w:tblHeader")  # repeat as header row at the top of each page


# -- document parts --------------------------------------------------------------------------
def _setup(document, doc: OfficialDocument) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    _child(rpr, "w:sz", val=m.BODY_PT * 2)
    _child(rpr, "w:szCs", val=m.BODY_PT * 2)
    _child(rpr, "w:lang", val=LANG)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _child(ppr, "w:spacing", after=0, line=240, lineRule="auto")

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(m.BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr())

    width, height = doc.page_size_cm
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if doc.landscape else WD_ORIENT.PORTRAIT
    section.page_width = Cm(width)
    section.page_height = Cm(height)
    section.top_margin = Cm(m.MARGIN_TOP_CM)
    section.bottom_margin = Cm(m.MARGIN_BOTTOM_CM)
    section.left_margin = Cm(m.MARGIN_LEFT_CM)
    section.right_margin = Cm(m.MARGIN_RIGHT_CM)
    section.header_distance = Cm(1.0)
    section.footer_distance = Cm(1.0)

    # page numbers top centre from page 2 on; the first page has an empty header
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.style = document.styles["Normal"]  # not "Header": its own tab stops would interfere
    fmt = header.paragraph_format
    fmt.tab_stops.add_tab_stop(Cm(doc.text_width_cm / 2), WD_TAB_ALIGNMENT.CENTER)
    fmt.tab_stops.add_tab_stop(Cm(doc.text_width_cm), WD_TAB_ALIGNMENT.RIGHT)
    _run(header, "\t")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    header._p.append(field)
    placeholder = _run(header, "2")
    field.append(placeholder._r)
    if doc.watermark_text:
        _run(header, "\t" + doc.watermark_text, size=12, bold=True, color=RED)

    props = document.core_properties
    props.title = " ".join(part for part in (doc.doc_type, doc.title) if part)
    props.subject = doc.number
    props.author = doc.issuing_body
    props.last_modified_by = doc.issuing_body
    props.language = LANG
    props.comments = ""
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    props.created = now
    props.modified = now
    props.revision = 1


def _watermark_banner(document, doc: OfficialDocument) -> None:
    """A red, boxed line at the top right of the first page: "DỰ THẢO", "HẾT HIỆU LỰC"."""
    text = doc.watermark_text
    width = m.estimate_width_cm(text, 13, bold=True) + 0.8
    paragraph = _para(document, text, size=13, bold=True, color=RED, after=6)
    fmt = paragraph.paragraph_format
    fmt.left_indent = Cm(max(doc.text_width_cm - width, 0))
    ppr = paragraph._p.get_or_add_pPr()
    borders = _child(ppr, "w:pBdr")
    for edge in ("top", "left", "bottom", "right"):
        _child(borders, f"w:{edge}", val="single", sz=12, space=2, color="C00000")
    _reorder(ppr, _PPR_ORDER)


def _header_block(document, doc: OfficialDocument) -> None:
    left_w, right_w = doc.header_widths_cm
    table = _table(document, [left_w, right_w], 2, borders=False)
    agency, nation = table.rows[0].cells
    if doc.superior_body:
        _para(agency, doc.superior_body.upper(), size=m.HEADER_PT)
    _para(agency, doc.issuing_body.upper(), size=m.HEADER_PT, bold=True)
    issuing_w = min(m.estimate_width_cm(doc.issuing_body, m.HEADER_PT, bold=True), left_w)
    _rule(agency, max(issuing_w * 0.4, 1.2), left_w)

    _para(nation, m.NATIONAL_TITLE, size=m.HEADER_PT, bold=True)
    _para(nation, m.MOTTO, size=m.MOTTO_PT, bold=True)
    _rule(nation, m.estimate_width_cm(m.MOTTO, m.MOTTO_PT, bold=True), right_w)

    number, date = table.rows[1].cells
    _para(number, doc.number, before=6)
    _para(date, m.date_line(doc.place, doc.date), italic=True, before=6)
    for cell in (agency, nation, number, date):
        _trim(cell)


def _title_block(document, doc: OfficialDocument) -> None:
    if doc.doc_type:
        _para(document, doc.doc_type, size=14, bold=True, before=18, keep_with_next=True)
    if doc.title:
        _para(document, doc.title, bold=True, before=0 if doc.doc_type else 18, keep_with_next=True)
        title_w = min(m.estimate_width_cm(doc.title, m.BODY_PT, bold=True), doc.text_width_cm)
        _rule(document, min(max(title_w * 0.4, 2.5), 6.0), doc.text_width_cm, before=2)
    lines = [line for line in doc.preamble if line.strip()]
    for i, line in enumerate(lines):
        if m.is_authority_line(line):
            _para(document, line, bold=True, before=12, keep_with_next=True)
        else:
            _para(
                document,
                line,
                align="justify",
                italic=True,
                before=12 if i == 0 else 6,
                indent_cm=m.FIRST_LINE_INDENT_CM,
            )
    if doc.decision_heading:
        _para(document, doc.decision_heading, bold=True, before=12, after=6, keep_with_next=True)


def _paragraph_block(document, block: Paragraph) -> list:
    paragraph = _para(
        document,
        align=block.align if block.align in ALIGN else "justify",
        before=6,
        indent_cm=m.FIRST_LINE_INDENT_CM if block.indent else 0,
    )
    if block.lead:
        _run(paragraph, block.lead + " ", bold=True, italic=block.italic)
    _run(paragraph, block.text, bold=block.bold, italic=block.italic)
    return [paragraph]


def _table_block(document, block: Table, doc: OfficialDocument) -> list:
    """The table, then a small paragraph; returns the paragraphs of its last row."""
    widths = m.table_widths_cm(block, doc.text_width_cm)
    if not widths:
        return []
    rows = m.normalized_rows(block)
    prototypes = _PROTOTYPES.get(tuple(widths)) if rows else None
    laid_out = 2 if rows and prototypes is None else 0  # the prototype rows, laid out once
    table = _table(document, widths, 1 + laid_out, borders=True)
    header = table.rows[0]
    _row_flags(header, header=True)
    for cell, text in zip(header.cells, block.columns, strict=True):
        _para(cell, str(text), size=m.TABLE_PT, bold=True, before=2, after=2)
        _trim(cell)
        tc_pr = cell._tc.get_or_add_tcPr()
        _child(tc_pr, "w:shd", val="clear", color="auto", fill="F2F2F2")
        _child(tc_pr, "w:vAlign", val="center")
    if rows:
        if prototypes is None:
            prototypes = _prototypes(table, widths)
        _body_rows(table, rows, prototypes)
    spacer = _para(document, size=6)  # between the table and what follows (Word needs one)
    return [p for cell in table.rows[-1].cells for p in cell.paragraphs] + [spacer]


@dataclass(frozen=True)
class _Prototypes:
    """A data row's XML in pieces: the row's start, each cell with "x" as its text split
    around it, and each cell empty."""

    row_start: str
    filled: list[tuple[str, str]]
    blank: list[str]


# Per column widths (every table of one kind has the same): laid out through python-docx the
# first time only (~0.4 ms a cell), kept for the process.
_PROTOTYPES: dict[tuple[float, ...], _Prototypes] = {}
_PROTOTYPES_KEPT = 256


def _prototypes(table, widths: list[float]) -> _Prototypes:
    """The table's two last rows laid out through python-docx (fonts, sizes, spacing, widths):
    one with "x" in every cell, one with every cell empty; taken out of the table as text."""
    full, empty = table.rows[-2], table.rows[-1]
    for row, text in ((full, "x"), (empty, "")):
        _row_flags(row)
        for cell in row.cells:
            _para(cell, text, align="left", size=m.TABLE_PT, before=2, after=2)
            _trim(cell)
    found = _Prototypes(
        row_start=_xml(full._tr).split("<w:tc>", 1)[0],
        filled=[tuple(_xml(tc).split(">x<", 1)) for tc in full._tr.findall(_TC)],
        blank=[_xml(tc) for tc in empty._tr.findall(_TC)],
    )
    tbl = full._tr.getparent()
    tbl.remove(full._tr)
    tbl.remove(empty._tr)
    if len(_PROTOTYPES) >= _PROTOTYPES_KEPT:
        _PROTOTYPES.clear()
    _PROTOTYPES[tuple(widths)] = found
    return found


def _body_rows(table, rows: list[list[str]], prototypes: _Prototypes) -> None:
    """The data rows of a table, in bulk: each is the prototype row's XML with its texts put in
    (an empty cell: the empty prototype's), all parsed at once — the same XML as laying out
    every cell through python-docx, at a fraction of the cost (~0.5 ms a cell: the 55,000 cells
    of a country's annex took 13 s)."""
    tbl = table._tbl
    between = '</w:t><w:br/><w:t xml:space="preserve">'  # a line break inside a cell
    declared = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in tbl.nsmap.items() if prefix)
    parts = [f"<w:tbl {declared}>"]
    cells = list(zip(prototypes.filled, prototypes.blank, strict=True))
    for values in rows:
        parts.append(prototypes.row_start)
        for ((before, after), empty_cell), text in zip(cells, values, strict=True):
            if text:
                parts += [before, ">", between.join(map(_text, text.split("\n"))), "<", after]
            else:
                parts.append(empty_cell)
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    tbl.extend(list(parse_xml("".join(parts).encode())))


_TC = qn("w:tc")
# A namespace declaration as lxml writes it on an element taken out of its document.
_NS_DECLARATION = re.compile(r' xmlns(?::[\w.-]+)?="[^"]*"')


def _xml(element) -> str:
    """An element's XML without namespace declarations: the enclosing table declares them
    once. Serialized alone, every row and cell carried all of the document's (17 of them,
    1.3 KB): a province's annex was 4 MB of XML to parse instead of 0.8."""
    return _NS_DECLARATION.sub("", etree.tostring(element, encoding="unicode"))


def _text(value: str) -> str:
    """Text as lxml writes it in an element."""
    return escape(value, {"\r": "&#13;"})


def _signature_block(document, doc: OfficialDocument) -> None:
    left_w, right_w = doc.signature_widths_cm
    table = _table(document, [left_w, right_w], 1, borders=False)
    _row_flags(table.rows[0])
    recipients, signer = table.rows[0].cells
    lines = m.recipient_lines(doc.recipients)
    if lines:
        label_pt = m.RECIPIENTS_LABEL_PT
        _para(recipients, m.RECIPIENTS_LABEL, align="left", size=label_pt, bold=True, italic=True)
        for line in lines:
            _para(recipients, line, align="left", size=m.RECIPIENTS_PT)
    for line in doc.signer_title_lines or [""]:
        _para(signer, line, bold=True)
    name = _para(signer, doc.signer_name, bold=True)
    name.paragraph_format.space_before = Cm(m.SIGNATURE_SPACE_CM)
    _trim(recipients)
    _trim(signer)


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as DOCX bytes (A4, Times New Roman, Nghị định 30 layout)."""
    document = Document()
    _setup(document, doc)
    # Document() starts with no body paragraph; everything is appended in reading order
    if doc.watermark_text:
        _watermark_banner(document, doc)
    _header_block(document, doc)
    _title_block(document, doc)
    last: list = []
    for block in doc.blocks:
        if isinstance(block, Table):
            last = _table_block(document, block, doc)
        else:
            last = _paragraph_block(document, block)
    # never a signature page without body text: the last paragraph/row goes along with it
    for paragraph in last:
        paragraph.paragraph_format.keep_with_next = True
    _para(document, size=6, keep_with_next=True)  # space before the signature block
    _signature_block(document, doc)
    end = _para(document)  # the body ends with a paragraph, not a table (Word expects one)
    end.paragraph_format.line_spacing = Pt(1)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
