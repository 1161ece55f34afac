"""The home page: what is mine to do today; for overseers, the agencies under them."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from eiso.accounts import selectors as account_selectors
from eiso.core.roles import Role
from eiso.dashboard import selectors
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
        context = {"role": role, "membership": membership}
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
        elif membership is not None:
            context["colleagues"] = account_selectors.membership_list(
                user=user, agency=membership.agency, active=True
            )[:20]
            context["departments"] = org_selectors.department_list(
                user=user, agency=membership.agency
            )
        return super().get_context_data(**context, **kwargs)
