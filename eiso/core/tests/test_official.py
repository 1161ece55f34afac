"""Official documents (Nghị định 30/2020/NĐ-CP layout) as PDF and DOCX.

Two WeasyPrint renders for the module (a portrait decision, a landscape master list with a
watermark), shared through module-scoped fixtures; DOCX renders are cheap.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from eiso.core.official import (
    DOCX_TYPE,
    PDF_TYPE,
    OfficialDocument,
    Paragraph,
    Table,
    date_line,
    docx_response,
    pdf_response,
    render_docx,
    render_html,
    render_pdf,
)

HARD_LETTERS = "Ưu tiên, ổn định, đẩy mạnh, Ợ ợ Ữ ữ Ỹ ỹ"
TITLE = f"Về việc ban hành tài liệu Hệ thống quản lý chất lượng ({HARD_LETTERS})"
SIGNER = "Nguyễn Thị Ánh Tuyết"


def decision(**changes) -> OfficialDocument:
    values = {
        "superior_body": "UBND TỈNH PHÚ AN",
        "issuing_body": "SỞ TƯ PHÁP",
        "number": "Số: 15/QĐ-STP",
        "place": "Phú An",
        "date": datetime.date(2026, 2, 5),
        "doc_type": "QUYẾT ĐỊNH",
        "title": TITLE,
        "preamble": [
            "GIÁM ĐỐC SỞ TƯ PHÁP",
            "Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính "
            "phủ về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO "
            "9001:2008 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước;",
            "Theo đề nghị của Chánh Văn phòng Sở.",
        ],
        "decision_heading": "QUYẾT ĐỊNH:",
        "articles": [
            Paragraph(
                "Ban hành kèm theo Quyết định này các tài liệu của Hệ thống quản lý chất lượng "
                "theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 sau:",
                lead="Điều 1.",
            ),
            Table(
                ["STT", "Mã hiệu", "Tên tài liệu", "Lần ban hành"],
                [
                    ["1", "QT-01", "Quy trình kiểm soát tài liệu", "01"],
                    ["2", "QT-02", "Quy trình đánh giá nội bộ", "02"],
                ],
                widths_cm=[1.2, 2.5, 9.3, 3.0],
            ),
            Paragraph("Quyết định này có hiệu lực kể từ ngày ký.", lead="Điều 2."),
            Paragraph(
                "Chánh Văn phòng Sở, Trưởng các phòng, đơn vị thuộc Sở và các cá nhân có liên "
                "quan chịu trách nhiệm thi hành Quyết định này./.",
                lead="Điều 3.",
            ),
        ],
        "recipients": ["- Như Điều 3;", "- Ban Giám đốc;", "Lưu: VT, VP."],
        "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        "signer_name": SIGNER,
    }
    values.update(changes)
    return OfficialDocument(**values)


def master_list() -> OfficialDocument:
    rows = [
        [
            str(i),
            f"QT-{i:02d}",
            f"Quy trình giải quyết thủ tục hành chính số {i}",
            "01",
            "05/02/2026",
        ]
        for i in range(1, 61)
    ]
    return decision(
        superior_body="",
        number="Số:      /DM-STP",
        date=None,
        doc_type="DANH MỤC",
        title="Tài liệu Hệ thống quản lý chất lượng đang áp dụng",
        preamble=[],
        decision_heading="",
        articles=[Table(["STT", "Mã hiệu", "Tên tài liệu", "Lần ban hành", "Ngày ban hành"], rows)],
        recipients=[],
        watermark="HẾT HIỆU LỰC",
        landscape=True,
    )


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.skip(f"{name} (poppler-utils) is not installed: cannot inspect the PDF")
    return path


def _run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def decision_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("official") / "decision.pdf"
    path.write_bytes(render_pdf(decision()))
    return path


@pytest.fixture(scope="module")
def master_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("official") / "master.pdf"
    path.write_bytes(render_pdf(master_list()))
    return path


def _pdftotext(path, first: int | None = None, last: int | None = None) -> str:
    args = [_tool("pdftotext"), "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return _run(*args, str(path), "-")


# -- PDF -------------------------------------------------------------------------------------
def test_pdf_says_the_vietnamese_text_exactly(decision_pdf):
    text = _pdftotext(decision_pdf)
    flat = _flat(text)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH PHÚ AN",
        "SỞ TƯ PHÁP",
        "Số: 15/QĐ-STP",
        "Phú An, ngày 05 tháng 02 năm 2026",
        "QUYẾT ĐỊNH",
        HARD_LETTERS,
        "Căn cứ Quyết định số 19/2014/QĐ-TTg",
        "Quy trình kiểm soát tài liệu",
        "Nơi nhận:",
        "- Lưu: VT, VP.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        SIGNER,
    ]:
        assert expected in flat, expected


def test_pdf_header_on_top_and_recipients_after_the_articles(decision_pdf):
    lines = [line for line in _pdftotext(decision_pdf, 1).splitlines() if line.strip()]
    top = lines[:8]
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in top), top
    # the two header columns share lines: agency left, national title right
    assert any("SỞ TƯ PHÁP" in line and "Độc lập - Tự do - Hạnh phúc" in line for line in top)
    assert any("Số: 15/QĐ-STP" in line and "ngày 05 tháng 02 năm 2026" in line for line in top)
    flat = _flat(_pdftotext(decision_pdf))
    assert flat.index("QUYẾT ĐỊNH:") < flat.index("Điều 1.") < flat.index("Điều 3.")
    assert flat.index("Điều 3.") < flat.index("Nơi nhận:") < flat.index(SIGNER)
    # signer bottom right: far to the right on its line
    name_line = next(line for line in lines if SIGNER in line)
    assert name_line.index(SIGNER) > 40


def test_pdf_embeds_liberation_serif_and_no_fallback_font(decision_pdf, master_pdf):
    for path in (decision_pdf, master_pdf):
        out = _run(_tool("pdffonts"), str(path)).splitlines()[2:]
        names = [line.split()[0] for line in out if line.strip()]
        assert names, out
        for line, name in zip(out, names, strict=True):
            plain = name.split("+")[-1].replace("-", "").lower()
            assert plain.startswith(("liberationserif", "timesnewroman")), name
            assert " yes " in line, f"{name} is not embedded"


def test_pdf_renders_to_png(decision_pdf, tmp_path):
    _run(
        _tool("pdftoppm"),
        "-png",
        "-r",
        "60",
        "-f",
        "1",
        "-l",
        "1",
        str(decision_pdf),
        str(tmp_path / "page"),
    )
    pngs = list(tmp_path.glob("page*.png"))
    assert len(pngs) == 1
    assert pngs[0].stat().st_size > 15_000


def test_pdf_master_list_landscape_watermark_draft_date_repeated_header(master_pdf):
    info = _run(_tool("pdfinfo"), str(master_pdf))
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+", info), info  # A4 landscape
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 2
    last = _flat(_pdftotext(master_pdf, pages))
    # no signature page without body text: the last row goes along with the signature
    assert "Quy trình giải quyết thủ tục hành chính số 60" in last and SIGNER in last
    first = _pdftotext(master_pdf, 1)
    # once: the banner is text, the diagonal stamp is drawn as outlines (no stray letters)
    assert first.count("HẾT HIỆU LỰC") == 1
    assert re.search(r"ngày\s+tháng\s+năm " + str(timezone.localdate().year), first)
    assert "Số:" in first and "/DM-STP" in first
    second = _pdftotext(master_pdf, 2)
    assert "HẾT HIỆU LỰC" in second  # the banner is on every page
    assert "Tên tài liệu" in second and "Ngày ban hành" in second  # the header row repeats
    assert "CỘNG HÒA" not in second
    assert "Quy trình giải quyết thủ tục hành chính số 60" in _flat(_pdftotext(master_pdf))


def test_html_escapes_data_and_omits_empty_parts():
    html = render_html(decision(title="<b>x</b> & y", superior_body="", watermark="", preamble=[]))
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in html
    assert 'class="superior"' not in html
    assert 'class="watermark-banner"' not in html
    assert 'class="basis"' not in html


def test_html_watermark_banner_and_stamp():
    html = render_html(decision(watermark="  DỰ   THẢO "))
    assert '<div class="watermark-banner">DỰ THẢO</div>' in html
    if shutil.which("fc-match"):
        assert '<img class="watermark-stamp" src="data:image/svg+xml;base64,' in html


# -- DOCX ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def decision_docx():
    return Document(BytesIO(render_docx(decision())))


def _all_runs(document):
    for paragraph in document.paragraphs:
        yield from paragraph.runs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from paragraph.runs


def test_docx_header_block(decision_docx):
    header = decision_docx.tables[0]
    agency, nation = header.rows[0].cells
    assert agency.text.split("\n")[:2] == ["UBND TỈNH PHÚ AN", "SỞ TƯ PHÁP"]
    assert agency.paragraphs[1].runs[0].bold
    assert nation.text.split("\n")[:2] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    number, date = header.rows[1].cells
    assert number.text == "Số: 15/QĐ-STP"
    assert date.text == "Phú An, ngày 05 tháng 02 năm 2026"
    assert date.paragraphs[0].runs[0].italic
    # short rules: bordered paragraphs under the agency and the motto
    for cell in (agency, nation):
        assert cell._tc.xpath(".//w:pBdr/w:top[@w:val='single']")
    # borderless layout table
    assert header._tbl.xpath("./w:tblPr/w:tblBorders/w:top[@w:val='nil']")


def test_docx_fonts_page_and_margins(decision_docx):
    assert decision_docx.styles["Normal"].font.name == "Times New Roman"
    runs = list(_all_runs(decision_docx))
    assert runs and all(run.font.name == "Times New Roman" for run in runs)
    fonts = decision_docx.styles.element.xpath("./w:docDefaults//w:rFonts")[0]
    assert fonts.get(qn("w:hAnsi")) == "Times New Roman"
    assert {run.font.size.pt for run in runs} <= {11, 12, 13, 14}
    section = decision_docx.sections[0]
    assert abs(section.page_width.cm - 21.0) < 0.01 and abs(section.page_height.cm - 29.7) < 0.01
    assert abs(section.top_margin.cm - 2.0) < 0.01
    assert abs(section.bottom_margin.cm - 2.0) < 0.01
    assert abs(section.left_margin.cm - 3.0) < 0.01
    assert 1.5 - 0.01 <= section.right_margin.cm <= 2.0 + 0.01


def test_docx_tables_have_grid_and_cell_widths(decision_docx):
    for table in decision_docx.tables:
        grid = table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")
        assert grid and all(int(w) > 0 for w in grid)
        assert abs(sum(int(w) for w in grid) / 1440 * 2.54 - 16.0) < 0.05  # the text width
        widths = table._tbl.xpath("./w:tr[1]/w:tc/w:tcPr/w:tcW/@w:w")
        assert widths == grid
        assert table._tbl.xpath("./w:tblPr/w:tblLayout[@w:type='fixed']")


def test_docx_table_block_is_a_real_table_with_repeated_header(decision_docx):
    table = decision_docx.tables[1]
    assert [c.text for c in table.rows[0].cells] == [
        "STT",
        "Mã hiệu",
        "Tên tài liệu",
        "Lần ban hành",
    ]
    assert [c.text for c in table.rows[2].cells] == [
        "2",
        "QT-02",
        "Quy trình đánh giá nội bộ",
        "02",
    ]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert not table.rows[1]._tr.xpath("./w:trPr/w:tblHeader")
    assert table._tbl.xpath("./w:tblPr/w:tblBorders/w:insideH[@w:val='single']")
    grid = [round(int(w) / 1440 * 2.54, 1) for w in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    assert grid == [1.2, 2.5, 9.3, 3.0]


def test_docx_table_rows_are_parsed_once_with_their_namespaces_declared_once(monkeypatch):
    """A table's data rows are built as one XML string and parsed at once: the namespaces are
    declared on the wrapper only (every row and cell carried the document's 17 declarations,
    five times the XML to parse), and the rows read back the same."""
    from eiso.core.official import docx as official_docx

    parsed: list[bytes] = []
    parse = official_docx.parse_xml

    def spy(xml):
        parsed.append(xml)
        return parse(xml)

    monkeypatch.setattr(official_docx, "parse_xml", spy)
    document = Document(BytesIO(render_docx(master_list())))
    rows_xml = max(parsed, key=len).decode()
    assert rows_xml.count("xmlns:") == rows_xml[: rows_xml.index(">")].count("xmlns:") > 0
    assert rows_xml.count("<w:tr>") == 60
    table = next(t for t in document.tables if len(t.rows) == 61)  # the header and 60 rows
    assert [c.text for c in table.rows[60].cells] == [
        "60",
        "QT-60",
        "Quy trình giải quyết thủ tục hành chính số 60",
        "01",
        "05/02/2026",
    ]
    runs = table.rows[60].cells[2].paragraphs[0].runs
    assert runs[0].font.name == "Times New Roman"


def test_docx_tables_of_a_known_shape_give_the_same_xml_from_kept_prototypes(monkeypatch):
    """A data row is laid out through python-docx once per column widths and kept: the next
    document with a table of those widths is the same XML, and lays out no prototype row."""
    import zipfile

    from eiso.core.official import docx as official_docx

    def body(data: bytes) -> bytes:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return archive.read("word/document.xml")

    monkeypatch.setattr(official_docx, "_PROTOTYPES", {})
    first = body(render_docx(master_list()))
    assert official_docx._PROTOTYPES  # kept: the master list's table
    laid_out: list[int] = []
    prototypes = official_docx._prototypes
    monkeypatch.setattr(
        official_docx, "_prototypes", lambda *a: laid_out.append(1) or prototypes(*a)
    )
    again = body(render_docx(master_list()))
    assert laid_out == []
    assert again == first
    monkeypatch.setattr(official_docx, "_PROTOTYPES", {})
    assert body(render_docx(master_list())) == first
    assert laid_out  # an unknown shape: laid out again


def test_docx_body_order_and_signature(decision_docx):
    texts = [p.text for p in decision_docx.paragraphs if p.text]
    assert texts[0] == "QUYẾT ĐỊNH" and texts[1] == TITLE
    assert texts.index("QUYẾT ĐỊNH:") < next(
        i for i, t in enumerate(texts) if t.startswith("Điều 1.")
    )
    article = next(p for p in decision_docx.paragraphs if p.text.startswith("Điều 3."))
    assert article.runs[0].bold and article.runs[0].text.strip() == "Điều 3."
    assert abs(article.paragraph_format.first_line_indent.cm - 1.0) < 0.01
    assert article.paragraph_format.keep_with_next  # the last article stays with the signature
    recipients, signer = decision_docx.tables[-1].rows[0].cells
    assert recipients.text.split("\n") == [
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Ban Giám đốc;",
        "- Lưu: VT, VP.",
    ]
    label = recipients.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size.pt == 12
    assert recipients.paragraphs[1].runs[0].font.size.pt == 11
    assert signer.text.split("\n") == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", SIGNER]
    assert signer.paragraphs[-1].paragraph_format.space_before.cm == pytest.approx(2.5, abs=0.01)


def test_docx_watermark_landscape_and_draft_date():
    document = Document(BytesIO(render_docx(master_list())))
    banner = document.paragraphs[0]
    assert banner.text == "HẾT HIỆU LỰC"
    assert banner.runs[0].bold and str(banner.runs[0].font.color.rgb) == "C00000"
    assert banner._p.xpath("./w:pPr/w:pBdr/w:left[@w:val='single']")
    assert "HẾT HIỆU LỰC" in document.sections[0].header.paragraphs[0].text  # pages 2…
    section = document.sections[0]
    assert abs(section.page_width.cm - 29.7) < 0.01 and abs(section.page_height.cm - 21.0) < 0.01
    assert section.orientation == 1  # WD_ORIENT.LANDSCAPE
    date = document.tables[0].rows[1].cells[1].text
    assert date == f"Phú An, ngày     tháng     năm {timezone.localdate().year}"
    assert document.tables[0].rows[1].cells[0].text == "Số:      /DM-STP"
    listing = document.tables[1]
    assert len(listing.rows) == 61
    grid = [int(w) for w in listing._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    assert grid[2] == max(grid) and grid[0] == min(grid)  # "Tên tài liệu" widest, "STT" narrowest


def test_no_watermark_no_banner(decision_docx):
    assert decision_docx.paragraphs[0].text == "QUYẾT ĐỊNH"
    header = decision_docx.sections[0].header
    assert header.paragraphs[0].text.strip() == ""
    assert header._element.xpath(".//w:fldSimple[@w:instr='PAGE']")  # page numbers from page 2
    assert decision_docx.sections[0].different_first_page_header_footer


# -- date line -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2026, 2, 5), "Phú An, ngày 05 tháng 02 năm 2026"),
        (datetime.date(2026, 1, 9), "Phú An, ngày 09 tháng 01 năm 2026"),
        (datetime.date(2026, 3, 1), "Phú An, ngày 01 tháng 3 năm 2026"),
        (datetime.date(2026, 9, 10), "Phú An, ngày 10 tháng 9 năm 2026"),
        (datetime.date(2025, 12, 31), "Phú An, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_date_line(date, expected):
    assert date_line("Phú An", date) == expected


def test_date_line_draft_leaves_blanks():
    year = timezone.localdate().year
    assert date_line("Phú An", None) == f"Phú An, ngày     tháng     năm {year}"


# -- responses -------------------------------------------------------------------------------
def test_docx_response_headers():
    response = docx_response(b"PK...", "Quyết định 15/QĐ-STP.docx")
    assert response["Content-Type"] == DOCX_TYPE
    assert response.content == b"PK..."
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="quyet-dinh-15-qd-stp.docx"' in disposition
    assert "filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%2015-Q%C4%90-STP.docx" in disposition
    assert disposition.isascii()


def test_pdf_response_headers_inline():
    response = pdf_response(b"%PDF-1.7", 'Danh mục "tài liệu".pdf', attachment=False)
    assert response["Content-Type"] == PDF_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline; ")
    assert 'filename="danh-muc-tai-lieu.pdf"' in disposition
    assert "filename*=UTF-8''Danh%20m%E1%BB%A5c%20%22t%C3%A0i%20li%E1%BB%87u%22.pdf" in disposition
