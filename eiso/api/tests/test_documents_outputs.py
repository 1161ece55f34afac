"""The official files through the API: an issuing decision (draft or signed) and the master list
as DOCX/PDF, scoped like their JSON, with pinned query counts and in the OpenAPI schema.

One real PDF render (the signed decision); every other PDF request goes to a stub renderer."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document as DocxDocument

from eiso.api.tests.documents_world import draft, issue, prepare_decision, url
from eiso.api.tests.helpers import assert_error_shape
from eiso.documents import services

pytestmark = pytest.mark.usefixtures("media_in_tmp")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def stub_pdf(monkeypatch):
    from eiso.core import official

    monkeypatch.setattr(official, "render_pdf", lambda document: b"%PDF-1.7 stub")


def _docx_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == DOCX_TYPE
    assert "attachment" in response["Content-Disposition"]
    document = DocxDocument(io.BytesIO(response.content))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    return [[cell.text for cell in row.cells] for row in table.rows]


def _docx_text(response) -> str:
    document = DocxDocument(io.BytesIO(response.content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


# --- decisions ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_draft_decision_downloads_as_its_marked_draft_and_staff_cannot_get_it(
    world, as_token, stub_pdf
):
    decision = prepare_decision(
        world, [draft(world, code="QT-01")[1], draft(world, code="QT-02")[1]]
    )
    an = as_token(world.an)
    response = an.get(url("decision-docx", decision.pk), HTTP_ACCEPT="application/json")
    rows = _docx_rows(response)
    assert [row[1] for row in rows[1:]] == ["QT-01", "QT-02"]
    assert "du-thao-quyet-dinh.docx" in response["Content-Disposition"]
    text = _docx_text(response)
    assert "DỰ THẢO" in text and "Số:      /QĐ-A" in text
    response = an.get(url("decision-pdf", decision.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    for name in ("decision-docx", "decision-pdf"):
        assert_error_shape(as_token(world.binh).get(url(name, decision.pk)), 404, "not_found")
        assert_error_shape(as_token(world.chi).get(url(name, decision.pk)), 404, "not_found")
        assert as_token(world.dung).get(url(name, decision.pk)).status_code == 200
        assert_error_shape(as_token(world.em).get(url(name, decision.pk)), 404)


@pytest.mark.django_db
def test_a_signed_decision_downloads_as_a_pdf_with_its_number_and_no_draft_mark(world, as_token):
    decision = issue(world, [draft(world, code="QT-01")[1]], number="12/QĐ-A")
    response = as_token(world.binh).get(url("decision-pdf", decision.pk))  # the one render
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert "quyet-dinh-12-qd-a.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF's text")
    text = subprocess.run(
        [pdftotext, "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat and "SỞ TƯ PHÁP" in flat
    assert "Số: 12/QĐ-A" in flat and "QT-01" in flat and "DỰ THẢO" not in flat
    assert_error_shape(as_token(world.chi).get(url("decision-pdf", decision.pk)), 404)


# --- the master list ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_master_list_downloads_with_current_revisions_only(world, as_token, stub_pdf):
    document, old = draft(world, code="QT-01")
    issue(world, [old], number="05")
    newer = services.revision_start(actor=world.an, document=document, change_summary="Sửa")
    services.revision_update(actor=world.an, revision=newer, data={"content": "Mới"})
    issue(world, [newer], number="12/QĐ-A")
    draft(world, code="QT-99")  # never issued
    response = as_token(world.binh).get(url("master-list-docx"))
    rows = _docx_rows(response)
    assert [row[1] for row in rows[1:]] == ["QT-01"]
    assert rows[1][4] == "02" and rows[1][6].startswith("12/QĐ-A")
    assert "05" not in _docx_text(response)
    assert "danh-muc-tai-lieu-noi-bo-a.docx" in response["Content-Disposition"]
    response = as_token(world.an).get(url("master-list-pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # an overseer names an agency of the subtree
    dung = as_token(world.dung)
    assert [r[1] for r in _docx_rows(dung.get(url("master-list-docx"), {"agency": world.A.pk}))[1:]]
    assert dung.get(url("master-list-pdf"), {"agency": world.A.pk}).status_code == 200


@pytest.mark.django_db
def test_the_master_list_files_of_another_agency_are_refused_like_the_list(
    world, as_token, stub_pdf
):
    """As for GET /master-list/: an agency outside the user's scope is refused as an unknown
    choice (400 on the ``agency`` field), nothing is rendered."""
    issue(world, [draft(world, code="QT-01")[1]])
    for name in ("master-list-docx", "master-list-pdf"):
        error = assert_error_shape(as_token(world.chi).get(url(name), {"agency": world.A.pk}), 400)
        assert "agency" in error["fields"]
        assert_error_shape(as_token(world.dung).get(url(name), {"agency": world.C.pk}), 400)
        response = as_token(world.chi).get(url(name))  # their own agency's (empty) list
        assert response.status_code == 200


# --- query counts ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_file_query_counts_do_not_grow_with_rows(
    world, as_token, stub_pdf, django_assert_num_queries
):
    small = prepare_decision(world, [draft(world, with_file=False, content="x")[1]])
    large = prepare_decision(
        world, [draft(world, with_file=False, content="x")[1] for _ in range(20)]
    )
    issue(world, [draft(world, with_file=False, content="x")[1]])
    an = as_token(world.an)
    # token + user, memberships, decision (+ agency, parent), its revisions (+ documents)
    for name in ("decision-docx", "decision-pdf"):
        for decision in (small, large):
            with django_assert_num_queries(4):
                assert an.get(url(name, decision.pk)).status_code == 200
    # token + user, the acting role, memberships (scope), documents (+ departments), their
    # revisions in force (+ decisions), parent agency
    for name in ("master-list-docx", "master-list-pdf"):
        with django_assert_num_queries(6):
            assert an.get(url(name)).status_code == 200
    issue(world, [draft(world, with_file=False, content="x")[1] for _ in range(20)])
    for name in ("master-list-pdf", "master-list-docx"):
        with django_assert_num_queries(6):
            response = an.get(url(name))
    assert len(_docx_rows(response)) == 1 + 21


# --- the schema -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_files_are_binary_downloads_in_the_schema(api, world):
    api.force_login(world.an)  # the schema is for signed-in people
    response = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    for path, media in [
        ("/api/v1/decisions/{id}/docx/", DOCX_TYPE),
        ("/api/v1/decisions/{id}/pdf/", "application/pdf"),
        ("/api/v1/master-list/docx/", DOCX_TYPE),
        ("/api/v1/master-list/pdf/", "application/pdf"),
    ]:
        ok = paths[path]["get"]["responses"]["200"]["content"]
        assert ok[media]["schema"] == {"type": "string", "format": "binary"}, (path, ok)
    parameters = paths["/api/v1/master-list/pdf/"]["get"]["parameters"]
    assert "agency" in {p["name"] for p in parameters}
