"""The Content-Security-Policy: the strict policy on every response, the one relaxation on the
Swagger UI page, and no template that the policy would break (the browser suite,
e2e/test_csp.py, then checks every page for violations)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Markup the policy blocks: style attributes, inline event handlers, htmx's evaluated hx-on,
# javascript: URLs, <style> elements and inline <script> (a JSON data block is not executed).
FORBIDDEN = [
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"\shx-on[:\-]", re.I), "hx-on (evaluated by htmx)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
    (re.compile(r"<style[\s>]", re.I), "a <style> element"),
    (
        re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I),
        "inline JS",
    ),
]


def policy(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    return dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in header.split(";") if part.strip()
    )


def served_templates() -> list[Path]:
    """Every template a browser may receive. The official/ templates are rendered to PDF by
    WeasyPrint on the server and never served as HTML."""
    found = list((ROOT / "templates").rglob("*.html")) + list(
        ROOT.glob("eiso/*/templates/**/*.html")
    )
    return sorted(p for p in found if "official" not in p.relative_to(ROOT).parts)


@pytest.mark.django_db
def test_pages_are_served_with_the_strict_policy(client, world):
    for url, user in (("/accounts/login/", None), ("/", world.an), ("/agencies/", world.quan)):
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response) == STRICT, url


@pytest.mark.django_db
def test_api_and_error_responses_carry_the_policy_too(client, world):
    client.force_login(world.an)
    assert policy(client.get("/no-such-page/")) == STRICT
    assert policy(client.get("/api/v1/agencies/")) == STRICT


@pytest.mark.django_db
def test_only_swagger_ui_relaxes_style_attributes_and_scripts_stay_strict(client, world):
    client.force_login(world.quan)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["script-src"] == "'self'"
    assert {k: v for k, v in directives.items() if k != "style-src"} == {
        k: v for k, v in STRICT.items() if k != "style-src"
    }
    body = response.content.decode()
    assert "<style" not in body and "<script>" not in body  # the start-up script is a file
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_the_policy_is_the_same_outside_development():
    """No branch on DEBUG/DEV_MODE: production gets exactly what the browser suite tested."""
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert {k: " ".join(v) for k, v in directives.items()} == STRICT
    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    block = source[source.index("CONTENT_SECURITY_POLICY") :]
    assert "DEBUG" not in block.split("\n}\n")[0] and "DEV_MODE" not in block.split("\n}\n")[0]


def test_no_template_carries_markup_the_policy_would_block():
    templates = served_templates()
    assert len(templates) > 40
    offences = [
        f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}: {what}"
        for path in templates
        for text in [path.read_text(encoding="utf-8")]
        for pattern, what in FORBIDDEN
        for match in pattern.finditer(text)
    ]
    assert offences == []
