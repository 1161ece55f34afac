"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
``live_server``. Run with ``make e2e``; ``make test`` skips them (``-m "not e2e"``).

``playwright install`` cannot download here, so the browser is the system Chromium."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in the test thread; Django would refuse
# ORM calls from it (SynchronousOnlyOperation) without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-results"
_taken: list[Path] = []


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item, for ``page`` to see whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def new_context(browser, **options):
    """A browser context in Vietnamese with reduced motion: Bootstrap's collapses and fades end
    at once and nothing scrolls smoothly, so no click lands on a form still opening or waits
    for a scroll to finish (a phone's checklist, clicked item after item, took 8 s more)."""
    context = browser.new_context(locale="vi-VN", reduced_motion="reduce", **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser, request):
    context = new_context(browser, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        # What the browser showed when the test failed, for whoever reads CI's log.
        print(f"the page when {request.node.name} failed: {page.url}")
        screenshot(page, f"failed-{request.node.name}", always=True)
    page.goto("about:blank")  # stops the header's polling before the database is flushed
    context.close()


@pytest.fixture(autouse=True, scope="session")
def _flush_waits_for_the_live_server():
    """After each transactional test Django flushes the database. A request still being
    answered (the header's htmx count) may hold a lock on it: the flush fails with "database
    table is locked" (an in-memory database, whose connection the live server's threads share)
    or "database is locked", which then breaks every later test. Wait for the request to finish
    and try again. (``make e2e`` uses a file database, where each thread has its connection.)"""
    import time

    from django.core.management.base import CommandError
    from django.core.management.commands import flush

    handle = flush.Command.handle

    def patient_handle(self, *args, **options):
        for attempt in range(50):
            try:
                return handle(self, *args, **options)
            except CommandError as exc:
                if "locked" not in str(exc.__cause__ or exc) or attempt == 49:
                    raise
                time.sleep(0.1)
        return None

    flush.Command.handle = patient_handle
    yield
    flush.Command.handle = handle


@pytest.fixture
def reference_data(transactional_db):
    """The rules-as-data rows every migration seeds (agency kinds, policies, templates, the
    audit question bank, the cycle's rules…): a transactional test before this one flushed them."""
    from eiso.core.testing import load_reference_data

    load_reference_data()


# The demo province of the browser tests that need one: Monday 07/12/2026, 08:00.
DEMO_DAY = (2026, 12, 7, 8)


@pytest.fixture(scope="session")
def _kept_demo(tmp_path_factory) -> dict:
    """Where the demo province built by the first test that asks is kept for the next: the
    database (a SQLite file) and the files it wrote."""
    folder = tmp_path_factory.mktemp("kept-demo")
    return {"database": folder / "demo.sqlite3", "media": folder / "media", "built": False}


def _on_the_demo_day():
    """The clock at ``DEMO_DAY``, ticking (in the live server's threads too)."""
    import time_machine

    from eiso.objectives.tests.conftest import at

    return time_machine.travel(at(*DEMO_DAY), tick=True)


def _demo_into_the_database(settings, tmp_path, kept: dict):
    """Build the demo province (the clock already at ``DEMO_DAY``), or copy the kept one into
    the test database with SQLite's backup API and its files into a new media folder."""
    import shutil
    import sqlite3
    from contextlib import closing

    from django.core.management import call_command
    from django.db import connection

    settings.MEDIA_ROOT = tmp_path / "media"
    connection.ensure_connection()
    if kept["built"]:
        with closing(sqlite3.connect(kept["database"])) as source:
            source.backup(connection.connection)
        shutil.copytree(kept["media"], settings.MEDIA_ROOT)
        return
    call_command("seed_demo", "--quiet", "--quick", verbosity=0)
    connection.ensure_connection()
    with closing(sqlite3.connect(kept["database"])) as target:
        connection.connection.backup(target)
    shutil.copytree(settings.MEDIA_ROOT, kept["media"])
    kept["built"] = True


@pytest.fixture
def demo_province(settings, tmp_path, reference_data, _kept_demo):
    """The demo province as ``seed_demo --quick`` builds it on Monday 07/12/2026, the clock
    ticking from 08:00 that day through the test (in the live server's threads too); yields the
    demo's module (``eiso.demo.data``: people, password). Built by the first test that asks one
    (~25 s), copied into the next one's database."""
    from eiso.demo import data

    with _on_the_demo_day():
        _demo_into_the_database(settings, tmp_path, _kept_demo)
        yield data


@pytest.fixture
def demo_province_read_now(settings, tmp_path, reference_data, _kept_demo):
    """The same demo province, read at the real clock: for tests that only look at pages (the
    CSP crawl, which time-machine's ticking clock made a third slower)."""
    from eiso.demo import data

    with _on_the_demo_day():
        _demo_into_the_database(settings, tmp_path, _kept_demo)
    return data


@pytest.fixture
def e2e_world(transactional_db):
    """The personas (``eiso.core.testing``), committed so the live server thread sees them.
    A transactional test starts from an empty database: reload the reference data first."""
    from eiso.core.testing import build_world, load_reference_data

    load_reference_data()
    return build_world()


def login(page, live_server, username: str, password: str) -> None:
    """Sign in through the login form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


# The header's inbox badge: a placeholder htmx replaces (outerHTML) once its request answered.
_BADGE_PENDING = "() => !document.querySelector('[data-testid=inbox-link] [hx-get]')"


def settled(page) -> None:
    """The page and what it loads after itself (the header's inbox badge) are done: the live
    server's SQLite database takes one writer at a time. Waits for the badge to be swapped in,
    not for the network to be quiet for half a second ("networkidle": 30-40 waits a test)."""
    page.wait_for_load_state()
    page.wait_for_function(_BADGE_PENDING, polling=25)


def url(live_server, name: str, *args) -> str:
    """The live server's address of a named page."""
    from django.urls import reverse

    return f"{live_server.url}{reverse(name, args=args)}"


def go(page, live_server, name: str, *args, query: str = "") -> None:
    """Open a named page and wait until it has settled."""
    page.goto(url(live_server, name, *args) + query)
    settled(page)


def submit(page, button) -> None:
    """Click a submit button, wait for the page the POST leads to and for it to settle."""
    with page.expect_navigation():
        button.click()
    settled(page)


def sign_out(page, live_server) -> None:
    """Sign out through the header's menu, as a person would."""
    from django.urls import reverse
    from playwright.sync_api import expect

    logout = reverse("accounts:logout")
    page.locator(f"header .dropdown:has(form[action='{logout}']) > button").click()
    submit(page, page.locator(f"form[action='{logout}'] button[type=submit]"))
    expect(page).to_have_url(re.compile(re.escape(url(live_server, "accounts:login"))))


def sign_in_as(page, live_server, username: str, password: str | None = None) -> None:
    """A fresh session for ``username`` (the factories' password unless given): the cookies
    are cleared first, as a clock moved forward may have ended the old session."""
    from playwright.sync_api import expect

    from eiso.accounts.tests.factories import PASSWORD

    page.context.clear_cookies()
    login(page, live_server, username, password or PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    settled(page)


def screenshot(page, name: str, *, always: bool = False) -> Path | None:
    """Keep a full-page picture in test-results/ for a human to look at. ``E2E_SCREENSHOTS=0``
    (CI, whose clone is thrown away) keeps only those of failed tests (``always``): a full-page
    picture costs the browser about a second of CPU on a slow machine."""
    if not always and os.environ.get("E2E_SCREENSHOTS", "1") == "0":
        return None
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    _taken.append(path)
    print(f"screenshot: {path}")
    return path


def pytest_terminal_summary(terminalreporter):
    if _taken:
        terminalreporter.section("e2e screenshots")
        for path in _taken:
            terminalreporter.write_line(str(path))
