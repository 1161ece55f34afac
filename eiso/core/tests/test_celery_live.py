"""A real Celery worker and a real Celery beat against the Redis on the machine (issue 13,
"Reminders"; ``make celery-live``, marker ``celery``, a CI step of its own). The rest of the
suite runs tasks in-process; here three processes share one database file and one Redis:

- ``manage.py migrate`` builds a temporary SQLite file and ``manage.py shell`` writes the test
  world into it (eiso/core/testing.build_world: agency A with its ISO secretary and head, its
  province's overseer; today the year's first obligations are overdue);
- ``celery -A config beat`` fires ``eiso.cycle.send_reminders`` every
  ``REMINDERS_EVERY_SECONDS`` (2 s here instead of once a day), ``celery -A config worker``
  runs it: the reminders are logged with their recipients, then beat fires again and again
  and nothing is sent twice;
- an output job (the overseer's summary as XLSX) queued by another process is built by the
  worker: finished, its file on disk.

Skipped only when no Redis answers at 127.0.0.1:6379."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.celery

ROOT = Path(__file__).resolve().parents[3]
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# Databases of the machine's Redis this test may use (never 0, the deployment's default): the
# first one no other run of this test holds (a lock key) is flushed, used and flushed again.
REDIS_DBS = (15, 14, 13, 12)
LOCK = "eiso:test-celery-live:lock"
BEAT_SECONDS = 2
WAIT = 60  # seconds for anything the processes must do
RUN_DONE = re.compile(
    r"Task eiso\.cycle\.send_reminders\[[0-9a-f-]+\] succeeded in [\d.e-]+s: (\{.*\})$",
    re.MULTILINE,
)


def _redis():
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"no Redis at {REDIS_HOST}:{REDIS_PORT} ({exc}); start redis-server")
    return redis


def _claim_db(redis) -> tuple[int, object]:
    for db in REDIS_DBS:
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=db)
        if client.set(LOCK, os.getpid(), nx=True, ex=900):
            # Whatever a killed run left there (queued tasks) goes; the lock stays.
            for key in client.scan_iter():
                if key != LOCK.encode():
                    client.delete(key)
            return db, client
    pytest.fail(f"Redis databases {REDIS_DBS} are all held by other runs of this test")


@dataclass
class Live:
    folder: Path
    env: dict
    redis_db: int
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def database(self) -> Path:
        return self.folder / "db.sqlite3"

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def manage(self, *args: str, timeout: int = 180) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def start(self, name: str, *args: str) -> None:
        with open(self.folder / f"{name}.log", "wb") as out:
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", *args],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the worker's children too
            )

    def stop(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.processes.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)

    def query(self, sql: str, *params) -> list[tuple]:
        with closing(sqlite3.connect(self.database, timeout=10)) as connection:
            return connection.execute(sql, params).fetchall()

    def wait_for(self, what: str, check, timeout: float = WAIT):
        """Poll ``check()`` until it returns something true; fail (with the processes' logs)
        after ``timeout`` seconds or when a process died."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            found = check()
            if found:
                return found
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    pytest.fail(f"celery {name} exited ({proc.returncode}):\n{self.log(name)}")
            time.sleep(0.25)
        logs = "\n".join(f"--- {name}\n{self.log(name)[-4000:]}" for name in self.processes)
        pytest.fail(f"no {what} within {timeout} s\n{logs}")

    def runs(self) -> list[str]:
        """The results of the reminder runs the worker finished, in order."""
        return RUN_DONE.findall(self.log("worker"))


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    redis = _redis()
    db, client = _claim_db(redis)
    folder = tmp_path_factory.mktemp("celery-live")
    env = {
        key: value
        for key, value in os.environ.items()
        # the subprocesses' own database, cache, broker and mode: nothing of the caller's
        if key not in {"DATABASE_REPLICA_URL", "CACHE_URL", "CELERY_RESULT_BACKEND", "EISO_TESTING"}
        and not key.startswith("PYTEST")
    }
    env.update(
        EISO_DEV="1",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        EISO_DATA_DIR=str(folder),
        MEDIA_ROOT=str(folder / "media"),
        EMAIL_URL="locmem://",
        CELERY_BROKER_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/{db}",
        REMINDERS_EVERY_SECONDS=str(BEAT_SECONDS),
        PYTHONUNBUFFERED="1",
    )
    running = Live(folder=folder, env=env, redis_db=db)
    try:
        running.manage("migrate", "--noinput", "-v0")
        running.manage(
            "shell", "-v0", "-c", "from eiso.core.testing import build_world; build_world()"
        )
        running.start(
            "worker",
            "worker",
            "--concurrency=1",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"live-{os.getpid()}@%h",
            "-l",
            "info",
        )
        running.start(
            "beat", "beat", "-l", "info", "-s", str(folder / "beat-schedule"), "--pidfile="
        )
        yield running
    finally:
        running.stop()
        client.flushdb()  # the queue, kombu's bindings and the lock


def _reminders_of_agency_a(live: Live) -> list[tuple]:
    return live.query(
        """
        SELECT log.id, log.rule_code, log.instance, log.stage, log.recipient_names,
               group_concat(person.username, ',')
        FROM cycle_reminderlog log
        JOIN organizations_agency agency ON agency.id = log.agency_id
        JOIN cycle_reminderlog_recipients link ON link.reminderlog_id = log.id
        JOIN accounts_user person ON person.id = link.user_id
        WHERE agency.code = 'A'
        GROUP BY log.id ORDER BY log.id
        """
    )


def test_beat_fires_the_reminders_once_and_the_worker_logs_them_with_their_recipients(live):
    started = time.monotonic()
    logs = live.wait_for("reminder of agency A", lambda: _reminders_of_agency_a(live))
    # Beat sent the task, the worker ran it (not in-process: the test process has no broker).
    assert "Sending due task cycle-send-reminders" in live.log("beat")
    first = live.wait_for("finished reminder run", live.runs)[0]
    assert "'sent': {}" not in first, first

    # Agency A's obligations not met: its ISO secretary and head are reminded; past the grace
    # period its overseer (the province's) is told.
    stages = {stage for _, _, _, stage, _, _ in logs}
    assert "overdue" in stages
    for _, code, _, stage, names, usernames in logs:
        expected = {"dung"} if stage == "escalation" else {"an", "hai"}
        assert set(usernames.split(",")) == expected, (code, stage, usernames)
        if stage != "escalation":
            assert "Trần Thị An <an@example.gov.vn>" in names
            assert "Đặng Văn Hải <hai@example.gov.vn>" in names
    (total,) = live.query("SELECT count(*) FROM cycle_reminderlog")[0]
    (notified,) = live.query("SELECT count(*) FROM core_notification")[0]
    assert notified >= len(logs) > 0

    # Beat fires again (twice more at least): every reminder is already sent, none twice.
    seen = len(live.runs())
    later = live.wait_for(
        "two more reminder runs", lambda: live.runs()[seen:] if len(live.runs()) >= seen + 2 else []
    )
    for result in later:
        assert "'sent': {}" in result, result
        assert f"'already': {total}" in result, result
    assert live.query("SELECT count(*) FROM cycle_reminderlog")[0][0] == total
    assert live.query("SELECT count(*) FROM core_notification")[0][0] == notified
    duplicates = live.query(
        """SELECT agency_id, year, rule_code, instance, stage, count(*) FROM cycle_reminderlog
           GROUP BY agency_id, year, rule_code, instance, stage HAVING count(*) > 1"""
    )
    assert duplicates == []
    assert time.monotonic() - started < 2 * WAIT


def test_an_output_job_queued_by_another_process_is_built_by_the_worker(live):
    # Queued from a separate process (as a web request would), with the broker set: only the
    # running worker can build it.
    out = live.manage(
        "shell",
        "-v0",
        "-c",
        "from django.utils import timezone\n"
        "from eiso.accounts.models import Membership\n"
        "from eiso.core import jobs\n"
        "from eiso.core.scoping import act_as\n"
        "m = Membership.objects.select_related('user').get(user__username='dung')\n"
        "act_as(m.user, m)\n"
        "job = jobs.job_start(actor=m.user, kind='oversight.summary_xlsx', title='Tổng hợp',\n"
        "    params={'root': m.agency_id, 'date': timezone.localdate().isoformat()})\n"
        "from django.conf import settings\n"
        "print('JOB', job.pk, settings.CELERY_TASK_ALWAYS_EAGER)\n",
    )
    match = re.search(r"^JOB (\d+) (\w+)$", out, re.MULTILINE)
    assert match, out
    job_id = int(match[1])
    assert match[2] == "False"  # with a broker nothing runs in the asking process

    def finished():
        rows = live.query(
            "SELECT status, progress, file, filename FROM core_outputjob WHERE id = ?", job_id
        )
        return rows[0] if rows and rows[0][0] in {"done", "failed"} else None

    status, progress, name, filename = live.wait_for("finished output job", finished)
    assert (status, progress) == ("done", 100)
    assert filename.endswith(".xlsx")
    assert re.search(r"Task eiso\.core\.run_output_job\[[0-9a-f-]+\] succeeded", live.log("worker"))
    built = live.folder / "media" / name
    assert zipfile.is_zipfile(built)  # an XLSX workbook
    with zipfile.ZipFile(built) as workbook:
        assert "xl/workbook.xml" in workbook.namelist()
