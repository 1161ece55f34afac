"""Benchmark of e-ISO's pages and API lists on generated data of a stated size.

It builds a throwaway database (a SQLite file under /tmp by default, or a PostgreSQL database
named by ``--database-url``, created and dropped here), migrates it, fills it with
bench/generate.py, then requests every measured page as three personas — the ISO secretary of
one commune, an overseer of the root of the tree, a system administrator — with Django's test
``Client`` (``force_login``; in process, no network, no WSGI server). It prints a Markdown
table (endpoint, persona, SQL queries per request, p50/p95/max milliseconds) and writes it to
bench/results/<size>-<vendor>.md (with a .json beside it); at a larger size it adds the ratio
of each p50 to the same row's p50 at the province size (near 1: it scales).

    make bench                                   # province size on SQLite (a few minutes)
    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/eiso_bench
    .venv/bin/python bench/run.py --provinces 20 --database-url postgres://…/eiso_bench
    .venv/bin/python bench/run.py --ratio bench/results/province-postgresql.json \\
        bench/results/20-provinces-postgresql.json
    # both sizes in one run, taking turns a round at a time (--paired-with: a kept province)
    .venv/bin/python bench/run.py --provinces 20 --reuse --keep --database-url …/eiso_bench_load \\
        --paired-with postgres://…/eiso_bench_province

See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import os
import platform
import select
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PROTECTED_DATABASES = {"postgres", "template0", "template1", "test", "test_test"}

# (name, URL template). Placeholders: document_id, agency_q, document_q, agency_param.
ENDPOINTS = [
    ("home", "/"),
    ("agency list", "/agencies/"),
    ("agency search", "/agencies/?q={agency_q}"),
    ("user list", "/accounts/users/"),
    ("audit trail", "/audit/"),
    ("document list", "/documents/"),
    ("document search", "/documents/?q={document_q}"),
    ("document detail", "/documents/{document_id}/"),
    ("master list", "/documents/master-list/{agency_param}"),
    ("revision tasks", "/documents/tasks/"),
    ("legal texts", "/documents/external/"),
    ("issuing decisions", "/documents/decisions/"),
    ("API agencies", "/api/v1/agencies/"),
    ("API documents", "/api/v1/documents/"),
    ("API audit events", "/api/v1/audit-events/"),
    # the overseer's pages (issue 15), on the QMS and procedure data of bench/qms.py
    ("registry", "/oversight/"),
    ("summary page", "/oversight/summary/"),
    ("summary API", "/api/v1/oversight/summary/"),
    ("summary XLSX", "/oversight/summary/?export=xlsx"),
    ("summary DOCX", "/oversight/summary/docx/"),
    ("coverage", "/procedures/coverage/"),
]
# The raw-SQL floor of a row (issue 15): the minimal SQL returning what the page shows, timed
# interleaved with the page; "× floor" is the page's p50 over the floor's. Parameters, per
# persona (``floor_params``): ``scope``, a LIKE pattern of the agency paths they see ("%" for
# the administrator); ``user``, ``own_agency`` (their first role's), ``agency`` (the commune),
# ``document``; ``q`` and ``agency_q``, the searches' folded words as LIKE patterns. Lists
# count at most 10,001 rows, as eiso.core.pagination.CheapPaginator does. A page's floor holds
# what its header shows too (``_FRAME``: the person's name, roles and unread notifications) and
# the choices of its filters that come from the database.
_ANNEX = """
    SELECT a.id, a.code, a.name, a.tier, a.must_apply, q.status, max(n.number), max(n.date),
           count(n.id)
    FROM organizations_agency a
    LEFT JOIN qms_qualitysystem q ON q.agency_id = a.id
    LEFT JOIN qms_announcement n ON n.agency_id = a.id AND n.status = 'received'
    WHERE a.is_active AND a.path LIKE %(scope)s
    GROUP BY a.id, a.code, a.name, a.tier, a.must_apply, a.path, q.status
    ORDER BY a.path"""
_BY_TIER = """
    SELECT a.tier, count(*), sum(CASE WHEN a.must_apply THEN 1 ELSE 0 END),
           sum(CASE WHEN q.status = 'building' THEN 1 ELSE 0 END),
           sum(CASE WHEN q.status = 'applied' THEN 1 ELSE 0 END),
           sum(CASE WHEN n.agency_id IS NOT NULL THEN 1 ELSE 0 END)
    FROM organizations_agency a
    LEFT JOIN qms_qualitysystem q ON q.agency_id = a.id
    LEFT JOIN (SELECT DISTINCT agency_id FROM qms_announcement WHERE status = 'received') n
           ON n.agency_id = a.id
    WHERE a.is_active AND a.path LIKE %(scope)s GROUP BY a.tier"""
_IN_FORCE = """(SELECT r.number FROM documents_revision r WHERE r.document_id = d.id
        AND r.status = 'issued' AND r.effective_date <= CURRENT_DATE
        ORDER BY r.effective_date DESC, r.number DESC LIMIT 1)"""
# A list of documents shows for each row its department, the revision in force (number and
# date), one issued to take effect later and the state of the one in preparation: the page's
# rows are found first, then those read for them alone.
_OPEN = "('draft', 'in_review', 'returned', 'approved')"
_DOCUMENTS = f"""
    SELECT d.id, d.code, d.title, d.kind, d.status, d.withdrawn_on, d.agency_name, p.name,
           f.number, f.effective_date, u.number, u.effective_date, o.number, o.status
    FROM (SELECT d.id, d.code, d.title, d.kind, d.status, d.withdrawn_on, d.department_id,
                 d.agency_id, a.name AS agency_name
          FROM documents_document d JOIN organizations_agency a ON a.id = d.agency_id
          WHERE a.path LIKE %(scope)s {{where}} ORDER BY d.code, d.agency_id, d.id
          LIMIT {{limit}}) d
    LEFT JOIN organizations_department p ON p.id = d.department_id
    LEFT JOIN LATERAL (SELECT r.number, r.effective_date FROM documents_revision r
        WHERE r.document_id = d.id AND r.status = 'issued' AND r.effective_date <= CURRENT_DATE
        ORDER BY r.effective_date DESC, r.number DESC LIMIT 1) f ON true
    LEFT JOIN LATERAL (SELECT r.number, r.effective_date FROM documents_revision r
        WHERE r.document_id = d.id AND r.status = 'issued' AND r.effective_date > CURRENT_DATE
        ORDER BY r.effective_date LIMIT 1) u ON true
    LEFT JOIN LATERAL (SELECT r.number, r.status FROM documents_revision r
        WHERE r.document_id = d.id AND r.status IN {_OPEN} LIMIT 1) o ON true
    ORDER BY d.code, d.agency_id, d.id"""
# The department filter of an agency's own list of documents.
_DEPARTMENTS = """
    SELECT p.id, p.name FROM organizations_department p WHERE p.agency_id = %(own_agency)s
    ORDER BY p.name"""
_DOCUMENT_COUNT = """
    SELECT count(*) FROM (SELECT 1 FROM documents_document d
    JOIN organizations_agency a ON a.id = d.agency_id
    WHERE a.path LIKE %(scope)s {where} LIMIT 10001) c"""
_EVENTS = """
    SELECT e.id, e.created_at, e.actor_name, e.action, e.object_type, e.object_repr, e.changes,
           e.remote_addr, a.name
    FROM core_auditevent e JOIN organizations_agency a ON a.id = e.agency_id
    WHERE a.path LIKE %(scope)s ORDER BY e.created_at DESC, e.id DESC LIMIT 50"""
_EVENT_COUNT = """
    SELECT count(*) FROM (SELECT 1 FROM core_auditevent e
    JOIN organizations_agency a ON a.id = e.agency_id WHERE a.path LIKE %(scope)s LIMIT 10001) c"""
_AGENCIES = """
    SELECT a.id, a.code, a.name, a.tier, a.must_apply, a.is_active, k.name, p.name
    FROM organizations_agency a
    LEFT JOIN organizations_agencykind k ON k.id = a.kind_id
    LEFT JOIN organizations_agency p ON p.id = a.parent_id
    WHERE a.path LIKE %(scope)s {where} ORDER BY a.path LIMIT {limit}"""
# The kind filter of the lists of agencies (the registry and the coverage too).
_KINDS = "SELECT k.id, k.name FROM organizations_agencykind k ORDER BY k.name"
_AGENCY_COUNT = """
    SELECT count(*) FROM organizations_agency a WHERE a.path LIKE %(scope)s {where}"""
_USERS_IN_SCOPE = """u.id IN (SELECT m.user_id FROM accounts_membership m
    JOIN organizations_agency a ON a.id = m.agency_id WHERE a.path LIKE %(scope)s)"""
_TASKS = """
    SELECT t.id, t.reason, t.due_date, t.status, d.code, d.title, a.name, x.number, c.number
    FROM documents_revisiontask t
    JOIN documents_document d ON d.id = t.document_id
    JOIN organizations_agency a ON a.id = t.agency_id
    JOIN documents_externaldocument x ON x.id = t.external_document_id
    LEFT JOIN documents_revision c ON c.id = t.closed_by_revision_id
    WHERE a.path LIKE %(scope)s AND t.status = 'open' ORDER BY t.due_date, t.id LIMIT 25"""
_TASK_COUNT = """
    SELECT count(*) FROM documents_revisiontask t JOIN organizations_agency a ON a.id = t.agency_id
    WHERE a.path LIKE %(scope)s AND t.status = 'open'"""
_LEGAL_SCOPE = "(a.path LIKE %(scope)s OR x.is_shared)"
_DECISION_SCOPE = "a.path LIKE %(scope)s"
_HOME_PANELS = [
    _TASKS.replace("LIMIT 25", "LIMIT 5"),
    """SELECT k.id, d.code, d.title FROM documents_acknowledgement k
       JOIN documents_revision r ON r.id = k.revision_id
       JOIN documents_document d ON d.id = r.document_id
       WHERE k.user_id = %(user)s AND k.acknowledged_at IS NULL
       ORDER BY k.created_at DESC LIMIT 5""",
    """SELECT d.status, count(*) FROM documents_document d
       JOIN organizations_agency a ON a.id = d.agency_id
       WHERE a.path LIKE %(scope)s GROUP BY d.status""",
]


def _listed(rows: str, count: str, *, where: str = "", limit: int = 25) -> list[str]:
    """A list's floor: its page of rows and its count, with the same condition."""
    return [rows.format(where=where, limit=limit), count.format(where=where)]


_AGENCY_Q = "AND a.search_text LIKE %(agency_q)s"
_DOCUMENT_Q = "AND d.search_text LIKE %(q)s"
# A row's floor: a list of statements, or per persona ("*": the others).
FLOORS = {
    # the people of an agency see their panels; overseers and administrators their dashboard
    "home": {"secretary": _HOME_PANELS, "*": [_BY_TIER, *_HOME_PANELS[:2]]},
    "agency list": [*_listed(_AGENCIES, _AGENCY_COUNT), _KINDS],
    "agency search": [*_listed(_AGENCIES, _AGENCY_COUNT, where=_AGENCY_Q), _KINDS],
    "user list": [
        f"""SELECT u.id, u.username, u.full_name, u.position, u.is_active FROM accounts_user u
            WHERE {_USERS_IN_SCOPE} ORDER BY u.username, u.id LIMIT 25""",
        f"""SELECT m.user_id, m.role, a.name FROM accounts_membership m
            JOIN organizations_agency a ON a.id = m.agency_id
            WHERE m.user_id IN (SELECT u.id FROM accounts_user u WHERE {_USERS_IN_SCOPE}
                                ORDER BY u.username, u.id LIMIT 25)""",
        f"SELECT count(*) FROM (SELECT 1 FROM accounts_user u WHERE {_USERS_IN_SCOPE}"
        " LIMIT 10001) c",
    ],
    "audit trail": [_EVENTS, _EVENT_COUNT],
    "API audit events": [_EVENTS, _EVENT_COUNT],
    # the people of an agency filter by its departments; overseers by agency (autocomplete)
    "document list": {
        "secretary": [*_listed(_DOCUMENTS, _DOCUMENT_COUNT), _DEPARTMENTS],
        "*": _listed(_DOCUMENTS, _DOCUMENT_COUNT),
    },
    "document search": {
        "secretary": [*_listed(_DOCUMENTS, _DOCUMENT_COUNT, where=_DOCUMENT_Q), _DEPARTMENTS],
        "*": _listed(_DOCUMENTS, _DOCUMENT_COUNT, where=_DOCUMENT_Q),
    },
    "API documents": _listed(_DOCUMENTS, _DOCUMENT_COUNT, limit=50),
    "API agencies": _listed(_AGENCIES, _AGENCY_COUNT, limit=50),
    "document detail": [
        """SELECT d.id, d.code, d.title, d.kind, d.status, a.name FROM documents_document d
           JOIN organizations_agency a ON a.id = d.agency_id WHERE d.id = %(document)s""",
        """SELECT r.id, r.number, r.status, r.effective_date, r.change_summary, r.content
           FROM documents_revision r WHERE r.document_id = %(document)s ORDER BY r.number""",
        """SELECT v.id, v.action, v.created_at FROM documents_revisionevent v
           JOIN documents_revision r ON r.id = v.revision_id
           WHERE r.document_id = %(document)s ORDER BY v.created_at""",
        """SELECT x.id, x.number, x.title FROM documents_externaldocument x
           JOIN documents_document_legal_bases l ON l.externaldocument_id = x.id
           WHERE l.document_id = %(document)s""",
        """SELECT f.id, f.original_name, f.size FROM documents_revisionfile f
           JOIN documents_revision r ON r.id = f.revision_id
           WHERE r.document_id = %(document)s""",
        """SELECT k.id, k.acknowledged_at, u.full_name FROM documents_acknowledgement k
           JOIN accounts_user u ON u.id = k.user_id
           JOIN documents_revision r ON r.id = k.revision_id
           WHERE r.document_id = %(document)s""",
        """SELECT d.id, d.code, d.title FROM documents_document d
           JOIN documents_document_forms f ON f.to_document_id = d.id
           WHERE f.from_document_id = %(document)s
           UNION ALL
           SELECT d.id, d.code, d.title FROM documents_document d
           JOIN documents_document_forms f ON f.from_document_id = d.id
           WHERE f.to_document_id = %(document)s""",
        """SELECT p.id, p.name FROM organizations_department p
           JOIN documents_document_distribution x ON x.department_id = p.id
           WHERE x.document_id = %(document)s""",
        """SELECT t.id, t.reason, t.due_date FROM documents_revisiontask t
           WHERE t.document_id = %(document)s""",
    ],
    "master list": [
        f"""SELECT d.id, d.code, d.title, d.kind, {_IN_FORCE} AS n FROM documents_document d
            WHERE d.agency_id = %(agency)s AND {_IN_FORCE} IS NOT NULL
            ORDER BY d.kind, d.code""",
    ],
    "revision tasks": [_TASKS, _TASK_COUNT],
    "legal texts": [
        f"""SELECT x.id, x.number, x.title, x.issuer, x.effective_date,
                   (SELECT count(*) FROM documents_document_legal_bases l
                    JOIN organizations_agency la ON la.id = l.agency_id
                    WHERE l.externaldocument_id = x.id AND la.path LIKE %(scope)s)
            FROM documents_externaldocument x JOIN organizations_agency a ON a.id = x.agency_id
            WHERE {_LEGAL_SCOPE} ORDER BY x.effective_date DESC, x.id LIMIT 25""",
        f"""SELECT count(*) FROM documents_externaldocument x
            JOIN organizations_agency a ON a.id = x.agency_id WHERE {_LEGAL_SCOPE}""",
    ],
    "issuing decisions": [
        f"""SELECT i.id, i.number, i.date, i.subject, i.status, i.signer_name, i.signer_title,
                   a.name,
                   (SELECT count(*) FROM documents_revision r WHERE r.decision_id = i.id)
            FROM documents_issuingdecision i JOIN organizations_agency a ON a.id = i.agency_id
            WHERE {_DECISION_SCOPE} ORDER BY i.date DESC, i.created_at DESC LIMIT 25""",
        f"""SELECT count(*) FROM documents_issuingdecision i
            JOIN organizations_agency a ON a.id = i.agency_id WHERE {_DECISION_SCOPE}""",
    ],
    "registry": [
        _ANNEX + " LIMIT 50",  # RegistryView.paginate_by
        """SELECT h.agency_id, count(*) FROM procedures_handledprocedure h
           WHERE h.is_active AND h.agency_id IN (SELECT a.id FROM organizations_agency a
                 WHERE a.is_active AND a.path LIKE %(scope)s ORDER BY a.path LIMIT 50)
           GROUP BY h.agency_id""",
        "SELECT count(*) FROM organizations_agency a WHERE a.is_active AND a.path LIKE %(scope)s",
        _KINDS,
    ],
    "summary page": [_BY_TIER, _ANNEX + " LIMIT 100"],
    "summary API": [_BY_TIER, _ANNEX],
    "summary XLSX": [_BY_TIER, _ANNEX],
    "summary DOCX": [_BY_TIER, _ANNEX],
    "coverage": [
        """SELECT a.id, a.name, count(h.id) FROM organizations_agency a
           LEFT JOIN procedures_handledprocedure h ON h.agency_id = a.id AND h.is_active
           WHERE a.is_active AND a.path LIKE %(scope)s
           GROUP BY a.id, a.name, a.path ORDER BY a.path LIMIT 25""",
        """SELECT count(DISTINCT h.procedure_id), count(*) FROM procedures_handledprocedure h
           JOIN organizations_agency a ON a.id = h.agency_id
           WHERE h.is_active AND a.path LIKE %(scope)s""",
        _KINDS,
    ],
}
# What every page (not the API, not a file) shows besides its own rows: the header's name of the
# person, their roles (each role's agency, in the switch) and how many notifications they have
# not read — in one statement (one round trip, the least a floor can be).
_FRAME = [
    """SELECT u.full_name,
              (SELECT json_agg(json_build_array(m.id, m.role, a.name) ORDER BY a.path, m.role)
               FROM accounts_membership m JOIN organizations_agency a ON a.id = m.agency_id
               WHERE m.user_id = u.id AND m.is_active AND a.is_active),
              (SELECT count(*) FROM core_notification n
               WHERE n.user_id = u.id AND n.read_at IS NULL)
       FROM accounts_user u WHERE u.id = %(user)s""",
]


def is_page(endpoint: str) -> bool:
    """Whether a row is a page (with its header), not JSON nor a file."""
    return not (endpoint.startswith("API ") or endpoint.endswith((" API", " XLSX", " DOCX")))


PERSONA_ORDER = ("secretary", "overseer", "overseer (province)", "admin")
# Typed without diacritics: the search must find "Quy trình … đăng ký khai sinh".
DOCUMENT_QUERY = "dang ky khai sinh"


# --- arguments and the throwaway database ---------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark e-ISO on generated data.", epilog="See bench/README.md."
    )
    parser.add_argument("--provinces", type=int, default=1, help="1: a province (default)")
    parser.add_argument(
        "--documents-per-agency", type=int, default=200, help="in the first province"
    )
    parser.add_argument(
        "--other-documents-per-agency",
        type=int,
        default=30,
        help="in the other provinces (keeps a country feasible)",
    )
    parser.add_argument("--users-per-agency", type=int, default=20)
    parser.add_argument(
        "--database-url",
        default="",
        help="default sqlite:////tmp/eiso-bench-<size>.sqlite3; a PostgreSQL database is "
        "created and dropped by the run (its name must contain 'bench')",
    )
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per row")
    parser.add_argument(
        "--warmup", type=int, default=2, help="untimed requests per row first (at least 1)"
    )
    parser.add_argument("--only", default="", help="comma-separated endpoint names (substrings)")
    parser.add_argument("--slow-ms", type=float, default=300.0, help="EXPLAIN rows above this")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse a database kept by --keep (no generation); with --keep again, or it is "
        "dropped afterwards",
    )
    parser.add_argument("--no-write", action="store_true", help="print only; write no results")
    parser.add_argument(
        "--profile",
        default="",
        metavar="ENDPOINT:PERSONA",
        help="instead of measuring, profile one row (cProfile of 20 requests; BENCH_PROFILE_LINES"
        " lines of it, 40 by default), e.g. 'audit trail:admin'",
    )
    parser.add_argument("--compare", default="", help="results .json of a smaller size")
    parser.add_argument(
        "--paired-with",
        default="",
        metavar="DATABASE_URL",
        help="a province kept by --keep, measured at the same time by a second process: the "
        "two take turns a round at a time, so that both sizes see the same machine and the "
        "ratio is of one run (it is written as that size's results too)",
    )
    parser.add_argument("--baton", default="", help=argparse.SUPPRESS)  # "in,out" fds (paired)
    parser.add_argument("--json-out", default="", help=argparse.SUPPRESS)  # (paired)
    parser.add_argument(
        "--ratio", nargs=2, metavar=("SMALL_JSON", "LARGE_JSON"), help="only print the ratios"
    )
    parser.add_argument(
        "--summary", nargs="+", metavar="JSON", help="only print the p50s of several results"
    )
    parser.add_argument(
        "--goals",
        nargs=2,
        metavar=("SMALL_JSON", "LARGE_JSON"),
        help="only print issue 15's goals read off the results of one paired run",
    )
    args = parser.parse_args(argv)
    args.warmup = max(1, args.warmup)  # the first request of a row captures its SQL
    return args


def size_label(provinces: int) -> str:
    return "province" if provinces == 1 else f"{provinces}-provinces"


def database_url(args) -> str:
    return args.database_url or f"sqlite:////tmp/eiso-bench-{size_label(args.provinces)}.sqlite3"


def postgres_admin(url: str):
    """A connection to the server's maintenance database, and the benchmark database's name."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if name in PROTECTED_DATABASES or name.startswith("test") or "bench" not in name:
        sys.exit(f"Refusing to use the database {name!r}: its name must contain 'bench'.")
    conn = psycopg.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname="postgres",
        autocommit=True,
    )
    return conn, name


def sqlite_path(url: str) -> Path:
    return Path("/" + urlparse(url).path.lstrip("/"))


def create_database(url: str) -> None:
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        if "bench" not in path.name:
            sys.exit(f"Refusing to use {path}: the file name must contain 'bench'.")
        for suffix in ("", "-wal", "-shm", ".json"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    conn, name = postgres_admin(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        for suffix in ("", "-wal", "-shm", ".json"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    conn, name = postgres_admin(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sidecar(url: str) -> Path:
    """Where a kept database's personas and counts are remembered (for --reuse)."""
    if url.startswith("sqlite"):
        return Path(f"{sqlite_path(url)}.json")
    return Path(f"/tmp/eiso-bench-{urlparse(url).path.lstrip('/')}.json")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("EISO_DEV", "1")  # the settings of `make run`, DEBUG off
    os.environ["DEBUG"] = "0"
    os.environ["LOG_LEVEL"] = "ERROR"  # no "Not Found" warnings for the refused pages
    os.environ["EMAIL_URL"] = "locmem://"
    os.environ["EISO_DATA_DIR"] = "/tmp/eiso-bench-data"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.getLogger("django.request").setLevel(logging.ERROR)
    # The web processes' collector, as config/wsgi.py sets it once the application is loaded:
    # pages measured (and profiled) as they are served.
    from eiso.core.runtime import tune_gc

    tune_gc(settings.GC_THRESHOLD)


# --- measuring ------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def personas(info: dict) -> dict[str, str]:
    names = {"secretary": info["secretary"], "overseer": info["overseer"]}
    if info.get("province_overseer"):
        names["overseer (province)"] = info["province_overseer"]
    names["admin"] = info["admin"]
    return names


def url_for(template: str, persona: str, info: dict) -> str:
    from eiso.core.text import vn_fold

    agency_param = "" if persona == "secretary" else f"?agency={info['commune_id']}"
    return template.format(
        document_id=info["document_id"],
        agency_q=vn_fold(info["commune_name"]).replace(" ", "+"),
        document_q=DOCUMENT_QUERY.replace(" ", "+"),
        agency_param=agency_param,
    )


def request(client, url: str, capture: bool):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries = None
    error = ""
    cpu_started = time.thread_time()
    started = time.perf_counter()
    try:
        if capture:
            with CaptureQueriesContext(connection) as context:
                response = client.get(url)
            queries = list(context.captured_queries)
        else:
            response = client.get(url)
        status, size = response.status_code, len(response.content)
    except Exception as exc:  # others edit the app meanwhile: report, keep going
        status, size, error = 0, 0, f"{type(exc).__name__}: {exc}"[:200]
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, (time.thread_time() - cpu_started) * 1000, status, size, queries, error


def floor_params(username: str, info: dict) -> dict:
    """The parameters of the floors' SQL for the persona signed in as ``username`` (see FLOORS)."""
    from eiso.accounts.models import Membership, User
    from eiso.core.text import vn_fold

    user = User.objects.get(username=username)
    first = (
        Membership.objects.filter(user=user, is_active=True)
        .order_by("agency__depth")
        .values_list("agency__path", "agency_id")
        .first()
    )
    scope = "%" if user.is_superuser or first is None else first[0] + "%"
    return {
        "scope": scope,
        "user": user.pk,
        "own_agency": first[1] if first else None,
        "agency": info["commune_id"],
        "document": info["document_id"],
        "q": f"%{vn_fold(DOCUMENT_QUERY)}%",
        "agency_q": f"%{vn_fold(info['commune_name'])}%",
    }


def floor_of(endpoint: str, persona: str) -> list[str]:
    """The floor's statements of a row (FLOORS), none when it has no floor."""
    statements = FLOORS.get(endpoint, [])
    if isinstance(statements, dict):
        statements = statements.get(persona, statements.get("*", []))
    if statements and is_page(endpoint):
        statements = [*_FRAME, *statements]
    return statements


def floor(statements: list[str], params: dict) -> float:
    """Milliseconds to run a row's floor SQL and fetch every row."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, {k: v for k, v in params.items() if f"%({k})s" in sql})
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


class Baton:
    """Turns between the two processes of a paired run (``--paired-with``): each round of
    requests is made while holding the baton, then it is passed, so that only one size is
    measured at a time and both alternate through the same minutes of the machine. Without a
    partner, taking and passing it do nothing."""

    def __init__(self, spec: str = "", partner: subprocess.Popen | None = None):
        self.fds = tuple(int(fd) for fd in spec.split(",")) if spec else ()
        self.partner = partner  # the child process, watched so that a crash is not a hang

    def take(self) -> None:
        if not self.fds:
            return
        while not select.select([self.fds[0]], [], [], 1.0)[0]:
            if self.partner is not None and self.partner.poll() is not None:
                raise SystemExit(f"the paired run ended early ({self.partner.returncode})")
        if not os.read(self.fds[0], 1):
            raise SystemExit("the paired run ended early")

    def give(self) -> None:
        if self.fds:
            with contextlib.suppress(BrokenPipeError):  # the other one finished its last round
                os.write(self.fds[1], b".")


def start_partner(args, label: str) -> tuple[Baton, subprocess.Popen, Path]:
    """The second process of a paired run: the database of ``--paired-with`` with the same
    rows, rounds and options, taking turns with this one (this one first)."""
    child_reads, parent_writes = os.pipe()
    parent_reads, child_writes = os.pipe()
    os.write(child_writes, b".")  # this process holds the baton first
    json_out = Path(tempfile.mkstemp(prefix="eiso-bench-paired-", suffix=".json")[1])
    command = [sys.executable, str(Path(__file__).resolve()), "--reuse", "--keep"]
    command += ["--database-url", args.paired_with, "--repeat", str(args.repeat)]
    command += ["--warmup", str(args.warmup), "--slow-ms", str(args.slow_ms)]
    command += ["--baton", f"{child_reads},{child_writes}", "--json-out", str(json_out)]
    command += ["--only", args.only] if args.only else []
    command += ["--no-write"] if args.no_write else []
    log = open(Path(tempfile.gettempdir()) / f"eiso-bench-paired-{label}.log", "w")  # noqa: SIM115
    child = subprocess.Popen(
        command, pass_fds=(child_reads, child_writes), stdout=log, stderr=subprocess.STDOUT
    )
    print(f"  paired with {args.paired_with} (pid {child.pid}, log {log.name})", flush=True)
    os.close(child_reads)
    os.close(child_writes)
    return Baton(f"{parent_reads},{parent_writes}", partner=child), child, json_out


def measure(info: dict, args, baton: Baton | None = None) -> list[dict]:
    from django.test import Client

    from eiso.accounts.models import User

    wanted = [w.strip().lower() for w in args.only.split(",") if w.strip()]
    endpoints = [e for e in ENDPOINTS if not wanted or any(w in e[0].lower() for w in wanted)]
    clients, params = {}, {}
    for persona, username in personas(info).items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[persona] = client
        params[persona] = floor_params(username, info)
    rows = {
        (name, persona): {
            "endpoint": name,
            "persona": persona,
            "url": url_for(template, persona, info),
            "times": [],
            "cpu": [],
            "floor": [],
        }
        for name, template in endpoints
        for persona in clients
    }
    rounds = args.warmup + args.repeat
    baton = baton or Baton()
    for number in range(rounds + 1):
        baton.take()
        for (_name, persona), row in rows.items():
            if row.get("refused"):
                continue
            first, last = number == 0, number == rounds
            elapsed, cpu, status, size, queries, error = request(
                clients[persona], row["url"], capture=first or last
            )
            if first:
                row.update(status=status, bytes=size, error=error)
                row["queries"] = len(queries) if queries is not None else None
                row["sql"] = queries or []
                if status in (403, 404) or error:
                    row["refused"] = True  # not this persona's page: measured once
            elif last:
                row["queries_last"] = len(queries) if queries is not None else None
            elif number >= args.warmup:
                row["times"].append(elapsed)
                row["cpu"].append(cpu)
                statements = floor_of(row["endpoint"], persona)
                if statements:
                    row["floor"].append(floor(statements, params[persona]))
                if status != row["status"]:
                    row["error"] = row["error"] or f"status {status} in a later request"
        baton.give()
        if number == 0:
            print(f"  warm-up round done ({len(rows)} rows)", flush=True)
    results = []
    for row in rows.values():
        times = row.pop("times")
        cpu = row.pop("cpu")
        floors = row.pop("floor")
        if floors:
            row["floor_p50"] = round(statistics.median(floors), 1)
        sql = row.pop("sql")
        row["sql_ms"] = round(sum(float(q["time"]) for q in sql) * 1000, 1)
        row["slowest_sql"] = sorted(
            ({"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"]} for q in sql),
            key=lambda q: -q["ms"],
        )[:3]
        if times:
            row.update(
                n=len(times),
                p50=round(statistics.median(times), 1),
                p95=round(percentile(times, 0.95), 1),
                max=round(max(times), 1),
                cpu_p50=round(statistics.median(cpu), 1),
            )
        results.append(row)
    return results


def profile(info: dict, spec: str) -> None:
    """Where the time of one row goes: the top functions by cumulative time."""
    import cProfile
    import pstats

    from django.test import Client

    from eiso.accounts.models import User

    name, _, persona = spec.partition(":")
    template = dict(ENDPOINTS)[name.strip()]
    client = Client()
    client.force_login(User.objects.get(username=personas(info)[persona.strip()]))
    url = url_for(template, persona.strip(), info)
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        client.get(url)
    profiler.disable()
    print(f"cProfile of 20 requests of {url} as {persona.strip()}:")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(
        int(os.environ.get("BENCH_PROFILE_LINES", "40"))
    )


def explain(rows: list[dict], slow_ms: float, vendor: str) -> str:
    """The plans of the slowest queries of the slow rows."""
    from django.db import connection

    parts = []
    for row in rows:
        if (row.get("p50") or 0) < slow_ms:
            continue
        parts.append(
            f"## {row['endpoint']} — {row['persona']} (p50 {row['p50']} ms, "
            f"{row['queries']} queries, {row['sql_ms']} ms of SQL in the captured request)\n"
        )
        for query in row["slowest_sql"][:2]:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            prefix = (
                "EXPLAIN (ANALYZE, BUFFERS) " if vendor == "postgresql" else ("EXPLAIN QUERY PLAN ")
            )
            try:
                with connection.cursor() as cursor:
                    cursor.execute(prefix + sql)
                    plan = "\n".join(" | ".join(str(c) for c in r) for r in cursor.fetchall())
            except Exception as exc:
                plan = f"(could not explain: {exc})"
            parts.append(f"{query['ms']} ms:\n\n```sql\n{sql}\n```\n\n```\n{plan}\n```\n")
    return "\n".join(parts)


# --- reporting ------------------------------------------------------------------------------


def write_results(name: str, text: str, result: dict) -> None:
    """bench/results/NAME.md (the report) and NAME.json (the figures behind it)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text(text)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=1, default=str))
    print(f"Written to bench/results/{name}.md and .json")


def git_commit() -> str:
    if os.environ.get("EISO_BENCH_COMMIT"):  # when run from an exported tree
        return os.environ["EISO_BENCH_COMMIT"]
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not head:
            return "unknown"
        return f"{head}{' (with uncommitted changes)' if dirty else ''}"
    except OSError:
        return "unknown"


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "system": platform.platform(terse=True),
    }


def fmt(value, digits=0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def queries_cell(row) -> str:
    first, last = row.get("queries"), row.get("queries_last")
    if first is None:
        return "—"
    return f"{first}" if last in (None, first) else f"{first}→{last}"


def table(rows: list[dict]) -> str:
    lines = [
        "| endpoint | persona | status | queries | SQL ms | CPU ms | p50 ms | p95 ms | max ms | KB "
        "| floor ms | × floor |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        if row.get("refused"):
            status = row["error"] or f"{row['status']} (not theirs)"
            lines.append(f"| {row['endpoint']} | {row['persona']} | {status} | | | | | | | | | |")
            continue
        lines.append(
            f"| {row['endpoint']} | {row['persona']} | {row['status']}"
            f"{' ⚠ ' + row['error'] if row.get('error') else ''} | {queries_cell(row)} | "
            f"{fmt(row['sql_ms'], 1)} | {fmt(row.get('cpu_p50'), 1)} | {fmt(row.get('p50'), 1)} | {fmt(row.get('p95'), 1)} | "
            f"{fmt(row.get('max'), 1)} | {row['bytes'] / 1024:,.0f} | "
            f"{fmt(row.get('floor_p50'), 1)} | {_times_floor(row)} |"
        )
    return "\n".join(lines)


def _times_floor(row) -> str:
    if not row.get("floor_p50") or not row.get("p50"):
        return ""
    return f"{row['p50'] / row['floor_p50']:.1f}×"


def _measured(result: dict) -> dict[tuple[str, str], dict]:
    """A result's measured rows by (endpoint, persona)."""
    return {(r["endpoint"], r["persona"]): r for r in result["rows"] if r.get("p50")}


def _smaller_key(row) -> tuple[str, str]:
    """The same row at the province size: the province overseer of a multi-province run is
    the overseer of the one-province run."""
    persona = "overseer" if row["persona"] == "overseer (province)" else row["persona"]
    return row["endpoint"], persona


def ratio_table(small: dict, large: dict) -> str:
    """p50 at the larger size ÷ p50 at the smaller, per row (the province overseer of a
    multi-province run is compared with the overseer of the one-province run)."""
    before = _measured(small)
    lines = [
        f"p50 at {large['label']} ({large['counts_summary']}) ÷ p50 at {small['label']} "
        f"({small['counts_summary']}), both on {large['vendor']}.\n",
        "| endpoint | persona | queries | KB | p50 ms small | p50 ms large | ratio |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for row in large["rows"]:
        if not row.get("p50"):
            continue
        old = before.get(_smaller_key(row))
        if old is None:
            continue
        queries = f"{old['queries']}→{row['queries']}"
        if old["queries"] == row["queries"]:
            queries = str(row["queries"])
        kb = f"{old['bytes'] / 1024:,.0f}→{row['bytes'] / 1024:,.0f}"
        lines.append(
            f"| {row['endpoint']} | {row['persona']} | {queries} | {kb} | {old['p50']:,.1f} | "
            f"{row['p50']:,.1f} | {row['p50'] / old['p50']:.2f} |"
        )
    return "\n".join(lines)


# Rows that list every agency the person reaches: issue 15's ratio of 1.5 is for pages of a
# bounded number of rows, which these are not (the summary API gives the whole annex).
UNBOUNDED = {("summary API", "overseer"), ("summary API", "admin")}
# p95 goals (issue 15): an agency's people 150 ms, the overseers and administrators 300 ms.
P95_GOAL = {"secretary": 150.0}


def goals_text(small: dict, large: dict) -> str:
    """Issue 15's goals read off a pair of results of one paired run: the rows over 10× their
    floor, the bounded rows over 1.5× their smaller size, the highest p95 of each persona."""
    rows = [r for r in large["rows"] if r.get("p50")]
    floored = [r for r in rows if r.get("floor_p50")]
    over = [r for r in floored if r["p50"] > 10 * r["floor_p50"]]
    lines = [
        f"Issue 15's goals at {large['label']} against {small['label']} ({large['vendor']}):",
        f"- ≤ 10× the floor: {len(floored) - len(over)} of {len(floored)} rows; over:",
        *(
            f"  - {r['endpoint']} | {r['persona']}: {r['p50'] / r['floor_p50']:.1f}× "
            f"({r['p50']:.1f} ms, floor {r['floor_p50']:.1f})"
            for r in sorted(over, key=lambda r: r["p50"] / r["floor_p50"])
        ),
    ]
    before = _measured(small)
    ratios = []
    for row in rows:
        old = before.get(_smaller_key(row))
        if old is not None and (row["endpoint"], row["persona"]) not in UNBOUNDED:
            ratios.append((row["p50"] / old["p50"], row))
    high = sorted((x for x in ratios if x[0] > 1.5), key=lambda x: x[0])
    top = max(ratios, key=lambda x: x[0]) if ratios else None
    lines.append(
        f"- country ÷ province ≤ 1.5 on bounded rows: {len(ratios) - len(high)} of "
        f"{len(ratios)}"
        + (f" (highest {top[0]:.2f}: {top[1]['endpoint']} | {top[1]['persona']})" if top else "")
        + ("; over:" if high else "")
    )
    lines += [f"  - {r['endpoint']} | {r['persona']}: {x:.3f}" for x, r in high]
    lines.append("- highest p95 by persona (goal):")
    for persona in PERSONA_ORDER:
        mine = [r for r in rows if r["persona"] == persona and r.get("p95")]
        if mine:
            worst = max(mine, key=lambda r: r["p95"])
            goal = P95_GOAL.get(persona, 300.0)
            mark = "met" if worst["p95"] <= goal else "NOT met"
            lines.append(
                f"  - {persona}: {worst['p95']:.1f} ms ({worst['endpoint']}; ≤ {goal:.0f}: {mark})"
            )
    return "\n".join(lines)


def counts_summary(counts: dict) -> str:
    keys = [
        ("organizations.Agency", "agencies"),
        ("accounts.User", "users"),
        ("documents.Document", "documents"),
        ("documents.Revision", "revisions"),
        ("core.AuditEvent", "audit events"),
    ]
    return ", ".join(f"{counts.get(k, 0):,} {label}" for k, label in keys)


def size_text(size: dict) -> str:
    per_province = size["so"] + size["chi_cuc"] + size["communes"] + 1
    text = (
        f"{size['provinces']} province(s) of {per_province} agencies, "
        f"{size['users_per_agency']} people per agency, "
        f"{size['documents_per_agency']} documents per agency"
    )
    if size["provinces"] > 1:
        text += (
            f" in the first province and {size['other_documents_per_agency']} in the others, "
            "under a national root agency"
        )
    return text


def paired_text(result: dict) -> str:
    if not result.get("paired_with"):
        return ""
    return (
        " Paired run (`--paired-with`): the province and the country measured by two "
        "processes taking turns a round of all rows at a time, so that both see the same "
        "minutes of the machine; the ratios below are of this run."
    )


def report(result: dict) -> str:
    counts = "\n".join(f"| {k} | {v:,} |" for k, v in result["counts"].items())
    size = result["size"]
    timing = result["seconds"]
    personas_text = ", ".join(f"{k}: `{v}`" for k, v in result["personas"].items())
    return f"""# e-ISO benchmark — {result["label"]} on {result["vendor"]}

* Data: {result["counts_summary"]} ({size_text(size)}; {result["rows_total"]:,} rows in all).
* Database: {result["vendor"]} {result["server_version"]}.
* Machine: {result["machine"]["cores"]} cores ({result["machine"]["cpu"]}), Python \
{result["machine"]["python"]}; load average {result["load_before"]} before, \
{result["load_after"]} after (the machine is shared).
* Date: {result["date"]}; commit {result["commit"]}.
* Method: Django's test Client in process (force_login; no network, no WSGI server), \
settings of `make run` with DEBUG off and the web processes' garbage collector \
(`GC_THRESHOLD`, as `config.wsgi`). Each row: {result["warmup"]} warm-up requests, then \
{result["repeat"]} timed ones, interleaved round-robin over all rows. "queries" is the number of \
SQL queries of one request (CaptureQueriesContext; "a→b" if the first and the last differ), \
"SQL ms" their time in that request, "CPU ms" the median CPU time of the Python process per \
request (wall-clock minus this is waiting: for the database, or for a core on the shared \
machine). Rows a persona may not open are requested once and marked.{paired_text(result)}
* Personas: {personas_text}.
* Run time: migrate {timing["migrate"]:.0f} s, generate {timing["generate"]:.0f} s, \
measure {timing["measure"]:.0f} s, total {timing["total"]:.0f} s.

{table(result["rows"])}

<details><summary>Rows per table</summary>

| table | rows |
|---|--:|
{counts}

</details>
"""


def summary_table(paths: list[str]) -> str:
    """One row per endpoint and persona, the queries and p50 of each result side by side."""
    results = [json.loads(Path(p).read_text()) for p in paths]
    head = " | ".join(f"{r['label']} {r['vendor']}: queries / p50 ms" for r in results)
    lines = [f"| endpoint | persona | {head} |", "|---|---|" + "--:|" * len(results)]
    keys = []
    for result in results:
        for row in result["rows"]:
            key = (row["endpoint"], row["persona"])
            if key not in keys:
                keys.append(key)
    order = {name: i for i, (name, _) in enumerate(ENDPOINTS)}
    people = {name: i for i, name in enumerate(PERSONA_ORDER)}
    keys.sort(key=lambda k: (order.get(k[0], 99), people.get(k[1], 99)))
    for endpoint, persona in keys:
        cells = []
        for result in results:
            row = next(
                (r for r in result["rows"] if (r["endpoint"], r["persona"]) == (endpoint, persona)),
                None,
            )
            if row is None:
                cells.append("")
            elif row.get("refused"):
                cells.append(f"({row['status']})")
            else:
                cells.append(f"{row['queries']} / {row['p50']:,.0f}")
        if any(c and not c.startswith("(") for c in cells):
            lines.append(f"| {endpoint} | {persona} | {' | '.join(cells)} |")
    return "\n".join(lines)


def print_ratio(small_path: str, large_path: str) -> None:
    small = json.loads(Path(small_path).read_text())
    large = json.loads(Path(large_path).read_text())
    print(ratio_table(small, large))


# --- main -----------------------------------------------------------------------------------


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.ratio:
        print_ratio(*args.ratio)
        return
    if args.summary:
        print(summary_table(args.summary))
        return
    if args.goals:
        small, large = (json.loads(Path(path).read_text()) for path in args.goals)
        print(goals_text(small, large))
        return
    started = time.monotonic()
    url = database_url(args)
    vendor = "sqlite" if url.startswith("sqlite") else "postgresql"
    label = size_label(args.provinces)
    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    timing = {}
    if not args.reuse:
        create_database(url)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    print(f"e-ISO benchmark: {label} on {vendor} ({url})", flush=True)
    if args.reuse:
        info = json.loads(sidecar(url).read_text())
        timing["migrate"] = timing["generate"] = 0.0
    else:
        t = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        timing["migrate"] = time.monotonic() - t
        print(f"  migrated in {timing['migrate']:.0f} s", flush=True)

        from bench.generate import Size, generate

        size = Size(
            provinces=args.provinces,
            documents_per_agency=args.documents_per_agency,
            users_per_agency=args.users_per_agency,
            other_documents_per_agency=args.other_documents_per_agency,
        )
        t = time.monotonic()
        generated = generate(size)
        from bench.qms import add_qms

        qms_counts = add_qms()  # the overseer's rows: QMS records, announcements, procedures
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
        timing["generate"] = time.monotonic() - t
        info = {
            **asdict(generated.personas),
            "size": {**generated.size, "chi_cuc": size.chi_cuc},
            "counts": {**generated.counts, **qms_counts},
            "rows": generated.rows + sum(qms_counts.values()),
        }
        print(f"  generated {generated.rows:,} rows in {timing['generate']:.0f} s", flush=True)
        if args.keep:
            sidecar(url).write_text(json.dumps(info))
    if args.profile:
        profile(info, args.profile)
        if not args.keep:
            drop_database(url)
        return
    t = time.monotonic()
    partner = paired_json = None
    if args.paired_with:
        baton, partner, paired_json = start_partner(args, label)
    else:
        baton = Baton(args.baton)
    rows = measure(info, args, baton)
    timing["measure"] = time.monotonic() - t
    if partner is not None and partner.wait() != 0:
        raise SystemExit(f"the paired run failed ({partner.returncode}): see its log")
    timing["total"] = time.monotonic() - started
    result = {
        "label": label,
        "vendor": vendor,
        "server_version": ".".join(str(x) for x in divmod(connection.pg_version, 10000))
        if vendor == "postgresql"
        else __import__("sqlite3").sqlite_version,
        "size": info["size"],
        "counts": info["counts"],
        "counts_summary": counts_summary(info["counts"]),
        "rows": rows,
        "rows_total": info["rows"],
        "personas": {k: v for k, v in personas(info).items()},
        "machine": machine(),
        "load_before": load_before,
        "load_after": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "commit": git_commit(),
        "warmup": args.warmup,
        "repeat": args.repeat,
        "seconds": timing,
        "paired_with": bool(args.paired_with or args.baton),
    }
    text = report(result)
    slow = explain(rows, args.slow_ms, vendor)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result))
    smaller = None
    if paired_json is not None:  # the province of this run; its temporary file removed
        smaller = json.loads(paired_json.read_text())
        paired_json.unlink()
    else:
        compare = args.compare or (
            str(RESULTS / f"province-{vendor}.json") if args.provinces > 1 else ""
        )
        if compare and Path(compare).exists():
            smaller = json.loads(Path(compare).read_text())
    if smaller is not None:
        text += "\n## Ratio to the smaller size\n\n"
        text += ratio_table(smaller, result) + "\n"
    if slow:
        text += f"\n## Plans of the slowest queries (rows with p50 ≥ {args.slow_ms:.0f} ms)\n\n"
        text += slow
    print()
    print(text)
    if not args.no_write:
        write_results(f"{label}-{vendor}", text, result)
    if not args.keep:
        drop_database(url)


if __name__ == "__main__":
    main()
