"""Benchmark of the agency import and the QMS / announcement import (issue 15: "imports
set-based: ≥ 5,000 rows/s for agencies and announcements on PostgreSQL, linear in rows").

A base database (SQLite under /tmp, or a PostgreSQL database whose name contains "bench",
created and dropped here) holds the country of ``bench/dossiers.py``'s ``build_tree``: a
national root over 20 provinces of 250 agencies (5,001), a catalogue of 400 administrative
procedures and 5 handled per agency (what an announcement's scope snapshot reads), and a QMS
record for every other agency (so the import both creates and updates QMS records). Files of
a stated size are generated (seeded, kept under /tmp, never in git):

- **agencies**: every column filled; one row in five a new agency under an existing agency of
  the country (its parent code), the four others under that new agency (a parent given by
  another row of the file); in one group in ten the children come before their parent.
- **announcements**: the country's agencies in order, as many rows each as the size needs (2
  at 5,000 rows, 12 at 50,000): an agency's first row a first announcement (2008), the next
  ones re-announcements with a reason (2015), one year apart, a receipt date on two in three,
  the number typed in full or as its digits only; one agency in seven has a status-only row
  instead ("Đang xây dựng", no announcement).

Each import runs in a child process against a fresh copy of the base database (PostgreSQL:
``CREATE DATABASE … TEMPLATE``; SQLite: a copy of the file), as the import command does it:
``import_file`` — every row checked, then all written in one transaction (committed) with the
audit trail. Before it, the same file is only checked (``validate_file``: the preview).
Measured: wall seconds, the process's CPU seconds (with SQLite it includes the SQL), SQL
statements, rows/s.

    .venv/bin/python bench/imports.py --database-url postgres://postgres@127.0.0.1:5432/eiso_bench_imports
    .venv/bin/python bench/imports.py                        # SQLite
    .venv/bin/python bench/imports.py --rows 1000,5000 --kinds agencies --format xlsx

Results: bench/results/imports-<vendor>.md and .json (``--tag`` adds to the name).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
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
    postgres_admin,
    setup_django,
    sqlite_path,
    write_results,
)

KINDS = ("agencies", "announcements")
AGENCY_HEADER = [
    "Mã",
    "Tên đơn vị",
    "Tên viết tắt",
    "Loại",
    "Mã cấp trên",
    "Cấp",
    "Bắt buộc áp dụng",
    "Địa chỉ",
    "Thủ trưởng",
    "Chức vụ thủ trưởng",
    "Điện thoại",
    "Thư điện tử",
    "Hiệu lực từ",
]
ANNOUNCEMENT_HEADER = [
    "Mã cơ quan",
    "Phiên bản",
    "Trạng thái",
    "Số quyết định",
    "Ngày",
    "Loại",
    "Lý do",
    "Ngày tiếp nhận",
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rows", default="5000,50000", help="file sizes, comma-separated")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--no-check", action="store_true", help="skip the check-only run")
    parser.add_argument("--tag", default="", help="added to the results' file names")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile each import (stats under /tmp)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the base database")
    parser.add_argument("--no-write", action="store_true", help="write no results file")
    return parser.parse_args(argv)


# --- the base database ---------------------------------------------------------------------------


def build_base(url: str) -> dict:
    """Migrate and fill the base database; returns what the files and the runs need."""
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    from bench.dossiers import build_catalogue, build_tree
    from eiso.organizations.models import Agency
    from eiso.procedures.models import AdministrativeProcedure, HandledProcedure
    from eiso.qms.models import QualitySystem

    call_command("migrate", verbosity=0, interactive=False)
    tree = build_tree(20, 250)
    # build_tree gives the agencies their ids: move PostgreSQL's sequence past them.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Agency]):
            cursor.execute(statement)
    build_catalogue(400)
    procedures = list(AdministrativeProcedure.objects.values_list("pk", flat=True))
    agencies = list(Agency.objects.exclude(parent=None).values_list("pk", flat=True))
    rng = random.Random("imports/base")
    HandledProcedure.objects.bulk_create(
        [
            HandledProcedure(agency_id=a, procedure_id=p)
            for a in agencies
            for p in rng.sample(procedures, 5)
        ],
        batch_size=5000,
    )
    QualitySystem.objects.bulk_create(
        [QualitySystem(agency_id=a, internal_activities="Văn thư, lưu trữ") for a in agencies[::2]],
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    codes = dict(Agency.objects.values_list("pk", "code"))
    return {
        "agencies": tree["count"],
        "codes": [codes[a] for a in agencies],
        "admin": tree["admin"],
        "national": tree["national"],
    }


def copy_database(base: str, run: str) -> None:
    if base.startswith("sqlite"):
        shutil.copyfile(sqlite_path(base), sqlite_path(run))
        return
    conn, base_name = postgres_admin(base)
    _conn, run_name = postgres_admin(run)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{run_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{run_name}" TEMPLATE "{base_name}"')


def run_url(base: str) -> str:
    if base.startswith("sqlite"):
        return base.replace(".sqlite3", "-run.sqlite3")
    return base + "_run"


# --- the files -----------------------------------------------------------------------------------


def agency_rows(rows: int, existing: list[str]) -> list[list[str]]:
    """``rows`` new agencies: groups of five, a new agency under an existing one and four
    under it; every tenth group lists the children first."""
    rng = random.Random(f"imports/agencies/{rows}")
    kinds = ["so_nganh", "ubnd_xa", "Đơn vị sự nghiệp công lập", "chi_cuc"]
    out: list[list[str]] = []
    group = 0
    while len(out) < rows:
        parent = existing[group % len(existing)]
        head = f"BN{group:06d}"
        lines = [
            [
                head,
                f"Trung tâm Dịch vụ số {group} thuộc {parent}",
                f"TTDV {group}",
                kinds[group % 2],
                parent,
                "",
                "x" if group % 3 else "",
                f"Số {rng.randrange(1, 300)} đường Lê Lợi, phường {group % 97}",
                "Nguyễn Văn Bình",
                "Giám đốc",
                f"0297 38{group % 10_000:04d}",
                f"ttdv{group}@tinh.example",
                f"{1 + group % 28:02d}/{1 + group % 12:02d}/2024",
            ]
        ]
        for child in range(4):
            lines.append(
                [
                    f"{head}-{child}",
                    f"Phòng {child + 1} của Trung tâm Dịch vụ số {group}",
                    "",
                    kinds[2 + child % 2] if child % 2 else "Đơn vị sự nghiệp công lập",
                    head,
                    "huyện" if child == 3 else "",
                    "không" if child % 2 else "",
                    "",
                    f"Trần Thị {child}",
                    "Trưởng phòng",
                    "",
                    "",
                    "",
                ]
            )
        if group % 10 == 9:
            lines = lines[1:] + lines[:1]
        out.extend(lines)
        group += 1
    return out[:rows]


def announcement_rows(rows: int, agencies: list[str]) -> list[list[str]]:
    announcing = len(agencies) - len(agencies[3::7])
    per_agency = max(1, -(-rows // announcing))
    out: list[list[str]] = []
    for index, code in enumerate(agencies):
        if index % 7 == 3:
            out.append([code, "2015", "Đang xây dựng", "", "", "", "", ""])
            continue
        for n in range(per_agency):
            year = 2010 + n
            first = n == 0
            out.append(
                [
                    code,
                    "TCVN ISO 9001:2008" if first else "2015",
                    "Đã công bố" if n == per_agency - 1 else "",
                    f"{10 + n}/QĐ-{code}" if index % 2 else f"{10 + n}",
                    f"{1 + index % 28:02d}/{1 + n % 12:02d}/{year}",
                    "Công bố lần đầu" if first else "Công bố lại",
                    "" if first else "Chuyển đổi sang TCVN ISO 9001:2015",
                    f"{1 + index % 28:02d}/{1 + n % 12:02d}/{year + 1}" if index % 3 else "",
                ]
            )
        if len(out) >= rows:
            break
    return out[:rows]


def write_file(kind: str, rows: int, fmt: str, base: dict) -> Path:
    path = Path(f"/tmp/eiso-bench-imports-{kind}-{rows}.{fmt}")
    if path.exists():
        return path
    if kind == "agencies":
        header, data = AGENCY_HEADER, agency_rows(rows, base["codes"])
    else:
        header, data = ANNOUNCEMENT_HEADER, announcement_rows(rows, base["codes"])
    if len(data) != rows:
        raise SystemExit(f"{kind}: {len(data)} rows generated, {rows} asked")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(data)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(header)
        for row in data:
            sheet.append(row)
        workbook.save(path)
    return path


# --- one run, in a child process ---------------------------------------------------------------


def child(url: str, kind: str, path: str, username: str, check: bool, profile: bool) -> None:
    """Inside the child: the file checked (nothing saved), then imported; JSON on stdout."""
    setup_django(url)
    from django.db import connection

    from eiso.accounts.models import User
    from eiso.core.imports import import_file, validate_file
    from eiso.core.models import AuditEvent

    actor = User.objects.get(username=username)
    membership = actor.memberships.filter(is_active=True).select_related("agency").first()
    agency = membership.agency if membership else None
    content = Path(path).read_bytes()
    statements = [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    def timed(call) -> dict:
        statements[0] = 0
        wall, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            report = call()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if not report.ok:
            raise SystemExit(f"{kind}: {len(report.errors)} errors, first {report.errors[:3]}")
        rows = len(report.rows)
        return {
            "rows": rows,
            "seconds": round(wall, 3),
            "cpu_seconds": round(cpu, 3),
            "statements": statements[0],
            "rows_per_s": round(rows / wall),
        }

    arguments = {"actor": actor, "agency": agency, "kind": kind, "filename": Path(path).name}
    result = {}
    if check:
        result["check"] = timed(lambda: validate_file(**arguments, content=content))
    events = AuditEvent.objects.count()
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        result["import"] = timed(
            lambda: profiler.runcall(import_file, **arguments, content=content)
        )
        profiler.dump_stats(f"/tmp/eiso-bench-imports-{kind}-{result['import']['rows']}.prof")
    else:
        result["import"] = timed(lambda: import_file(**arguments, content=content))
    result["audit_events"] = AuditEvent.objects.count() - events
    print(json.dumps(result))


def run_child(
    base: str, kind: str, path: Path, username: str, check: bool, profile: bool = False
) -> dict:
    url = run_url(base)
    copy_database(base, url)
    command = [sys.executable, __file__, "--child", url, kind, str(path), username]
    command += [str(check), str(profile)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"the import failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    if url.startswith("sqlite"):
        sqlite_path(url).unlink(missing_ok=True)
    else:
        conn, name = postgres_admin(url)
        with conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return json.loads(done.stdout.strip().splitlines()[-1])


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child(*argv[1:5], argv[5] == "True", argv[6:7] == ["True"])
        return
    args = parse_args(argv)
    url = args.database_url or "sqlite:////tmp/eiso-bench-imports.sqlite3"
    vendor = "sqlite" if url.startswith("sqlite") else "postgresql"
    sizes = [int(n) for n in args.rows.split(",")]
    kinds = [k for k in args.kinds.split(",") if k]
    print(f"Import benchmark on {vendor}: {kinds}, {sizes} rows ({args.format})", flush=True)
    create_database(url)
    setup_django(url)
    started = time.perf_counter()
    base = build_base(url)
    built = time.perf_counter() - started
    from django.db import connections

    connections.close_all()
    print(f"  base: {base['agencies']:,} agencies in {built:.0f} s (load {load()})", flush=True)
    runs = []
    for kind in kinds:
        username = base["admin"] if kind == "agencies" else base["national"]
        for rows in sizes:
            path = write_file(kind, rows, args.format, base)
            before = load()
            measured = run_child(url, kind, path, username, not args.no_check, args.profile)
            run = {"kind": kind, "size": rows, "format": args.format, **measured}
            run["load"] = f"{before} → {load()}"
            runs.append(run)
            print(f"  {kind} {rows:,}: {json.dumps(measured)} (load {run['load']})", flush=True)
    result = {
        "vendor": vendor,
        "agencies": base["agencies"],
        "runs": runs,
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "commit": git_commit(),
    }
    text = report(result)
    print()
    print(text)
    if not args.no_write:
        write_results(f"imports-{vendor}{'-' + args.tag if args.tag else ''}", text, result)
    if not args.keep:
        drop_database(url)


def report(result: dict) -> str:
    lines = [
        f"# Imports, {result['vendor']}",
        "",
        f"Into a country of {result['agencies']:,} agencies; {result['machine']['cores']} cores "
        f"({result['machine']['cpu']}); {result['date']}, commit {result['commit']}. "
        "“import”: the file checked and written in one transaction (`import_file`, as the "
        "command does it); “check”: only checked (the preview). CPU: the Python process's "
        "(with SQLite it includes the SQL).",
        "",
        "| import | rows | format | check s | check rows/s | import s | import rows/s | "
        "CPU s | SQL statements | audit events | load average (1, 5, 15 min) before → after |",
        "|---|--:|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for run in result["runs"]:
        check = run.get("check") or {}
        done = run["import"]
        lines.append(
            f"| {run['kind']} | {run['size']:,} | {run['format']} | "
            f"{check.get('seconds', '')} | {check.get('rows_per_s', ''):,} | "
            f"{done['seconds']} | {done['rows_per_s']:,} | {done['cpu_seconds']} | "
            f"{done['statements']:,} | {run['audit_events']:,} | {run['load']} |"
            if check
            else f"| {run['kind']} | {run['size']:,} | {run['format']} |  |  | "
            f"{done['seconds']} | {done['rows_per_s']:,} | {done['cpu_seconds']} | "
            f"{done['statements']:,} | {run['audit_events']:,} | {run['load']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
