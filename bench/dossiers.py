"""Benchmarks of the one-stop dossier log (issue 10).

**Import** (default): a throwaway database (SQLite under /tmp, or a PostgreSQL database whose
name contains "bench", created and dropped here) with a province's agencies and TTHC catalogue;
a generated CSV as the province's one-stop system exports it (Vietnamese headings, one row per
dossier over two years, an agency code per row); then ``manage.py import_dossiers FILE`` run
in a child process — file to committed rows, monthly figures recomputed — timed, with the
child's peak resident memory. The same file is imported again (every row an update: the
import is idempotent), and a tenth of it on an empty log, to show that memory does not grow
with the file (it is streamed).

    .venv/bin/python bench/dossiers.py --database-url postgres://postgres@127.0.0.1:5432/eiso_bench_dossiers
    .venv/bin/python bench/dossiers.py --rows 200000            # SQLite

**Figures pages** (``--figures``): the overseer's pages read only the monthly tables, so their
cost must not depend on the number of dossiers. Two sizes — 20,000 and 20,000,000 dossiers
over two years in a country of 5,000 agencies (20 provinces of 250) — are generated in the
database, set-based (``INSERT … SELECT`` over ``generate_series``, not through the CSV import:
20 million rows would take a while), with their monthly figures computed from them in one
pass; the pages are requested as the national overseer and as a province's overseer,
``--repeat`` times each; the table gives the p50 of both sizes and their ratio. PostgreSQL
only.

    .venv/bin/python bench/dossiers.py --figures --database-url postgres://…/eiso_bench_figures

Generated files stay under /tmp (never in git); results go to bench/results/dossiers-*.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402  (the path above first)
    create_database,
    drop_database,
    git_commit,
    machine,
    percentile,
    setup_django,
    write_results,
)

HEADER = [
    "Mã hồ sơ",
    "Mã đơn vị",
    "Mã thủ tục",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Ngày trả kết quả",
    "Trạng thái",
    "Kênh nộp",
]
STATUS = {
    "finished": "Đã giải quyết",
    "in_progress": "Đang xử lý",
    "returned": "Trả lại",
    "withdrawn": "Rút hồ sơ",
}
CHANNELS = ["Trực tiếp", "Trực tuyến", "Bưu chính công ích"]
CHANNEL_WEIGHTS = [55, 40, 5]
# An agency's dossiers concentrate in a few of its procedures (rank r weighs 1 / r^1.2).
PROCEDURE_WEIGHTS = [1 / (rank**1.2) for rank in range(1, 41)]
TODAY = datetime.date(2026, 6, 30)  # the benchmark's fixed "today" (files stay the same)
DAYS = 730


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rows", type=int, default=1_000_000, help="dossiers in the file")
    parser.add_argument("--agencies", type=int, default=250)
    parser.add_argument("--procedures", type=int, default=400, help="catalogue size")
    parser.add_argument("--figures", action="store_true", help="the figures pages instead")
    parser.add_argument("--small", type=int, default=20_000, help="--figures: small size")
    parser.add_argument("--large", type=int, default=20_000_000, help="--figures: large size")
    parser.add_argument("--provinces", type=int, default=20, help="--figures: provinces")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-write", action="store_true", help="write no results file")
    return parser.parse_args(argv)


# --- the tree and the catalogue, written in bulk ---------------------------------------------


def build_tree(provinces: int, per_province: int) -> dict:
    """A national root (when several provinces), provinces of ``per_province`` agencies (the
    People's Committee, 25 departments, communes), a superuser and an overseer per level."""
    from django.contrib.auth.hashers import make_password

    from eiso.accounts.models import Membership, User
    from eiso.core.roles import Role
    from eiso.core.text import ranked_search_text
    from eiso.organizations.models import Agency, AgencyKind

    kinds = {k.code: k for k in AgencyKind.objects.all()}
    next_id = [1]
    agencies: list = []

    def add(code, name, kind, tier, parent):
        pk = next_id[0]
        next_id[0] += 1
        path = f"{parent.path if parent else ''}{pk:07d}/"
        agency = Agency(
            pk=pk,
            code=code,
            name=name,
            kind=kinds[kind],
            tier=tier,
            parent=parent,
            path=path,
            depth=path.count("/") - 1,
            must_apply=tier != "commune",
            search_text=ranked_search_text(code, [name]),  # as the agency services write it
        )
        agencies.append(agency)
        return agency

    root = add("VN", "Cả nước", "ubnd_tinh", "provincial", None) if provinces > 1 else None
    provinces_made = []
    for p in range(provinces):
        province = add(f"T{p:02d}", f"UBND tỉnh {p:02d}", "ubnd_tinh", "provincial", root)
        provinces_made.append(province)
        for i in range(per_province - 1):
            if i < 25:
                add(
                    f"T{p:02d}-S{i:02d}",
                    f"Sở {i:02d} tỉnh {p:02d}",
                    "so_nganh",
                    "provincial",
                    province,
                )
            else:
                add(
                    f"T{p:02d}-X{i:03d}",
                    f"UBND xã {i:03d} tỉnh {p:02d}",
                    "ubnd_xa",
                    "commune",
                    province,
                )
    Agency.objects.bulk_create(agencies, batch_size=2000)
    password = make_password("bench")
    admin = User.objects.create(
        username="bench-admin", password=password, is_superuser=True, is_staff=True
    )
    national = User.objects.create(username="bench-national", password=password)
    provincial = User.objects.create(username="bench-province", password=password)
    top = root or provinces_made[0]
    Membership.objects.create(user=national, agency=top, role=Role.OVERSEER)
    Membership.objects.create(user=provincial, agency=provinces_made[0], role=Role.OVERSEER)
    return {
        "agencies": [a.code for a in agencies if a.parent_id is not None or provinces == 1],
        "admin": admin.username,
        "national": national.username,
        "province": provincial.username,
        "province_id": provinces_made[0].pk,
        "count": len(agencies),
    }


def build_catalogue(count: int) -> list[str]:
    from eiso.procedures.models import AdministrativeProcedure

    codes = [f"{1 + i % 2}.{i:06d}.000.00.00.H99" for i in range(count)]
    AdministrativeProcedure.objects.bulk_create(
        [
            AdministrativeProcedure(
                code=code, name=f"Thủ tục {i}", level="commune" if i % 3 else "provincial"
            )
            for i, code in enumerate(codes)
        ],
        batch_size=2000,
    )
    return codes


# --- the file ---------------------------------------------------------------------------------


def write_csv(path: Path, rows: int, agencies: list[str], procedures: list[str]) -> float:
    """The export of a province's one-stop system: ``rows`` dossiers over two years, an
    agency's dossiers concentrated in a few of its 40 procedures, the late ones in a few
    procedures of the catalogue. Seeded: the same arguments, the same file."""
    started = time.perf_counter()
    rng = random.Random(f"dossiers/{rows}/{len(agencies)}/{len(procedures)}")
    hard = set(procedures[:: max(len(procedures) // 12, 1)])  # where the late dossiers are
    own = {a: rng.sample(procedures, min(40, len(procedures))) for a in agencies}
    first = TODAY - datetime.timedelta(days=DAYS)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            agency = agencies[n % len(agencies)]
            procedure = rng.choices(own[agency], weights=PROCEDURE_WEIGHTS)[0]
            received = datetime.datetime.combine(
                first + datetime.timedelta(days=rng.randrange(DAYS)),
                datetime.time(7 + rng.randrange(10), rng.randrange(60)),
            )
            limit = rng.choice((1, 3, 5, 7, 10, 15))
            due = (received + datetime.timedelta(days=limit)).replace(hour=17, minute=0)
            draw = rng.random()
            late_share = 0.35 if procedure in hard else 0.02
            finished = returned = ""
            if received.date() > TODAY - datetime.timedelta(days=20) and draw < 0.5:
                status = "in_progress"
            elif draw < 0.95:
                status = "finished"
                spent = (
                    limit + 1 + rng.randrange(8)
                    if rng.random() < late_share
                    else rng.randrange(limit + 1)
                )
                done = received + datetime.timedelta(days=spent, hours=rng.randrange(6))
                done = min(done, datetime.datetime.combine(TODAY, datetime.time(9)))
                finished = done.strftime("%d/%m/%Y %H:%M")
                returned = (done + datetime.timedelta(hours=2)).strftime("%d/%m/%Y %H:%M")
                if returned[:10] > TODAY.strftime("%d/%m/%Y") and done.date() >= TODAY:
                    returned = ""
            elif draw < 0.98:
                status = "returned"
            else:
                status = "withdrawn"
            writer.writerow(
                [
                    f"{agency}-{received:%y%m%d}-{n:07d}",
                    agency,
                    procedure,
                    received.strftime("%d/%m/%Y %H:%M"),
                    due.strftime("%d/%m/%Y %H:%M"),
                    finished,
                    returned,
                    STATUS[status],
                    rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0],
                ]
            )
    return time.perf_counter() - started


# --- one import in a child process --------------------------------------------------------------

_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "w = time.perf_counter() - t\n"
    "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(p.returncode, w, rss)\n"
    "print(p.stdout)\n"
    "print(p.stderr, file=sys.stderr)\n"
)


def import_in_child(url: str, path: Path, admin: str) -> dict:
    """``manage.py import_dossiers`` in a fresh process (through a wrapper, so the peak memory
    measured is that child's alone)."""
    env = {**os.environ, "DATABASE_URL": url, "EISO_DEV": "1", "DEBUG": "0"}
    env["EISO_DATA_DIR"] = "/tmp/eiso-bench-data"
    env["EISO_TODAY"] = TODAY.isoformat()
    command = [
        sys.executable,
        "-c",
        _WRAPPER,
        sys.executable,
        str(ROOT / "bench" / "dossiers.py"),
        "--child-import",
        str(path),
        admin,
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    first, _newline, rest = done.stdout.partition("\n")
    code, wall, rss = first.split()
    seconds = re.search(r"in ([\d.]+) s", rest)
    if code != "0" or seconds is None:
        raise SystemExit(f"the import failed:\n{rest}\n{done.stderr[-3000:]}")
    return {
        "wall_seconds": float(wall),
        "import_seconds": float(seconds.group(1)),
        "peak_rss_mb": int(rss) / 1024,
        "output": rest.strip().splitlines()[-1],
    }


def child_import(path: str, admin: str) -> None:
    """Inside the child: the clock stopped on the benchmark's day, then the command."""
    import time_machine

    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(18)), tick=True):
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        django.setup()
        from django.core.management import call_command

        call_command("import_dossiers", path, "--as", admin)


def run_import(args) -> None:
    url = args.database_url or "sqlite:////tmp/eiso-bench-dossiers.sqlite3"
    vendor = "sqlite" if url.startswith("sqlite") else "postgresql"
    create_database(url)
    setup_django(url)
    from django.core.management import call_command

    from eiso.records.models import AgencyMonthStat, Dossier, DossierStat

    print(f"Dossier import benchmark: {args.rows:,} rows on {vendor} ({url})", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    tree = build_tree(1, args.agencies)
    procedures = build_catalogue(args.procedures)
    from django.db import connections

    connections.close_all()
    path = Path(f"/tmp/eiso-bench-dossiers-{args.rows}-{args.agencies}.csv")
    generated = 0.0
    if not path.exists():
        generated = write_csv(path, args.rows, tree["agencies"], procedures)
    size_mb = path.stat().st_size / 1e6
    print(f"  file {path} ({size_mb:.0f} MB, written in {generated:.0f} s)", flush=True)
    tenth = Path(f"/tmp/eiso-bench-dossiers-{args.rows // 10}-{args.agencies}.csv")
    if not tenth.exists():
        write_csv(tenth, args.rows // 10, tree["agencies"], procedures)

    runs = {}
    runs["first import"] = import_in_child(url, path, tree["admin"])
    print(f"  first import: {runs['first import']}", flush=True)
    counts = {
        "dossiers": Dossier.objects.count(),
        "monthly cells": DossierStat.objects.count(),
        "agency-month cells": AgencyMonthStat.objects.count(),
    }
    runs["the same file again (all updates)"] = import_in_child(url, path, tree["admin"])
    print(f"  again: {runs['the same file again (all updates)']}", flush=True)
    assert Dossier.objects.count() == counts["dossiers"], "a re-import must not add rows"
    Dossier.objects.all().delete()
    DossierStat.objects.all().delete()
    AgencyMonthStat.objects.all().delete()
    runs[f"a tenth of it ({args.rows // 10:,} rows), empty log"] = import_in_child(
        url, tenth, tree["admin"]
    )
    result = {
        "vendor": vendor,
        "rows": args.rows,
        "agencies": args.agencies,
        "procedures": args.procedures,
        "file_mb": round(size_mb, 1),
        "counts": counts,
        "runs": runs,
        "machine": machine(),
        "load": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "commit": git_commit(),
    }
    text = import_report(result)
    print()
    print(text)
    if not args.no_write:
        write_results(f"dossiers-import-{vendor}", text, result)
    if not args.keep:
        drop_database(url)


def import_report(result: dict) -> str:
    lines = [
        f"# Dossier import, {result['vendor']}",
        "",
        f"{result['rows']:,} rows ({result['file_mb']} MB CSV), {result['agencies']} agencies, "
        f"{result['procedures']} procedures; {result['machine']['cores']} cores "
        f"({result['machine']['cpu']}), load {result['load']}; {result['date']}, "
        f"commit {result['commit']}.",
        "",
        "| run | rows | import s | rows/s | wall s (process) | peak RSS MB |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for name, run in result["runs"].items():
        rows = int(re.search(r"Imported (\d+)", run["output"]).group(1))
        lines.append(
            f"| {name} | {rows:,} | {run['import_seconds']:.1f} | "
            f"{rows / run['import_seconds']:,.0f} | {run['wall_seconds']:.1f} | "
            f"{run['peak_rss_mb']:.0f} |"
        )
    lines += [
        "",
        "After the first import: "
        + ", ".join(f"{v:,} {k}" for k, v in result["counts"].items())
        + ".",
    ]
    return "\n".join(lines) + "\n"


# --- the figures pages --------------------------------------------------------------------------

PAGES = [
    ("ranking of agencies", "/records/figures/agencies/"),
    ("by tier and subtree", "/records/figures/tiers/"),
    ("by month", "/records/figures/months/"),
    ("API dossier-stats by agency", "/api/v1/dossier-stats/?group_by=agency"),
]


def write_figures(size: int, agencies: list[int], procedures: list[int]) -> dict:
    """``size`` dossiers over two years in ``agencies``, generated in the database itself
    (``INSERT … SELECT`` over ``generate_series``, a million rows a statement: 20 million
    through the CSV import would take a while, and the pages never read the dossiers), then
    their monthly figures (DossierStat, AgencyMonthStat, AgencyChannelMonthStat) computed from
    them in one set-based pass counting as ``storage.recompute`` does. An agency's dossiers fall in a few
    of its 40 procedures; a tenth are late, a few open, returned or withdrawn. Needs
    PostgreSQL."""
    from django.db import connection

    from eiso.records.importing.parsing import local_zone
    from eiso.records.models import (
        FIGURE_COUNTS,
        AgencyChannelMonthStat,
        AgencyMonthStat,
        Dossier,
        DossierStat,
    )

    if connection.vendor != "postgresql":
        raise SystemExit("--figures generates its dossiers in SQL: give a PostgreSQL database")
    dossiers = Dossier._meta.db_table
    stats = DossierStat._meta.db_table
    agency_stats = AgencyMonthStat._meta.db_table
    channel_stats = AgencyChannelMonthStat._meta.db_table
    zone = str(local_zone())
    today = datetime.datetime.combine(TODAY, datetime.time()).replace(tzinfo=local_zone())
    first = today - datetime.timedelta(days=DAYS)
    step = 1_000_000
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {dossiers}, {stats}, {agency_stats}, {channel_stats}")
        cursor.execute("SELECT setseed(0.10)")
        for start in range(0, size, step):
            stop = min(start + step, size)
            # Row n belongs to agency n * A / size (an agency's rows together: its codes go
            # in order into the unique index); everything else is drawn per row.
            cursor.execute(
                f"INSERT INTO {dossiers} (created_at, updated_at, agency_id, code, procedure_id,"
                " received_at, due_at, finished_at, returned_at, status, channel,"
                " received_month, due_month, finished_month, on_time) "
                "SELECT now(), now(), agency, 'HS-' || lpad(n::text, 9, '0'), procedure,"
                " received, due, CASE WHEN status = 'finished' THEN finished END,"
                " CASE WHEN status = 'finished' THEN finished + interval '2 hours' END,"
                " status, channel,"
                " date_trunc('month', received AT TIME ZONE %(zone)s)::date,"
                " date_trunc('month', due AT TIME ZONE %(zone)s)::date,"
                " CASE WHEN status = 'finished'"
                "  THEN date_trunc('month', finished AT TIME ZONE %(zone)s)::date END,"
                " CASE WHEN status = 'finished'"
                "  THEN (finished AT TIME ZONE %(zone)s)::date <= (due AT TIME ZONE %(zone)s)::date"
                "  END "
                "FROM (SELECT n, agency, procedure, received, due, finished, channel,"
                "  CASE WHEN draw >= 0.98 THEN 'withdrawn' WHEN draw >= 0.95 THEN 'returned'"
                "   WHEN finished < %(today)s THEN 'finished' ELSE 'in_progress' END AS status"
                " FROM (SELECT n, agency, procedure, received, draw, channel,"
                "   received + limit_days * interval '1 day' AS due,"
                "   received + (CASE WHEN late THEN limit_days + 1 + 7 * random()"
                "    ELSE limit_days * random() END) * interval '1 day' AS finished"
                "  FROM (SELECT n,"
                "    (%(agencies)s::bigint[])[1 + n * %(count)s / %(size)s] AS agency,"
                "    (%(procedures)s::bigint[])[1 + ((n * %(count)s / %(size)s) * 37"
                "     + floor(40 * power(random(), 3))::int) %% %(catalogue)s] AS procedure,"
                "    %(first)s::timestamptz + random() * %(days)s * interval '1 day' AS received,"
                "    (ARRAY[1, 3, 5, 7, 10, 15])[1 + floor(6 * random())::int] AS limit_days,"
                "    random() < 0.1 AS late, random() AS draw,"
                "    (ARRAY['direct', 'online', 'postal'])[1 + floor(2.1 * random())::int]"
                "     AS channel"
                "   FROM generate_series(%(start)s::bigint, %(stop)s::bigint - 1) AS n) drawn"
                " ) timed) classed",
                {
                    "zone": zone,
                    "today": today,
                    "first": first,
                    "days": DAYS,
                    "agencies": agencies,
                    "procedures": procedures,
                    "count": len(agencies),
                    "size": size,
                    "catalogue": len(procedures),
                    "start": start,
                    "stop": stop,
                },
            )
            if size > step:
                print(f"    {stop:,} dossiers", flush=True)
        # The figures of every month, counted as storage.recompute counts a touched cell (its
        # grouping of 40 million contributions kept in memory rather than spilled to disk).
        cursor.execute("SET work_mem = '512MB'")
        cursor.execute(
            f"INSERT INTO {stats} (agency_id, procedure_id, channel, month, received,"
            " finished, on_time, late, in_progress, overdue, created_at, updated_at) "
            "SELECT agency_id, procedure_id, channel, month, SUM(r), SUM(f), SUM(o), SUM(l),"
            " SUM(p), SUM(v), now(), now() FROM ("
            f"SELECT agency_id, procedure_id, channel, received_month AS month, 1 AS r, 0 AS f,"
            f" 0 AS o, 0 AS l, 0 AS p, 0 AS v FROM {dossiers} "
            "UNION ALL SELECT agency_id, procedure_id, channel, finished_month, 0, 1,"
            " CASE WHEN on_time THEN 1 ELSE 0 END, CASE WHEN on_time THEN 0 ELSE 1 END, 0, 0"
            f" FROM {dossiers} WHERE finished_month IS NOT NULL AND status = 'finished' "
            "UNION ALL SELECT agency_id, procedure_id, channel, due_month, 0, 0, 0, 0, 1,"
            " CASE WHEN status = 'in_progress' AND due_at < %s THEN 1 ELSE 0 END"
            f" FROM {dossiers} WHERE status IN ('in_progress', 'suspended')"
            ") x GROUP BY agency_id, procedure_id, channel, month",
            [today],
        )
        fine = cursor.rowcount
        names = ", ".join(FIGURE_COUNTS)
        sums = ", ".join(f"SUM({c})" for c in FIGURE_COUNTS)
        cursor.execute(
            f"INSERT INTO {agency_stats} (agency_id, month, {names}, created_at, updated_at) "
            f"SELECT agency_id, month, {sums}, now(), now() FROM {stats} "
            "GROUP BY agency_id, month"
        )
        agency_rows = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {channel_stats} (agency_id, channel, month, {names}, created_at,"
            f" updated_at) SELECT agency_id, channel, month, {sums}, now(), now() FROM {stats} "
            "GROUP BY agency_id, channel, month"
        )
        channel_rows = cursor.rowcount
        cursor.execute(f"SELECT SUM(received) FROM {agency_stats}")
        received = cursor.fetchone()[0]
        assert received == size, (received, size)  # every dossier counted once as received
        cursor.execute("RESET work_mem")
        cursor.execute("ANALYZE")
    return {
        "monthly cells": fine,
        "agency-month cells": agency_rows,
        "agency-channel-month cells": channel_rows,
    }


def measure_pages(personas: dict[str, str], repeat: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from eiso.accounts.models import User

    rows = []
    clients = {}
    for label, username in personas.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[label] = client
    for name, url in PAGES:
        for persona, client in clients.items():
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            # Read now: the capture slices the connection's log when asked, and the next
            # request empties that log (the column read 0 for every page).
            queries = len(captured.captured_queries)
            client.get(url)
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            rows.append(
                {
                    "page": name,
                    "persona": persona,
                    "queries": queries,
                    "p50": statistics.median(times),
                    "p95": percentile(times, 0.95),
                }
            )
    return rows


def run_figures(args) -> None:
    url = args.database_url or "sqlite:////tmp/eiso-bench-figures.sqlite3"
    vendor = "sqlite" if url.startswith("sqlite") else "postgresql"
    create_database(url)
    setup_django(url)
    import time_machine
    from django.core.management import call_command

    from eiso.organizations.models import Agency
    from eiso.procedures.models import AdministrativeProcedure

    print(f"Figures pages benchmark on {vendor} ({url})", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    tree = build_tree(args.provinces, 250)
    build_catalogue(args.procedures)
    agencies = list(Agency.objects.exclude(code="VN").values_list("pk", flat=True))
    procedures = list(AdministrativeProcedure.objects.values_list("pk", flat=True))
    personas = {"national overseer": tree["national"], "province overseer": tree["province"]}
    sizes = {}
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(10)), tick=True):
        for label, size in (("small", args.small), ("large", args.large)):
            started = time.perf_counter()
            counts = write_figures(size, agencies, procedures)
            seconds = time.perf_counter() - started
            print(f"  {label}: {size:,} dossiers → {counts} in {seconds:.0f} s", flush=True)
            sizes[label] = {
                "dossiers": size,
                "counts": counts,
                "generated_s": round(seconds),
                "rows": measure_pages(personas, args.repeat),
            }
    result = {
        "vendor": vendor,
        "agencies": tree["count"],
        "sizes": sizes,
        "machine": machine(),
        "load": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "commit": git_commit(),
    }
    text = figures_report(result)
    print()
    print(text)
    if not args.no_write:
        write_results(f"dossiers-figures-{vendor}", text, result)
    if not args.keep:
        drop_database(url)


def figures_report(result: dict) -> str:
    small, large = result["sizes"]["small"], result["sizes"]["large"]
    lines = [
        f"# Dossier figures pages, {result['vendor']}",
        "",
        f"{result['agencies']:,} agencies; small: {small['dossiers']:,} dossiers "
        f"({small['counts']['monthly cells']:,} monthly cells, "
        f"{small['counts']['agency-month cells']:,} agency-month cells); large: "
        f"{large['dossiers']:,} dossiers ({large['counts']['monthly cells']:,} monthly cells, "
        f"{large['counts']['agency-month cells']:,} agency-month cells). "
        f"{result['machine']['cores']} cores, load {result['load']}; {result['date']}, "
        f"commit {result['commit']}.",
        "",
        "| page | persona | queries | p50 ms small | p50 ms large | ratio | p95 ms large |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for a, b in zip(small["rows"], large["rows"], strict=True):
        lines.append(
            f"| {a['page']} | {a['persona']} | {b['queries']} | {a['p50']:.0f} | "
            f"{b['p50']:.0f} | {b['p50'] / a['p50']:.2f} | {b['p95']:.0f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child-import"]:
        child_import(argv[1], argv[2])
        return
    args = parse_args(argv)
    if args.figures:
        run_figures(args)
    else:
        run_import(args)


if __name__ == "__main__":
    main()
