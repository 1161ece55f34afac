"""The client address in the audit trail: X-Forwarded-For is believed only from the configured
proxies, and no header value can break an audited write."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from rest_framework.test import APIClient

from eiso.accounts.testing import token_for
from eiso.core.middleware import client_ip, parse_ip
from eiso.core.models import AuditEvent


def request(remote="203.0.113.9", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_for_is_ignored_when_no_proxy_is_trusted(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_forwarded_for_is_ignored_from_a_peer_that_is_not_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_trusted_proxy_gives_the_rightmost_untrusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.7"]
    # The client forged the leftmost entry; the proxies appended what they saw.
    forged_chain = "1.1.1.1, 198.51.100.1, 192.0.2.7, 10.1.2.3"
    assert client_ip(request("10.0.0.1", forged_chain)) == "198.51.100.1"


def test_a_chain_of_only_trusted_hops_gives_the_leftmost(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("10.0.0.1", "10.9.9.9, 10.0.0.2")) == "10.9.9.9"


def test_trusted_proxy_without_forwarded_for_gives_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(request("10.0.0.1")) == "10.0.0.1"
    assert client_ip(request("10.0.0.1", " , ")) == "10.0.0.1"


@pytest.mark.parametrize(
    "bad", ["not-an-ip", "<script>", "1.2.3.4.5", "999.1.1.1", "' OR 1=1 --", "a" * 300]
)
def test_an_invalid_forwarded_hop_gives_no_address(settings, bad):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(request("10.0.0.1", f"198.51.100.1, {bad}")) is None


def test_an_invalid_remote_addr_gives_no_address(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("")) is None
    assert client_ip(request("unix:/run/gunicorn.sock")) is None


def test_ipv6_proxies_ports_zones_and_mapped_addresses(settings):
    settings.TRUSTED_PROXIES = ["::1", "fd00::/8"]
    assert client_ip(request("::1", "2001:db8::5, fd00::1")) == "2001:db8::5"
    assert client_ip(request("::1", "[2001:db8::5]:443")) == "2001:db8::5"
    assert client_ip(request("::1", "198.51.100.1:5678")) == "198.51.100.1"
    assert client_ip(request("fe80::1%eth0")) == "fe80::1"
    assert client_ip(request("::ffff:198.51.100.1")) == "198.51.100.1"
    assert parse_ip("::ffff:10.0.0.1") is not None


def test_a_malformed_trusted_proxies_setting_stops_the_start(monkeypatch):
    import importlib

    import config.settings

    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1,proxy.local")
    with pytest.raises(ImproperlyConfigured, match="proxy.local"):
        importlib.reload(config.settings)
    monkeypatch.delenv("TRUSTED_PROXIES")
    importlib.reload(config.settings)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("trusted", "forwarded", "recorded"),
    [
        ([], "not-an-ip", "192.0.2.50"),  # forged header from an untrusted peer: ignored
        (["192.0.2.50"], "not-an-ip", None),  # garbage through the proxy: no address, no 500
        (["192.0.2.50"], "198.51.100.23", "198.51.100.23"),
        ([], "198.51.100.23", "192.0.2.50"),
    ],
)
def test_audited_write_never_fails_on_a_bad_forwarded_for(
    settings, world, trusted, forwarded, recorded
):
    """On PostgreSQL a non-IP value in the inet column used to make every audited write 500."""
    settings.TRUSTED_PROXIES = trusted
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.quan)}")
    response = api.patch(
        f"/api/v1/agencies/{world.A.pk}/",
        {"name": "Sở Tư pháp tỉnh Phú An (đổi tên)"},
        format="json",
        REMOTE_ADDR="192.0.2.50",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.filter(object_id=str(world.A.pk)).latest("pk")
    assert event.actor == world.quan
    assert event.remote_addr == recorded
