"""One JSON error shape for the whole API:
``{"error": {"code": "...", "message": "...", "fields": {...}}}``."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from eiso.core.errors import ApplicationError


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    """The one error shape; ``extra`` adds keys beside code/message/fields (the import
    endpoint adds ``rows``)."""
    return {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, Http404):
        return Response(error_body("not_found", _("Not found.")), status=status.HTTP_404_NOT_FOUND)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body("validation_failed", _("Some of the data is not valid."), detail)
    else:
        code = getattr(exc, "default_code", "error")
        message = str(getattr(exc, "detail", "")) or _("The request could not be completed.")
        response.data = error_body(code, message)
    return response
