"""Middleware that records the request's remote address for the audit trail."""

from __future__ import annotations

from django.http import HttpRequest

from eiso.core.request_context import reset_remote_addr, set_remote_addr


def client_ip(request: HttpRequest) -> str | None:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = set_remote_addr(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_remote_addr(token)
