"""PDF of an official document: an HTML template rendered by WeasyPrint."""

from __future__ import annotations

import base64
import functools
import logging
import shutil
import subprocess
import threading
import unicodedata

from django.template.loader import render_to_string

from . import model as m
from .model import OfficialDocument, Table

TEMPLATE = "official/document.html"
STAMP_COLOR = "#c00000"
STAMP_OPACITY = 0.14

logger = logging.getLogger(__name__)
_font_lock = threading.Lock()  # fontTools loads tables lazily: one reader at a time


def _cm(value: float) -> str:
    return f"{value:.2f}"


def _block_context(block, text_width: float) -> dict:
    if isinstance(block, Table):
        return {
            "is_table": True,
            "columns": block.columns,
            "rows": m.normalized_rows(block),
            "widths": [_cm(w) for w in m.table_widths_cm(block, text_width)],
        }
    classes = ["para"]
    if not block.indent:
        classes.append("noindent")
    if block.align in ("left", "center", "right"):
        classes.append(block.align)
    if block.bold:
        classes.append("bold")
    if block.italic:
        classes.append("italic")
    return {"is_table": False, "lead": block.lead, "text": block.text, "classes": " ".join(classes)}


@functools.lru_cache(maxsize=1)
def _stamp_font():
    """The bold serif font fontconfig gives WeasyPrint for "Times New Roman" (fontTools), or
    None when it cannot be found."""
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    try:
        from fontTools.ttLib import TTFont

        path = subprocess.run(
            [fc_match, "-f", "%{file}", "Times New Roman:bold"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        return TTFont(path, lazy=True) if path else None
    except Exception:  # no font tools, no font: the banner alone marks the document
        logger.warning("official PDF: no font for the watermark stamp", exc_info=True)
        return None


@functools.lru_cache(maxsize=32)
def stamp_svg(text: str) -> tuple[str, float] | None:
    """The watermark drawn as glyph outlines in an SVG (a data: URL) and its width/height ratio.

    Outlines rather than text, so the diagonal stamp stays out of the PDF's text layer:
    ``pdftotext``, search and copy-paste see the page's words, not stray stamp letters."""
    font = _stamp_font()
    text = unicodedata.normalize("NFC", text.strip())
    if font is None or not text:
        return None
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen

    with _font_lock:
        cmap, hmtx, glyphs = font.getBestCmap(), font["hmtx"], font.getGlyphSet()
        pen = SVGPathPen(glyphs)
        x = 0
        for ch in text:
            name = cmap.get(ord(ch))
            if name is None:  # a letter this font lacks: no stamp rather than a wrong one
                return None
            glyphs[name].draw(TransformPen(pen, (1, 0, 0, 1, x, 0)))
            x += hmtx[name][0]
        ascent, descent = font["hhea"].ascent, font["hhea"].descent
    height = ascent - descent
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 {-ascent} {x} {height}" '
        f'width="{x}" height="{height}"><path transform="scale(1 -1)" fill="{STAMP_COLOR}" '
        f'fill-opacity="{STAMP_OPACITY}" d="{pen.getCommands()}"/></svg>'
    )
    url = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
    return url, x / height


def _stamp_context(doc: OfficialDocument) -> dict | None:
    stamp = stamp_svg(doc.watermark_text) if doc.watermark_text else None
    if stamp is None:
        return None
    url, ratio = stamp
    area_w = doc.text_width_cm
    area_h = doc.page_size_cm[1] - m.MARGIN_TOP_CM - m.MARGIN_BOTTOM_CM
    width = min(area_w * 0.8, 2.2 * len(doc.watermark_text))  # letters of at most ~80 pt
    height = width / ratio
    return {
        "url": url,
        "width": _cm(width),
        "height": _cm(height),
        "left": _cm((area_w - width) / 2),
        "top": _cm((area_h - height) / 2),
    }


def render_html(doc: OfficialDocument) -> str:
    """The HTML handed to WeasyPrint (useful to debug the layout in a browser)."""
    head_left, head_right = doc.header_widths_cm
    sign_left, sign_right = doc.signature_widths_cm
    title_width = min(m.estimate_width_cm(doc.title, m.BODY_PT, bold=True), doc.text_width_cm)
    # the rule under the title: about 40 % of the title's line, between 2.5 and 6 cm
    title_rule_pct = 100 * min(max(title_width * 0.4, 2.5), 6.0) / max(title_width, 2.5)
    context = {
        "doc": doc,
        "stamp": _stamp_context(doc),
        "watermark": doc.watermark_text,
        "national_title": m.NATIONAL_TITLE,
        "motto": m.MOTTO,
        "recipients_label": m.RECIPIENTS_LABEL,
        "date_text": m.date_line(doc.place, doc.date),
        "preamble": [
            {"text": line, "authority": m.is_authority_line(line)}
            for line in doc.preamble
            if line.strip()
        ],
        "blocks": [_block_context(b, doc.text_width_cm) for b in doc.blocks],
        "recipients": m.recipient_lines(doc.recipients),
        "signer_title_lines": doc.signer_title_lines,
        "margin_top": _cm(m.MARGIN_TOP_CM),
        "margin_right": _cm(m.MARGIN_RIGHT_CM),
        "margin_bottom": _cm(m.MARGIN_BOTTOM_CM),
        "margin_left": _cm(m.MARGIN_LEFT_CM),
        "head_left": _cm(head_left),
        "head_right": _cm(head_right),
        "sign_left": _cm(sign_left),
        "sign_right": _cm(sign_right),
        "title_rule_pct": f"{min(title_rule_pct, 100):.0f}",
        "indent": _cm(m.FIRST_LINE_INDENT_CM),
        "signature_space": _cm(m.SIGNATURE_SPACE_CM),
        "body_pt": m.BODY_PT,
        "header_pt": m.HEADER_PT,
        "motto_pt": m.MOTTO_PT,
        "table_pt": m.TABLE_PT,
        "recipients_label_pt": m.RECIPIENTS_LABEL_PT,
        "recipients_pt": m.RECIPIENTS_PT,
    }
    return render_to_string(TEMPLATE, context)


def render_pdf(doc: OfficialDocument) -> bytes:
    """The document as PDF bytes (A4, Times New Roman → Liberation Serif, fonts embedded)."""
    from weasyprint import HTML  # imported here: WeasyPrint is slow to import

    return HTML(string=render_html(doc)).write_pdf()
