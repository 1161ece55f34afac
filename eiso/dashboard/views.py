"""The home page: what is mine to do today; for overseers, the agencies under them."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from eiso.accounts import selectors as account_selectors
from eiso.core.roles import Role
from eiso.core.views_inbox import items_for_request
from eiso.dashboard import selectors
from eiso.documents import rules as document_rules
from eiso.documents import selectors as document_selectors
from eiso.organizations import selectors as org_selectors
from eiso.organizations.choices import Tier


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        membership = self.request.membership
        role = (
            Role.ADMIN
            if user.is_superuser and membership is None
            else (membership.role if membership else None)
        )
        context = {
            "role": role,
            "membership": membership,
            "inbox_items": items_for_request(self.request),
            "today": timezone.localdate(),
        }
        if role in (Role.OVERSEER, Role.ADMIN):
            root = membership.agency if membership and role == Role.OVERSEER else None
            overview = selectors.agency_overview(user=user, root=root)
            context["overview"] = overview
            context["tiers"] = [
                (label, overview["rows"].get(value, {})) for value, label in Tier.choices
            ]
            context["children"] = (
                org_selectors.agency_children(user=user, agency=root)[:50]
                if root
                else org_selectors.agency_roots(user=user)[:50]
            )
            context["overdue_tasks"] = document_selectors.task_list(
                user=user, overdue=True, agency=root
            ).count()
        elif membership is not None:
            context["colleagues"] = account_selectors.membership_list(
                user=user, agency=membership.agency, active=True
            )[:20]
            context["departments"] = org_selectors.department_list(
                user=user, agency=membership.agency
            )
            context.update(self.documents_context(user, membership.agency))
        return super().get_context_data(**context, **kwargs)

    def documents_context(self, user, agency) -> dict:
        """Document control on the home page: what to read; for the QMS's keepers, the
        revision tasks and the master-list review (a fixed number of queries)."""
        to_read = document_selectors.pending_acknowledgements(user=user)
        context = {
            "to_read": list(to_read[:10]),
            "to_read_count": to_read.count(),
            "today": timezone.localdate(),
        }
        if document_rules.can_see_drafts(user, agency):
            tasks = document_selectors.task_list(user=user, status="open", agency=agency)
            context.update(
                keeps_documents=True,
                open_tasks=list(tasks[:8]),
                open_task_count=tasks.count(),
                overdue_task_count=document_selectors.task_list(
                    user=user, overdue=True, agency=agency
                ).count(),
                review_status=document_selectors.master_list_review_status(
                    user=user, agency=agency
                ),
            )
        return context
