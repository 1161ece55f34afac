"""The data of an official document (Nghị định 30/2020/NĐ-CP layout), independent of any model.

Callers build an :class:`OfficialDocument` from whatever they have (an ISO document, a list of
documents, a report) and hand it to ``render_docx`` / ``render_pdf``. Everything here is plain
text: the renderers own the layout, the caller owns the words.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# Fixed legal formulas (quốc hiệu, tiêu ngữ, labels): Vietnamese by law, never translated.
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL = "Nơi nhận:"

# Page geometry (cm): A4, margins top/bottom 2, left 3, right 2 (the decree allows 1.5–2).
PAGE_WIDTH_CM = 21.0
PAGE_HEIGHT_CM = 29.7
MARGIN_TOP_CM = 2.0
MARGIN_BOTTOM_CM = 2.0
MARGIN_LEFT_CM = 3.0
MARGIN_RIGHT_CM = 2.0
FIRST_LINE_INDENT_CM = 1.0
SIGNATURE_SPACE_CM = 2.5

# Font sizes (pt).
BODY_PT = 13
HEADER_PT = 12  # superior body, issuing body, national title
MOTTO_PT = 13
TABLE_PT = 12
RECIPIENTS_LABEL_PT = 12
RECIPIENTS_PT = 11


@dataclass
class Paragraph:
    """A paragraph of the body: justified, first line indented 1 cm, with an optional bold
    lead such as ``"Điều 1."`` printed before the text."""

    text: str
    lead: str = ""
    bold: bool = False
    italic: bool = False
    align: str = "justify"  # "justify" | "left" | "center" | "right"
    indent: bool = True  # first-line indent


@dataclass
class Table:
    """A bordered table with a header row that repeats on every page."""

    columns: list[str]
    rows: list[list[str]]
    widths_cm: list[float] | None = None


Block = Paragraph | Table


@dataclass
class OfficialDocument:
    superior_body: str  # "UBND TỈNH PHÚ AN"; may be ""
    issuing_body: str  # "SỞ TƯ PHÁP"
    number: str  # "Số: 15/QĐ-STP" (or "Số:      /QĐ-STP" for a draft)
    place: str  # "Phú An"
    date: datetime.date | None  # None: blanks for day and month (draft)
    doc_type: str  # "QUYẾT ĐỊNH", or "" for no type line
    title: str  # "Về việc ban hành …"
    preamble: list[str] = field(default_factory=list)  # authority line (upper case) / "Căn cứ …"
    decision_heading: str = ""  # "QUYẾT ĐỊNH:"; may be ""
    articles: list[Block | str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)  # "- Như Điều 3;", "- Lưu: VT."
    signer_title: str = ""  # "GIÁM ĐỐC" or "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    signer_name: str = ""
    watermark: str = ""  # "DỰ THẢO", "HẾT HIỆU LỰC"
    landscape: bool = False

    # -- derived values shared by both renderers ----------------------------------------------
    @property
    def page_size_cm(self) -> tuple[float, float]:
        if self.landscape:
            return PAGE_HEIGHT_CM, PAGE_WIDTH_CM
        return PAGE_WIDTH_CM, PAGE_HEIGHT_CM

    @property
    def text_width_cm(self) -> float:
        return self.page_size_cm[0] - MARGIN_LEFT_CM - MARGIN_RIGHT_CM

    @property
    def header_widths_cm(self) -> tuple[float, float]:
        """Left (agency) and right (national title) columns of the header block."""
        left = 6.5 if not self.landscape else 9.0
        return left, self.text_width_cm - left

    @property
    def signature_widths_cm(self) -> tuple[float, float]:
        """Left (recipients) and right (signer) columns of the signature block."""
        right = 8.5 if not self.landscape else 10.0
        return self.text_width_cm - right, right

    @property
    def watermark_text(self) -> str:
        return " ".join(self.watermark.split())

    @property
    def signer_title_lines(self) -> list[str]:
        return [line.strip() for line in self.signer_title.splitlines() if line.strip()]

    @property
    def blocks(self) -> list[Block]:
        return [Paragraph(b) if isinstance(b, str) else b for b in self.articles]


def date_line(place: str, date: datetime.date | None) -> str:
    """``"Phú An, ngày 05 tháng 02 năm 2026"``. Per the decree a day below 10 and a month below 3
    take a leading zero (``tháng 02``, ``tháng 3``). Without a date (a draft) day and month are
    left blank for the handwritten date: ``"Phú An, ngày     tháng     năm 2026"``."""
    prefix = f"{place.strip()}, " if place and place.strip() else ""
    if date is None:
        return f"{prefix}ngày     tháng     năm {_today().year}"
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{prefix}ngày {day} tháng {month} năm {date.year}"


def _today() -> datetime.date:
    try:
        from django.utils import timezone

        return timezone.localdate()
    except Exception:  # settings not configured, or USE_TZ off
        return datetime.date.today()


def is_authority_line(text: str) -> bool:
    """A preamble line in capitals (``"GIÁM ĐỐC SỞ TƯ PHÁP"``) is the issuing authority: bold,
    centred. Any other line (``"Căn cứ …"``) is an italic, justified paragraph."""
    return text.strip().isupper()


def estimate_width_cm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """A rough printed width of ``text`` in Times New Roman, for rules under a line of text
    (measured on Liberation Serif: ~0.62 em per capital, ~0.45 em per other character)."""
    ems = sum(0.62 if ch.isupper() else 0.45 for ch in text)
    if bold:
        ems *= 1.05
    return ems * size_pt * 2.54 / 72


def table_widths_cm(table: Table, available_cm: float) -> list[float]:
    """Column widths: the caller's ``widths_cm`` if given (one per column), else the available
    width shared by how long each column's longest cell is (between 4 and 40 characters, at least
    1.5 × its longest word, header included), so a "STT" column stays narrow and a
    "Tên tài liệu" column gets the room."""
    count = len(table.columns)
    if not count:
        return []
    if table.widths_cm and len(table.widths_cm) == count:
        return [float(w) for w in table.widths_cm]
    weights = []
    for i, header in enumerate(table.columns):
        cells = [str(row[i]) for row in table.rows if i < len(row) and row[i] is not None]
        words = [word for text in [str(header), *cells] for word in text.split()]
        longest_word = max((len(word) for word in words), default=0)
        # a header may wrap between words; a cell's text should fit on a line or two
        length = max(max((len(text) for text in cells), default=0), longest_word * 1.5)
        weights.append(min(max(length, 4.0), 40.0))
    total = sum(weights)
    return [round(available_cm * w / total, 2) for w in weights]


def normalized_rows(table: Table) -> list[list[str]]:
    """Every row padded or cut to the number of columns, cells as text."""
    count = len(table.columns)
    return [
        [("" if cell is None else str(cell)) for cell in (list(row) + [""] * count)[:count]]
        for row in table.rows
    ]


def recipient_lines(recipients: list[str]) -> list[str]:
    """Each recipient on its own line starting with ``"- "``."""
    lines = []
    for line in recipients:
        text = line.strip()
        if text:
            lines.append(text if text.startswith("-") else f"- {text}")
    return lines
