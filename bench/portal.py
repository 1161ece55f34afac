"""Load check of the public portal (issue 12): the pages anonymous visitors read, served by
gunicorn on loopback, under concurrent clients.

It builds a throwaway database with the demo province (``seed_demo --quick``: the persona
agencies and a sample of every tier, with their published announcements, procedures, forms and
a year of ratings), starts gunicorn on 127.0.0.1 (``--workers``/``--threads``, gthread), and
runs keep-alive HTTP clients in threads for ``--seconds`` against the portal's pages — the list
of agencies and a search typed without accents, the statistics, the sitemap, every agency page
and every published procedure page, the rating form — in two ways:

- **cached**: the pages as visitors get them, the page cache warm (what most visitors get);
- **rendered**: every request carries a new query string, so no page comes from the cache
  (what the first visitor after a change gets: the worst case), the rating form included.

It prints requests per second, p50/p95/p99 and errors per concurrency and writes
bench/results/portal-<vendor>[-redis].md and .json. The rate limits are raised for the run
(the clients all come from 127.0.0.1). The clients run on the same machine as the server, so
they take part of its processor: the figures are a floor.

    .venv/bin/python bench/portal.py                       # SQLite under /tmp, 2–4 minutes
    .venv/bin/python bench/portal.py --clients 4,16,64 --seconds 20
    .venv/bin/python bench/portal.py --cache-url redis://127.0.0.1:6379/9   # shared cache
    .venv/bin/python bench/portal.py --database-url postgres://postgres@127.0.0.1:5432/eiso_bench_portal
    .venv/bin/python bench/portal.py --keep   # then --reuse: skip building the demo again
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402  (the path above first)
    RESULTS,
    create_database,
    drop_database,
    git_commit,
    machine,
    percentile,
    setup_django,
)

DEFAULT_DB = "sqlite:////tmp/eiso-bench-portal.sqlite3"
DATA_DIR = "/tmp/eiso-bench-portal-data"
MAX_AGENCY_PAGES = 40
MAX_PROCEDURE_PAGES = 60


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--clients", default="8,32", help="concurrent clients, comma-separated")
    parser.add_argument("--seconds", type=float, default=15.0, help="per measured run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--cache-url", default="", help="e.g. redis://127.0.0.1:6379/9")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the kept database as it is")
    return parser.parse_args(argv)


def child_env(url: str, cache_url: str = "") -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "EISO_DEV": "1",
        "DEBUG": "0",
        "EISO_DATA_DIR": DATA_DIR,
        "MEDIA_ROOT": f"{DATA_DIR}/media",
        "EMAIL_URL": "locmem://",
        "LOG_LEVEL": "ERROR",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Every client of the run comes from 127.0.0.1: the limits would stop the load check.
        "PUBLIC_RATE_LIMITS": "page=100000000/60,file=100000000/60",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    else:
        env.pop("CACHE_URL", None)
    return env


def build(url: str) -> float:
    """Migrate and seed the demo province (quick); seconds taken."""
    create_database(url)
    start = time.perf_counter()
    for args in (["migrate", "--noinput", "-v", "0"], ["seed_demo", "--quick", "-v", "0"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=child_env(url), text=True
        )
        if done.returncode:
            sys.exit(f"manage.py {' '.join(args)} failed")
    return time.perf_counter() - start


def portal_urls() -> dict[str, list[str]]:
    """The pages to request, by group (read from the database, as the sitemap would)."""
    from django.urls import reverse

    from eiso.portal import selectors

    agencies = list(selectors.sitemap_agencies()[:MAX_AGENCY_PAGES])
    procedures = list(selectors.sitemap_procedures()[:MAX_PROCEDURE_PAGES])
    return {
        "agency list": [reverse("portal:home")],
        "search without accents": [
            reverse("portal:home") + "?q=" + quote(q) for q in ("so tu phap", "xa an phu", "y te")
        ],
        "statistics": [reverse("portal:statistics")],
        "sitemap": [reverse("portal:sitemap")],
        "agency page": [reverse("portal:agency", args=[a.code]) for a in agencies],
        "procedure page": [
            reverse("portal:procedure", args=[p.agency.code, p.procedure.code]) for p in procedures
        ],
        "rating form": [reverse("portal:rating", args=[a.code]) for a in agencies[:10]],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int, workers: int, threads: int, cache_url: str):
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=child_env(url, cache_url))
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/public/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    sys.exit("gunicorn did not answer within a minute")


def run_clients(port: int, urls: list[str], clients: int, seconds: float, *, fresh: bool):
    """``clients`` threads, each on one keep-alive connection, requesting ``urls`` round-robin
    for ``seconds``; ``fresh`` adds a new query string to every request (no cached page)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    hits = [0]
    lock = threading.Lock()
    counter = itertools.count()
    stop = time.perf_counter() + seconds

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, codes, hit = [], {}, 0
        index = number
        while time.perf_counter() < stop:
            path = urls[index % len(urls)]
            index += clients
            if fresh:
                path += ("&" if "?" in path else "?") + f"_b={next(counter)}"
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                codes[0] = codes.get(0, 0) + 1
                continue
            mine.append((time.perf_counter() - began) * 1000)
            codes[response.status] = codes.get(response.status, 0) + 1
            hit += response.getheader("X-Portal-Cache") == "hit"
        connection.close()
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n
            hits[0] += hit

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    done = len(latencies)
    return {
        "clients": clients,
        "mode": "rendered" if fresh else "cached",
        "requests": done,
        "seconds": round(elapsed, 1),
        "rps": round(done / elapsed, 1) if elapsed else 0,
        "p50": round(percentile(latencies, 0.50), 1) if latencies else None,
        "p95": round(percentile(latencies, 0.95), 1) if latencies else None,
        "p99": round(percentile(latencies, 0.99), 1) if latencies else None,
        "max": round(max(latencies), 1) if latencies else None,
        "errors": sum(n for code, n in statuses.items() if code != 200),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "cache_hits": round(100 * hits[0] / done, 1) if done else 0,
    }


def table(rows: list[dict]) -> str:
    lines = [
        "| mode | clients | requests | req/s | p50 ms | p95 ms | p99 ms | errors | cache hits |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['mode']} | {r['clients']} | {r['requests']:,} | {r['rps']:,.1f} | "
            f"{r['p50']} | {r['p95']} | {r['p99']} | {r['errors']} | {r['cache_hits']} % |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)
    url = args.database_url
    built = None if args.reuse else build(url)
    setup_django(url)
    groups = portal_urls()
    urls = [u for group in groups.values() for u in group]
    # The pages the cache serves (the rating form carries a CSRF token and a form token: it is
    # rendered for every visitor, so it is measured with the rendered pages only).
    cacheable = [u for name, group in groups.items() if name != "rating form" for u in group]
    vendor = "sqlite" if url.startswith("sqlite") else "postgresql"
    port = args.port or free_port()
    server = start_server(url, port, args.workers, args.threads, args.cache_url)
    load_before = os.getloadavg()[0]
    rows = []
    try:
        run_clients(port, cacheable, 8, max(3.0, len(urls) / 20), fresh=False)  # warm caches
        for clients in (int(c) for c in args.clients.split(",")):
            for fresh in (False, True):
                chosen = urls if fresh else cacheable
                row = run_clients(port, chosen, clients, args.seconds, fresh=fresh)
                rows.append(row)
                print(table([row]).splitlines()[-1], flush=True)
    finally:
        load_after = os.getloadavg()[0]
        server.terminate()
        server.wait(timeout=30)
        if not args.keep:
            drop_database(url)
    info = {
        "vendor": vendor,
        "cache": "redis" if args.cache_url else "memory of each worker",
        "workers": args.workers,
        "threads": args.threads,
        "seconds_per_run": args.seconds,
        "urls": {k: len(v) for k, v in groups.items()},
        "demo_built_in_s": round(built, 1) if built else None,
        "machine": machine(),
        # Other work on the machine takes the same processors: a load above the number of
        # cores depresses every figure.
        "load_average": [round(load_before, 1), round(load_after, 1)],
        "commit": git_commit(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "rows": rows,
    }
    name = f"portal-{vendor}{'-redis' if args.cache_url else ''}"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(info, indent=2, ensure_ascii=False))
    heading = (
        f"# Public portal under load ({vendor}, cache: {info['cache']})\n\n"
        f"gunicorn {args.workers} workers × {args.threads} threads on 127.0.0.1, "
        f"{sum(info['urls'].values())} pages ({', '.join(f'{k} {v}' for k, v in info['urls'].items())}), "
        f"{args.seconds:g} s per row; {info['machine']['cores']} cores ({info['machine']['cpu']}), "
        f"load average {info['load_average'][0]} → {info['load_average'][1]}, "
        f"commit {info['commit']}, {info['date']}.\n\n"
    )
    (RESULTS / f"{name}.md").write_text(heading + table(rows) + "\n")
    print()
    print(heading + table(rows))


if __name__ == "__main__":
    main()
