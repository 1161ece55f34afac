"""The official files of document control (Nghị định 30/2020 layout): the issuing decision
(its draft and its signed text) and the master list, as DOCX and PDF, from the pages.

Three WeasyPrint renders in this module (the draft decision, the signed decision, the master
list), each in one test that checks what it can on it; every other PDF request goes to a stub
renderer. The PDF checks need poppler-utils (pdftotext, pdftoppm, pdfinfo) and are skipped,
with the reason, where they are missing."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document as DocxDocument

from eiso.core.official import date_line
from eiso.documents import outputs, services
from eiso.documents.choices import DecisionStatus, DocumentKind
from eiso.documents.tests.factories import (
    approve,
    drafter,
    issue_revisions,
    make_draft,
    make_issued,
)

TODAY = timezone.localdate()
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
FIRST_TITLE = "Quy trình cấp Phiếu lý lịch tư pháp"
SECOND_TITLE = "Quy trình đăng ký kết hôn có yếu tố nước ngoài"


@pytest.fixture(autouse=True)
def _province_from_the_tree(settings):
    settings.EISO_PROVINCE_NAME = ""


# --- helpers ------------------------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.skip(f"{name} (poppler-utils) is not installed: cannot inspect the rendered PDF")
    return path


def _run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def _pdf_text(path, page: int | None = None, *, layout: bool = True) -> str:
    """The text of the PDF: ``-layout`` keeps the columns of a line side by side (the header
    block); without it, the text of a table cell stays together (a title over two lines)."""
    args = [_tool("pdftotext")] + (["-layout"] if layout else [])
    if page:
        args += ["-f", str(page), "-l", str(page)]
    return _run(*args, str(path), "-")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _png_of_first_page(path, tmp_path):
    _run(
        _tool("pdftoppm"), "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")
    )
    pngs = list(tmp_path.glob("p*.png"))
    assert len(pngs) == 1, pngs
    data = pngs[0].read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000, len(data)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return width, height


def _save_pdf(response, tmp_path, name: str):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    path = tmp_path / name
    path.write_bytes(response.content)
    return path


def _docx(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].endswith("wordprocessingml.document")
    return DocxDocument(io.BytesIO(response.content))


def _docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
    return "\n".join(parts)


def _rows(document) -> list[list[str]]:
    """The rows of the bordered (data) table: the one whose header starts with "STT"."""
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    return [[cell.text for cell in row.cells] for row in table.rows]


def _decision_world(world):
    """A draft decision of agency A over two approved revisions: QT-01 revision 01 (new) and
    QT-02 revision 02 (its revision 01 was issued under 05/QĐ-CU)."""
    _, first = make_draft(world, world.A, "QT-01", title=FIRST_TITLE)
    approve(world, first)
    second_doc, old = make_draft(world, world.A, "QT-02", title=SECOND_TITLE)
    issue_revisions(world, [old], number="05/QĐ-CU", date=TODAY - datetime.timedelta(days=30))
    second = services.revision_start(actor=world.an, document=second_doc, change_summary="Sửa")
    services.revision_update(actor=world.an, revision=second, data={"content": "Nội dung mới"})
    approve(world, second)
    decision = services.decision_create(
        actor=drafter(world, world.A),
        agency=world.A,
        subject="Ban hành, sửa đổi quy trình giải quyết thủ tục hành chính",
        signer_name="Đặng Văn Hải",
        signer_title="GIÁM ĐỐC",
        revisions=[first, second],
    )
    return decision


def _sign(world, decision):
    return services.decision_sign(actor=world.hai, decision=decision, number="12/QĐ-A", date=TODAY)


def _url(name, *args, agency=None):
    url = reverse(f"documents:{name}", args=args)
    return f"{url}?agency={agency.pk}" if agency is not None else url


@pytest.fixture
def stub_pdf(monkeypatch):
    """PDF views answer with a stub instead of rendering (for access and query counts)."""
    from eiso.core import official

    monkeypatch.setattr(official, "render_pdf", lambda document: b"%PDF-1.7 stub")


# --- the decision: draft, then signed -------------------------------------------------------------


@pytest.mark.django_db
def test_the_draft_decision_pdf_is_marked_and_shows_the_header_and_the_documents(
    client, world, tmp_path
):
    decision = _decision_world(world)
    client.force_login(world.an)
    response = client.get(_url("decision_pdf", decision.pk))  # render 1
    assert "du-thao-quyet-dinh.pdf" in response["Content-Disposition"]
    path = _save_pdf(response, tmp_path, "draft.pdf")
    text = _pdf_text(path)
    flat = _flat(text)
    cells = _flat(_pdf_text(path, layout=False))
    for expected in [
        NATIONAL_TITLE,
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH PHÚ AN",
        "SỞ TƯ PHÁP",
        "QUYẾT ĐỊNH",
        "Về việc ban hành, sửa đổi quy trình giải quyết thủ tục hành chính",
        "GIÁM ĐỐC SỞ TƯ PHÁP",
        "Căn cứ Quyết định số 19/2014/QĐ-TTg",
        "QUYẾT ĐỊNH:",
        "QT-01",
        "QT-02",
        "Nơi nhận:",
        "Đặng Văn Hải",
    ]:
        assert expected in flat, expected
    for title in (FIRST_TITLE, SECOND_TITLE, "Thay thế lần ban hành 01"):
        assert title in cells, title
    assert "DỰ THẢO" in text
    # the header block opens the first page: agency left, national title right, then the
    # number with blanks and the date line with blanks for the day and month
    top = [line for line in _pdf_text(path, 1).splitlines() if line.strip()][:6]
    assert any(NATIONAL_TITLE in line for line in top), top
    assert any("SỞ TƯ PHÁP" in line and "Độc lập - Tự do - Hạnh phúc" in line for line in top)
    assert any(
        re.search(r"Số:\s+/QĐ-A\b", line)
        and re.search(rf"Phú An, ngày\s+tháng\s+năm {TODAY.year}", line)
        for line in top
    ), top
    assert flat.index("Điều 1.") < flat.index("QT-01") < flat.index("QT-02") < flat.index("Điều 2.")
    width, height = _png_of_first_page(path, tmp_path)
    assert height > width  # portrait


@pytest.mark.django_db
def test_the_draft_decision_docx_has_the_table_rows_and_the_draft_mark(client, world):
    decision = _decision_world(world)
    client.force_login(world.an)
    document = _docx(client.get(_url("decision_docx", decision.pk)))
    rows = _rows(document)
    assert rows[0] == ["STT", "Mã hiệu", "Tên tài liệu", "Lần ban hành", "Ngày hiệu lực", "Ghi chú"]
    assert [row[:4] for row in rows[1:]] == [
        ["1", "QT-01", FIRST_TITLE, "01"],
        ["2", "QT-02", SECOND_TITLE, "02"],
    ]
    assert rows[1][5] == "Ban hành lần đầu" and rows[2][5] == "Thay thế lần ban hành 01"
    text = _docx_text(document)
    assert "DỰ THẢO" in text and NATIONAL_TITLE in text and "SỞ TƯ PHÁP" in text
    assert "Số:      /QĐ-A" in text


@pytest.mark.django_db
def test_the_signed_decision_has_its_number_and_date_and_no_draft_mark(client, world, tmp_path):
    decision = _sign(world, _decision_world(world))
    client.force_login(world.binh)  # staff read signed decisions
    response = client.get(_url("decision_pdf", decision.pk))  # render 2
    assert "quyet-dinh-12-qd-a.pdf" in response["Content-Disposition"]
    path = _save_pdf(response, tmp_path, "signed.pdf")
    text = _pdf_text(path)
    flat = _flat(text)
    assert "DỰ THẢO" not in text
    assert "Số: 12/QĐ-A" in flat
    assert date_line("Phú An", TODAY) in flat
    assert "QT-01" in flat and "QT-02" in flat
    assert SECOND_TITLE in _flat(_pdf_text(path, layout=False))
    _png_of_first_page(path, tmp_path)
    document = _docx(client.get(_url("decision_docx", decision.pk)))
    text = _docx_text(document)
    assert "DỰ THẢO" not in text and "Số: 12/QĐ-A" in text
    assert [row[1] for row in _rows(document)[1:]] == ["QT-01", "QT-02"]


# --- the master list ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_master_list_pdf_and_docx_show_current_revisions_only_in_landscape(
    client, world, tmp_path
):
    decision = _sign(world, _decision_world(world))
    assert decision.status == DecisionStatus.SIGNED
    make_issued(world, world.A, "BM-01-02", title="Phiếu theo dõi hồ sơ", kind="form")
    make_draft(world, world.A, "QT-99", title="Quy trình chưa ban hành")  # never issued
    withdrawn, _ = make_issued(world, world.A, "QT-03", number="16/QĐ-RUT")
    services.document_withdraw(actor=world.an, document=withdrawn, reason="Bãi bỏ")
    client.force_login(world.an)
    response = client.get(_url("master_list_pdf"))  # render 3
    assert "danh-muc-tai-lieu-noi-bo-a.pdf" in response["Content-Disposition"]
    path = _save_pdf(response, tmp_path, "master.pdf")
    flat = _flat(_pdf_text(path))
    assert NATIONAL_TITLE in flat and "SỞ TƯ PHÁP" in flat
    assert "DANH MỤC TÀI LIỆU NỘI BỘ" in flat
    assert f"(Cập nhật đến ngày {TODAY:%d/%m/%Y})" in flat
    for code in ("QT-01", "QT-02", "BM-01-02"):
        assert code in flat, code
    assert "12/QĐ-A" in flat
    # the superseded revision 01 of QT-02 (issued by 05/QĐ-CU), a withdrawn document and a
    # document never issued are not on it
    assert "05/QĐ-CU" not in flat and "QT-03" not in flat and "QT-99" not in flat
    info = _run(_tool("pdfinfo"), str(path))
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+", info), info  # A4 landscape
    width, height = _png_of_first_page(path, tmp_path)
    assert width > height

    document = _docx(client.get(_url("master_list_docx")))
    section = document.sections[0]
    assert section.page_width > section.page_height
    rows = _rows(document)
    assert rows[0][:3] == ["STT", "Mã hiệu", "Tên tài liệu"]
    by_code = {row[1]: row for row in rows[1:]}
    assert set(by_code) == {"QT-01", "QT-02", "BM-01-02"}
    assert by_code["QT-02"][4] == "02" and by_code["QT-02"][6].startswith("12/QĐ-A")
    assert "05/QĐ-CU" not in _docx_text(document)


@pytest.mark.django_db
def test_the_master_list_kind_column_is_in_vietnamese_whatever_the_ui_language(client, world):
    make_issued(world, world.A, "QT-01")
    with translation.override("vi"):
        expected = str(DocumentKind.TTHC_PROCEDURE.label)
    client.force_login(world.an)
    document = _docx(client.get(_url("master_list_docx"), HTTP_ACCEPT_LANGUAGE="en"))
    assert _rows(document)[1][3] == expected


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("stub_pdf")
def test_decision_files_are_scoped_like_the_decision_page(client, world):
    draft = _decision_world(world)
    _, revision = make_draft(world, world.A, "QT-05")
    signed = issue_revisions(world, [revision], number="40/QĐ-A")
    c_draft = services.decision_create(
        actor=world.cuong,
        agency=world.C,
        subject="Quyết định của cơ quan C",
        signer_name="x",
        signer_title="GIÁM ĐỐC",
        revisions=[approve(world, make_draft(world, world.C, "QT-C")[1])],
    )
    names = ("decision_docx", "decision_pdf")
    # another agency's people: 404 on everything
    client.force_login(world.chi)
    for decision in (draft, signed):
        for name in names:
            assert client.get(_url(name, decision.pk)).status_code == 404, (name, decision)
    # staff: signed decisions only
    client.force_login(world.binh)
    for name in names:
        assert client.get(_url(name, draft.pk)).status_code == 404, name
        assert client.get(_url(name, signed.pk)).status_code == 200, name
    # the overseer of the province: its subtree only
    client.force_login(world.dung)
    for name in names:
        assert client.get(_url(name, draft.pk)).status_code == 200, name
        assert client.get(_url(name, c_draft.pk)).status_code == 404, name
    # the buttons: draft downloads on a draft, plain downloads once signed
    client.force_login(world.an)
    page = client.get(_url("decision_detail", draft.pk)).content.decode()
    assert _url("decision_docx", draft.pk) in page and _url("decision_pdf", draft.pk) in page
    page = client.get(_url("decision_detail", signed.pk)).content.decode()
    assert _url("decision_pdf", signed.pk) in page


@pytest.mark.django_db
@pytest.mark.usefixtures("stub_pdf")
def test_master_list_files_are_scoped_like_the_master_list_page(client, world):
    make_issued(world, world.A, "QT-01")
    make_issued(world, world.C, "QT-C1")
    names = ("master_list_docx", "master_list_pdf")
    client.force_login(world.chi)
    for name in names:
        assert client.get(_url(name, agency=world.A)).status_code == 404, name
        assert client.get(_url(name)).status_code == 200, name  # their own agency's list
    client.force_login(world.dung)
    for name in names:
        assert client.get(_url(name, agency=world.A)).status_code == 200, name
        assert client.get(_url(name, agency=world.C)).status_code == 404, name
    client.force_login(world.binh)
    assert "QT-01" in _docx_text(_docx(client.get(_url("master_list_docx"))))
    client.force_login(world.dung)
    page = client.get(_url("master_list", agency=world.A)).content.decode()
    assert _url("master_list_docx", agency=world.A) in page
    assert _url("master_list_pdf", agency=world.A) in page


# --- query counts ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("stub_pdf")
def test_decision_file_query_count_does_not_grow_with_its_revisions(
    client, world, django_assert_num_queries
):
    def decision_over(count: int, prefix: str):
        revisions = []
        for n in range(count):
            _, revision = make_draft(
                world, world.A, f"{prefix}-{n:02d}", with_file=False, content="x"
            )
            revisions.append(approve(world, revision))
        return services.decision_create(
            actor=world.an,
            agency=world.A,
            subject="Ban hành",
            signer_name="Đặng Văn Hải",
            signer_title="GIÁM ĐỐC",
            revisions=revisions,
        )

    small, large = decision_over(1, "QT"), decision_over(20, "BM")
    client.force_login(world.an)
    # session, user, memberships, decision (+ agency, parent), its revisions (+ documents)
    for name in ("decision_docx", "decision_pdf"):
        with django_assert_num_queries(5):
            assert client.get(_url(name, small.pk)).status_code == 200
        with django_assert_num_queries(5):
            assert client.get(_url(name, large.pk)).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("stub_pdf")
def test_master_list_file_query_count_does_not_grow_with_documents(
    client, world, django_assert_num_queries
):
    make_issued(world, world.A, "QT-00")
    client.force_login(world.an)
    # session, user, memberships, documents (+ departments), their revisions in force (+
    # decisions), parent agency
    queries = 6
    for name in ("master_list_docx", "master_list_pdf"):
        with django_assert_num_queries(queries):
            client.get(_url(name))
    revisions = [
        make_draft(world, world.A, f"QT-{n:02d}", with_file=False, content="x")[1]
        for n in range(1, 21)
    ]
    issue_revisions(world, revisions, number="02/QĐ")
    for name in ("master_list_pdf", "master_list_docx"):
        with django_assert_num_queries(queries):
            response = client.get(_url(name))
    assert len(_rows(_docx(response))) == 1 + 21


# --- the builders, without rendering ----------------------------------------------------------------


@pytest.mark.django_db
def test_header_parts_follow_the_agency_tree(world, settings):
    from eiso.organizations.tests.factories import AgencyFactory, kind

    assert outputs.superior_body(world.A) == "UBND TỈNH PHÚ AN"
    assert outputs.issuing_body(world.A) == "SỞ TƯ PHÁP"
    assert outputs.place_name(world.A) == "Phú An"
    assert outputs.agency_symbol(world.A) == "A"
    # a People's Committee writes its own name in full, with no superior body; a commune's
    # documents are dated at the commune (Nghị định 30/2020)
    commune = AgencyFactory(
        code="XA-DL", name="Ủy ban nhân dân xã Đông Lợi", kind=kind("ubnd_xa"), parent=world.P
    )
    assert outputs.superior_body(commune) == ""
    assert outputs.issuing_body(commune).replace("\u00a0", " ") == "ỦY BAN NHÂN DÂN XÃ ĐÔNG LỢI"
    assert outputs.place_name(commune) == "Đông Lợi"
    assert outputs.agency_symbol(commune) == "UBND"
    assert outputs.superior_body(world.P) == "" and outputs.place_name(world.P) == "Phú An"
    # deeper in the tree: the province is still the root's
    branch = AgencyFactory(code="CC", name="Chi cục Thử nghiệm", parent=world.A)
    assert outputs.superior_body(branch) == "SỞ TƯ PHÁP"
    assert outputs.place_name(branch) == "Phú An"
    settings.EISO_PROVINCE_NAME = "Phú An Mới"
    assert outputs.place_name(branch) == "Phú An Mới"


@pytest.mark.django_db
def test_the_decision_text_from_its_data(world):
    world.A.head_title = "Giám đốc"
    world.A.save()
    decision = _decision_world(world)
    decision.signer_title = "KT. GIÁM ĐỐC\nPhó Giám đốc"
    doc = outputs.decision_document(decision)
    assert doc.watermark == outputs.DRAFT_MARK and doc.date is None
    assert doc.number == "Số:      /QĐ-A"
    assert doc.title == "Về việc ban hành, sửa đổi quy trình giải quyết thủ tục hành chính"
    assert doc.preamble[0] == "GIÁM ĐỐC SỞ TƯ PHÁP"  # the authority, not the deputy signing
    assert doc.signer_title_lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert [r.lead for r in doc.blocks if hasattr(r, "lead")] == ["Điều 1.", "Điều 2.", "Điều 3."]
    assert doc.recipients == ["Như Điều 3;", "Lưu: VT, Thư ký ISO."]
    table = doc.blocks[1]
    assert [row[4] for row in table.rows] == ["Từ ngày ký", "Từ ngày ký"]
    # the default subject of the form (in any UI language) gives the standard title
    for language in ("en", "vi"):
        with translation.override(language):
            decision.subject = translation.gettext(
                "Issuing documents of the quality management system under TCVN ISO 9001:2015"
            )
        assert outputs.decision_document(decision).title == outputs.DECISION_TITLE
    decision.subject = outputs.DEFAULT_SUBJECT
    assert outputs.decision_document(decision).title == outputs.DECISION_TITLE
    signed = _sign(world, decision)
    doc = outputs.decision_document(signed)
    assert doc.watermark == "" and doc.number == "Số: 12/QĐ-A" and doc.date == TODAY
    assert [row[4] for row in doc.blocks[1].rows] == [f"{TODAY:%d/%m/%Y}"] * 2
    assert outputs.decision_filename(signed, "docx") == "Quyết định 12-QĐ-A.docx"


@pytest.mark.django_db
def test_the_files_of_a_superseded_revision_are_marked_for_reference_only(client, world):
    document, first = make_issued(world, world.A, "QT-01")
    second = services.revision_start(actor=world.an, document=document, change_summary="Sửa")
    services.revision_update(actor=world.an, revision=second, data={"content": "Nội dung mới"})
    issue_revisions(world, [second], number="02/QĐ-A")
    client.force_login(world.an)
    page = client.get(_url("detail", document.pk)).content.decode()
    earlier = page[page.index('data-testid="earlier-revisions"') :]
    old_file = first.files.get()
    assert _url("file_download", old_file.pk) in earlier
    assert earlier.count('data-testid="superseded-files-note"') == 1
    current = page[page.index('data-testid="current-revision"') : page.index(earlier[:40])]
    assert 'data-testid="superseded-files-note"' not in current
