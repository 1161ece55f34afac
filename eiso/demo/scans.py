"""The "scan" of a signed paper document: its pages drawn as a greyscale image (Pillow) and saved
as an image-only PDF, as a scanner gives it — with the seal and the signature. Drawing a page
takes milliseconds where laying out the official PDF takes a second or two (font subsetting),
and a scan is an image anyway: the text the app reads comes from the record, not the scan."""

from __future__ import annotations

import functools
import io
import shutil
import subprocess

from PIL import Image, ImageDraw, ImageFont

from eiso.core.official.model import MOTTO, NATIONAL_TITLE, OfficialDocument, Table

DPI = 96
WIDTH, HEIGHT = round(21.0 / 2.54 * DPI), round(29.7 / 2.54 * DPI)
LEFT, RIGHT, TOP, BOTTOM = round(3 / 2.54 * DPI), round(2 / 2.54 * DPI), 70, 70
INK, SEAL = 30, 110  # grey levels: the printed text, the red seal once scanned in grey


@functools.cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The serif font fontconfig offers (the one the official PDF uses), else Pillow's own."""
    fc_match = shutil.which("fc-match")
    if fc_match:
        pattern = "Times New Roman:bold" if bold else "Times New Roman"
        try:
            path = subprocess.run(
                [fc_match, "-f", "%{file}", pattern],
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            ).stdout.strip()
            if path:
                return ImageFont.truetype(path, size)
        except (OSError, subprocess.SubprocessError):
            pass
    return ImageFont.load_default(size)


def _wrap(text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and font.getlength(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


class _Pages:
    def __init__(self) -> None:
        self.pages: list[Image.Image] = []
        self.new_page()

    def new_page(self) -> None:
        self.pages.append(Image.new("L", (WIDTH, HEIGHT), 255))
        self.draw = ImageDraw.Draw(self.pages[-1])
        self.y = TOP

    def text(self, text: str, *, bold=False, size=17, align="left", indent=0, x0=LEFT, x1=None):
        font = _font(bold, size)
        x1 = x1 or WIDTH - RIGHT
        for line in _wrap(text, font, x1 - x0 - indent) or [""]:
            if self.y + size * 1.4 > HEIGHT - BOTTOM:
                self.new_page()
            width = font.getlength(line)
            x = {"center": (x0 + x1 - width) / 2, "right": x1 - width}.get(align, x0 + indent)
            self.draw.text((x, self.y), line, fill=INK, font=font)
            self.y += round(size * 1.4)
            indent = 0

    def gap(self, pixels: int = 8) -> None:
        self.y += pixels

    def pdf(self) -> bytes:
        buffer = io.BytesIO()
        first, *rest = self.pages
        first.save(buffer, "PDF", resolution=DPI, save_all=True, append_images=rest)
        return buffer.getvalue()


def scan_pdf(doc: OfficialDocument) -> bytes:
    """The signed document as an image-only PDF: header, title, body, seal and signature."""
    pages = _Pages()
    middle = WIDTH // 2 - 60
    top = pages.y
    pages.text(doc.superior_body, size=15, align="center", x0=LEFT - 40, x1=middle)
    pages.text(doc.issuing_body, bold=True, size=15, align="center", x0=LEFT - 40, x1=middle)
    pages.text(doc.number, size=16, align="center", x0=LEFT - 40, x1=middle)
    left_end, pages.y = pages.y, top
    pages.text(NATIONAL_TITLE, bold=True, size=14, align="center", x0=middle)
    pages.text(MOTTO, bold=True, size=16, align="center", x0=middle)
    if doc.date:
        day = doc.date
        dated = f"{doc.place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"
        pages.text(dated, size=16, align="center", x0=middle)
    pages.y = max(pages.y, left_end) + 16
    pages.text(doc.doc_type, bold=True, size=18, align="center")
    pages.text(doc.title, bold=True, size=17, align="center", x0=LEFT + 60, x1=WIDTH - RIGHT - 60)
    pages.gap(12)
    for index, line in enumerate(doc.preamble):
        if index == 0 and line.isupper():
            pages.text(line, bold=True, align="center")
        else:
            pages.text(line, indent=38)
    if doc.decision_heading:
        pages.gap(4)
        pages.text(doc.decision_heading, bold=True, align="center")
    for block in doc.articles:
        if isinstance(block, Table):
            for row in [block.columns, *block.rows]:
                pages.text(" | ".join(str(cell) for cell in row), size=14)
        elif isinstance(block, str):
            pages.text(block, indent=38)
        else:
            pages.text(f"{block.lead} {block.text}".strip(), bold=block.bold, indent=38)
    pages.gap(20)
    if pages.y + 220 > HEIGHT - BOTTOM:
        pages.new_page()
    top, sign_x = pages.y, WIDTH // 2 + 10
    for line in doc.recipients:
        pages.text(line, size=13, x1=sign_x - 20)
    pages.y = top
    for line in doc.signer_title.splitlines():
        pages.text(line, bold=True, size=16, align="center", x0=sign_x)
    seal = (sign_x + 40, pages.y + 5, sign_x + 170, pages.y + 135)
    pages.draw.ellipse(seal, outline=SEAL, width=4)
    pages.draw.ellipse(
        tuple(v + d for v, d in zip(seal, (14, 14, -14, -14), strict=True)), outline=SEAL
    )
    signature = [(sign_x + 110 + 9 * i, pages.y + 70 + (-14 if i % 2 else 14)) for i in range(9)]
    pages.draw.line(signature, fill=INK, width=2)
    pages.y += 150
    pages.text(doc.signer_name, bold=True, size=16, align="center", x0=sign_x)
    return pages.pdf()
