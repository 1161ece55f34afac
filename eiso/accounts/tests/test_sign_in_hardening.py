"""Issue 8, item 7 and "what a trusted system also has": lockout per address, idle timeout,
sign out everywhere, one's sessions and tokens on My account."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eiso.accounts.models import ApiToken, UserSession
from eiso.accounts.testing import token_for
from eiso.accounts.tests.factories import PASSWORD, UserFactory
from eiso.core.models import AuditEvent


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 4
    return settings


def sign_in(client, username, password, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


# --- lockout per address -------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_password_sprayed_over_many_users_locks_the_address(client, world, lockout):
    for name in ("an", "binh", "chi"):  # one failure each: the per-name limit is never hit
        assert sign_in(client, name, "Mua-xuan-2026").status_code == 200
    assert sign_in(client, "hai", "Mua-xuan-2026").status_code == 429  # the address's 4th
    response = sign_in(client, "dung", PASSWORD)  # even the right password, from there
    assert response.status_code == 429
    other_address = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(other_address, "dung", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_address_is_the_clients_behind_the_trusted_proxy(world, lockout):
    lockout.TRUSTED_PROXIES = ["10.0.0.1"]
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for name in ("an", "binh", "chi", "hai"):
        sign_in(proxy, name, "sai", HTTP_X_FORWARDED_FOR="203.0.113.5")
    # The attacker behind the proxy is locked out …
    locked = sign_in(proxy, "dung", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert locked.status_code == 429
    # … not everyone else coming through the same proxy.
    assert sign_in(proxy, "dung", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_escape_the_address_limit(world, lockout):
    lockout.TRUSTED_PROXIES = []  # nobody's X-Forwarded-For is believed
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for number, name in enumerate(("an", "binh", "chi", "hai")):
        sign_in(attacker, name, "sai", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert sign_in(attacker, "dung", PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4").status_code == 429


@pytest.mark.django_db
def test_the_per_name_limit_still_counts_case_insensitively(client, world, lockout):
    lockout.AXES_IP_FAILURE_LIMIT = 100
    lockout.AXES_FAILURE_LIMIT = 3
    for name in ("an", "AN", "An"):
        sign_in(client, name, "sai")
    assert sign_in(client, "an", PASSWORD).status_code == 429


# --- idle timeout ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_session_ends_after_the_idle_time(client, world, settings):
    settings.SESSION_IDLE_MINUTES = 30
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert sign_in(client, "an", PASSWORD).status_code == 302
    with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
        assert client.get(reverse("dashboard:home")).status_code == 200
    # 29 minutes after the last request (not the sign-in): still signed in.
    with time_machine.travel(start + datetime.timedelta(minutes=58), tick=False):
        assert client.get(reverse("dashboard:home")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=89), tick=False):
        response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login")) and "idle=30" in response.url
    assert "_auth_user_id" not in client.session
    assert not UserSession.objects.filter(user=world.an).exists()
    page = client.get(response.url)
    assert 'data-testid="idle-signed-out"' in page.content.decode()


@pytest.mark.django_db
def test_an_idle_api_session_is_refused_but_a_token_is_not(client, world, settings):
    settings.SESSION_IDLE_MINUTES = 30
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, "an", PASSWORD)
    key = token_for(world.an)
    with time_machine.travel(start + datetime.timedelta(hours=2), tick=False):
        assert client.get(reverse("api:agency-list")).status_code in (401, 403)
        api = Client(HTTP_AUTHORIZATION=f"Token {key}")
        assert api.get(reverse("api:agency-list")).status_code == 200


@pytest.mark.django_db
def test_no_idle_limit_when_set_to_zero(client, world, settings):
    settings.SESSION_IDLE_MINUTES = 0
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, "an", PASSWORD)
    with time_machine.travel(start + datetime.timedelta(hours=5), tick=False):
        assert client.get(reverse("dashboard:home")).status_code == 200


# --- sessions on My account ---------------------------------------------------------------------


def browser(user_agent):
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR="192.0.2.10")


@pytest.mark.django_db
def test_my_account_lists_my_sessions_with_device_address_and_activity(world):
    office, phone = browser("Firefox văn phòng"), browser("Điện thoại Android")
    sign_in(office, "an", PASSWORD)
    sign_in(phone, "an", PASSWORD)
    sign_in(browser("Máy của Bình"), "binh", PASSWORD)
    page = office.get(reverse("accounts:account"))
    sessions = list(page.context["sessions"])
    assert {s.user_agent for s in sessions} == {"Firefox văn phòng", "Điện thoại Android"}
    assert all(s.ip_address == "192.0.2.10" and s.last_activity for s in sessions)
    html = page.content.decode()
    assert "Máy của Bình" not in html and "Điện thoại Android" in html


@pytest.mark.django_db
def test_sign_out_everywhere_ends_every_session_and_keeps_the_tokens(world):
    office, phone = browser("Firefox văn phòng"), browser("Điện thoại Android")
    sign_in(office, "an", PASSWORD)
    sign_in(phone, "an", PASSWORD)
    other = browser("Máy của Bình")
    sign_in(other, "binh", PASSWORD)
    key = token_for(world.an)
    response = phone.post(reverse("accounts:sign_out_everywhere"))
    assert response.status_code == 302
    for client in (office, phone):
        assert client.get(reverse("dashboard:home")).status_code == 302  # to the sign-in page
    assert other.get(reverse("dashboard:home")).status_code == 200
    assert not UserSession.objects.filter(user=world.an).exists()
    assert Session.objects.count() == 1  # Bình's
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:agency-list")).status_code == 200
    assert AuditEvent.objects.filter(action="user.sign_out_everywhere", actor=world.an).exists()


@pytest.mark.django_db
def test_signing_out_one_other_session(world):
    office, phone = browser("Firefox văn phòng"), browser("Điện thoại Android")
    sign_in(office, "an", PASSWORD)
    sign_in(phone, "an", PASSWORD)
    target = UserSession.objects.get(user=world.an, user_agent="Điện thoại Android")
    office.post(reverse("accounts:session_end", args=[target.pk]))
    assert phone.get(reverse("dashboard:home")).status_code == 302
    assert office.get(reverse("dashboard:home")).status_code == 200


@pytest.mark.django_db
def test_another_persons_session_is_404(world):
    office = browser("Firefox văn phòng")
    sign_in(office, "an", PASSWORD)
    binh = browser("Máy của Bình")
    sign_in(binh, "binh", PASSWORD)
    theirs = UserSession.objects.get(user=world.binh)
    assert office.post(reverse("accounts:session_end", args=[theirs.pk])).status_code == 404
    assert binh.get(reverse("dashboard:home")).status_code == 200


# --- API tokens on My account ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_creates_a_token_sees_its_key_once_and_revokes_it(client, world):
    client.force_login(world.an)
    response = client.post(reverse("accounts:token_create"), {"name": "Một cửa", "days": "90"})
    key = response.context["new_key"]
    token = ApiToken.objects.get(user=world.an)
    assert key in response.content.decode() and key.startswith(token.prefix)
    assert token.name == "Một cửa" and 89 <= (token.expires_at - token.created_at).days <= 90
    again = client.get(reverse("accounts:account")).content.decode()
    assert key not in again and token.prefix in again
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:agency-list")).status_code == 200
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert api.get(reverse("api:agency-list")).status_code == 401


@pytest.mark.django_db
def test_another_persons_token_cannot_be_revoked(client, world):
    token_for(world.binh)
    client.force_login(world.an)
    theirs = ApiToken.objects.get(user=world.binh)
    assert client.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


@pytest.mark.django_db
def test_a_token_needs_a_name_and_a_sane_validity(client, world):
    client.force_login(world.an)
    response = client.post(reverse("accounts:token_create"), {"name": " ", "days": "99999"})
    assert response.context["token_form"].errors
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_my_account_needs_sign_in(client):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


@pytest.mark.django_db
def test_sessions_recorded_only_for_the_person_who_signed_in(world):
    UserFactory(username="khach")
    sign_in(browser("x"), "an", PASSWORD)
    assert list(UserSession.objects.values_list("user__username", flat=True)) == ["an"]
