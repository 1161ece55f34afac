"""An objective: the list of current objectives, its page (plan, measurements per period met /
not met, chart, versions), adding and changing it and its plan, recording measurements."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.files import file_response
from eiso.core.generic import ServiceActionView, ServiceFormView, ThisYearByDefault, acting_agency
from eiso.core.roles import Action
from eiso.core.scoping import roles_in
from eiso.core.views import ScopedListView
from eiso.objectives import rules, selectors, services
from eiso.objectives.choices import Result, SetAction
from eiso.objectives.forms import (
    ComputeForm,
    MeasurementForm,
    ObjectiveFilterForm,
    ObjectiveForm,
    PlanActionForm,
)
from eiso.objectives.views._common import set_permissions
from eiso.objectives.workflows import OBJECTIVE_SET


def objective_url(objective) -> str:
    return reverse("objectives:detail", args=[objective.pk])


def _result_label(objective) -> str:
    return Result(objective.result).label


class ObjectiveListView(ThisYearByDefault, ScopedListView):
    template_name = "objectives/objective_list.html"
    filter_form_class = ObjectiveFilterForm
    export_name = "muc-tieu-chat-luong"
    export_columns = [
        (gettext_lazy("Agency"), lambda o: o.agency),
        (gettext_lazy("Year"), lambda o: o.objective_set.year),
        (gettext_lazy("No."), lambda o: o.number),
        (gettext_lazy("Objective"), lambda o: o.statement),
        (gettext_lazy("Measurable indicator"), lambda o: o.indicator),
        (gettext_lazy("Target"), lambda o: o.target_text),
        (gettext_lazy("Frequency"), lambda o: o.get_frequency_display()),
        (gettext_lazy("Department"), lambda o: o.department or ""),
        (gettext_lazy("Owner"), lambda o: o.owner or ""),
        (gettext_lazy("Status"), lambda o: o.objective_set.get_status_display()),
        (gettext_lazy("Periods measured"), lambda o: o.measured),
        (gettext_lazy("Periods not met"), lambda o: o.missed),
        (gettext_lazy("Result"), _result_label),
    ]

    def get_queryset(self, filters):
        return selectors.objective_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        agency = acting_agency(self.request)
        return super().get_context_data(
            can_draft=agency is not None and rules.can_draft(self.request.user, agency),
            year=timezone.localdate().year,
            **kwargs,
        )


def nonconformity_hook(user, objective) -> str | None:
    """Where an objective not met raises a nonconformity (the corrective-action module's
    page), for someone of its agency; None when that module is not installed."""
    if not apps.is_installed("eiso.improvements") or not roles_in(user, objective.agency):
        return None
    return reverse("improvements:raise_from_objective", args=[objective.pk])


class ObjectiveDetailView(LoginRequiredMixin, TemplateView):
    template_name = "objectives/objective_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        objective = selectors.objective_get(user=user, pk=kwargs["pk"])
        objective_set = objective.objective_set
        measurements = list(selectors.measurements_of(user=user, objective=objective))
        today = timezone.localdate()
        rows = selectors.period_rows(objective=objective, measurements=measurements, today=today)
        measurable = OBJECTIVE_SET.find(objective_set.status, SetAction.MEASURE) is not None
        can_measure = measurable and rules.can_measure(user, objective)
        started = [row.period.index for row in rows if row.period.started_by(today)]
        form = None
        if can_measure and started:
            form = MeasurementForm(objective=objective, initial={"period": started[-1]})
        return super().get_context_data(
            objective=objective,
            objective_set=objective_set,
            agency=objective.agency,
            plan=list(selectors.plan_of(user=user, objective=objective)),
            procedures=list(objective.procedures.all()),
            rows=rows,
            chart=selectors.chart_data(objective=objective, rows=rows),
            versions=list(selectors.versions_of(user=user, objective=objective)),
            measurement_form=form,
            compute_form=ComputeForm(objective=objective, initial={"period": started[-1]})
            if form is not None and objective.computed
            else None,
            can_measure=can_measure,
            today=today,
            nonconformity_url=nonconformity_hook(user, objective),
            **set_permissions(user, objective_set),
        )


class _ObjectiveSetChange:
    """Pages that change the objectives of a revision: loaded in the CHANGE scope."""

    def load_set(self, pk):
        return selectors.set_get(user=self.request.user, pk=pk, action=Action.CHANGE)

    def load_objective(self, pk):
        return selectors.objective_get(user=self.request.user, pk=pk, action=Action.CHANGE)


class ObjectiveCreateView(_ObjectiveSetChange, ServiceFormView):
    form_class = ObjectiveForm
    template_name = "objectives/objective_form.html"
    title = gettext_lazy("Add an objective")
    success_message = gettext_lazy("The objective was added: now write its plan.")

    def load(self):
        self.objective_set = self.load_set(self.kwargs["pk"])
        return self.objective_set

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.objective_set.agency}

    def get_initial(self):
        return {"source": "manual", "frequency": "quarter", "comparator": "ge", "unit": "%"}

    def get_cancel_url(self):
        return reverse("objectives:set_detail", args=[self.objective_set.pk])

    def perform(self, form):
        return services.objective_create(
            actor=self.request.user, objective_set=self.objective_set, data=form.service_data()
        )

    def get_success_url(self, result):
        return objective_url(result)


class ObjectiveUpdateView(_ObjectiveSetChange, ServiceFormView):
    form_class = ObjectiveForm
    template_name = "objectives/objective_form.html"
    title = gettext_lazy("Change the objective")
    success_message = gettext_lazy("The objective was saved.")

    def load(self):
        return self.load_objective(self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.object.agency}

    def get_initial(self):
        o = self.object
        return {
            "number": o.number,
            "statement": o.statement,
            "indicator": o.indicator,
            "comparator": o.comparator,
            "target": o.target,
            "unit": o.unit,
            "frequency": o.frequency,
            "source": o.source,
            "department": o.department_id,
            "owner": o.owner_id,
            "procedures": [p.pk for p in o.procedures.all()],
            "processes": o.processes,
        }

    def get_cancel_url(self):
        return objective_url(self.object)

    def perform(self, form):
        return services.objective_update(
            actor=self.request.user, objective=self.object, data=form.service_data()
        )

    def get_success_url(self, result):
        return objective_url(result)


class ObjectiveDeleteView(_ObjectiveSetChange, ServiceActionView):
    success_message = gettext_lazy("The objective was removed from the draft.")

    def load(self):
        return self.load_objective(self.kwargs["pk"])

    def perform(self):
        services.objective_delete(actor=self.request.user, objective=self.object)
        return self.object.objective_set

    def get_success_url(self, result):
        return reverse("objectives:set_detail", args=[self.object.objective_set_id])

    def get_failure_url(self):
        return objective_url(self.object)


class PlanActionCreateView(_ObjectiveSetChange, ServiceFormView):
    form_class = PlanActionForm
    title = gettext_lazy("Add an action to the plan")
    success_message = gettext_lazy("The action was added to the plan.")

    def load(self):
        return self.load_objective(self.kwargs["pk"])

    def get_cancel_url(self):
        return objective_url(self.object)

    def perform(self, form):
        return services.plan_action_create(
            actor=self.request.user, objective=self.object, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return objective_url(self.object) + "#plan"


class PlanActionUpdateView(ServiceFormView):
    form_class = PlanActionForm
    title = gettext_lazy("Change the action")
    success_message = gettext_lazy("The action was saved.")

    def load(self):
        return selectors.plan_action_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_initial(self):
        a = self.object
        return {
            "what": a.what,
            "resources": a.resources,
            "responsible": a.responsible,
            "due_date": a.due_date,
            "evaluation": a.evaluation,
        }

    def get_cancel_url(self):
        return objective_url(self.object.objective)

    def perform(self, form):
        return services.plan_action_update(
            actor=self.request.user, action=self.object, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return objective_url(self.object.objective) + "#plan"


class PlanActionDeleteView(ServiceActionView):
    success_message = gettext_lazy("The action was removed from the plan.")

    def load(self):
        return selectors.plan_action_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def perform(self):
        services.plan_action_delete(actor=self.request.user, action=self.object)
        return self.object

    def get_success_url(self, result):
        return objective_url(self.object.objective) + "#plan"


class MeasurementRecordView(ServiceFormView):
    form_class = MeasurementForm
    template_name = "objectives/measurement_form.html"
    title = gettext_lazy("Record a measurement")
    success_message = gettext_lazy("The measurement was recorded.")

    def load(self):
        objective = selectors.objective_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )
        if not rules.can_measure(self.request.user, objective):
            raise Http404
        return objective

    def get_form_kwargs(self):
        return {"objective": self.object}

    def get_initial(self):
        return {"period": self.request.GET.get("period")}

    def get_cancel_url(self):
        return objective_url(self.object)

    def perform(self, form):
        data = form.cleaned_data
        return services.measurement_record(
            actor=self.request.user,
            objective=self.object,
            period=data["period"],
            value=data["value"],
            evidence=data.get("evidence"),
            note=data.get("note") or "",
        )

    def get_success_url(self, result):
        return objective_url(self.object) + "#measurements"


class MeasurementComputeView(ServiceActionView):
    success_message = gettext_lazy("The value was computed from the platform's data.")

    def load(self):
        return selectors.objective_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def perform(self):
        return services.measurement_compute(
            actor=self.request.user, objective=self.object, period=self.request.POST.get("period")
        )

    def get_success_url(self, result):
        return objective_url(self.object) + "#measurements"


class EvidenceView(LoginRequiredMixin, View):
    def get(self, request, pk):
        measurement = selectors.measurement_get(user=request.user, pk=pk)
        if not measurement.evidence:
            raise Http404
        return file_response(measurement.evidence, name=measurement.evidence_name)
