"""Sets ``request.memberships`` (the roles the user holds) and ``request.membership`` (the one
they act as now, chosen in the header and kept in the session), and narrows the user's scope to
that role (``eiso.core.scoping.act_as``): a person with roles in several agencies sees and may
do, on a page, only what the acting role allows there. ``request.all_agencies`` is the explicit
"all my agencies" view (every role at once, lists with an agency column)."""

from __future__ import annotations

from django.http import HttpRequest

from eiso.accounts.selectors import active_memberships
from eiso.core.scoping import prime_scope

SESSION_KEY = "eiso_active_membership"
ALL_AGENCIES_KEY = "eiso_all_agencies"


class ActiveMembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.memberships = []
        request.membership = None
        request.all_agencies = False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            memberships = active_memberships(user=user)
            request.memberships = memberships
            chosen = request.session.get(SESSION_KEY)
            request.membership = next(
                (m for m in memberships if m.pk == chosen), memberships[0] if memberships else None
            )
            request.all_agencies = bool(
                len(memberships) > 1 and request.session.get(ALL_AGENCIES_KEY)
            )
            acting = None if request.all_agencies else request.membership
            prime_scope(user, memberships, acting=acting)
        return self.get_response(request)
