"""Application errors: raised by services, shown as a message on pages and as one JSON shape
(``{"error": {"code": ..., "message": ..., "fields": {...}}}``) by the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """Base of every error a service raises on purpose."""

    code = "application_error"
    status = 400
    default_message = _("The request could not be completed.")

    def __init__(self, message: str | None = None, *, fields: dict[str, list[str]] | None = None):
        self.message = str(message or self.default_message)
        self.fields = fields or {}
        super().__init__(self.message)


class ValidationFailed(ApplicationError):
    code = "validation_failed"
    default_message = _("Some of the data is not valid.")


class InvalidTransition(ApplicationError):
    code = "invalid_transition"
    status = 409
    default_message = _("This action is not allowed in the current state.")


class NotPermitted(ApplicationError):
    """The actor may see the object but may not do this to it."""

    code = "not_permitted"
    status = 403
    default_message = _("You are not allowed to do this.")


class SeparationOfDutiesViolation(NotPermitted):
    code = "separation_of_duties"
    default_message = _("The same person cannot perform both steps.")


class ConcurrentEdit(ApplicationError):
    code = "concurrent_edit"
    status = 409
    default_message = _("Someone else changed this record meanwhile. Reload it and try again.")
