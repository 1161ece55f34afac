import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from eiso.accounts.models import ApiToken
from eiso.accounts.testing import token_for
from eiso.api.tests.helpers import assert_error_shape
from eiso.core.models import AuditEvent

LIST_ENDPOINTS = [
    "api:agency-list",
    "api:department-list",
    "api:user-list",
    "api:membership-list",
    "api:audit-event-list",
]


@pytest.mark.django_db
def test_a_token_authenticates_without_a_session(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.dung)}")
    response = client.get(reverse("api:agency-list"))
    assert response.status_code == 200
    assert {row["code"] for row in response.json()["results"]} == {"P", "A", "B"}
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_a_browser_session_authenticates_too(world, api):
    api.force_login(world.an)
    assert api.get(reverse("api:user-list")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", LIST_ENDPOINTS)
def test_anonymous_requests_are_refused_with_the_error_shape(world, api, name):
    assert_error_shape(api.get(reverse(name)), 401, "not_authenticated")
    assert_error_shape(api.post(reverse(name), {}, format="json"), 401, "not_authenticated")


@pytest.mark.django_db
def test_anonymous_detail_and_import_requests_are_refused(world, api):
    assert_error_shape(api.get(reverse("api:agency-detail", args=[world.A.pk])), 401)
    assert_error_shape(api.post(reverse("api:import", args=["agencies"]), {}), 401)


@pytest.mark.django_db
def test_a_wrong_token_is_refused(world, api):
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert_error_shape(api.get(reverse("api:agency-list")), 401, "authentication_failed")


@pytest.mark.django_db
def test_the_token_of_a_deactivated_user_stops_working(world, api):
    key = token_for(world.dung)
    world.dung.is_active = False
    world.dung.save(update_fields=["is_active"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert_error_shape(api.get(reverse("api:agency-list")), 401, "authentication_failed")


@pytest.mark.django_db
def test_an_unknown_id_is_404_with_the_error_shape(world, as_token):
    response = as_token(world.quan).get(reverse("api:agency-detail", args=[999999]))
    assert_error_shape(response, 404, "not_found")


# --- schema and docs ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_schema_and_the_docs_require_sign_in(world, api):
    """Issue 8, item 7: the OpenAPI schema and Swagger UI were public."""
    schema = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 401
    assert api.get(reverse("api:docs")).status_code in (401, 403)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.binh)}")
    token_schema = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert token_schema.status_code == 200


@pytest.mark.django_db
def test_the_schema_is_made_once_per_language_whoever_asks(world, api, monkeypatch):
    """Making it costs about a second of CPU: it is kept by the process (SchemaView)."""
    from drf_spectacular.generators import SchemaGenerator

    from eiso.api.views.docs import SchemaView

    made = []

    def counted(self, *args, **kwargs):  # not the real schema: only how often it is made
        made.append(translation.get_language())
        return {"openapi": "3.0.3", "info": {"title": "e-ISO", "version": "1"}, "paths": {}}

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    monkeypatch.setattr(SchemaView, "_made", {})
    url = reverse("api:schema")
    api.force_login(world.binh)
    first = api.get(url, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    api.force_login(world.quan)
    again = api.get(url, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    assert made == ["vi"]
    assert (
        api.get(f"{url}?lang=en", HTTP_ACCEPT="application/vnd.oai.openapi+json").status_code == 200
    )
    assert made == ["vi", "en"]


@pytest.mark.django_db
def test_the_schema_describes_every_endpoint(world, api):
    api.force_login(world.binh)
    response = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/agencies/",
        "/api/v1/agencies/{id}/",
        "/api/v1/agencies/{id}/deactivate/",
        "/api/v1/departments/",
        "/api/v1/users/",
        "/api/v1/users/{id}/password-link/",
        "/api/v1/users/{id}/two-factor-reset/",
        "/api/v1/memberships/{id}/end/",
        "/api/v1/audit-events/",
        "/api/v1/imports/{kind}/",
    ):
        assert path in paths, path
    agency_list_params = {p["name"] for p in paths["/api/v1/agencies/"]["get"]["parameters"]}
    assert {"q", "kind", "tier", "status", "parent", "ordering", "page"} <= agency_list_params
    schemas = response.json()["components"]["schemas"]
    assert "password" not in schemas["User"]["properties"]
    assert "password" not in schemas["UserCreateRequest"]["properties"]
    token_scheme = response.json()["components"]["securitySchemes"]["tokenAuth"]
    assert token_scheme == {**token_scheme, "type": "apiKey", "in": "header"}
    assert token_scheme["name"] == "Authorization"


@pytest.mark.django_db
def test_the_docs_page_loads_nothing_from_outside(world, api):
    api.force_login(world.quan)
    response = api.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.IGNORECASE), html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) >= 3, assets  # the CSS, the bundle and the preset
    assert all(asset.startswith("/") for asset in assets), assets


# --- bodies, caching ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [40, 100_000])
def test_a_deeply_nested_json_body_is_a_400_not_a_500(world, as_token, depth):
    """Issue 8, item 7: a deeply nested body exhausted Python's recursion (500)."""
    body = "[" * depth + "]" * depth
    client = as_token(world.quan)
    for url in (reverse("api:agency-list"), reverse("api:membership-list")):
        response = client.post(url, body, content_type="application/json")
        error = assert_error_shape(response, 400, "parse_error")
        assert "32" in error["message"]


@pytest.mark.django_db
def test_a_moderately_nested_body_still_reaches_validation(world, as_token):
    response = as_token(world.quan).post(
        reverse("api:membership-list"), {"user": {"a": [[1]]}}, format="json"
    )
    assert "user" in assert_error_shape(response, 400, "validation_failed")["fields"]


def test_no_api_view_bypasses_the_depth_limited_parser():
    from django.urls import get_resolver
    from rest_framework.parsers import JSONParser

    from eiso.api.parsers import DepthLimitedJSONParser

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            else:
                yield pattern.callback

    offenders = []
    checked = 0
    for callback in views(get_resolver().url_patterns):
        cls = getattr(callback, "cls", None)
        if cls is None:
            continue
        actions = getattr(callback, "actions", None) or {}
        kwargs_list = [getattr(getattr(cls, name, None), "kwargs", {}) for name in actions.values()]
        for parsers in [cls.parser_classes, *(k.get("parser_classes", []) for k in kwargs_list)]:
            checked += 1
            for parser in parsers:
                if issubclass(parser, JSONParser) and not issubclass(
                    parser, DepthLimitedJSONParser
                ):
                    offenders.append(f"{cls.__name__}: {parser.__name__}")
    assert checked > 20
    assert offenders == [], offenders


@pytest.mark.django_db
def test_signed_in_pages_and_api_answers_are_not_stored(client, world, as_token):
    client.force_login(world.an)
    for url in (reverse("dashboard:home"), reverse("accounts:account")):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url
    api_answer = as_token(world.an).get(reverse("api:agency-list"))
    assert "no-store" in api_answer["Cache-Control"]


# --- API tokens -----------------------------------------------------------------------------------


def issue_token(*args) -> str:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("issue_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_issue_token_prints_a_key_once_and_stores_only_its_hash(world, api):
    key = issue_token("dung", "--name", "Một cửa", "--days", "30")
    token = ApiToken.objects.get(user=world.dung)
    assert token.name == "Một cửa" and key.startswith(token.prefix)
    assert key not in {token.key_hash, token.prefix} and len(token.key_hash) == 64
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert 29 <= (token.expires_at - token.created_at).days <= 30
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:agency-list")).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert AuditEvent.objects.filter(action="api_token.create", object_id=str(token.pk)).exists()
    second = issue_token("dung", "--name", "Văn phòng điện tử")
    assert second != key and ApiToken.objects.filter(user=world.dung).count() == 2


@pytest.mark.django_db
def test_issue_token_refuses_unknown_and_inactive_users(world):
    with pytest.raises(CommandError, match="No user 'khong-co'"):
        issue_token("khong-co", "--name", "x")
    world.binh.is_active = False
    world.binh.save(update_fields=["is_active"])
    with pytest.raises(CommandError):  # the message is in the active language
        issue_token("binh", "--name", "x")
    assert not ApiToken.objects.filter(user=world.binh).exists()


@pytest.mark.django_db
def test_a_token_expires(world, api):
    import time_machine

    key = issue_token("dung", "--name", "ngắn hạn", "--days", "2")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:agency-list")).status_code == 200
    with time_machine.travel(ApiToken.objects.get().expires_at, tick=False):
        assert_error_shape(api.get(reverse("api:agency-list")), 401, "authentication_failed")


@pytest.mark.django_db
def test_a_revoked_token_stops_working(world, api):
    from eiso.accounts.services import api_token_revoke

    key = issue_token("dung", "--name", "thu hồi")
    api_token_revoke(actor=world.dung, token=ApiToken.objects.get())
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert_error_shape(api.get(reverse("api:agency-list")), 401, "authentication_failed")


@pytest.mark.django_db
def test_a_password_change_revokes_the_tokens(client, world, api):
    """Issue 8, item 7: tokens survived a password change."""
    from eiso.accounts.tests.factories import PASSWORD

    key = issue_token("an", "--name", "tích hợp")
    client.force_login(world.an)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-moi-2026!",
            "new_password2": "Mat-khau-moi-2026!",
        },
    )
    assert response.status_code == 302
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert_error_shape(api.get(reverse("api:agency-list")), 401, "authentication_failed")
    assert ApiToken.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke_all").exists()


@pytest.mark.django_db
def test_a_token_issued_before_hashing_keeps_working_once_carried_over(world, api):
    """The migration hashes DRF's plain-text keys; an integration keeps its key."""
    import datetime
    import hashlib

    from django.utils import timezone

    old_key = "0123456789abcdef0123456789abcdef01234567"
    ApiToken.objects.create(
        user=world.dung,
        name="carried over",
        prefix=old_key[:6],
        key_hash=hashlib.sha256(old_key.encode()).hexdigest(),
        expires_at=timezone.now() + datetime.timedelta(days=365),
    )
    api.credentials(HTTP_AUTHORIZATION=f"Token {old_key}")
    assert api.get(reverse("api:agency-list")).status_code == 200


@pytest.mark.django_db
def test_a_browser_gets_json(world, api):
    api.force_login(world.quan)
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for url in (reverse("api:agency-list"), reverse("api:agency-detail", args=[world.A.pk])):
        response = api.get(url, HTTP_ACCEPT=browser_accept)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
    assert_error_shape(api.get(reverse("api:user-list"), HTTP_ACCEPT="text/html"), 406)
