"""Large imports run as background jobs (issue 8 item 4): more than IMPORT_SYNC_ROWS rows are
checked — and imported once confirmed — by a Celery task (in-process here: no broker), with
the progress saved on the batch and a page that polls it, then shows the result."""

import io

import pytest
from django.urls import reverse

from eiso.core import imports
from eiso.core.models import AuditEvent, ImportBatch
from eiso.core.tasks import run_import_job
from eiso.organizations.models import Agency

HEADER = "code,name,kind,parent_code\n"


def agencies_csv(n: int, *, bad_row: int | None = None) -> bytes:
    lines = [
        f"J{i},Xã số {i},{'loai-la' if i == bad_row else 'ubnd_xa'},P\n" for i in range(1, n + 1)
    ]
    return (HEADER + "".join(lines)).encode()


def upload(content: bytes, name: str = "xa.csv"):
    file = io.BytesIO(content)
    file.name = name
    return file


@pytest.fixture(autouse=True)
def _small_jobs(settings):
    settings.IMPORT_SYNC_ROWS = 3


@pytest.mark.django_db
def test_a_large_file_is_checked_in_the_background_then_imported_on_confirm(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.quan)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organizations:import"), {"file": upload(agencies_csv(5))})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:job", args=[batch.pk])
    assert (batch.status, batch.row_count, batch.rows_done) == ("previewed", 5, 5)
    assert batch.result["ok"] and not Agency.objects.filter(code__startswith="J").exists()

    page = client.get(response.url).content.decode()
    assert 'data-testid="import-ok"' in page and 'name="csrfmiddlewaretoken"' in page
    assert 'hx-trigger="every 2s"' not in page  # nothing left to poll

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:job", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "applied" and batch.result["imported"] == 5
    assert Agency.objects.filter(code__startswith="J").count() == 5
    event = AuditEvent.objects.get(action="import.agencies")
    assert event.changes == {"file": "xa.csv", "rows": 5} and event.actor == world.quan
    assert 'data-testid="import-done"' in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_a_large_file_with_bad_rows_lists_them_and_cannot_be_confirmed(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.quan)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organizations:import"), {"file": upload(agencies_csv(6, bad_row=4))}
        )
    batch = ImportBatch.objects.get()
    assert batch.status == "previewed" and not batch.result["ok"]
    assert [(e["row"], e["column"]) for e in batch.result["errors"]] == [(5, "kind")]
    page = client.get(response.url).content.decode()
    assert 'data-testid="import-errors"' in page and 'id="import-row-5"' in page
    assert "loai-la" in page
    response = client.post(reverse("imports:job", args=[batch.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    batch.refresh_from_db()
    assert batch.status == "previewed"  # nothing queued
    assert not Agency.objects.filter(code__startswith="J").exists()


@pytest.mark.django_db
def test_the_progress_box_polls_while_the_job_runs_then_reloads_the_page(client, world):
    batch = ImportBatch.objects.create(
        kind="agencies",
        filename="xa.csv",
        content=agencies_csv(5),
        created_by=world.quan,
        status=ImportBatch.Status.CHECKING,
        row_count=5000,
        rows_done=1500,
    )
    client.force_login(world.quan)
    running = client.get(reverse("imports:job_progress", args=[batch.pk]))
    body = running.content.decode()
    assert 'hx-trigger="every 2s"' in body and 'value="1500"' in body and 'max="5000"' in body
    assert "HX-Refresh" not in running
    assert batch.percent == 30
    ImportBatch.objects.filter(pk=batch.pk).update(status="previewed", result={"ok": True})
    ended = client.get(reverse("imports:job_progress", args=[batch.pk]))
    assert ended["HX-Refresh"] == "true" and "hx-trigger" not in ended.content.decode()


@pytest.mark.django_db
def test_only_the_uploader_sees_a_job(client, world):
    batch = imports.import_job_start(
        actor=world.quan,
        agency=None,
        kind="agencies",
        filename="xa.csv",
        content=agencies_csv(5),
        apply=False,
    )
    for persona in ("dung", "an", "chi"):
        client.force_login(world.persona(persona))
        assert client.get(reverse("imports:job", args=[batch.pk])).status_code == 404
        assert client.get(reverse("imports:job_progress", args=[batch.pk])).status_code == 404
        assert client.post(reverse("imports:job", args=[batch.pk])).status_code == 404


@pytest.mark.django_db
def test_the_job_imports_everything_or_nothing_and_says_why(world, monkeypatch):
    batch = imports.import_job_start(
        actor=world.quan,
        agency=None,
        kind="agencies",
        filename="xa.csv",
        content=agencies_csv(5),
        apply=True,
    )
    calls = []

    def broken_paths(agencies, **kwargs):
        # the agencies are inserted (set-based, issue 15), then their paths fail to be written
        calls.append([agency.code for agency in agencies])
        assert Agency.objects.filter(code__startswith="J").count() == len(agencies) == 5
        raise RuntimeError("disk full")

    from eiso.organizations import imports as agency_imports

    monkeypatch.setattr(agency_imports, "_write_paths", broken_paths)
    run_import_job(batch.pk)  # as the worker runs it
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.result["message"]
    assert not Agency.objects.filter(code__startswith="J").exists()  # the insert rolled back
    run_import_job(batch.pk)  # a job runs once
    assert len(calls) == 1


@pytest.mark.django_db
def test_a_job_asked_to_import_a_file_with_bad_rows_saves_nothing(world):
    batch = imports.import_job_start(
        actor=world.quan,
        agency=None,
        kind="agencies",
        filename="xa.csv",
        content=agencies_csv(5, bad_row=2),
        apply=True,
    )
    run_import_job(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.error_count == 1
    assert "1" in batch.result["message"] and batch.result["errors"][0]["column"] == "kind"
    assert not Agency.objects.filter(code__startswith="J").exists()


@pytest.mark.django_db
def test_the_row_limit_is_checked_before_a_job_is_queued(world, settings):
    settings.IMPORT_MAX_ROWS = 4
    from eiso.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as raised:
        imports.import_job_start(
            actor=world.quan,
            agency=None,
            kind="agencies",
            filename="xa.csv",
            content=agencies_csv(5),
            apply=True,
        )
    assert "IMPORT_MAX_ROWS" in raised.value.message
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_progress_is_saved_as_rows_are_checked(world, monkeypatch):
    from eiso.core.imports import base

    monkeypatch.setattr(base, "PROGRESS_EVERY", 2)
    seen = []
    original = ImportBatch.objects.filter

    batch = imports.import_job_start(
        actor=world.quan,
        agency=None,
        kind="agencies",
        filename="xa.csv",
        content=agencies_csv(5),
        apply=False,
    )

    def spy(*args, **kwargs):
        queryset = original(*args, **kwargs)
        update = queryset.update

        def recorded(**fields):
            if "rows_done" in fields:
                seen.append(fields["rows_done"])
            return update(**fields)

        queryset.update = recorded
        return queryset

    monkeypatch.setattr(ImportBatch.objects, "filter", spy)
    run_import_job(batch.pk)
    assert 2 in seen and 4 in seen and seen[-1] == 5
