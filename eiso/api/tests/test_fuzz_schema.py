"""Schemathesis over the whole OpenAPI schema (``/api/v1/schema/``): every operation, with data
generated from the schema, as an ISO secretary of the demo province's agency and as one of
another agency, must answer without a server error and as the schema says (status code,
content type, headers, body).

The demo province is built first, and integer path parameters are mapped onto the ids of rows
that exist, so the requests reach real objects — the other agency's user must get the
documented 404, never a 500 or an undocumented answer. Marked ``fuzz``: ``make fuzz`` (a CI step
of its own) runs it and prints how many operations and requests were made."""

from __future__ import annotations

import logging
import os
import re
import traceback

import pytest
import schemathesis
from django.apps import apps
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks as st_checks

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
ONLY = re.compile(os.environ.get("FUZZ_ONLY", ""))  # e.g. FUZZ_ONLY=/risks/ to look at a few
# Rendering a PDF takes ~1 s: those operations get fewer examples.
SLOW = ("/pdf/", "/docx/", "/imports/")
CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_headers_conformance,
    st_checks.response_schema_conformance,
]
OWNER = "thuky.stp"  # ISO secretary of the Department of Justice (STP) in the demo
OUTSIDER_AGENCY = "SYT"  # another department of the same province


def token_header(user) -> dict[str, str]:
    try:  # hashed, named tokens (eiso.accounts.testing) when they exist
        from eiso.accounts.testing import token_for

        key = token_for(user)
    except ImportError:
        from rest_framework.authtoken.models import Token

        key = Token.objects.get_or_create(user=user)[0].key
    return {"Authorization": f"Token {key}"}


def existing_ids() -> list[int]:
    """Ids of rows that exist (every eiso model), so path parameters hit real objects."""
    ids: set[int] = set()
    for model in apps.get_models():
        if model.__module__.startswith("eiso.") and model._meta.pk.get_internal_type() in {
            "AutoField",
            "BigAutoField",
        }:
            ids.update(model._base_manager.order_by().values_list("pk", flat=True)[:200])
    return sorted(ids)


def aim(case, ids: list[int]):
    for name, value in list((case.path_parameters or {}).items()):
        if isinstance(value, int) and not isinstance(value, bool) and ids:
            case.path_parameters[name] = ids[value % len(ids)]
    return case


def fuzz(schema, headers: dict[str, str], ids: list[int], tally: dict) -> list[str]:
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if not ONLY.search(label):
            continue
        examples = max(2, EXAMPLES // 4) if any(s in operation.path for s in SLOW) else EXAMPLES
        sent = 0

        @given(case=operation.as_strategy().map(lambda case: aim(case, ids)))
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            nonlocal sent
            response = case.call(headers=headers)
            sent += 1
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # one report per operation, go on
            failures.append(f"{label}: {''.join(traceback.format_exception_only(exc))[:1500]}")
        tally["operations"] += 1
        tally["requests"] += sent
    return failures


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False
    call_command("seed_demo", "--quiet", "--quick", verbosity=0)


@pytest.fixture
def wsgi_app():
    """The real WSGI application, called in-process inside the test's transaction. Like
    Django's test client, keep it from closing the database connection after each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    requests_log = logging.getLogger("django.request")
    level = requests_log.level
    requests_log.setLevel(logging.ERROR)  # thousands of expected 4xx warnings otherwise
    try:
        yield get_wsgi_application()
    finally:
        requests_log.setLevel(level)
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_every_api_operation_answers_as_its_schema_says_for_owner_and_outsider(demo, wsgi_app):
    from eiso.accounts.models import Membership, User
    from eiso.core.roles import Role

    owner = User.objects.get(username=OWNER)
    outsider = (
        Membership.objects.filter(agency__code=OUTSIDER_AGENCY, role=Role.ISO_SECRETARY)
        .select_related("user")
        .first()
        .user
    )
    app = wsgi_app
    ids = existing_ids()
    report = {}
    failures: list[str] = []
    # The outsider first: the owner's requests change and delete the data.
    for who, user in (("other agency", outsider), ("own agency", owner)):
        headers = token_header(user)
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", app, headers=headers)
        tally = {"operations": 0, "requests": 0}
        failures += [f"[{who}] {f}" for f in fuzz(schema, headers, ids, tally)]
        report[who] = tally
    print(
        "schemathesis: "
        + "; ".join(
            f"{who}: {t['operations']} operations, {t['requests']} requests"
            for who, t in report.items()
        )
        + f"; {len(failures)} failing operations"
    )
    assert ONLY.pattern or all(t["operations"] >= 80 for t in report.values()), report
    assert failures == [], "\n\n".join(failures)
