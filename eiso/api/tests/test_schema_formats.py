"""The OpenAPI schema describes what the API really sends: a client that validates answers
against it never refuses a correct one (found by schemathesis: "08:00:00" is not a "time")."""

import json
import re

import pytest


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    """As served (JSON), from the schema the process keeps (SchemaView)."""
    from drf_spectacular.renderers import OpenApiJsonRenderer

    from eiso.api.views.docs import SchemaView

    with django_db_blocker.unblock():
        return json.loads(OpenApiJsonRenderer().render(SchemaView.made_schema()))


def _properties(schema):
    for name, component in schema["components"]["schemas"].items():
        for field, spec in (component.get("properties") or {}).items():
            yield name, field, spec


def test_no_field_claims_rfc3339_time_which_needs_an_offset(schema):
    assert [
        (name, field) for name, field, spec in _properties(schema) if spec.get("format") == "time"
    ] == []


def test_a_time_of_day_is_described_by_its_pattern(schema):
    spec = schema["components"]["schemas"]["Session"]["properties"]["start_time"]
    pattern = re.compile(spec["pattern"])
    assert pattern.match("08:00:00") and pattern.match("17:30")
    assert not pattern.match("24:00:00") and not pattern.match("8h")
