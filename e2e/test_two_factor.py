"""Two-factor sign-in in the browser: an overseer (who must use it) is sent to enrol right
after the password, scans — here: reads — the key, confirms with a code, keeps the recovery
codes; signs out, signs in again with the password and a code from the app; a wrong code is
refused. Codes are computed from the device's key as the phone's app would (django-otp)."""

from __future__ import annotations

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from e2e.conftest import login, screenshot, sign_out
from eiso.accounts.tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def app_code(device, *, offset: int = 0) -> str:
    """What the authenticator app shows ``offset`` seconds from now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def test_enrol_sign_out_sign_in_with_a_code_and_a_wrong_code_refused(
    page, live_server, e2e_world, settings
):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "overseer"]
    dung = e2e_world.dung

    # The password alone leads to the enrolment page, before anything else.
    login(page, live_server, "dung", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/accounts/me/two-factor/?next=%2F")
    expect(page.locator("[data-testid=qr-code] svg")).to_be_visible()
    page.goto(f"{live_server.url}/oversight/")
    expect(page).to_have_url(f"{live_server.url}/accounts/me/two-factor/?next=%2Foversight%2F")
    secret = page.locator("[data-testid=totp-secret]").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=dung, confirmed=False)
    assert len(secret) == 32  # the 20-byte key in base32, as the QR code carries it
    screenshot(page, "two-factor enrol")
    page.locator("input[name=code]").fill(app_code(device))
    page.locator("form:has(input[name=code]) button[type=submit]").click()
    page.wait_for_load_state()
    codes = page.locator("[data-testid=recovery-codes] li")
    expect(codes).to_have_count(10)
    screenshot(page, "two-factor recovery codes")
    page.locator("a.btn-primary").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{live_server.url}/oversight/")

    page.goto(f"{live_server.url}/accounts/me/")
    sign_out(page, live_server)
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")

    # The password, then the code from the app. A wrong code first: refused.
    login(page, live_server, "dung", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/accounts/login/code/?next=%2F")
    expect(page.locator("[data-testid=inbox-link]")).to_have_count(0)  # nothing before the code
    page.locator("input[name=code]").fill("000000")
    page.locator("form:has(input[name=code]) button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".invalid-feedback")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/code/?next=%2F")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/code/?next=%2F")
    screenshot(page, "two-factor wrong code")

    time.sleep(1.5)  # a wrong code makes the next try wait a moment
    device.refresh_from_db()
    page.locator("input[name=code]").fill(app_code(device, offset=30))
    page.locator("form:has(input[name=code]) button[type=submit]").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("[data-testid=inbox-link]")).to_be_visible()
    page.goto(f"{live_server.url}/accounts/me/")
    expect(page.locator("[data-testid=two-factor-on]")).to_be_visible()
    screenshot(page, "two-factor my account")
