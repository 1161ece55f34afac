"""Signed files (ký số), issue 13: a PDF signed with a certificate made in the test is reported
valid with its signer, organisation and time; the same file changed after signing is refused
with the reason; a scan without a digital signature is accepted and shown as such; trust anchors
are configuration. The check shows on the upload pages of announcements, issuing decisions and
review minutes."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from eiso.core import signatures
from eiso.core.errors import ValidationFailed
from eiso.reports import services
from eiso.reports.tests.factories import approved_report
from eiso.reports.tests.signing import make_signer, plain_pdf, png_scan, sign, tamper


@pytest.fixture(scope="module")
def signer():
    return make_signer()


@pytest.fixture(scope="module")
def signed_pdf(signer):
    return sign(plain_pdf(), signer)


def test_a_signed_pdf_is_valid_with_its_signer_and_time(signed_pdf, signer):
    found = signatures.check_pdf(signed_pdf, roots=[signer.asn1()[1]])
    assert found.kind == signatures.SIGNED and found.trusted
    (info,) = found.signatures
    assert info.signer == "Đặng Văn Hải"
    assert info.organisation == "Sở Tư pháp tỉnh Phú An"
    assert info.intact and info.valid and info.whole_file and info.signed_at
    assert "Đặng Văn Hải" in found.summary() and "Sở Tư pháp" in found.summary()


def test_without_the_trust_anchor_the_signature_is_intact_but_not_trusted(signed_pdf):
    found = signatures.check_pdf(signed_pdf, roots=[])
    assert found.kind == signatures.SIGNED and not found.trusted
    assert not found.signatures[0].trusted


def test_the_trust_anchors_are_configuration(signed_pdf, signer, settings, tmp_path):
    anchor = tmp_path / "root.pem"
    anchor.write_bytes(signer.pem)
    settings.SIGNATURE_TRUST_ROOTS = [str(anchor)]
    assert signatures.check_pdf(signed_pdf).trusted
    settings.SIGNATURE_TRUST_ROOTS = []
    assert not signatures.check_pdf(signed_pdf).trusted


def test_a_pdf_changed_after_signing_is_not_valid_and_says_why(signed_pdf, signer):
    found = signatures.check_pdf(tamper(signed_pdf), roots=[signer.asn1()[1]])
    assert found.kind == signatures.INVALID
    assert not found.signatures[0].intact
    assert found.signatures[0].problem


def test_content_added_after_signing_is_reported(signed_pdf, signer):
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf))
    writer.root["/Extra"] = generic.TextStringObject("thêm sau khi ký")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    found = signatures.check_pdf(out.getvalue(), roots=[signer.asn1()[1]])
    assert found.kind == signatures.INVALID
    assert not found.signatures[0].whole_file


def test_a_scan_is_accepted_as_a_scan():
    assert signatures.check_pdf(plain_pdf()).kind == signatures.SCAN
    assert signatures.check_pdf(png_scan()).kind == signatures.SCAN
    assert signatures.check_pdf(b"%PDF-1.7 not really").kind in (
        signatures.UNREADABLE,
        signatures.SCAN,
    )


@pytest.mark.django_db
def test_a_report_is_submitted_with_its_signed_file_checked(world, signed_pdf, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = approved_report(world)
    services.annual_report_submit(
        actor=world.an,
        report=report,
        number="12",
        report_date=timezone.localdate(),
        upload=SimpleUploadedFile("bao-cao-ky-so.pdf", signed_pdf),
    )
    report.refresh_from_db()
    found = signatures.FileCheck.from_dict(report.signature)
    assert found.kind == signatures.SIGNED
    assert found.signatures[0].signer == "Đặng Văn Hải"


@pytest.mark.django_db
def test_a_report_whose_signature_is_broken_is_refused(world, signed_pdf, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = approved_report(world)
    with pytest.raises(ValidationFailed) as refused:
        services.annual_report_submit(
            actor=world.an,
            report=report,
            number="12",
            report_date=timezone.localdate(),
            upload=SimpleUploadedFile("bao-cao.pdf", tamper(signed_pdf)),
        )
    assert "signed_file" in refused.value.fields
    report.refresh_from_db()
    assert report.status == "approved"


@pytest.mark.django_db
def test_a_scanned_report_is_accepted_and_shown_as_a_scan(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = approved_report(world)
    services.annual_report_submit(
        actor=world.an,
        report=report,
        number="12",
        report_date=timezone.localdate(),
        upload=SimpleUploadedFile("scan.png", png_scan()),
    )
    report.refresh_from_db()
    assert report.signature["kind"] == signatures.SCAN


@pytest.mark.django_db
def test_the_check_shows_on_the_upload_pages_of_other_documents(
    client, world, signed_pdf, settings, tmp_path
):
    """Announcements, issuing decisions and review minutes show what their signed file says."""
    settings.MEDIA_ROOT = tmp_path
    from eiso.documents.models import IssuingDecision
    from eiso.qms.models import Announcement
    from eiso.reviews.models import ManagementReview

    announcement = Announcement.objects.create(
        agency=world.A,
        kind="first",
        number="20/QĐ-A",
        signer_name="Hải",
        signer_title="GIÁM ĐỐC",
        standard_version="2015",
        status="signed",
    )
    announcement.signed_file.save("a.pdf", ContentFile(signed_pdf))
    decision = IssuingDecision.objects.create(
        agency=world.A,
        number="21/QĐ-A",
        subject="Ban hành",
        signer_name="Hải",
        signer_title="GIÁM ĐỐC",
        status="signed",
        created_by=world.an,
    )
    decision.signed_file.save("d.pdf", ContentFile(tamper(signed_pdf)))
    review = ManagementReview.objects.create(
        agency=world.A, year=2026, sequence=1, meeting_date="2026-11-20", status="minutes_issued"
    )
    review.signed_scan.save("m.png", ContentFile(png_scan()))
    client.force_login(world.an)
    pages = {
        "signed": reverse("qms:announcement_detail", args=[announcement.pk]),
        "invalid": reverse("documents:decision_detail", args=[decision.pk]),
        "scan": reverse("reviews:detail", args=[review.pk]),
    }
    for kind, url in pages.items():
        body = client.get(url).content.decode()
        assert f'data-testid="signature-check" data-kind="{kind}"' in body, (kind, url)
