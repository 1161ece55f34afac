"""The mixed load test (issue 15): e-ISO's people at work, driven by locust against the app
served by gunicorn on loopback, on the country-size data of bench/run.py and bench/qms.py.

Run it through bench/load.py, which prepares the accounts (a known password, an authenticator
for each overseer and administrator), starts gunicorn, runs locust headless for a bounded time
and writes bench/results/load-*.md/.json. By hand (after ``bench/load.py --prepare-only``):

    EISO_LOAD_ACCOUNTS=/tmp/eiso-bench-load/accounts.json EISO_LOAD_MIX=secretary=15,province=2,national=2,admin=1 \\
        .venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8765 --headless \\
        -u 20 -r 10 --run-time 120s --csv /tmp/eiso-bench-load/load-20

Every virtual user is one person with their own account and session: they sign in through the
sign-in form (username and password, then, for overseers and administrators, the code of their
authenticator app, computed here from the key bench/load.py gave their TOTP device — as in
production, where the second factor is required of these roles), then open pages one after the
other with ``EISO_LOAD_WAIT`` seconds between them (0 by default: the requests/s measured is what
the server sustains for that many people working at once). A page answering anything but 200
(a redirect to the sign-in or second-factor page included: redirects are not followed) is an
error. See bench/README.md, "Load test".
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from datetime import date
from pathlib import Path

from locust import FastHttpUser, between, constant, events, task

ACCOUNTS_FILE = os.environ.get("EISO_LOAD_ACCOUNTS", "/tmp/eiso-bench-load/accounts.json")
ACCOUNTS = json.loads(Path(ACCOUNTS_FILE).read_text()) if Path(ACCOUNTS_FILE).exists() else {}
# Users of each persona: "secretary=15,province=2,national=2,admin=1" (the sum is -u).
MIX = dict(
    (name.strip(), int(count))
    for name, count in (
        part.split("=")
        for part in os.environ.get(
            "EISO_LOAD_MIX", "secretary=15,province=2,national=2,admin=1"
        ).split(",")
        if part.strip()
    )
)
WAIT = float(os.environ.get("EISO_LOAD_WAIT", "0"))
DOCUMENT_QUERY = "dang+ky+khai+sinh"  # typed without diacritics, as in bench/run.py
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# bench/load.py reads every request's time from here (exact percentiles, pages apart from
# the sign-in): [name, ms, bytes, error, start (epoch s)].
SAMPLES = os.environ.get("EISO_LOAD_SAMPLES", "")
_samples: list[list] = []
_next_account = {kind: itertools.count() for kind in ("secretary", "province", "national", "admin")}


def totp(key_hex: str, at: float | None = None) -> str:
    """The current code of an authenticator app (RFC 6238: SHA-1, 30 s, 6 digits), as
    django-otp's TOTPDevice with the same key expects it."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


class Person(FastHttpUser):
    """One person: an account of their persona, signed in once, then pages by weight."""

    abstract = True
    kind = ""
    wait_time = constant(0) if WAIT <= 0 else between(WAIT / 2, WAIT * 1.5)

    def on_start(self):
        accounts = ACCOUNTS.get(self.kind) or []
        if not accounts:
            raise RuntimeError(f"No {self.kind} accounts in {ACCOUNTS_FILE}: run bench/load.py")
        # One account per virtual user (a TOTP code is accepted once per account and period).
        self.account = accounts[next(_next_account[self.kind]) % len(accounts)]
        self.sign_in()

    def sign_in(self):
        form = self.client.get("/accounts/login/", name="sign-in (form)")
        token = CSRF.search(form.text or "")
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": self.account["username"],
                "password": self.account["password"],
                "next": "/",
            },
            name="sign-in (password)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused ({response.status_code})")
                return
        if not self.account.get("totp"):
            return
        form = self.client.get("/accounts/login/code/?next=/", name="sign-in (code form)")
        token = CSRF.search(form.text or "")
        with self.client.post(
            "/accounts/login/code/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "code": totp(self.account["totp"]),
                "next": "/",
            },
            name="sign-in (code)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"second factor refused ({response.status_code})")

    def page(self, url: str, name: str):
        # Named with the persona: the same page costs a national overseer what it does not
        # cost a commune's secretary.
        with self.client.get(
            url, name=f"{name} ({self.kind})", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                where = response.headers.get("location", "") if response.headers else ""
                response.failure(f"{response.status_code} {where}".strip())

    # The pages every persona opens; the weights are in each persona's class.
    def home(self):
        self.page("/", "home")

    def document_list(self):
        self.page("/documents/", "document list")

    def document_search(self):
        self.page(f"/documents/?q={DOCUMENT_QUERY}", "document search")

    def document_detail(self):
        self.page(f"/documents/{random.choice(self.account['documents'])}/", "document detail")

    def audit_trail(self):
        self.page("/audit/", "audit trail")

    def api_documents(self):
        self.page("/api/v1/documents/", "API documents")


class Secretary(Person):
    """The ISO secretary of a commune: their own documents, all day long."""

    kind = "secretary"
    fixed_count = MIX.get("secretary", 0)

    @task(10)
    def t_home(self):
        self.home()

    @task(8)
    def t_document_list(self):
        self.document_list()

    @task(5)
    def t_document_search(self):
        self.document_search()

    @task(12)
    def t_document_detail(self):
        self.document_detail()

    @task(4)
    def t_master_list(self):
        self.page("/documents/master-list/", "master list")

    @task(2)
    def t_tasks(self):
        self.page("/documents/tasks/", "revision tasks")

    @task(2)
    def t_api_documents(self):
        self.api_documents()


class Overseer(Person):
    """An overseer: the dashboard (their home page), the registry, the summary by tier, the
    agencies' documents and master lists, the trail; the API now and then."""

    abstract = True

    @task(8)
    def t_home(self):
        self.home()  # the overseer's dashboard

    @task(6)
    def t_registry(self):
        self.page("/oversight/", "registry")

    @task(3)
    def t_summary(self):
        self.page("/oversight/summary/", "summary page")

    @task(5)
    def t_document_list(self):
        self.document_list()

    @task(3)
    def t_document_search(self):
        self.document_search()

    @task(6)
    def t_document_detail(self):
        self.document_detail()

    @task(4)
    def t_master_list(self):
        agency = random.choice(self.account["agencies"])
        self.page(f"/documents/master-list/?agency={agency}", "master list")

    @task(3)
    def t_audit_trail(self):
        self.audit_trail()

    @task(2)
    def t_agency_search(self):
        query = random.choice(self.account["agency_queries"])
        self.page(f"/api/v1/agencies/?q={query}", "API agencies (search)")

    @task(1)
    def t_api_documents(self):
        self.api_documents()

    @task(1)
    def t_api_summary(self):
        self.page("/api/v1/oversight/summary/", "API summary")

    @task(1)
    def t_api_dashboard(self):
        root = self.account["root"]
        self.page(f"/api/v1/dashboard/?root={root}&date={date.today()}", "API dashboard")


class ProvinceOverseer(Overseer):
    """The overseer of a province (250 agencies)."""

    kind = "province"
    fixed_count = MIX.get("province", 0)


class NationalOverseer(Overseer):
    """An overseer at the national root (5,001 agencies)."""

    kind = "national"
    fixed_count = MIX.get("national", 0)


class Administrator(Person):
    """A system administrator (superuser): people, agencies, the trail."""

    kind = "admin"
    fixed_count = MIX.get("admin", 0)

    @task(4)
    def t_home(self):
        self.home()

    @task(3)
    def t_users(self):
        self.page("/accounts/users/", "user list")

    @task(3)
    def t_audit_trail(self):
        self.audit_trail()

    @task(2)
    def t_agency_search(self):
        query = random.choice(self.account["agency_queries"])
        self.page(f"/agencies/?q={query}", "agency search")

    @task(2)
    def t_document_list(self):
        self.document_list()

    @task(1)
    def t_api_audit(self):
        self.page("/api/v1/audit-events/", "API audit events")


@events.request.add_listener
def _note(name, response_time, response_length=0, exception=None, start_time=None, **_kwargs):
    if SAMPLES:
        started = start_time if start_time is not None else time.time() - response_time / 1000
        error = f"{exception}"[:160] if exception else ""
        _samples.append([name, round(response_time, 2), response_length or 0, error, started])


@events.quitting.add_listener
def _write(**_kwargs):
    if SAMPLES:
        Path(SAMPLES).write_text(json.dumps(_samples))
