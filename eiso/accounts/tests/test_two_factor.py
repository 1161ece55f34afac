"""Two-factor sign-in: enrol with an authenticator app, ten recovery codes shown once and
hashed, the code after the password, required for administrators and overseers (sent to
enrol before anything else), offered to everyone, reset by an administrator (audited, the
person told)."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from eiso.accounts.models import RecoveryCode, UserSession
from eiso.accounts.services import two_factor
from eiso.accounts.tests.factories import PASSWORD
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.models import AuditEvent, Notification


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "overseer"]
    return settings


def code_for(device, *, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def sign_in(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def enrol(client, user) -> list[str]:
    """Through the pages: open the enrolment page, confirm with a current code."""
    page = client.get(reverse("accounts:two_factor_enrol"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": code_for(device)})
    assert response.status_code == 200, response
    return response.context["codes"]


@pytest.mark.django_db
def test_enrolment_shows_a_qr_code_drawn_here_and_ten_recovery_codes_once(client, world):
    sign_in(client, "an")
    page = client.get(reverse("accounts:two_factor_enrol"))
    html = page.content.decode()
    assert "<svg" in html and "otpauth" not in html.split("<svg", 1)[0][-200:]
    assert "http://" not in page.context["qr_svg"] and "https://" not in page.context["qr_svg"]
    device = TOTPDevice.objects.get(user=world.an)
    assert not device.confirmed
    assert (
        client.get(reverse("accounts:two_factor_enrol")).context["secret"] == page.context["secret"]
    ), "reloading keeps the same key"
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": code_for(device)})
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    stored = set(RecoveryCode.objects.filter(user=world.an).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & set(codes), "hashed at rest"
    device.refresh_from_db()
    assert device.confirmed
    assert 'data-testid="recovery-codes"' in response.content.decode()
    later = client.get(reverse("accounts:account")).content.decode()
    assert not any(c in later for c in codes), "shown once"
    assert AuditEvent.objects.filter(action="user.two_factor_enrol", actor=world.an).exists()


@pytest.mark.django_db
def test_a_wrong_code_does_not_confirm_enrolment(client, world):
    sign_in(client, "an")
    client.get(reverse("accounts:two_factor_enrol"))
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": "000000"})
    assert response.context["form"].errors
    assert not TOTPDevice.objects.filter(user=world.an, confirmed=True).exists()


@pytest.mark.django_db
def test_after_the_password_the_code_is_asked_before_anything_else(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below would make the right one wait
    client = Client()
    sign_in(client, "an")
    enrol(client, world.an)
    client.post(reverse("accounts:logout"))
    response = sign_in(client, "an")
    for url in (reverse("dashboard:home"), reverse("accounts:account"), "/documents/"):
        answer = client.get(url)
        assert answer.status_code == 302 and answer.url.startswith(
            reverse("accounts:two_factor_verify")
        ), url
    api = client.get(reverse("api:agency-list"))
    assert api.status_code == 403 and api.json()["error"]["code"] == "second_factor_required"
    page = client.get(
        response.url if "code" in response.url else reverse("accounts:two_factor_verify")
    )
    assert 'href="/documents/' not in page.content.decode(), "no navigation before the code"
    device = TOTPDevice.objects.get(user=world.an)
    wrong = client.post(reverse("accounts:two_factor_verify"), {"code": "123456"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert client.get(reverse("dashboard:home")).status_code == 302
    ok = client.post(
        reverse("accounts:two_factor_verify"),
        {"code": code_for(device, offset=30), "next": reverse("accounts:account")},
    )
    assert ok.status_code == 302 and ok.url == reverse("accounts:account")
    assert client.get(reverse("dashboard:home")).status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once(world):
    client = Client()
    sign_in(client, "an")
    codes = enrol(client, world.an)
    client.post(reverse("accounts:logout"))
    sign_in(client, "an")
    response = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("dashboard:home")).status_code == 200
    client.post(reverse("accounts:logout"))
    sign_in(client, "an")
    again = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert again.status_code == 200 and again.context["form"].errors
    assert RecoveryCode.objects.filter(user=world.an, used_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_wrong_codes_slow_further_tries_down(world):
    client = Client()
    sign_in(client, "an")
    enrol(client, world.an)
    client.post(reverse("accounts:logout"))
    sign_in(client, "an")
    device = TOTPDevice.objects.get(user=world.an)
    client.post(reverse("accounts:two_factor_verify"), {"code": "111111"})
    throttled = client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device)})
    assert throttled.status_code == 200, "even the right code waits after a wrong one"
    assert client.get(reverse("dashboard:home")).status_code == 302


@pytest.mark.django_db
def test_administrators_and_overseers_are_sent_to_enrol_before_anything_else(required, world):
    for persona in ("quan", "dung"):
        client = Client()
        sign_in(client, persona)
        home = client.get(reverse("dashboard:home"))
        assert home.status_code == 302
        assert home.url.startswith(reverse("accounts:two_factor_enrol")), persona
        assert client.get(reverse("api:agency-list")).status_code == 403
        assert client.get(reverse("accounts:two_factor_enrol")).status_code == 200
    staff = Client()
    sign_in(staff, "binh")
    assert staff.get(reverse("dashboard:home")).status_code == 200  # offered, not required


@pytest.mark.django_db
def test_after_enrolling_the_administrator_goes_on(required, world):
    client = Client()
    sign_in(client, "quan")
    enrol(client, world.quan)
    assert client.get(reverse("dashboard:home")).status_code == 200


@pytest.mark.django_db
def test_with_a_device_a_stolen_password_cannot_enrol_another_phone(world):
    client = Client()
    sign_in(client, "an")
    enrol(client, world.an)
    client.post(reverse("accounts:logout"))
    thief = Client()
    sign_in(thief, "an")
    response = thief.get(reverse("accounts:two_factor_enrol"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_verify"))
    assert thief.post(reverse("accounts:two_factor_enrol"), {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=world.an).count() == 1


@pytest.mark.django_db
def test_required_roles_cannot_turn_it_off_others_can(required, world):
    dung = Client()
    sign_in(dung, "dung")
    enrol(dung, world.dung)
    dung.post(reverse("accounts:two_factor_disable"))
    assert TOTPDevice.objects.filter(user=world.dung, confirmed=True).exists()
    binh = Client()
    sign_in(binh, "binh")
    enrol(binh, world.binh)
    binh.post(reverse("accounts:two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=world.binh).exists()
    assert not RecoveryCode.objects.filter(user=world.binh).exists()


@pytest.mark.django_db
def test_an_administrator_resets_a_second_factor_audited_and_the_person_told(world):
    person = Client()
    sign_in(person, "hai")
    enrol(person, world.hai)
    admin = Client()
    admin.force_login(world.quan)
    url = reverse("accounts:user_two_factor_reset", args=[world.hai.pk])
    refused = admin.post(url, {"reason": ""})
    assert refused.status_code == 200 and TOTPDevice.objects.filter(user=world.hai).exists()
    assert admin.post(url, {"reason": "Mất điện thoại"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.hai).exists()
    assert not RecoveryCode.objects.filter(user=world.hai).exists()
    event = AuditEvent.objects.get(action="user.two_factor_reset")
    assert event.actor == world.quan and event.reason == "Mất điện thoại"
    note = Notification.objects.get(user=world.hai)
    assert note.url == reverse("accounts:two_factor_enrol")
    assert not UserSession.objects.filter(user=world.hai).exists()
    assert person.get(reverse("dashboard:home")).status_code == 302  # signed out


@pytest.mark.django_db
def test_only_an_administrator_resets_a_second_factor(client, world):
    sign_in(client, "binh")
    enrol(client, world.binh)
    with pytest.raises(NotPermitted):
        two_factor.two_factor_reset(actor=world.an, user=world.binh, reason="Thử")
    secretary = Client()
    secretary.force_login(world.an)
    secretary.post(
        reverse("accounts:user_two_factor_reset", args=[world.binh.pk]), {"reason": "Thử"}
    )
    assert TOTPDevice.objects.filter(user=world.binh, confirmed=True).exists()
    with pytest.raises(ValidationFailed):
        two_factor.two_factor_reset(actor=world.quan, user=world.an, reason="Không có")
