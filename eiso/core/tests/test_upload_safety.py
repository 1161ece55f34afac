"""Uploads are stored under names the server chooses, served as attachments of their checked
type with nosniff, and every upload form states its limits."""

import importlib
import pathlib
import re

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eiso.core import files
from eiso.core.files import DOCX, JPEG, PDF, PNG, XLSX, check_upload
from eiso.documents import services

PDF_BYTES = b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF"
ROOT = pathlib.Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "hostile_name",
    ["../../etc/passwd.pdf", "C:\\Windows\\evil.pdf", "<img src=x>.pdf", "ký số.html", "x" * 400],
)
def test_upload_is_stored_under_a_name_the_server_chooses(hostile_name):
    checked = check_upload(SimpleUploadedFile(hostile_name, PDF_BYTES), allowed=(PDF,))
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", checked.content.name)
    assert "/" not in checked.original_name and len(checked.original_name) <= 200


@pytest.mark.parametrize(
    ("original", "content_type", "offered"),
    [
        ("scan.html", PDF, "scan.pdf"),
        ("Quyết định.PDF", PDF, "Quyết định.PDF"),
        ("anh.jpeg", JPEG, "anh.jpeg"),
        ("anh", PNG, "anh.png"),
        ("../../a/b/quy trinh.docx", DOCX, "quy trinh.docx"),
        ("bang.svg", XLSX, "bang.xlsx"),
        ("", PDF, "file.pdf"),
    ],
)
def test_a_download_is_offered_with_the_extension_of_its_checked_type(
    original, content_type, offered
):
    assert files.download_name(original, content_type) == offered


@pytest.mark.django_db
def test_served_file_is_an_attachment_of_its_checked_type_never_the_name_guess(
    client, world, settings, tmp_path
):
    """A PDF uploaded as ``evil.html`` must not come back as text/html, nor inline."""
    settings.MEDIA_ROOT = tmp_path
    document, revision = _draft(world)
    attached = services.revision_attach_file(
        actor=world.an, revision=revision, upload=SimpleUploadedFile("evil.html", PDF_BYTES)
    )
    assert re.fullmatch(r"documents/\d{4}/[0-9a-f]{32}\.pdf", attached.file.name)
    assert attached.original_name == "evil.html"
    client.force_login(world.an)
    response = client.get(reverse("documents:file_download", args=[attached.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="evil.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.django_db
def test_api_download_is_an_attachment_of_its_checked_type(world, settings, tmp_path):
    from rest_framework.test import APIClient

    from eiso.accounts.testing import token_for

    settings.MEDIA_ROOT = tmp_path
    document, revision = _draft(world)
    attached = services.revision_attach_file(
        actor=world.an, revision=revision, upload=SimpleUploadedFile("x.svg", PDF_BYTES)
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.an)}")
    response = api.get(f"/api/v1/revision-files/{attached.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="x.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_stored_type_comes_from_the_server_given_extension_only(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("decisions/2026/abc.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    field = type("F", (), {"name": name, "open": lambda self, mode: default_storage.open(name)})()
    response = files.file_response(field, name="chu ky.html")
    assert response["Content-Type"] == PNG
    assert 'filename="chu ky.png"' in response["Content-Disposition"]
    assert files.stored_content_type("legacy/upload.html") == files.OCTET_STREAM


def test_a_missing_file_is_a_404(tmp_path, settings):
    from django.http import Http404

    settings.MEDIA_ROOT = tmp_path
    field = type(
        "F", (), {"name": "gone.pdf", "open": lambda self, mode: default_storage.open("x")}
    )()
    with pytest.raises(Http404):
        files.file_response(field, name="gone.pdf")


def test_upload_help_text_shows_the_types_and_the_current_size_limit(settings):
    settings.MAX_UPLOAD_MB = 7
    text = str(files.upload_help_text(files.SCANS))
    assert "7 MB" in text and "PDF" in text and "PNG" in text and "JPEG" in text
    assert files.accept(files.SCANS) == ".pdf,.png,.jpg,.jpeg"


def _upload_form_fields():
    """Every FileField of every form module of the project (new forms are covered too)."""
    found = []
    for path in sorted((ROOT / "eiso").glob("*/forms*.py")):
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for name, form in vars(module).items():
            if isinstance(form, type) and issubclass(form, forms.BaseForm):
                for field_name, field in getattr(form, "base_fields", {}).items():
                    if isinstance(field, forms.FileField):
                        found.append((f"{module.__name__}.{name}.{field_name}", field))
    return found


def test_every_upload_form_states_its_size_and_type_limits(settings):
    settings.MAX_UPLOAD_MB = 13
    fields = _upload_form_fields()
    assert len(fields) >= 6, [name for name, _ in fields]
    for name, field in fields:
        assert "13 MB" in str(field.help_text), name
        assert field.widget.attrs.get("accept"), name


def test_every_file_download_goes_through_the_one_safe_response():
    """No view builds a FileResponse by hand (it would guess the type from the user's name)."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "eiso").rglob("*.py")
        if "tests" not in path.parts
        and path != ROOT / "eiso/core/files.py"
        and "FileResponse(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def _draft(world):
    from eiso.documents.tests.factories import make_draft

    return make_draft(world, world.A, "QT-UP", with_file=False)
