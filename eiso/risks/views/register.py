"""The register of risks and opportunities: the list with the heat maps before and after
treatment, a risk's page with its treatments, re-rating and the review of effectiveness."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.files import file_response
from eiso.core.generic import (
    ServiceActionView,
    ServiceFormView,
    ThisYearByDefault,
    acting_agency,
    require_acting_agency,
    year_of,
)
from eiso.core.roles import Action
from eiso.core.views import ScopedListView
from eiso.risks import rules, selectors, services
from eiso.risks.choices import RiskAction
from eiso.risks.forms import (
    ReopenForm,
    RerateForm,
    ReviewForm,
    RiskFilterForm,
    RiskForm,
    TreatmentDoneForm,
    TreatmentForm,
)
from eiso.risks.workflows import RISK


def risk_url(risk) -> str:
    return reverse("risks:detail", args=[risk.pk])


def _rating(value) -> str:
    return "" if value is None else value


class RiskListView(ThisYearByDefault, ScopedListView):
    template_name = "risks/risk_list.html"
    filter_form_class = RiskFilterForm
    export_name = "so-dang-ky-rui-ro-co-hoi"
    export_columns = [
        (gettext_lazy("Agency"), lambda r: r.agency),
        (gettext_lazy("Year"), lambda r: r.year),
        (gettext_lazy("Code"), lambda r: r.code),
        (gettext_lazy("Kind"), lambda r: r.get_kind_display()),
        (gettext_lazy("Process"), lambda r: r.process_label),
        (gettext_lazy("Risk or opportunity"), lambda r: r.description),
        (gettext_lazy("Cause"), lambda r: r.cause),
        (gettext_lazy("Consequence"), lambda r: r.consequence),
        (gettext_lazy("Likelihood"), lambda r: r.likelihood),
        (gettext_lazy("Impact"), lambda r: r.impact),
        (gettext_lazy("Rating"), lambda r: r.rating),
        (gettext_lazy("Treatments"), lambda r: r.treatment_count),
        (gettext_lazy("Not done"), lambda r: r.treatments_open),
        (gettext_lazy("Rating after treatment"), lambda r: _rating(r.residual_rating)),
        (gettext_lazy("Status"), lambda r: r.get_status_display()),
        (gettext_lazy("Owner"), lambda r: r.owner or ""),
    ]

    def get_queryset(self, filters):
        self.filtered = selectors.risk_list(user=self.request.user, **filters)
        return self.filtered

    def get_context_data(self, **kwargs):
        agency = acting_agency(self.request)
        maps = selectors.heat_maps(self.filtered)
        return super().get_context_data(
            can_keep=agency is not None and rules.can_keep(self.request.user, agency),
            heat_before=maps[0] if maps else None,
            heat_after=maps[1] if maps else None,
            year=year_of(self.request),
            **kwargs,
        )


class RiskCreateView(ServiceFormView):
    form_class = RiskForm
    template_name = "risks/risk_form.html"
    title = gettext_lazy("Add to the register")
    success_message = gettext_lazy("Added to the register.")

    def load(self):
        self.agency = require_acting_agency(self.request)
        if not rules.can_keep(self.request.user, self.agency):
            raise Http404
        self.year = year_of(self.request)
        self.scale = services.default_scale()
        return self.agency

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.agency, "scale": self.scale}

    def get_initial(self):
        return {"kind": self.request.GET.get("kind") or "risk", "process_kind": "procedure"}

    def get_cancel_url(self):
        return reverse("risks:list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(scale=self.scale, year=self.year, **kwargs)

    def perform(self, form):
        return services.risk_create(
            actor=self.request.user, agency=self.agency, year=self.year, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return risk_url(result)


class RiskDetailView(LoginRequiredMixin, TemplateView):
    template_name = "risks/risk_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        risk = selectors.risk_get(user=user, pk=kwargs["pk"])
        actions = set(RISK.available(user, risk))
        treatments = list(selectors.treatments_of(user=user, risk=risk))
        can_keep = rules.can_keep(user, risk.agency)
        treatable = RISK.find(risk.status, RiskAction.TREAT) is not None
        return super().get_context_data(
            risk=risk,
            agency=risk.agency,
            scale=risk.scale,
            treatments=[
                (t, treatable and rules.can_complete(user, t) and t.done_on is None)
                for t in treatments
            ],
            actions=actions,
            can_keep=can_keep,
            treatable=treatable and can_keep,
            treatment_form=TreatmentForm(user=user, agency=risk.agency)
            if treatable and can_keep
            else None,
            done_form=TreatmentDoneForm(),
            rerate_form=RerateForm(
                scale=risk.scale,
                initial={
                    "likelihood": risk.residual_likelihood or risk.likelihood,
                    "impact": risk.residual_impact or risk.impact,
                },
            ),
            review_form=ReviewForm(initial={"effectiveness": risk.effectiveness}),
            reopen_form=ReopenForm(),
            today=timezone.localdate(),
            **kwargs,
        )


class _RiskChange:
    def load(self):
        return selectors.risk_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_success_url(self, result):
        return risk_url(self.object)

    def get_cancel_url(self):
        return risk_url(self.object)


class RiskUpdateView(_RiskChange, ServiceFormView):
    form_class = RiskForm
    template_name = "risks/risk_form.html"
    title = gettext_lazy("Change the risk or opportunity")
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.object.agency, "scale": self.object.scale}

    def get_initial(self):
        r = self.object
        return {
            "kind": r.kind,
            "process_kind": r.process_kind,
            "procedure": r.procedure_id,
            "department": r.department_id,
            "process": r.process,
            "description": r.description,
            "cause": r.cause,
            "consequence": r.consequence,
            "likelihood": r.likelihood,
            "impact": r.impact,
            "owner": r.owner_id,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(scale=self.object.scale, year=self.object.year, **kwargs)

    def perform(self, form):
        return services.risk_update(
            actor=self.request.user, risk=self.object, data=form.cleaned_data
        )


class RiskDeleteView(_RiskChange, ServiceActionView):
    success_message = gettext_lazy("Removed from the register.")

    def perform(self):
        services.risk_delete(actor=self.request.user, risk=self.object)
        return self.object

    def get_success_url(self, result):
        return reverse("risks:list")

    def get_failure_url(self):
        return risk_url(self.object)


class RiskRerateView(_RiskChange, ServiceFormView):
    form_class = RerateForm
    title = gettext_lazy("Re-rate after treatment")
    success_message = gettext_lazy("The rating after treatment was recorded.")

    def get_form_kwargs(self):
        return {"scale": self.object.scale}

    def perform(self, form):
        return services.risk_rerate(
            actor=self.request.user,
            risk=self.object,
            likelihood=form.cleaned_data["likelihood"],
            impact=form.cleaned_data["impact"],
        )


class RiskReviewView(_RiskChange, ServiceFormView):
    form_class = ReviewForm
    title = gettext_lazy("Review the effectiveness of the treatments")
    success_message = gettext_lazy("The review was recorded.")

    def perform(self, form):
        return services.risk_review(
            actor=self.request.user,
            risk=self.object,
            effectiveness=form.cleaned_data["effectiveness"],
            reviewed_on=form.cleaned_data.get("reviewed_on"),
        )


class RiskReopenView(_RiskChange, ServiceFormView):
    form_class = ReopenForm
    title = gettext_lazy("Reopen")
    success_message = gettext_lazy("Reopened.")

    def perform(self, form):
        return services.risk_reopen(
            actor=self.request.user, risk=self.object, reason=form.cleaned_data["reason"]
        )


class TreatmentCreateView(_RiskChange, ServiceFormView):
    form_class = TreatmentForm
    title = gettext_lazy("Plan a treatment")
    success_message = gettext_lazy("The treatment was planned.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.object.agency}

    def perform(self, form):
        return services.treatment_create(
            actor=self.request.user, risk=self.object, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return risk_url(self.object) + "#treatments"


class _TreatmentChange:
    def load(self):
        return selectors.treatment_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_success_url(self, result):
        return risk_url(self.object.risk) + "#treatments"

    def get_cancel_url(self):
        return risk_url(self.object.risk)


class TreatmentUpdateView(_TreatmentChange, ServiceFormView):
    form_class = TreatmentForm
    title = gettext_lazy("Change the treatment")
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.object.agency}

    def get_initial(self):
        t = self.object
        return {"action": t.action, "owner": t.owner_id, "due_date": t.due_date}

    def perform(self, form):
        return services.treatment_update(
            actor=self.request.user, treatment=self.object, data=form.cleaned_data
        )


class TreatmentDeleteView(_TreatmentChange, ServiceActionView):
    success_message = gettext_lazy("The treatment was removed.")

    def perform(self):
        services.treatment_delete(actor=self.request.user, treatment=self.object)
        return self.object


class TreatmentDoneView(_TreatmentChange, ServiceFormView):
    form_class = TreatmentDoneForm
    title = gettext_lazy("Record the treatment as done")
    success_message = gettext_lazy("The treatment was recorded as done.")
    multipart = True

    def perform(self, form):
        data = form.cleaned_data
        return services.treatment_complete(
            actor=self.request.user,
            treatment=self.object,
            done_on=data.get("done_on"),
            result=data.get("result") or "",
            evidence=data.get("evidence"),
        )


class TreatmentEvidenceView(LoginRequiredMixin, View):
    def get(self, request, pk):
        treatment = selectors.treatment_get(user=request.user, pk=pk)
        if not treatment.evidence:
            raise Http404
        return file_response(treatment.evidence, name=treatment.evidence_name)
