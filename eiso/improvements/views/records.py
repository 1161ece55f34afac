"""Nonconformity pages: the list, raising one (also from an objective not met), its page with
the record, the cause (five whys), the plan, the actions done, the effectiveness checks of
every round and the workflow's buttons; the form (phiếu) as DOCX/PDF; the overseer's counts
per agency."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.files import file_response
from eiso.core.generic import (
    ServiceActionView,
    ServiceFormView,
    official_response,
    require_acting_agency,
)
from eiso.core.roles import Action
from eiso.core.views import ScopedListView
from eiso.improvements import outputs, rules, selectors, services
from eiso.improvements.choices import NcAction, NcSource
from eiso.improvements.forms import (
    ActionForm,
    CauseForm,
    NonconformityFilterForm,
    OverviewForm,
    RaiseForm,
    ReasonForm,
    RecordForm,
    VerifyForm,
)
from eiso.improvements.services import WHYS
from eiso.improvements.workflows import NONCONFORMITY


def nc_url(nc) -> str:
    return reverse("improvements:detail", args=[nc.pk])


class NonconformityListView(ScopedListView):
    template_name = "improvements/nonconformity_list.html"
    filter_form_class = NonconformityFilterForm
    export_name = "su-khong-phu-hop"
    export_columns = [
        (gettext_lazy("Agency"), lambda n: n.agency),
        (gettext_lazy("No."), lambda n: n.code),
        (gettext_lazy("Raised on"), lambda n: n.raised_on),
        (gettext_lazy("Source"), lambda n: n.get_source_display()),
        (gettext_lazy("Reference of the source"), lambda n: n.source_ref),
        (gettext_lazy("Nonconformity"), lambda n: n.title),
        (gettext_lazy("Grade"), lambda n: n.get_grade_display()),
        (gettext_lazy("Department"), lambda n: n.department or ""),
        (gettext_lazy("Responsible"), lambda n: n.owner or ""),
        (gettext_lazy("To be closed by"), lambda n: n.due_date),
        (gettext_lazy("Actions"), lambda n: n.action_total),
        (gettext_lazy("Not done"), lambda n: n.actions_open),
        (gettext_lazy("Overdue"), lambda n: n.actions_overdue),
        (gettext_lazy("Status"), lambda n: n.get_status_display()),
        (gettext_lazy("Closed on"), lambda n: n.closed_on),
    ]

    def get_queryset(self, filters):
        state = filters.pop("state", "")
        return selectors.nonconformity_list(
            user=self.request.user,
            open_only=state == "open",
            overdue=state == "overdue",
            **filters,
        )

    def get_context_data(self, **kwargs):
        membership = getattr(self.request, "membership", None)
        return super().get_context_data(
            can_raise=membership is not None,
            today=timezone.localdate(),
            **kwargs,
        )


class NonconformityRaiseView(ServiceFormView):
    form_class = RaiseForm
    title = gettext_lazy("Raise a nonconformity")
    submit_label = gettext_lazy("Raise it")
    success_message = gettext_lazy("The nonconformity was raised.")
    multipart = True

    def load(self):
        self.agency = require_acting_agency(self.request)
        return self.agency

    def get_form_kwargs(self):
        return {
            "user": self.request.user,
            "agency": self.agency,
            "can_assign": rules.can_keep(self.request.user, self.agency),
        }

    def get_initial(self):
        return {"source": NcSource.STAFF}

    def get_cancel_url(self):
        return reverse("improvements:list")

    def perform(self, form):
        data = form.cleaned_data
        return services.nonconformity_raise(
            actor=self.request.user,
            agency=self.agency,
            source=data["source"],
            source_ref=data.get("source_ref") or "",
            title=data["title"],
            description=data["description"],
            department=data.get("department"),
            due_date=data.get("due_date"),
            evidence=data.get("evidence"),
            evidence_text=data.get("evidence_text") or "",
            owner=data.get("owner"),
            grade=data.get("grade") or "",
        )

    def get_success_url(self, result):
        return nc_url(result)


class RaiseFromObjectiveView(ServiceFormView):
    """The hook of the objectives' page: an objective not met raises a nonconformity."""

    form_class = RaiseForm
    title = gettext_lazy("Raise a nonconformity: objective not met")
    submit_label = gettext_lazy("Raise it")
    success_message = gettext_lazy("The nonconformity was raised.")
    multipart = True

    def load(self):
        if not apps.is_installed("eiso.objectives"):
            raise Http404
        from eiso.objectives import selectors as objective_selectors

        self.objective = objective_selectors.objective_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )
        self.agency = self.objective.agency
        if not rules.can_raise(self.request.user, self.agency):
            raise Http404
        return self.objective

    def get_form_kwargs(self):
        return {
            "user": self.request.user,
            "agency": self.agency,
            "can_assign": rules.can_keep(self.request.user, self.agency),
        }

    def reference(self) -> str:
        o = self.objective
        return f"{o.objective_set.year} — {o.number}. {o.statement}"[:300]

    def get_initial(self):
        o = self.objective
        return {
            "source": NcSource.OBJECTIVE,
            "source_ref": self.reference(),
            "title": f"{o.statement} — {o.target_text}"[:300],
            "department": o.department_id,
            "owner": o.owner_id,
        }

    def get_cancel_url(self):
        return reverse("objectives:detail", args=[self.objective.pk])

    def perform(self, form):
        data = form.cleaned_data
        return services.nonconformity_raise(
            actor=self.request.user,
            agency=self.agency,
            source=NcSource.OBJECTIVE,
            source_ref=data.get("source_ref") or self.reference(),
            title=data["title"],
            description=data["description"],
            department=data.get("department"),
            due_date=data.get("due_date"),
            evidence=data.get("evidence"),
            evidence_text=data.get("evidence_text") or "",
            owner=data.get("owner"),
            grade=data.get("grade") or "",
        )

    def get_success_url(self, result):
        return nc_url(result)


class NonconformityDetailView(LoginRequiredMixin, TemplateView):
    template_name = "improvements/nonconformity_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        nc = selectors.nonconformity_get(user=user, pk=kwargs["pk"])
        actions = list(selectors.actions_of(user=user, nonconformity=nc))
        checks = list(selectors.checks_of(user=user, nonconformity=nc))
        available = set(NONCONFORMITY.available(user, nc))
        working = NONCONFORMITY.find(nc.status, NcAction.WORK) is not None
        rows = [(a, working and a.done_on is None and rules.can_complete(user, a)) for a in actions]
        editable = NcAction.EDIT in available
        today = timezone.localdate()
        return super().get_context_data(
            nc=nc,
            agency=nc.agency,
            actions=rows,
            rounds=sorted({a.round for a in actions} | {c.round for c in checks}),
            checks=checks,
            available=available,
            editable=editable,
            action_form=ActionForm(user=user, agency=nc.agency) if editable else None,
            verify_form=VerifyForm(),
            reason_form=ReasonForm(),
            whys=[w for w in nc.whys if w],
            today=today,
            overdue=(nc.due_date is not None and nc.due_date < today and nc.closed_on is None),
            **kwargs,
        )


class _NcChange:
    def load(self):
        return selectors.nonconformity_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_success_url(self, result):
        return nc_url(self.object)

    def get_cancel_url(self):
        return nc_url(self.object)


class NonconformityUpdateView(_NcChange, ServiceFormView):
    form_class = RecordForm
    title = gettext_lazy("Change the nonconformity")
    success_message = gettext_lazy("Saved.")
    multipart = True

    def get_form_kwargs(self):
        return {
            "user": self.request.user,
            "agency": self.object.agency,
            "can_assign": rules.can_keep(self.request.user, self.object.agency),
        }

    def get_initial(self):
        n = self.object
        return {
            "title": n.title,
            "description": n.description,
            "evidence_text": n.evidence_text,
            "department": n.department_id,
            "owner": n.owner_id,
            "grade": n.grade,
            "due_date": n.due_date,
        }

    def perform(self, form):
        return services.nonconformity_update(
            actor=self.request.user, nonconformity=self.object, data=form.cleaned_data
        )


class CauseView(_NcChange, ServiceFormView):
    form_class = CauseForm
    template_name = "improvements/cause_form.html"
    title = gettext_lazy("Correction and root cause")
    success_message = gettext_lazy("Saved.")

    def get_initial(self):
        n = self.object
        initial = {
            "correction": n.correction,
            "correction_on": n.correction_on,
            "cause_category": n.cause_category,
            "root_cause": n.root_cause,
        }
        for i, why in enumerate(n.whys[:WHYS], start=1):
            initial[f"why_{i}"] = why
        return initial

    def perform(self, form):
        return services.nonconformity_update(
            actor=self.request.user, nonconformity=self.object, data=form.data_for_service()
        )

    def get_success_url(self, result):
        return nc_url(self.object) + "#cause"


class ActionCreateView(_NcChange, ServiceFormView):
    form_class = ActionForm
    title = gettext_lazy("Plan a corrective action")
    success_message = gettext_lazy("The action was added to the plan.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.object.agency}

    def perform(self, form):
        return services.action_create(
            actor=self.request.user, nonconformity=self.object, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return nc_url(self.object) + "#actions"


class PlanSubmitView(_NcChange, ServiceActionView):
    success_message = gettext_lazy("The plan was submitted for approval.")

    def perform(self):
        return services.plan_submit(actor=self.request.user, nonconformity=self.object)


class PlanApproveView(_NcChange, ServiceActionView):
    success_message = gettext_lazy("The plan is approved: its actions may be carried out.")

    def perform(self):
        return services.plan_approve(actor=self.request.user, nonconformity=self.object)


class PlanReturnView(_NcChange, ServiceFormView):
    form_class = ReasonForm
    title = gettext_lazy("Return the plan")
    success_message = gettext_lazy("The plan was returned.")

    def perform(self, form):
        return services.plan_return(
            actor=self.request.user,
            nonconformity=self.object,
            reason=form.cleaned_data["reason"],
        )


class VerifyView(_NcChange, ServiceFormView):
    form_class = VerifyForm
    title = gettext_lazy("Verify effectiveness")
    success_message = gettext_lazy("The effectiveness check was recorded.")

    def perform(self, form):
        data = form.cleaned_data
        return services.nonconformity_verify(
            actor=self.request.user,
            nonconformity=self.object,
            effective=data["effective"],
            note=data["note"],
            checked_on=data.get("checked_on"),
        )


class CloseView(_NcChange, ServiceActionView):
    success_message = gettext_lazy("The nonconformity is closed.")

    def perform(self):
        return services.nonconformity_close(actor=self.request.user, nonconformity=self.object)


class ReopenView(_NcChange, ServiceFormView):
    form_class = ReasonForm
    title = gettext_lazy("Reopen")
    success_message = gettext_lazy("Reopened: find the cause again and plan new actions.")

    def perform(self, form):
        return services.nonconformity_reopen(
            actor=self.request.user,
            nonconformity=self.object,
            reason=form.cleaned_data["reason"],
        )


class NonconformityEvidenceView(LoginRequiredMixin, View):
    def get(self, request, pk):
        nc = selectors.nonconformity_get(user=request.user, pk=pk)
        if not nc.evidence:
            raise Http404
        return file_response(nc.evidence, name=nc.evidence_name)


class FormFileView(LoginRequiredMixin, View):
    """The form (phiếu yêu cầu hành động khắc phục) as DOCX or PDF."""

    file_format = "pdf"

    def get(self, request, pk):
        nc = selectors.nonconformity_get(user=request.user, pk=pk)
        document = outputs.form_document(
            nc,
            list(selectors.actions_of(user=request.user, nonconformity=nc)),
            list(selectors.checks_of(user=request.user, nonconformity=nc)),
        )
        stem = outputs.form_filename(nc, self.file_format).rsplit(".", 1)[0]
        return official_response(document, stem, self.file_format)


class OverviewView(ScopedListView):
    """The overseer's counts per agency: open, overdue, raised and closed in the year, the
    average days to close (SQL aggregates)."""

    template_name = "improvements/overview.html"
    filter_form_class = OverviewForm
    required_action = Action.OVERSEE
    paginate_by = 50
    export_name = "tong-hop-su-khong-phu-hop"
    export_columns = [
        (gettext_lazy("Agency"), lambda a: a.name),
        (pgettext_lazy("nonconformity status", "Open"), lambda a: a.nc_open),
        (gettext_lazy("Overdue"), lambda a: a.nc_overdue),
        (gettext_lazy("Raised in the year"), lambda a: a.nc_raised),
        (gettext_lazy("Closed in the year"), lambda a: a.nc_closed),
        (
            gettext_lazy("Average days to close"),
            lambda a: round(a.nc_days, 1) if a.nc_days is not None else "",
        ),
    ]

    def get_filters(self):
        filters = super().get_filters()
        filters.setdefault("year", timezone.localdate().year)
        return filters

    def get_queryset(self, filters):
        self.year = filters["year"]
        self.root = filters.get("root")
        return selectors.overview_agencies(
            user=self.request.user, year=self.year, root=self.root
        ).order_by("path")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            year=self.year,
            totals=selectors.overview_totals(
                user=self.request.user, year=self.year, root=self.root
            ),
            **kwargs,
        )
