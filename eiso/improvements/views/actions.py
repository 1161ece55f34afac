"""Corrective actions: the list (mine, overdue), changing or removing one before the plan is
approved, recording one done with its evidence."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View

from eiso.core.files import file_response
from eiso.core.generic import ServiceActionView, ServiceFormView
from eiso.core.roles import Action
from eiso.core.views import ScopedListView
from eiso.improvements import selectors, services
from eiso.improvements.forms import ActionDoneForm, ActionFilterForm, ActionForm


def _back(action) -> str:
    return reverse("improvements:detail", args=[action.nonconformity_id]) + "#actions"


class ActionListView(ScopedListView):
    template_name = "improvements/action_list.html"
    filter_form_class = ActionFilterForm
    export_name = "hanh-dong-khac-phuc"
    export_columns = [
        (gettext_lazy("Agency"), lambda a: a.agency),
        (gettext_lazy("Nonconformity"), lambda a: a.nonconformity.code),
        (gettext_lazy("Corrective action"), lambda a: a.action),
        (gettext_lazy("Owner"), lambda a: a.owner or ""),
        (gettext_lazy("Due date"), lambda a: a.due_date),
        (gettext_lazy("Done on"), lambda a: a.done_on),
        (gettext_lazy("Result"), lambda a: a.result),
    ]

    def get_queryset(self, filters):
        if filters.pop("mine", False):
            filters["owner"] = self.request.user
        return selectors.action_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class _ActionChange:
    def load(self):
        return selectors.action_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_success_url(self, result):
        return _back(self.object)

    def get_cancel_url(self):
        return _back(self.object)


class ActionUpdateView(_ActionChange, ServiceFormView):
    form_class = ActionForm
    title = gettext_lazy("Change the corrective action")
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.object.agency}

    def get_initial(self):
        a = self.object
        return {"action": a.action, "owner": a.owner_id, "due_date": a.due_date}

    def perform(self, form):
        return services.action_update(
            actor=self.request.user, action=self.object, data=form.cleaned_data
        )


class ActionDeleteView(_ActionChange, ServiceActionView):
    success_message = gettext_lazy("The action was removed from the plan.")

    def perform(self):
        services.action_delete(actor=self.request.user, action=self.object)
        return self.object


class ActionDoneView(_ActionChange, ServiceFormView):
    form_class = ActionDoneForm
    title = gettext_lazy("Record the corrective action as done")
    success_message = gettext_lazy("The action was recorded as done.")
    multipart = True

    def perform(self, form):
        data = form.cleaned_data
        return services.action_complete(
            actor=self.request.user,
            action=self.object,
            done_on=data.get("done_on"),
            result=data.get("result") or "",
            evidence=data.get("evidence"),
        )


class ActionEvidenceView(LoginRequiredMixin, View):
    def get(self, request, pk):
        action = selectors.action_get(user=request.user, pk=pk)
        if not action.evidence:
            raise Http404
        return file_response(action.evidence, name=action.evidence_name)
