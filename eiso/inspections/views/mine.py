"""The inspector's home: the plans they are on, the agencies to visit and the checklists to
fill, soonest first."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from eiso.inspections import selectors


class MyInspectionsView(LoginRequiredMixin, TemplateView):
    template_name = "inspections/mine.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        return super().get_context_data(
            plans=list(selectors.my_plans(user=user)),
            inspections=list(selectors.my_inspections(user=user, today=today)[:200]),
            today=today,
            **kwargs,
        )
