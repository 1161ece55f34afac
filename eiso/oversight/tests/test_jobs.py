"""The summary's files past OUTPUT_SYNC_AGENCIES are built in the background (eiso/oversight/
jobs.py): the request only queues the job and sends the overseer to its page; the file is the
same as the one made within a request."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from eiso.core.models import OutputJob
from eiso.oversight.tests.worlds import announcement
from eiso.qms.choices import QmsStatus
from eiso.qms.models import Announcement, QualitySystem


@pytest.fixture
def announced_a(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Announcement.objects.bulk_create([announcement(world.A, number="25/QĐ-STP")])
    QualitySystem.objects.create(
        agency=world.A, status=QmsStatus.ANNOUNCED, reannouncement_reason="Sáp nhập xã"
    )
    return world


def rows_of(content: bytes) -> dict:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    return {name: list(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames}


@pytest.mark.django_db
def test_below_the_threshold_the_workbook_comes_with_the_request(client, announced_a, settings):
    settings.OUTPUT_SYNC_AGENCIES = 3  # the subtree has 3 agencies
    client.force_login(announced_a.dung)
    response = client.get(reverse("oversight:summary") + f"?root={announced_a.P.pk}&export=xlsx")
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert not OutputJob.objects.exists()


@pytest.mark.django_db
def test_past_the_threshold_the_workbook_is_a_job_with_the_same_content(
    client, announced_a, settings, django_capture_on_commit_callbacks
):
    world = announced_a
    client.force_login(world.dung)
    url = reverse("oversight:summary") + f"?root={world.P.pk}&date=31/12/2025&export=xlsx"
    settings.OUTPUT_SYNC_AGENCIES = 3
    direct = client.get(url).content
    settings.OUTPUT_SYNC_AGENCIES = 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    job = OutputJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.created_by == world.dung and job.agency == world.P
    assert job.params == {"root": world.P.pk, "date": "2025-12-31"}
    assert job.status == OutputJob.Status.DONE  # no broker: built in-process, at once
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="job-download"' in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert rows_of(b"".join(download.streaming_content)) == rows_of(direct)


@pytest.mark.django_db
def test_past_the_threshold_the_docx_is_a_job_issued_like_the_direct_one(
    client, announced_a, settings, django_capture_on_commit_callbacks
):
    from docx import Document

    world = announced_a
    client.force_login(world.dung)
    url = reverse("oversight:summary_docx") + f"?root={world.P.pk}&date=31/12/2025"
    settings.OUTPUT_SYNC_AGENCIES = 3
    direct = Document(io.BytesIO(client.get(url).content))
    settings.OUTPUT_SYNC_AGENCIES = 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    job = OutputJob.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.filename.endswith("31-12-2025.docx")
    built = Document(io.BytesIO(job.file.read()))

    def cells(document):
        return [c.text for t in document.tables for row in t.rows for c in row.cells]

    assert cells(built) == cells(direct) and "25/QĐ-STP" in cells(built)
    assert [p.text for p in built.paragraphs] == [p.text for p in direct.paragraphs]


@pytest.mark.django_db
def test_another_overseer_cannot_open_the_job(
    client, announced_a, settings, django_capture_on_commit_callbacks
):
    world = announced_a
    settings.OUTPUT_SYNC_AGENCIES = 0
    client.force_login(world.dung)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("oversight:summary") + f"?root={world.P.pk}&export=xlsx")
    job = OutputJob.objects.get()
    client.force_login(world.em)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
