"""The work inbox page and the header's count (loaded after the page, so no page pays for it)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from eiso.core import inbox
from eiso.core.scoping import acting_membership


def items_for_request(request) -> list[inbox.InboxItem]:
    """The person's inbox in the role they act as (every role in the "all my agencies"
    view)."""
    return inbox.inbox_for(request.user, membership=acting_membership(request.user))


class InboxView(LoginRequiredMixin, TemplateView):
    template_name = "core/inbox.html"

    def get_context_data(self, **kwargs):
        items = items_for_request(self.request)
        today = timezone.localdate()
        return super().get_context_data(
            items=items,
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
