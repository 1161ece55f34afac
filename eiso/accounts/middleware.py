"""Sets ``request.memberships`` (the roles the user holds) and ``request.membership`` (the one
they act as now, chosen in the header and kept in the session)."""

from __future__ import annotations

from django.http import HttpRequest

from eiso.accounts.selectors import active_memberships
from eiso.core.scoping import prime_scope

SESSION_KEY = "eiso_active_membership"


class ActiveMembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.memberships = []
        request.membership = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            memberships = active_memberships(user=user)
            prime_scope(user, memberships)
            request.memberships = memberships
            chosen = request.session.get(SESSION_KEY)
            request.membership = next(
                (m for m in memberships if m.pk == chosen), memberships[0] if memberships else None
            )
        return self.get_response(request)
