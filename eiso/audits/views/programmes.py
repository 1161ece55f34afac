"""The year's audit programme: the list, a programme with its lines, approval by the head."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from eiso.audits import rules, selectors, services
from eiso.audits.choices import ProgrammeAction
from eiso.audits.forms import ProgrammeFilterForm, ProgrammeForm, ProgrammeItemForm
from eiso.audits.workflows import PROGRAMME
from eiso.core.generic import (
    ServiceActionView,
    ServiceFormView,
    acting_agency,
    require_acting_agency,
    year_of,
)
from eiso.core.roles import Action
from eiso.core.views import ScopedListView


def programme_url(programme) -> str:
    return reverse("audits:programme", args=[programme.pk])


class ProgrammeListView(ScopedListView):
    template_name = "audits/programme_list.html"
    filter_form_class = ProgrammeFilterForm
    export_name = "chuong-trinh-danh-gia-noi-bo"
    export_columns = [
        (gettext_lazy("Agency"), lambda p: p.agency),
        (gettext_lazy("Year"), lambda p: p.year),
        (gettext_lazy("Lines"), lambda p: p.line_count),
        (gettext_lazy("Audits"), lambda p: p.audit_count),
        (gettext_lazy("Status"), lambda p: p.get_status_display()),
        (gettext_lazy("Approved on"), lambda p: p.approved_on),
    ]

    def get_queryset(self, filters):
        return selectors.programme_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        agency = acting_agency(self.request)
        return super().get_context_data(
            can_keep=agency is not None and rules.can_keep(self.request.user, agency),
            year=timezone.localdate().year,
            **kwargs,
        )


class ProgrammeCreateView(ServiceFormView):
    form_class = ProgrammeForm
    title = gettext_lazy("Draft the audit programme")
    success_message = gettext_lazy("The programme was drafted: add its lines.")

    def load(self):
        self.agency = require_acting_agency(self.request)
        if not rules.can_keep(self.request.user, self.agency):
            raise Http404
        self.year = year_of(self.request)
        return self.agency

    def get_cancel_url(self):
        return reverse("audits:programmes")

    def perform(self, form):
        return services.programme_create(
            actor=self.request.user, agency=self.agency, year=self.year, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return programme_url(result)


class ProgrammeDetailView(LoginRequiredMixin, TemplateView):
    template_name = "audits/programme_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        programme = selectors.programme_get(user=user, pk=kwargs["pk"])
        available = set(PROGRAMME.available(user, programme))
        editable = ProgrammeAction.EDIT in available
        return super().get_context_data(
            programme=programme,
            agency=programme.agency,
            items=list(selectors.programme_items(user=user, programme=programme)),
            audits=list(
                selectors.audit_list(user=user, agency=programme.agency, year=programme.year)
            ),
            available=available,
            editable=editable,
            item_form=ProgrammeItemForm(user=user, agency=programme.agency) if editable else None,
            programme_form=ProgrammeForm(
                initial={"objectives": programme.objectives, "basis": programme.basis}
            )
            if editable
            else None,
            can_plan=rules.can_keep(user, programme.agency),
            **kwargs,
        )


class _ProgrammeChange:
    def load(self):
        return selectors.programme_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_success_url(self, result):
        return programme_url(self.object)

    def get_cancel_url(self):
        return programme_url(self.object)


class ProgrammeUpdateView(_ProgrammeChange, ServiceFormView):
    form_class = ProgrammeForm
    title = gettext_lazy("Change the audit programme")
    success_message = gettext_lazy("Saved.")

    def get_initial(self):
        return {"objectives": self.object.objectives, "basis": self.object.basis}

    def perform(self, form):
        return services.programme_update(
            actor=self.request.user, programme=self.object, data=form.cleaned_data
        )


class ProgrammeItemAddView(_ProgrammeChange, ServiceFormView):
    form_class = ProgrammeItemForm
    title = gettext_lazy("Add a line to the programme")
    success_message = gettext_lazy("The line was added.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.object.agency}

    def perform(self, form):
        return services.programme_item_add(
            actor=self.request.user, programme=self.object, data=form.cleaned_data
        )


class _ItemChange:
    def load(self):
        return selectors.programme_item_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_success_url(self, result):
        return programme_url(self.object.programme)

    def get_cancel_url(self):
        return programme_url(self.object.programme)


class ProgrammeItemUpdateView(_ItemChange, ServiceFormView):
    form_class = ProgrammeItemForm
    title = gettext_lazy("Change the line of the programme")
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.object.agency}

    def get_initial(self):
        i = self.object
        return {
            "department": i.department_id,
            "process": i.process,
            "month": i.month,
            "times": i.times,
            "basis": i.basis,
        }

    def perform(self, form):
        return services.programme_item_update(
            actor=self.request.user, item=self.object, data=form.cleaned_data
        )


class ProgrammeItemDeleteView(_ItemChange, ServiceActionView):
    success_message = gettext_lazy("The line was removed.")

    def perform(self):
        services.programme_item_delete(actor=self.request.user, item=self.object)
        return self.object


class ProgrammeApproveView(_ProgrammeChange, ServiceActionView):
    success_message = gettext_lazy("The programme is approved.")

    def perform(self):
        return services.programme_approve(actor=self.request.user, programme=self.object)


class ProgrammeReviseView(_ProgrammeChange, ServiceActionView):
    success_message = gettext_lazy("The programme is open for changes again.")

    def perform(self):
        return services.programme_revise(actor=self.request.user, programme=self.object)
