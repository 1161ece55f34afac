"""Middleware that records the request's remote address for the audit trail, and the choice of
language."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from eiso.core.request_context import reset_remote_addr, set_remote_addr

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    """The networks of ``TRUSTED_PROXIES`` (validated when the settings load)."""
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def parse_ip(value: str | None) -> IPAddress | None:
    """A valid IP address from one hop of a header, or None. Accepts the forms proxies write
    (``1.2.3.4``, ``1.2.3.4:5678``, ``::1``, ``[::1]:443``); drops an IPv6 zone (the database
    refuses it) and unwraps an IPv4-mapped IPv6 address."""
    if not value:
        return None
    text = value.strip().strip('"')
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4 with a port; an IPv6 address has at least two colons
        text = text.split(":", 1)[0]
    text = text.split("%", 1)[0]
    if not text or len(text) > 45:
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, or None when it cannot be known.

    ``X-Forwarded-For`` is believed only when the direct peer (``REMOTE_ADDR``) is one of the
    ``TRUSTED_PROXIES``; the chain is then walked from the right, skipping trusted hops, and the
    first untrusted hop is the client. Every address is validated: a hop that is not an IP
    address makes the answer None (never a forged or malformed value in the audit trail)."""
    remote = parse_ip(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return None
    networks = trusted_proxies()
    if not networks or not _is_trusted(remote, networks):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in (h.strip() for h in forwarded.split(",")) if hop]
    client = remote
    for hop in reversed(hops):
        address = parse_ip(hop)
        if address is None:
            return None
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = set_remote_addr(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_remote_addr(token)


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the person chose another language with the switch in the header
    (Django's language cookie). The browser's Accept-Language is deliberately ignored: civil
    servants' machines often ship with English browsers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
