import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

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
    token = Token.objects.create(user=world.dung)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
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
    token = Token.objects.create(user=world.dung)
    world.dung.is_active = False
    world.dung.save(update_fields=["is_active"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert_error_shape(api.get(reverse("api:agency-list")), 401, "authentication_failed")


@pytest.mark.django_db
def test_an_unknown_id_is_404_with_the_error_shape(world, as_token):
    response = as_token(world.quan).get(reverse("api:agency-detail", args=[999999]))
    assert_error_shape(response, 404, "not_found")


# --- schema and docs ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_schema_describes_every_endpoint(api):
    response = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/agencies/",
        "/api/v1/agencies/{id}/",
        "/api/v1/agencies/{id}/deactivate/",
        "/api/v1/departments/",
        "/api/v1/users/",
        "/api/v1/memberships/{id}/end/",
        "/api/v1/audit-events/",
        "/api/v1/imports/{kind}/",
    ):
        assert path in paths, path
    agency_list_params = {p["name"] for p in paths["/api/v1/agencies/"]["get"]["parameters"]}
    assert {"q", "kind", "tier", "status", "parent", "ordering", "page"} <= agency_list_params
    schemas = response.json()["components"]["schemas"]
    assert "password" not in schemas["User"]["properties"]
    assert schemas["UserCreateRequest"]["properties"]["password"]["writeOnly"] is True


@pytest.mark.django_db
def test_the_docs_page_loads_nothing_from_outside(api):
    response = api.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.IGNORECASE), html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) >= 3, assets  # the CSS, the bundle and the preset
    assert all(asset.startswith("/static/") for asset in assets), assets
    assert reverse("api:schema") in html


# --- issue_token ------------------------------------------------------------------------------


def issue_token(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("issue_token", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_issue_token_prints_the_same_token_until_rotated(world, api):
    first = issue_token("dung")
    assert first == Token.objects.get(user=world.dung).key
    assert issue_token("dung") == first
    rotated = issue_token("dung", "--rotate")
    assert rotated != first and Token.objects.filter(user=world.dung).count() == 1
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.get(reverse("api:agency-list")).status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {rotated}")
    assert api.get(reverse("api:agency-list")).status_code == 200
    actions = list(
        AuditEvent.objects.filter(object_id=str(world.dung.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["user.token_issue", "user.token_rotate"]


@pytest.mark.django_db
def test_issue_token_refuses_unknown_and_inactive_users(world):
    with pytest.raises(CommandError, match="No user 'khong-co'"):
        issue_token("khong-co")
    world.binh.is_active = False
    world.binh.save(update_fields=["is_active"])
    with pytest.raises(CommandError):  # the message is in the active language
        issue_token("binh")
    assert not Token.objects.filter(user=world.binh).exists()


@pytest.mark.django_db
def test_a_browser_gets_json(world, api):
    api.force_login(world.quan)
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for url in (reverse("api:agency-list"), reverse("api:agency-detail", args=[world.A.pk])):
        response = api.get(url, HTTP_ACCEPT=browser_accept)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
    assert_error_shape(api.get(reverse("api:user-list"), HTTP_ACCEPT="text/html"), 406)
