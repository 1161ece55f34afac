"""The Content-Security-Policy holds on every page: the demo province is built (on Monday
07/12/2026: ``demo_province_read_now`` in e2e/conftest.py), and for one person of
every demo role the browser signs in and walks the site from the home page through
the links it finds (navigation, lists, details, forms), every page shape once; the Swagger UI,
the agency tree's htmx expansion and the anonymous pages too. Any violation the browser reports
(a ``securitypolicyviolation`` event or a console message) fails the test, and so does a page
served without the policy. New pages are covered as soon as a link leads to them."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from e2e.conftest import login, new_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_PAGES_PER_PERSONA = 150
MAX_DEPTH = 3
# Links that are not pages: downloads and exports, the API's JSON, files, and sign-out.
SKIP = re.compile(
    r"(/api/|/media/|/static/|/logout|/download|/(docx|pdf|xlsx|csv)/?(\?|$)"
    r"|\.(docx|pdf|xlsx|csv)(\?|$)|[?&]export=|[?&]format=)"
)
RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
    + (e.sample ? ` (${e.sample})` : ""));
});
"""
REQUIRED = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)


@pytest.fixture
def demo(demo_province_read_now):
    """One person of every demo role in the demo province (e2e/conftest.py), and the password."""
    data = demo_province_read_now
    chosen: dict[str, str] = {}
    for user in data.DEMO_USERS:
        primary = user.roles[0].role
        if primary not in chosen and user.username not in chosen.values():
            chosen[primary] = user.username
    return chosen, data.DEMO_PASSWORD


class Watcher:
    """Collects what the browser reports about the policy while a context is used."""

    def __init__(self, context):
        self.problems: list[str] = []
        context.add_init_script(RECORDER)

    def console(self, url_of_page):
        def listen(message):
            text = message.text
            if "Content Security Policy" in text or "Refused to" in text:
                self.problems.append(f"{url_of_page()}: console: {text}")

        return listen

    def collect(self, page, url: str) -> None:
        try:
            found = page.evaluate("window.__cspViolations || []")
        except Exception:  # the page navigated away meanwhile: its events are gone with it
            found = []
        self.problems.extend(f"{url}: {v}" for v in found)


def shape(path: str) -> str:
    """The page a URL shows, whatever the object: /documents/12/edit/ -> /documents/#/edit/."""
    return re.sub(r"\d+", "#", path)


def visit(page, watcher: Watcher, base: str, path: str) -> list[str] | None:
    """Open one page, check its policy header, wait for htmx, and return its links (None: not
    an HTML page)."""
    reported_before = len(watcher.problems)
    try:
        response = page.goto(base + path, wait_until="load")
    except PlaywrightError as exc:
        if "Download is starting" in str(exc):
            return None  # a file, not a page
        raise
    assert response is not None, path
    check_response(watcher, path, response.status, response.headers)
    if not response.headers.get("content-type", "").startswith("text/html"):
        # An XML or text document: what the browser's own viewer does to show it is not ours.
        del watcher.problems[reported_before:]
        return None
    # htmx's requests fired on load (e.g. the header's inbox count) swap in before we look.
    expect(page.locator(".htmx-request")).to_have_count(0)  # (no string eval: the CSP forbids it)
    watcher.collect(page, path)
    return same_site(base, page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"))


def check_response(watcher: Watcher, path: str, status: int, headers: dict) -> None:
    """The page came with the whole policy and without a server error."""
    policy = headers.get("content-security-policy", "")
    if missing := [d for d in REQUIRED if d not in policy]:
        watcher.problems.append(f"{path}: served without {missing} (header: {policy!r})")
    if status >= 500:
        watcher.problems.append(f"{path}: HTTP {status}")


def same_site(base: str, hrefs) -> list[str]:
    links = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != base or SKIP.search(href):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.hrefs.append(href)


def links_of(context, watcher: Watcher, base: str, path: str) -> list[str]:
    """The links of a page another persona has already shown in the browser: read from its
    HTML (signed in as this persona) without drawing it, so the pages only this persona
    reaches through it are still found. Its policy header is checked all the same."""
    response = context.request.get(base + path)
    if not response.headers.get("content-type", "").startswith("text/html"):
        return []
    check_response(watcher, path, response.status, response.headers)
    parser = _Links()
    parser.feed(response.text())
    return same_site(base, (urljoin(response.url, href) for href in parser.hrefs))


def crawl(
    browser, live_server, username: str, password: str, seen_elsewhere: set[str]
) -> tuple[list[str], int, int]:
    """Every page shape once in the browser. The home page is shown for each persona (its menus
    and blocks differ by role); every other page (lists, details, forms) once for all personas,
    by the first who reaches it (``seen_elsewhere``). A later persona reads the links of such a
    page on its home page's menu from the HTML instead (``links_of``), to reach the details and
    forms only its role leads to. (Drawing the lists again for each persona cost a third of the
    browser tests' CPU.) Returns the problems, the pages drawn and the pages reached (drawn or
    read)."""
    base = live_server.url
    context = new_context(browser, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(20_000)
    watcher = Watcher(context)
    page = context.new_page()
    current = {"url": ""}
    page.on("console", watcher.console(lambda: current["url"]))
    try:
        login(page, live_server, username, password)
        assert "/accounts/login/" not in page.url, f"{username} could not sign in"
        watcher.collect(page, "/accounts/login/")
        seen: set[str] = set()
        queue = deque([("/", 0)])
        visited = read = 0
        while queue and visited < MAX_PAGES_PER_PERSONA:
            path, depth = queue.popleft()
            key = shape(urlsplit(path).path)
            if key in seen or (depth >= 2 and key in seen_elsewhere):
                continue
            seen.add(key)
            current["url"] = path
            if depth == 1 and key in seen_elsewhere:
                links = links_of(context, watcher, base, path)
                read += 1
                queue.extend((link, depth + 1) for link in links)
                continue
            if depth >= 1:
                seen_elsewhere.add(key)
            links = visit(page, watcher, base, path)
            if links is None:
                continue
            visited += 1
            if depth < MAX_DEPTH:
                queue.extend((link, depth + 1) for link in links)
        return watcher.problems, visited, visited + read
    finally:
        context.close()


def test_no_page_reports_a_csp_violation_for_any_role(browser, live_server, demo):
    """One test, so the demo province is built once (~20-40 s)."""
    personas, password = demo
    assert len(personas) >= 5, personas  # several roles, not one
    problems, counts, reached, seen_elsewhere = [], {}, {}, set()
    for role, username in personas.items():
        found, drawn, reached[username] = crawl(
            browser, live_server, username, password, seen_elsewhere
        )
        problems += [f"[{role} {username}] {p}" for p in found]
        counts[username] = drawn
    print(f"CSP crawl: pages drawn per persona {counts}, reached {reached}")
    assert min(reached.values()) >= 5, reached  # each reached the site, not only the login
    assert sum(counts.values()) >= 60, counts
    problems += swagger_ui_tree_and_anonymous_pages(browser, live_server, personas, password)
    assert problems == [], "\n".join(problems[:50])


def swagger_ui_tree_and_anonymous_pages(browser, live_server, personas, password) -> list[str]:
    base = live_server.url
    context = new_context(browser)
    watcher = Watcher(context)
    page = context.new_page()
    page.on("console", watcher.console(lambda: page.url))
    try:
        for path in ("/accounts/login/", "/accounts/password/reset/", "/no-such-page/"):
            response = page.goto(base + path)
            assert "default-src 'self'" in response.headers.get("content-security-policy", "")
            page.wait_for_load_state("networkidle")
            watcher.collect(page, path)
        login(page, live_server, personas["admin"], password)
        # The agency tree: expanding a node is an htmx request; the button then goes away
        # (data-remove-after-request, in static/js/eiso.js, instead of an inline handler).
        page.goto(base + "/agencies/tree/")
        expand = page.locator("button[data-remove-after-request]").first
        before = page.locator("button[data-remove-after-request]").count()
        expand.click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("button[data-remove-after-request]")).not_to_have_count(before)
        assert page.locator(".tree li").count() > 1
        watcher.collect(page, "/agencies/tree/")
        # Swagger UI (drf-spectacular-sidecar, served by the app): it must render the schema.
        response = page.goto(base + "/api/v1/docs/")
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
        watcher.collect(page, "/api/v1/docs/")
    finally:
        context.close()
    return watcher.problems
