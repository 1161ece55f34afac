"""Benchmark of the overseer's dashboard (issue 13) for the whole country.

A throwaway database (SQLite under /tmp, or a PostgreSQL database whose name contains "bench",
created and dropped here) holds 5,001 agencies — a national root over 20 provinces of 250 (the
People's Committee, 25 departments, communes) — each with what the dashboard reads: its QMS
(announced, applied, building or not started), announcements (received or awaiting receipt),
last year's and this year's annual reports (submitted on time, late, received), internal
audits, nonconformities. The rows are written in bulk (``bench.dossiers.build_tree`` for the
tree); the services' rules are the tests' business.

The dashboard is then requested — the home page (the overseer's panels) and
``/api/v1/dashboard/?root=&date=`` — as the national overseer (5,001 agencies) and as one
province's overseer (250 agencies), 20 times each after two warm-up requests: the table gives
the SQL queries per request (the same for both: constant in the number of agencies), p50 and
p95, and the ratio of the national p50 to the province's (what 20 times the agencies costs).

    .venv/bin/python bench/dashboard.py                     # SQLite in /tmp
    .venv/bin/python bench/dashboard.py --database-url postgres://postgres@127.0.0.1:5432/eiso_bench_dashboard
    .venv/bin/python bench/dashboard.py --keep …           # keep the database, then:
    .venv/bin/python bench/dashboard.py --reuse …          # measure again without generating
    .venv/bin/python bench/dashboard.py --reuse --profile "home:national overseer"   # cProfile

Results go to bench/results/dashboard-<vendor>.md and .json (CPU time of the process beside the
wall clock: the machine is shared).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
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

TODAY = datetime.date(2026, 12, 10)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--provinces", type=int, default=20)
    parser.add_argument("--per-province", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="a kept database: no migrating, no generating"
    )
    parser.add_argument(
        "--profile",
        default="",
        help="instead of measuring, cProfile 5 requests of one row, e.g. 'home:national overseer'",
    )
    parser.add_argument("--no-write", action="store_true", help="write no results file")
    return parser.parse_args(argv)


def fill(seed: int = 13) -> dict:
    """What the dashboard reads, for every agency of the tree (seeded: the same every run)."""
    from eiso.audits.models import InternalAudit
    from eiso.organizations.models import Agency
    from eiso.qms.models import Announcement, QualitySystem
    from eiso.reports.models import AnnualReport

    rng = random.Random(seed)
    systems, announcements, reports, audits = [], [], [], []
    statuses = ["announced"] * 5 + ["applied"] * 2 + ["building", "not_started"]
    for agency in Agency.objects.exclude(code="VN").only("pk", "code").iterator():
        status = rng.choice(statuses)
        systems.append(QualitySystem(agency_id=agency.pk, status=status, standard_version="2015"))
        if status == "announced":
            received = rng.random() < 0.8
            announcements.append(
                Announcement(
                    agency_id=agency.pk,
                    kind="first",
                    number=f"{rng.randint(1, 300)}/QĐ-{agency.code[:10]}",
                    date=TODAY - datetime.timedelta(days=rng.randint(30, 900)),
                    signer_name="Nguyễn Văn Ký",
                    signer_title="CHỦ TỊCH",
                    standard_version="2015",
                    status="received" if received else "sent",
                    received_on=TODAY - datetime.timedelta(days=20) if received else None,
                )
            )
        if status in ("announced", "applied"):
            for year in (TODAY.year - 1, TODAY.year):
                if year == TODAY.year and rng.random() < 0.4:
                    continue  # not reported yet this year
                due = datetime.date(year, 12, 15)
                submitted = due - datetime.timedelta(days=rng.randint(-10, 20))
                if submitted > TODAY:
                    continue
                reports.append(
                    AnnualReport(
                        agency_id=agency.pk,
                        year=year,
                        status="received" if year < TODAY.year else "submitted",
                        period_start=datetime.date(year - 1, 12, 15),
                        period_end=datetime.date(year, 12, 14),
                        number=f"{rng.randint(1, 200)}/BC",
                        report_date=submitted,
                        submitted_on=submitted,
                        due=due,
                        late=submitted > due,
                    )
                )
                start = datetime.date(year, 10, rng.randint(1, 28))
                audits.append(
                    InternalAudit(
                        agency_id=agency.pk,
                        year=year,
                        sequence=1,
                        title=f"Đánh giá nội bộ năm {year}",
                        scope="Toàn bộ hệ thống quản lý chất lượng",
                        criteria="TCVN ISO 9001:2015",
                        start_date=start,
                        end_date=start + datetime.timedelta(days=2),
                        status="closed" if year < TODAY.year else rng.choice(["closed", "planned"]),
                    )
                )
    QualitySystem.objects.bulk_create(systems, batch_size=2000)
    Announcement.objects.bulk_create(announcements, batch_size=2000)
    AnnualReport.objects.bulk_create(reports, batch_size=2000)
    try:
        InternalAudit.objects.bulk_create(audits, batch_size=2000)
    except Exception as exc:  # the audit model's required fields may grow: say so, go on
        print(f"  (internal audits not generated: {exc})", flush=True)
        audits = []
    return {
        "quality systems": len(systems),
        "announcements": len(announcements),
        "annual reports": len(reports),
        "internal audits": len(audits),
    }


def measure(personas: dict[str, tuple[str, str]], repeat: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from eiso.accounts.models import User

    rows = []
    for persona, (username, root) in personas.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        pages = [
            ("home (dashboard)", "/"),
            ("API dashboard", f"/api/v1/dashboard/?root={root}&date={TODAY.isoformat()}"),
        ]
        for name, url in pages:
            for _ in range(2):
                assert client.get(url).status_code == 200, (url, persona)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries = len(captured.captured_queries)  # now: the next request clears the log
            times, cpu = [], []
            for _ in range(repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            agencies = response.json()["agencies"] if url.startswith("/api/") else None
            rows.append(
                {
                    "page": name,
                    "persona": persona,
                    "agencies": agencies,
                    "queries": queries,
                    "p50": statistics.median(times),
                    "p95": percentile(times, 0.95),
                    "cpu_p50": statistics.median(cpu),
                }
            )
            print(f"  {name}, {persona}: {rows[-1]['p50']:.0f} ms p50", flush=True)
    return rows


def report(result: dict) -> str:
    by = {(r["page"], r["persona"]): r for r in result["rows"]}
    lines = [
        f"# The overseer's dashboard for the whole country, {result['vendor']}",
        "",
        f"{result['agencies']:,} agencies ({result['provinces']} provinces of "
        f"{result['per_province']} under a national root); "
        + ", ".join(f"{v:,} {k}" for k, v in result["counts"].items())
        + f". {result['machine']['cores']} cores, load {result['load']}; {result['date']}, "
        f"commit {result['commit']}; {result['repeat']} requests per row.",
        "",
        "| page | persona | queries | p50 ms | p95 ms | CPU p50 ms | ratio to the province |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for row in result["rows"]:
        province = by.get((row["page"], "province overseer"))
        ratio = f"{row['p50'] / province['p50']:.1f}" if province else ""
        lines.append(
            f"| {row['page']} | {row['persona']} | {row['queries']} | {row['p50']:.0f} | "
            f"{row['p95']:.0f} | {row.get('cpu_p50', 0):.0f} | {ratio} |"
        )
    return "\n".join(lines) + "\n"


def profile(personas: dict[str, tuple[str, str]], spec: str) -> None:
    """Where the time of one row goes: the top functions by cumulative time (5 requests)."""
    import cProfile
    import pstats

    from django.test import Client

    from eiso.accounts.models import User

    page, _, persona = spec.partition(":")
    username, root = personas[persona.strip()]
    url = f"/api/v1/dashboard/?root={root}&date={TODAY.isoformat()}" if "api" in page else "/"
    client = Client()
    client.force_login(User.objects.get(username=username))
    assert client.get(url).status_code == 200
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(url)
    profiler.disable()
    print(f"cProfile of 5 requests of {url} as {persona.strip()}:")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main(argv=None) -> None:
    args = parse_args(argv)
    url = args.database_url or "sqlite:////tmp/eiso-bench-dashboard.sqlite3"
    vendor = "sqlite" if url.startswith("sqlite") else "postgresql"
    if not args.reuse:
        create_database(url)
    setup_django(url)
    import time_machine
    from django.core.management import call_command

    from bench.dossiers import build_tree
    from bench.run import sidecar
    from eiso.organizations.models import Agency

    print(f"Dashboard benchmark on {vendor} ({url})", flush=True)
    started = time.perf_counter()
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(9)), tick=True):
        if args.reuse:
            kept = json.loads(sidecar(url).read_text())
            tree, counts = kept["tree"], kept["counts"]
        else:
            call_command("migrate", verbosity=0, interactive=False)
            tree = build_tree(args.provinces, args.per_province)
            tree.pop("agencies")
            counts = fill()
            sidecar(url).write_text(json.dumps({"tree": tree, "counts": counts}))
            print(f"  generated in {time.perf_counter() - started:.0f} s: {counts}", flush=True)
        national_root = Agency.objects.filter(parent__isnull=True).order_by("pk").first()
        province_root = Agency.objects.get(pk=tree["province_id"])
        personas = {
            "national overseer": (tree["national"], national_root.code),
            "province overseer": (tree["province"], province_root.code),
        }
        if args.profile:
            profile(personas, args.profile)
            return
        rows = measure(personas, args.repeat)
    result = {
        "vendor": vendor,
        "agencies": tree["count"],
        "provinces": args.provinces,
        "per_province": args.per_province,
        "counts": counts,
        "repeat": args.repeat,
        "rows": rows,
        "machine": machine(),
        "load": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "commit": git_commit(),
    }
    text = report(result)
    print()
    print(text)
    if not args.no_write:
        write_results(f"dashboard-{vendor}", text, result)
    if not (args.keep or args.reuse):
        drop_database(url)
        sidecar(url).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
