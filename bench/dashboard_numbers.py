"""Every number the overseer's dashboard shows, on the demo province, as JSON: run it on one
commit and on another over the same database and compare the files (a faster dashboard must
show exactly the same).

On several days (``--days``): the API dashboard with the whole league table
(``ranking=500``), the dashboard selector's scores (rank, score and the seven indicators of
every agency) and obligation totals, the league table page as the overseer sees it (HTML, the
CSRF token removed) and the annual cycle's matrix (every agency's state of every obligation).

    .venv/bin/python manage.py seed_demo              # once, into a database of its own
    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/dashboard_numbers.py > a.json
    # … the other commit, the same database …
    diff a.json b.json && echo identical
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')
DAYS = ["2025-06-30", "2025-12-31", "2026-03-31", "2026-06-30", "2026-12-06", "2026-12-20"]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", default=",".join(DAYS))
    parser.add_argument("--username", default="")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("EISO_DEV", "1")
    os.environ["DEBUG"] = "0"
    os.environ["LOG_LEVEL"] = "ERROR"
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from eiso.accounts.models import User
    from eiso.cycle import selectors as cycle
    from eiso.dashboard import selectors
    from eiso.demo import data

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = User.objects.get(username=args.username or data.OVERSEER_USERNAME)
    client = Client()
    client.force_login(user)
    root = cycle.overseen_root(user=user)
    out = {}
    for text in args.days.split(","):
        on = datetime.date.fromisoformat(text)
        api = client.get(
            "/api/v1/dashboard/", {"root": root.code, "date": text, "ranking": 500}
        ).json()
        board = selectors.dashboard(user=user, root=root, on=on)
        scores = [
            [s.agency.code, s.rank, s.score, s.values, len(s.obligations.obligations)]
            for s in board.scores
        ]
        query = {"root": root.pk, "date": on.strftime("%d/%m/%Y")}
        pages = []
        for page in range(1, 5):
            html = client.get(reverse("dashboard:ranking"), {**query, "page": page}).content
            pages.append(CSRF.sub("", html.decode()))
        matrix = cycle.matrix(user=user, root=root, year=on.year, on=on)
        out[text] = {
            "api": api,
            "scores": scores,
            "obligations": board.obligations,
            "ranking_pages": pages,
            "matrix_totals": matrix.totals(),
            "matrix": [
                [row.agency.code, {code: cell.state for code, cell in sorted(row.cells.items())}]
                for row in matrix.rows
            ],
        }
    json.dump(out, sys.stdout, indent=1, sort_keys=True, default=str, ensure_ascii=False)


if __name__ == "__main__":
    main()
