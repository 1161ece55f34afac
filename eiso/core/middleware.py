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


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the person chose another language with the switch in the header
    (Django's language cookie). The browser's Accept-Language is deliberately ignored: civil
    servants' machines often ship with English browsers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
