"""Permission classes of the API. Row-level isolation is not decided here: every read goes
through a scoped selector (out of scope is 404) and every write through a service."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from eiso.core.scoping import user_scope


class HasScopeFor(BasePermission):
    """The user may do the view's ``required_action`` somewhere. When they may not, a list or
    a create is refused with 403, and a request aimed at one object is 404 (its existence is
    not revealed)."""

    message = _("You are not allowed to use this part of the API.")

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if user_scope(request.user, view.required_action).empty:
            if getattr(view, "detail", False):
                raise Http404
            return False
        return True
