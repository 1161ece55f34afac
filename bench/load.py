"""Driver of the mixed load test (issue 15): gunicorn serving e-ISO on loopback, locust's
people (bench/locustfile.py) at work on the country-size data of bench/run.py + bench/qms.py.

    # once: the country on PostgreSQL, kept (7-11 minutes; the name must contain "bench")
    .venv/bin/python bench/run.py --provinces 20 --keep --no-write --only home --repeat 1 \\
        --database-url postgres://postgres@127.0.0.1:5432/eiso_bench_load
    # then, as often as wanted (about 3 minutes per user count)
    .venv/bin/python bench/load.py --users 20 50

For each user count it prepares the accounts (once), starts ``gunicorn config.wsgi`` with 3
workers on 127.0.0.1, runs locust headless for a short unrecorded warm-up and then for
``--run-time``, stops gunicorn and writes bench/results/load-<users>-users-postgresql.md and
.json: requests/s, p50/p95/p99/max (exact, from every request's time), errors, per endpoint the
same plus its share of the server's time, the load average before/during/after, and the CPU
seconds that gunicorn's workers, the database's backends, locust and the rest of the machine
used meanwhile. See bench/README.md, "Load test".
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402  (the root on the path first)
    git_commit,
    machine,
    percentile,
    postgres_admin,
    setup_django,
    sidecar,
    write_results,
)

WORK = Path("/tmp/eiso-bench-load")
ACCOUNTS = WORK / "accounts.json"
PERSONAS = ("secretary", "province", "national", "admin")
# 20 people: 15 ISO secretaries of communes, 2 province overseers, 2 national overseers, one
# administrator; other counts keep these shares (largest remainder).
MIX_20 = {"secretary": 15, "province": 2, "national": 2, "admin": 1}
# Server-side settings of the run: those of `make run` with DEBUG off (as bench/run.py), and
# the second factor required of overseers and administrators as in production.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "EISO_DEV": "1",
    "DEBUG": "0",
    "LOG_LEVEL": "WARNING",
    "EMAIL_URL": "locmem://",
    "EISO_DATA_DIR": "/tmp/eiso-bench-data",
    "TWO_FACTOR_REQUIRED_ROLES": "admin,overseer",
}
TICKS = os.sysconf("SC_CLK_TCK")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Mixed load test of e-ISO (gunicorn + locust).", epilog="See bench/README.md."
    )
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/eiso_bench_load",
        help="a country kept by bench/run.py --provinces 20 --keep (name containing 'bench')",
    )
    parser.add_argument("--users", type=int, nargs="+", default=[20], help="e.g. 20 50")
    parser.add_argument("--mix", default="", help="e.g. secretary=15,province=2,national=2,admin=1")
    parser.add_argument("--run-time", default="120s", help="locust's --run-time")
    parser.add_argument("--warmup", default="20s", help="unrecorded run first ('0' for none)")
    parser.add_argument("--spawn-rate", type=float, default=10.0)
    parser.add_argument("--wait", type=float, default=0.0, help="think time between pages, s")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/7",
        help="the workers' shared cache (CACHE_URL; its database is emptied first); '' for "
        "each worker's own memory",
    )
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument(
        "--worktree",
        action="store_true",
        help="serve the working tree as it is (default: a clean export of HEAD under "
        f"{WORK}, so that edits in progress elsewhere in the tree cannot break a page mid-run)",
    )
    parser.add_argument("--prepare-only", action="store_true", help="only write the accounts")
    parser.add_argument("--no-write", action="store_true", help="print only; write no results")
    parser.add_argument("--label", default="", help="suffix of the results files")
    return parser.parse_args(argv)


def mix_for(users: int, spec: str) -> dict[str, int]:
    if spec:
        mix = {k.strip(): int(v) for k, v in (p.split("=") for p in spec.split(",") if p)}
        if sum(mix.values()) != users:
            sys.exit(f"--mix adds up to {sum(mix.values())} users, not {users}.")
        return mix
    total = sum(MIX_20.values())
    exact = {k: users * v / total for k, v in MIX_20.items()}
    mix = {k: math.floor(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: -(exact[k] - mix[k]))[: users - sum(mix.values())]:
        mix[k] += 1
    return mix


# --- the accounts ---------------------------------------------------------------------------


def prepare_accounts(info: dict, needed: dict[str, int]) -> dict:
    """Accounts for every virtual user, each with a known password (one argon2 hash) and, for
    overseers and administrators, a confirmed authenticator with a known key; with what each
    person opens (their documents, agencies to look at, names to search)."""
    import random

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from eiso.accounts.models import Membership, User
    from eiso.core.roles import Role
    from eiso.core.text import vn_fold
    from eiso.documents.models import Document
    from eiso.organizations.choices import Tier
    from eiso.organizations.models import Agency

    rng = random.Random(15)
    national_root = Agency.objects.get(code="TW")
    first = Membership.objects.get(user__username=info["province_overseer"]).agency
    roots = list(Agency.objects.filter(parent=national_root).order_by("code"))

    def documents_in(path: str, n: int) -> list[int]:
        ids = list(
            Document.objects.filter(agency__path__startswith=path)
            .order_by("?")
            .values_list("pk", flat=True)[:n]
        )
        return ids

    def communes_in(path: str, n: int) -> list[Agency]:
        return list(
            Agency.objects.filter(path__startswith=path, tier=Tier.COMMUNE)
            .order_by("?")
            .only("pk", "name")[:n]
        )

    def overseer_data(root: Agency) -> dict:
        communes = communes_in(root.path, 20)
        return {
            "root": root.code,
            "documents": documents_in(root.path, 100),
            "agencies": [c.pk for c in communes],
            "agency_queries": [vn_fold(c.name).replace(" ", "+") for c in communes],
        }

    password = secrets.token_urlsafe(12)
    accounts: dict[str, list[dict]] = {kind: [] for kind in PERSONAS}
    with transaction.atomic():
        secretaries = (
            Membership.objects.filter(
                role=Role.ISO_SECRETARY,
                is_active=True,
                agency__path__startswith=first.path,
                agency__tier=Tier.COMMUNE,
            )
            .select_related("user", "agency")
            .order_by("agency__code")
        )
        for membership in secretaries[: needed.get("secretary", 0)]:
            accounts["secretary"].append(
                {
                    "username": membership.user.username,
                    "documents": list(
                        Document.objects.filter(agency=membership.agency)
                        .order_by("pk")
                        .values_list("pk", flat=True)[:60]
                    ),
                }
            )
        # Accounts of their own: bench/run.py's personas (force_login) must keep having no
        # authenticator, or its later --reuse runs would meet the second-factor page.
        TOTPDevice.objects.filter(
            user__username__in=[info["overseer"], info["province_overseer"], info["admin"]]
        ).delete()
        overseers = (
            Membership.objects.filter(role=Role.OVERSEER, agency__in=roots, is_active=True)
            .exclude(user__username=info["province_overseer"])
            .select_related("user", "agency")
            .order_by("agency__code", "user__username")
        )
        for membership in overseers[: needed.get("province", 0)]:
            accounts["province"].append(
                {"username": membership.user.username, **overseer_data(membership.agency)}
            )
        national = overseer_data(national_root)
        for k in range(needed.get("national", 0)):
            username = f"bench-load-national-{k + 1:02d}"
            user, created = User.objects.get_or_create(
                username=username, defaults={"full_name": f"Giám sát toàn quốc {k + 1}"}
            )
            if created:
                Membership.objects.create(user=user, agency=national_root, role=Role.OVERSEER)
            accounts["national"].append({"username": username, **national})
        for k in range(needed.get("admin", 0)):
            username = f"bench-load-admin-{k + 1:02d}"
            User.objects.get_or_create(
                username=username,
                defaults={"full_name": "Quản trị", "is_superuser": True, "is_staff": True},
            )
            queries = [vn_fold(c.name).replace(" ", "+") for c in communes_in("", 20)]
            accounts["admin"].append(
                {"username": username, "agency_queries": queries, "documents": []}
            )
        names = [a["username"] for kind in PERSONAS for a in accounts[kind]]
        User.objects.filter(username__in=names).update(password=make_password(password))
        for kind in ("province", "national", "admin"):
            for account in accounts[kind]:
                user = User.objects.get(username=account["username"])
                TOTPDevice.objects.filter(user=user).delete()
                key = secrets.token_hex(20)
                TOTPDevice.objects.create(user=user, name="authenticator", key=key, confirmed=True)
                account["totp"] = key
        for kind in PERSONAS:
            for account in accounts[kind]:
                account["password"] = password
    rng.shuffle(accounts["secretary"])
    WORK.mkdir(parents=True, exist_ok=True)
    ACCOUNTS.write_text(json.dumps(accounts))
    ACCOUNTS.chmod(0o600)
    return {kind: len(v) for kind, v in accounts.items()}


# --- the server and what it costs -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def served_tree(worktree: bool) -> tuple[Path, str]:
    """The tree gunicorn serves and its commit: a clean export of HEAD (``git archive``)
    unless ``--worktree``."""
    if worktree:
        return ROOT, git_commit()
    sha = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    tree = WORK / f"tree-{sha}"
    if not (tree / "manage.py").exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree, f"{sha} (a clean export of it)"


def start_gunicorn(
    url: str, port: int, workers: int, log: Path, tree: Path, cache_url: str = ""
) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "DATABASE_REPLICA_URL")}
    env.update(SERVER_ENV, DATABASE_URL=url)
    if cache_url:  # the workers share one cache (production's set-up), else each its own
        env["CACHE_URL"] = cache_url
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--error-logfile",
        str(log),
    ]
    process = subprocess.Popen(command, cwd=tree, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10):
                return process
        except OSError:
            if process.poll() is not None:
                sys.exit(f"gunicorn stopped (exit {process.returncode}); see {log}")
            time.sleep(0.5)
    stop(process)
    sys.exit(f"gunicorn did not answer within 60 s; see {log}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def backends(conn, name: str) -> list[int]:
    rows = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        [name],
    ).fetchall()
    return [r[0] for r in rows]


def reaped_children_seconds(pid: int) -> float:
    """CPU seconds of the children ``pid`` has waited for (gunicorn's replaced workers)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[13]) + int(fields[14])) / TICKS


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / TICKS


class Sampler(threading.Thread):
    """Every second, the CPU time of the database's backends serving the benchmark database
    (a backend that ends between two samples loses at most a second of it: a worker's
    connection is replaced after DB_CONN_MAX_AGE) and of locust; every 5 s the load average."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = url
        self.load: list[float] = []
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.locust_pid = 0
        self.locust_cpu = 0.0
        self.done = threading.Event()

    def sample(self, conn, name) -> None:
        for pid in backends(conn, name):
            seconds = cpu_seconds(pid)
            self.first.setdefault(pid, seconds)
            self.last[pid] = max(seconds, self.last.get(pid, 0.0))
        if self.locust_pid:
            self.locust_cpu = max(self.locust_cpu, cpu_seconds(self.locust_pid))

    def run(self):
        conn, name = postgres_admin(self.url)
        with conn:
            self.sample(conn, name)
            tick = 0
            while not self.done.wait(1):
                self.sample(conn, name)
                tick += 1
                if tick % 5 == 0:
                    self.load.append(os.getloadavg()[0])
            self.sample(conn, name)

    def database_seconds(self, started: dict[int, float]) -> float:
        """Backends that existed at the start count from there, later ones from zero."""
        return sum(v - started.get(pid, 0.0) for pid, v in self.last.items())


# --- one run --------------------------------------------------------------------------------


def locust(port: int, users: int, mix: dict, run_time: str, args, prefix: Path, samples: Path):
    env = dict(os.environ)
    env.update(
        EISO_LOAD_ACCOUNTS=str(ACCOUNTS),
        EISO_LOAD_MIX=",".join(f"{k}={v}" for k, v in mix.items()),
        EISO_LOAD_WAIT=str(args.wait),
        EISO_LOAD_SAMPLES=str(samples),
    )
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--host",
        f"http://127.0.0.1:{port}",
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        run_time,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    with open(f"{prefix}.log", "w") as log:  # locust's own summary, beside its CSV files
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def until_next_totp_period() -> None:
    """A code is accepted once per account and 30-second period: the measured run signs in
    in a later period than the warm-up did."""
    time.sleep(30 - time.time() % 30 + 1)


def summarize(samples: list, seconds: float) -> dict:
    times = [s["ms"] for s in samples]
    errors = sum(1 for s in samples if s["error"])
    return {
        "requests": len(times),
        "errors": errors,
        "rps": round(len(times) / seconds, 1) if seconds else None,
        "p50": round(statistics.median(times), 0) if times else None,
        "p95": round(percentile(times, 0.95), 0) if times else None,
        "p99": round(percentile(times, 0.99), 0) if times else None,
        "max": round(max(times), 0) if times else None,
    }


def endpoint_rows(samples: list) -> list[dict]:
    total = sum(s["ms"] for s in samples) or 1
    by_name: dict[str, list] = {}
    for s in samples:
        by_name.setdefault(s["name"], []).append(s)
    rows = []
    for name, group in by_name.items():
        times = [s["ms"] for s in group]
        rows.append(
            {
                "endpoint": name,
                "requests": len(group),
                "share": round(100 * len(group) / len(samples), 1),
                "errors": sum(1 for s in group if s["error"]),
                "p50": round(statistics.median(times)),
                "p95": round(percentile(times, 0.95)),
                "p99": round(percentile(times, 0.99)),
                "max": round(max(times)),
                "kb": round(statistics.mean(s["bytes"] for s in group) / 1024),
                "time_share": round(100 * sum(times) / total, 1),
                "error_examples": sorted({s["error"] for s in group if s["error"]})[:3],
            }
        )
    rows.sort(key=lambda r: -r["time_share"])
    return rows


def measure(url: str, users: int, mix: dict, args, tree: Path) -> dict:
    port = args.port or free_port()
    tag = f"{users}-users"
    log = WORK / f"gunicorn-{tag}.log"
    load_before = os.getloadavg()
    if args.cache_url:
        import redis

        redis.Redis.from_url(args.cache_url).flushdb()  # nothing kept from an earlier run
    server = start_gunicorn(url, port, args.workers, log, tree, args.cache_url)
    try:
        if args.warmup not in ("", "0", "0s"):
            print(f"  warm-up: {users} users for {args.warmup}", flush=True)
            warm = locust(
                port, users, mix, args.warmup, args, WORK / f"warmup-{tag}", WORK / "warmup.json"
            )
            warm.wait()
            until_next_totp_period()
        sampler = Sampler(url)
        sampler.start()
        time.sleep(1.5)  # its first sample: the backends as they are before the run
        db_before = dict(sampler.last)

        def app_seconds() -> float:
            live = sum(cpu_seconds(pid) for pid in children(server.pid))
            return live + reaped_children_seconds(server.pid)

        app_before = app_seconds()
        busy_before = machine_busy()
        samples_path = WORK / f"samples-{tag}.json"
        samples_path.unlink(missing_ok=True)
        print(f"  measuring: {users} users for {args.run_time} ({mix})", flush=True)
        started = time.time()
        run = locust(port, users, mix, args.run_time, args, WORK / f"load-{tag}", samples_path)
        sampler.locust_pid = run.pid
        run.wait()
        wall = time.time() - started
        app_cpu = app_seconds() - app_before
        busy = machine_busy() - busy_before
        sampler.done.set()
        sampler.join()
        db_cpu = sampler.database_seconds(db_before)
        locust_cpu = sampler.locust_cpu
    finally:
        stop(server)
    raw = json.loads(samples_path.read_text())
    samples = [dict(zip(("name", "ms", "bytes", "error", "start"), s, strict=True)) for s in raw]
    first = min(s["start"] for s in samples)
    last = max(s["start"] + s["ms"] / 1000 for s in samples)
    span = last - first
    pages = [s for s in samples if not s["name"].startswith("sign-in")]
    errors_log = log.read_text()[-2000:] if log.exists() else ""
    return {
        "users": users,
        "mix": mix,
        "run_time": args.run_time,
        "warmup": args.warmup,
        "wait": args.wait,
        "workers": args.workers,
        "cache": "Redis (shared by the workers)" if args.cache_url else "each worker's memory",
        "span_seconds": round(span, 1),
        "wall_seconds": round(wall, 1),
        "all": summarize(samples, span),
        "pages": summarize(pages, span),
        "endpoints": endpoint_rows(samples),
        "load_before": [round(x, 2) for x in load_before],
        "load_during": {
            "min": round(min(sampler.load), 2) if sampler.load else None,
            "mean": round(statistics.mean(sampler.load), 2) if sampler.load else None,
            "max": round(max(sampler.load), 2) if sampler.load else None,
            "samples": sampler.load,
        },
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "cpu_seconds": {
            "gunicorn workers": round(app_cpu, 1),
            "database backends": round(db_cpu, 1),
            "locust": round(locust_cpu, 1),
            "whole machine": round(busy, 1),
            "rest of the machine": round(busy - app_cpu - db_cpu - locust_cpu, 1),
        },
        "cores": os.cpu_count(),
        "gunicorn_log_tail": errors_log if "Traceback" in errors_log else "",
    }


# --- the report -----------------------------------------------------------------------------


def report(result: dict, counts: dict) -> str:
    a, p = result["all"], result["pages"]
    cpu = result["cpu_seconds"]
    span = result["span_seconds"]
    n = a["requests"]
    per_request = 1000 * (cpu["gunicorn workers"] + cpu["database backends"]) / n
    mix = ", ".join(f"{v} {k}" for k, v in result["mix"].items())
    lines = [
        f"# e-ISO mixed load test — {result['users']} users, country size on PostgreSQL",
        "",
        f"* Data: {counts_text(counts)} (bench/run.py --provinces 20 + bench/qms.py).",
        f"* Server: gunicorn, {result['workers']} sync workers, `config.wsgi` on 127.0.0.1, "
        f"cache in {result['cache']}, "
        "settings of `make run` with DEBUG off and the second factor required of overseers and "
        "administrators (`TWO_FACTOR_REQUIRED_ROLES=admin,overseer`); PostgreSQL "
        f"{result['server_version']} on the same machine.",
        f"* Load: locust {result['locust_version']} (FastHttpUser, one process, same machine), "
        f"{result['users']} people ({mix}), each with their own account signed in through the "
        "form (password, then the authenticator's code for overseers and administrators), "
        f"{result['wait']:g} s between pages, {result['warmup']} unrecorded warm-up, then "
        f"{result['run_time']} recorded ({span:.0f} s from the first request to the last answer).",
        f"* Machine: {result['machine']['cores']} cores ({result['machine']['cpu']}), shared; "
        f"load average {fmt_load(result['load_before'])} before, during the run "
        f"{result['load_during']['min']}–{result['load_during']['max']} "
        f"(mean {result['load_during']['mean']}), {fmt_load(result['load_after'])} after.",
        f"* Date: {result['date']}; commit {result['commit']}.",
        "",
        "| | requests | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
        f"| all | {n:,} | {a['rps']} | {a['p50']:.0f} | {a['p95']:.0f} | {a['p99']:.0f} "
        f"| {a['max']:,.0f} | {a['errors']} |",
        f"| pages (no sign-in) | {p['requests']:,} | {p['rps']} | {p['p50']:.0f} | "
        f"{p['p95']:.0f} | {p['p99']:.0f} | {p['max']:,.0f} | {p['errors']} |",
        "",
        f"CPU seconds during the recorded run ({span:.0f} s × {result['cores']} cores = "
        f"{span * result['cores']:.0f} available): gunicorn's workers {cpu['gunicorn workers']} "
        f"({1000 * cpu['gunicorn workers'] / n:.0f} ms per request), the database's backends "
        f"{cpu['database backends']} ({1000 * cpu['database backends'] / n:.0f} ms per request), "
        f"locust {cpu['locust']}, everything else on the machine {cpu['rest of the machine']} "
        f"(the machine in all {cpu['whole machine']}). "
        f"At {per_request:.0f} ms of CPU per request (workers and database), "
        f"{result['cores']} cores of their own would answer at most "
        f"≈ {result['cores'] / per_request * 1000:.1f} requests/s, whatever else ran meanwhile "
        "(an upper bound from the same mix: the sign-ins' password hashing is in the CPU, "
        "locust's is not).",
        "",
        "Per endpoint, by its share of the time answered (the sum of its response times over "
        "the sum of all: where the workers' time goes):",
        "",
        "| endpoint | requests | % of requests | p50 ms | p95 ms | p99 ms | max ms | KB | "
        "% of time | errors |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in result["endpoints"]:
        errors = str(row["errors"])
        if row["error_examples"]:
            errors += " (" + "; ".join(row["error_examples"]) + ")"
        lines.append(
            f"| {row['endpoint']} | {row['requests']:,} | {row['share']} | {row['p50']:,} | "
            f"{row['p95']:,} | {row['p99']:,} | {row['max']:,} | {row['kb']:,} | "
            f"{row['time_share']} | {errors} |"
        )
    if result.get("gunicorn_log_tail"):
        lines += ["", "gunicorn's log (tail):", "", "```", result["gunicorn_log_tail"], "```"]
    return "\n".join(lines) + "\n"


def fmt_load(values) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def counts_text(counts: dict) -> str:
    keys = [
        ("organizations.Agency", "agencies"),
        ("accounts.User", "users"),
        ("documents.Document", "documents"),
        ("documents.Revision", "revisions"),
        ("core.AuditEvent", "audit events"),
        ("quality systems", "QMS records"),
        ("announcements", "announcements"),
        ("handled procedures", "handled procedures"),
    ]
    return ", ".join(f"{counts[k]:,} {label}" for k, label in keys if k in counts)


def main(argv=None) -> None:
    args = parse_args(argv)
    url = args.database_url
    if not url.startswith("postgres"):
        sys.exit("The load test runs on PostgreSQL (--database-url postgres://…).")
    postgres_admin(url)[0].close()  # refuses a name without "bench"
    if not sidecar(url).exists():
        sys.exit(
            f"No kept country at {url}: run bench/run.py --provinces 20 --keep with that "
            "--database-url first (see bench/README.md)."
        )
    info = json.loads(sidecar(url).read_text())
    mixes = {users: mix_for(users, args.mix) for users in args.users}
    needed = {k: max(m.get(k, 0) for m in mixes.values()) for k in PERSONAS}
    setup_django(url)
    from importlib.metadata import version

    from django.db import connection

    print(f"Preparing accounts: {prepare_accounts(info, needed)}", flush=True)
    server_version = ".".join(str(x) for x in divmod(connection.pg_version, 10000))
    connection.close()
    if args.prepare_only:
        print(f"Accounts written to {ACCOUNTS}")
        return
    tree, commit = served_tree(args.worktree)
    for users, mix in mixes.items():
        result = measure(url, users, mix, args, tree)
        result.update(
            machine=machine(),
            commit=commit,
            date=time.strftime("%Y-%m-%d %H:%M %Z"),
            server_version=server_version,
            locust_version=version("locust"),
            counts=info["counts"],
        )
        text = report(result, info["counts"])
        print()
        print(text)
        if not args.no_write:
            name = f"load-{users}-users-postgresql{('-' + args.label) if args.label else ''}"
            write_results(name, text, result)


if __name__ == "__main__":
    main()
