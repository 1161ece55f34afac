"""The work inbox page and the header's count (loaded after the page, so no page pays for it)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.utils.translation import get_language
from django.views.generic import TemplateView

from eiso.core import inbox
from eiso.core.kept import Kept, kept_for, key_of
from eiso.core.scoping import acting_membership


def kept_items(request, *, fresh: bool = False) -> Kept[list[inbox.InboxItem]]:
    """The person's inbox in the role they act as (every role in the "all my agencies"
    view), kept between requests (eiso.core.kept) for at most ``INBOX_MAX_AGE`` seconds while
    other agencies change data; the person's own changes and their agencies' show at once."""
    user = request.user
    membership = acting_membership(user)
    today = timezone.localdate()
    key = key_of("inbox", user.pk, membership.pk if membership else None, today, get_language())

    def compute() -> list[inbox.InboxItem]:
        return inbox.inbox_for(user, membership=membership, today=today)

    memberships = [membership] if membership else getattr(request, "memberships", [])
    agencies = [m.agency_id for m in memberships]
    return kept_for(
        request, key, compute, max_age=settings.INBOX_MAX_AGE, fresh=fresh, agency_ids=agencies
    )


def items_for_request(request) -> list[inbox.InboxItem]:
    return kept_items(request).value


class InboxView(LoginRequiredMixin, TemplateView):
    template_name = "core/inbox.html"

    def get_context_data(self, **kwargs):
        found = kept_items(self.request, fresh=self.request.GET.get("fresh") == "1")
        items = found.value
        today = timezone.localdate()
        return super().get_context_data(
            items=items,
            computed_at=found.computed_at,
            today=today,
            overdue=sum(1 for item in items if item.overdue_on(today)),
            **kwargs,
        )


class InboxCountView(LoginRequiredMixin, TemplateView):
    """The badge in the header (htmx swaps it in after the page loads)."""

    template_name = "core/includes/inbox_badge.html"

    def get_context_data(self, **kwargs):
        items = items_for_request(self.request)
        today = timezone.localdate()
        return super().get_context_data(
            count=len(items), overdue=sum(1 for i in items if i.overdue_on(today)), **kwargs
        )
