"""Files prepared in the background (eiso/core/jobs.py): run in-process without a broker, the
progress page, the download through the one safe response, only the owner sees the job."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from eiso.core import jobs
from eiso.core.errors import ValidationFailed
from eiso.core.files import DOCX, PDF
from eiso.core.models import OutputJob

CONTENT = b"%PDF-1.4\n% a file built by the test builder\n"
calls: list[dict] = []


@jobs.output("core.test_file")
def _test_file(*, user, params, progress) -> jobs.File:
    calls.append({"user": user, "params": params})
    progress(40, "Đang tính")
    if params.get("refuse"):
        raise ValidationFailed("Không lập được báo cáo cho ngày này.")
    if params.get("crash"):
        raise RuntimeError("boom")
    return jobs.File(name="Báo cáo tổng hợp.pdf", content=CONTENT, content_type=PDF)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    calls.clear()


def start(user, django_capture_on_commit_callbacks, **params) -> OutputJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(actor=user, kind="core.test_file", params=params, title="Báo cáo")
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_without_a_broker_the_job_is_built_in_process_once_the_request_commits(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.job_start(
            actor=world.dung, kind="core.test_file", params={"day": "2026-01-01"}, title="X"
        )
    assert job.status == OutputJob.Status.QUEUED and calls == []  # nothing before the commit
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == OutputJob.Status.DONE and job.progress == 100 and job.stage == ""
    assert job.filename == "Báo cáo tổng hợp.pdf" and job.content_type == PDF
    assert job.file.read() == CONTENT and job.finished_at is not None
    assert calls == [{"user": world.dung, "params": {"day": "2026-01-01"}}]


@pytest.mark.django_db
def test_a_second_click_gets_the_same_job_and_a_failed_one_is_asked_again(
    world, django_capture_on_commit_callbacks
):
    first = start(world.dung, django_capture_on_commit_callbacks, day="2026-01-01")
    again = start(world.dung, django_capture_on_commit_callbacks, day="2026-01-01")
    assert again.pk == first.pk and len(calls) == 1
    other_day = start(world.dung, django_capture_on_commit_callbacks, day="2026-01-02")
    assert other_day.pk != first.pk
    refused = start(world.dung, django_capture_on_commit_callbacks, refuse=True)
    assert refused.status == OutputJob.Status.FAILED
    assert refused.message == "Không lập được báo cáo cho ngày này."
    retried = start(world.dung, django_capture_on_commit_callbacks, refuse=True)
    assert retried.pk != refused.pk


@pytest.mark.django_db
def test_an_unexpected_error_fails_the_job_with_a_message_and_raises_nothing(
    world, django_capture_on_commit_callbacks
):
    with translation.override("en"):
        job = start(world.dung, django_capture_on_commit_callbacks, crash=True)
    assert job.status == OutputJob.Status.FAILED and not job.file
    assert job.message == "The file could not be prepared because of an unexpected error."


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_when_asked_not_in_the_worker(world):
    with pytest.raises(ValidationFailed):
        jobs.job_start(actor=world.dung, kind="core.no_such_file", params={}, title="X")
    assert not OutputJob.objects.exists()


@pytest.mark.django_db
def test_a_job_runs_once_even_if_the_task_is_delivered_twice(world):
    job = OutputJob.objects.create(kind="core.test_file", title="X", created_by=world.dung)
    jobs.run_output_job(job.pk)
    jobs.run_output_job(job.pk)
    assert len(calls) == 1


@pytest.mark.django_db
def test_the_progress_page_polls_while_the_file_is_built_then_offers_it(client, world):
    job = OutputJob.objects.create(
        kind="core.test_file",
        title="Tổng hợp theo cấp",
        created_by=world.dung,
        status=OutputJob.Status.RUNNING,
        progress=40,
        stage="Đang tính",
    )
    client.force_login(world.dung)
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "Tổng hợp theo cấp" in body and "Đang tính" in body
    assert f'hx-get="{reverse("jobs:progress", args=[job.pk])}"' in body
    assert 'value="40"' in body and 'data-testid="job-download"' not in body
    progress = client.get(reverse("jobs:progress", args=[job.pk]))
    assert progress.status_code == 200 and "HX-Refresh" not in progress
    assert "<html" not in progress.content.decode()  # the box only
    # the worker finishes: the box asks the page to reload, which offers the download
    OutputJob.objects.filter(pk=job.pk).update(
        status=OutputJob.Status.DONE, filename="Báo cáo.pdf", finished_at=timezone.now()
    )
    assert client.get(reverse("jobs:progress", args=[job.pk]))["HX-Refresh"] == "true"
    body = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-download"' in body and "hx-get" not in body.split("job-progress")[1]


@pytest.mark.django_db
def test_a_failed_job_says_why(client, world, django_capture_on_commit_callbacks):
    job = start(world.dung, django_capture_on_commit_callbacks, refuse=True)
    client.force_login(world.dung)
    body = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Không lập được báo cáo cho ngày này." in body
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_the_download_is_an_attachment_of_the_type_the_job_made(
    client, world, django_capture_on_commit_callbacks
):
    job = start(world.dung, django_capture_on_commit_callbacks)
    client.force_login(world.dung)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "B%C3%A1o%20c%C3%A1o%20t%E1%BB%95ng%20h%E1%BB%A3p.pdf" in (response["Content-Disposition"])
    )
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_job_still_running_has_nothing_to_download(client, world):
    job = OutputJob.objects.create(
        kind="core.test_file", title="X", created_by=world.dung, content_type=DOCX
    )
    client.force_login(world.dung)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_only_the_person_who_asked_sees_the_job(client, world, django_capture_on_commit_callbacks):
    job = start(world.dung, django_capture_on_commit_callbacks)
    for other in (world.quan, world.an):  # the administrator, another agency's secretary
        client.force_login(other)
        for name in ("jobs:detail", "jobs:progress", "jobs:download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (other, name)
    client.logout()
    response = client.get(reverse("jobs:detail", args=[job.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_the_job_reads_in_the_role_it_was_asked_in_and_not_after_the_role_ended(
    world, django_capture_on_commit_callbacks
):
    from eiso.accounts.models import Membership
    from eiso.core.scoping import act_as

    membership = Membership.objects.filter(user=world.dung, is_active=True).first()
    act_as(world.dung, membership)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.job_start(actor=world.dung, kind="core.test_file", params={}, title="X")
    assert job.membership_id == membership.pk
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    with translation.override("en"):
        for callback in callbacks:
            callback()
    job.refresh_from_db()
    assert job.status == OutputJob.Status.FAILED and calls == []  # nothing read in it
    assert job.message == "The role you asked for this file in has ended."


@pytest.mark.django_db
def test_files_older_than_two_days_are_removed_when_their_owner_asks_for_another(
    world, django_capture_on_commit_callbacks
):
    old = start(world.dung, django_capture_on_commit_callbacks, day="old")
    stored = old.file.name
    OutputJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - jobs.KEEP_FOR - datetime.timedelta(minutes=1)
    )
    new = start(world.dung, django_capture_on_commit_callbacks, day="new")
    assert not OutputJob.objects.filter(pk=old.pk).exists()
    assert list(OutputJob.objects.values_list("pk", flat=True)) == [new.pk]
    directory = stored.rsplit("/", 1)[0]
    assert old.file.storage.listdir(directory)[1] == [new.file.name.rsplit("/", 1)[1]]
