"""The annual cycle's pages: an agency's obligations of a year (state and evidence, on any
day), the overseer's matrix of a subtree (agencies × obligations, filtered, exported), the rule
sets (read by everyone, kept by administrators and each province's overseers) and the
reminders sent. Thin: resolve the agency or subtree through a scoped selector, read through
selectors, call one service, render."""

from __future__ import annotations

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from eiso.core.exports import xlsx_response
from eiso.core.forms import AgencyPickForm
from eiso.core.generic import ServiceActionView, ServiceFormView, agency_for, oversees
from eiso.core.views import ScopedListView
from eiso.cycle import display, rules, selectors, services
from eiso.cycle.choices import MET_STATES, ObligationState, RuleSetAction
from eiso.cycle.forms import (
    MatrixFilterForm,
    ReminderFilterForm,
    RuleForm,
    RuleSetCopyForm,
    RuleSetForm,
    YearForm,
)
from eiso.cycle.workflows import RULE_SET


def _year_and_day(form) -> tuple[int, datetime.date]:
    """The year and the day a page judges (today, or the day asked; the year of that day
    unless another is asked)."""
    today = timezone.localdate()
    data = form.cleaned_data if form.is_valid() else {}
    on = data.get("date") or today
    year = data.get("year") or on.year
    return year, on


def _state_cells(obligation) -> str:
    if obligation.evidence:
        return f"{obligation.get_state_display()} ({obligation.evidence.date:%d/%m/%Y})"
    return obligation.get_state_display()


AGENCY_EXPORT_COLUMNS = [
    (gettext_lazy("Obligation"), lambda o: o.title),
    (gettext_lazy("Period"), lambda o: o.label),
    (gettext_lazy("Legal basis"), lambda o: o.rule.legal_basis),
    (gettext_lazy("Due"), lambda o: o.due),
    (gettext_lazy("State"), lambda o: o.get_state_display()),
    (gettext_lazy("Met on"), lambda o: o.met_on),
    (gettext_lazy("Evidence"), lambda o: o.evidence.title if o.evidence else ""),
    (gettext_lazy("Event"), lambda o: o.trigger.title if o.trigger else ""),
]


class AgencyObligationsView(LoginRequiredMixin, TemplateView):
    """An agency's obligations of a year (``?agency=``, ``?year=``, ``?date=``): each with its
    due date, state on the day, and the evidence that met it."""

    template_name = "cycle/agency.html"

    def get(self, request, *args, **kwargs):
        agency = agency_for(request)
        form = YearForm(request.GET or None, user=request.user)
        year, on = _year_and_day(form)
        result = selectors.agency_obligations(agency=agency, year=year, on=on)
        rows = sorted(result.obligations, key=lambda o: (o.due, o.rule.order, o.instance))
        if request.GET.get("export") == "xlsx":
            return xlsx_response(
                filename=f"nghia-vu-{agency.code}-{year}.xlsx",
                title=_("Obligations of %(agency)s in %(year)s")
                % {"agency": agency.name, "year": year},
                columns=AGENCY_EXPORT_COLUMNS,
                rows=rows,
                notes=[_("As of %(day)s") % {"day": f"{on:%d/%m/%Y}"}],
            )
        for obligation in rows:
            obligation.css, obligation.icon = display.badge(obligation.state)
        pick = None
        if oversees(request.user):
            pick = AgencyPickForm({"agency": agency.pk}, user=request.user)
        context = self.get_context_data(
            agency=agency,
            year=year,
            on=on,
            today=timezone.localdate(),
            result=result,
            rows=rows,
            form=form,
            pick=pick,
            concerned=selectors.is_concerned(agency=agency, on=on),
            counts={
                "overdue": result.overdue,
                "due_soon": result.due_soon,
                "met": result.met,
                "total": len(rows),
            },
            query=urlencode({"agency": agency.pk, "year": year, "date": f"{on:%d/%m/%Y}"}),
        )
        return self.render_to_response(context)


# --- the overseer's matrix ---------------------------------------------------------------------


class OverseerOnlyMixin(LoginRequiredMixin):
    """404 for anyone signed in who oversees nothing."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.oversees_anything(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _matrix_export_columns(columns):
    result = [
        (gettext_lazy("Code"), lambda r: r.agency.code),
        (gettext_lazy("Agency"), lambda r: r.agency.name),
        (gettext_lazy("Tier"), lambda r: r.agency.get_tier_display()),
    ]
    for column in columns:
        result.append((column.title, lambda r, code=column.code: _cell_text(r.cells.get(code))))
    result += [
        (gettext_lazy("Overdue"), lambda r: r.year.overdue),
        (gettext_lazy("Met"), lambda r: r.year.met),
    ]
    return result


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if len(cell.obligations) == 1:
        return _state_cells(cell.obligations[0])
    return "; ".join(f"{o.label}: {_state_cells(o)}" for o in cell.obligations)


class MatrixView(OverseerOnlyMixin, TemplateView):
    """The subtree's agencies × the year's obligations on a day; ``?export=xlsx``."""

    template_name = "cycle/matrix.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        root = selectors.overseen_root(user=request.user, pk=request.GET.get("root"))
        data = request.GET.copy()
        if root is not None and not data.get("root"):
            data["root"] = str(root.pk)
        form = MatrixFilterForm(data, user=request.user)
        year, on = _year_and_day(form)
        cleaned = form.cleaned_data if form.is_valid() else {}
        found = selectors.matrix(
            user=request.user,
            root=root,
            year=year,
            on=on,
            q=cleaned.get("q") or "",
            tier=cleaned.get("tier") or "",
            kind=cleaned.get("kind") or "",
            rule=cleaned.get("rule") or "",
            state=cleaned.get("state") or "",
        )
        if request.GET.get("export") == "xlsx":
            return xlsx_response(
                filename=f"nghia-vu-{year}.xlsx",
                title=_("Annual obligations %(year)s") % {"year": year},
                columns=_matrix_export_columns(found.columns),
                rows=found.rows,
                notes=[
                    (root.name if root else _("Everything I oversee"))
                    + " · "
                    + _("As of %(day)s") % {"day": f"{on:%d/%m/%Y}"}
                ],
            )
        page = Paginator(found.rows, self.paginate_by).get_page(request.GET.get("page"))
        for row in page.object_list:
            row.shown = []
            for column in found.columns:
                cell = row.cells.get(column.code)
                css, icon = display.badge(cell.state if cell else "")
                row.shown.append((column, cell, css, icon))
        totals = found.totals()
        context = self.get_context_data(
            matrix=found,
            root=root,
            year=year,
            on=on,
            filter_form=form,
            page_obj=page,
            totals=totals,
            states=[
                (s, ObligationState(s).label, *display.badge(s)) for s in ObligationState.values
            ],
            export_enabled=True,
            met_states=MET_STATES,
        )
        return self.render_to_response(context)


# --- rule sets -----------------------------------------------------------------------------------


class RuleSetListView(ScopedListView):
    """Every set of annual obligations: in force, adopted before, drafts being prepared."""

    template_name = "cycle/rule_sets.html"
    export_name = "bo-nghia-vu"
    export_title = gettext_lazy("Sets of annual obligations")
    export_columns = [
        (gettext_lazy("Name"), lambda s: s.name),
        (gettext_lazy("Adopted for"), lambda s: s.scope.name if s.scope_id else ""),
        (gettext_lazy("In force from"), lambda s: s.effective_from),
        (gettext_lazy("In force until"), lambda s: s.effective_to),
        (gettext_lazy("Status"), lambda s: s.get_status_display()),
        (gettext_lazy("Legal basis"), lambda s: s.legal_basis),
    ]

    def get_queryset(self, filters):
        return selectors.rule_set_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_keep=rules.keeps_rules_somewhere(self.request.user), **kwargs
        )


class RuleSetDetailView(LoginRequiredMixin, TemplateView):
    template_name = "cycle/rule_set_detail.html"

    def get(self, request, pk):
        rule_set = selectors.rule_set_get(pk=pk)
        rows = list(rule_set.rules.all())
        for rule in rows:
            rule.due_text = display.describe_due(rule)
            rule.evidence_label = display.kind_label(rule.evidence_key)
        available = RULE_SET.available(request.user, rule_set)
        context = self.get_context_data(
            rule_set=rule_set,
            rows=rows,
            can_edit=RuleSetAction.EDIT in available,
            can_adopt=RuleSetAction.ADOPT in available,
            can_copy=rules.keeps_rules_somewhere(request.user),
            period=rule_set.reporting_period(timezone.localdate().year),
        )
        return self.render_to_response(context)


def _rule_set_url(rule_set) -> str:
    return reverse("cycle:rule_set", args=[rule_set.pk])


class _EditableSetMixin:
    """The draft set (or rule) the person may edit, else 404."""

    def editable_set(self, pk):
        rule_set = selectors.rule_set_get(pk=pk)
        if not RULE_SET.may(self.request.user, rule_set, RuleSetAction.EDIT):
            raise Http404
        return rule_set


class RuleSetUpdateView(_EditableSetMixin, ServiceFormView):
    form_class = RuleSetForm
    title = gettext_lazy("Edit the set of obligations")
    success_message = gettext_lazy("The set was saved.")

    def load(self):
        return self.editable_set(self.kwargs["pk"])

    def get_initial(self):
        s = self.object
        return {name: getattr(s, name) for name in services.SET_FIELDS}

    def get_cancel_url(self):
        return _rule_set_url(self.object)

    def perform(self, form):
        return services.rule_set_update(
            actor=self.request.user, rule_set=self.object, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return _rule_set_url(result)


class RuleSetCopyView(ServiceFormView):
    """A new draft from a set (a province's own, or the next version)."""

    form_class = RuleSetCopyForm
    title = gettext_lazy("New set of obligations from this one")
    submit_label = gettext_lazy("Create the draft")
    success_message = gettext_lazy("The draft set was created: change what differs, then adopt.")

    def load(self):
        if not rules.keeps_rules_somewhere(self.request.user):
            raise Http404
        return selectors.rule_set_get(pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def get_initial(self):
        year = timezone.localdate().year + 1
        return {
            "name": f"{self.object.name} — {year}",
            "effective_from": datetime.date(year, 1, 1),
        }

    def get_cancel_url(self):
        return _rule_set_url(self.object)

    def perform(self, form):
        data = form.cleaned_data
        return services.rule_set_copy(
            actor=self.request.user,
            source=self.object,
            name=data["name"],
            scope=data.get("scope"),
            effective_from=data["effective_from"],
            effective_to=data.get("effective_to"),
            legal_basis=data.get("legal_basis") or "",
        )

    def get_success_url(self, result):
        return _rule_set_url(result)


class RuleSetAdoptView(ServiceActionView):
    success_message = gettext_lazy("The set is adopted: the years it covers are judged by it.")

    def load(self):
        return selectors.rule_set_get(pk=self.kwargs["pk"])

    def perform(self):
        return services.rule_set_adopt(actor=self.request.user, rule_set=self.object)

    def get_success_url(self, result):
        return _rule_set_url(self.object)


def _rule_initial(rule) -> dict:
    initial = {name: getattr(rule, name) for name in services.RULE_FIELDS}
    initial["kinds"] = list(rule.kinds.all()) if rule.pk else []
    return initial


class RuleCreateView(_EditableSetMixin, ServiceFormView):
    form_class = RuleForm
    title = gettext_lazy("Add an obligation")
    success_message = gettext_lazy("The obligation was added.")

    def load(self):
        return self.editable_set(self.kwargs["pk"])

    def get_initial(self):
        from eiso.cycle.models import Rule

        count = self.object.rules.count()
        return _rule_initial(Rule(order=(count + 1) * 10, due_kind="fixed"))

    def get_cancel_url(self):
        return _rule_set_url(self.object)

    def perform(self, form):
        return services.rule_create(
            actor=self.request.user,
            rule_set=self.object,
            data=form.rule_data(),
            kinds=form.cleaned_data.get("kinds") or [],
        )

    def get_success_url(self, result):
        return _rule_set_url(self.object)


class RuleUpdateView(_EditableSetMixin, ServiceFormView):
    form_class = RuleForm
    title = gettext_lazy("Edit the obligation")
    success_message = gettext_lazy("The obligation was saved.")

    def load(self):
        rule = selectors.rule_get(pk=self.kwargs["pk"])
        self.rule_set = self.editable_set(rule.rule_set_id)
        return rule

    def get_initial(self):
        return _rule_initial(self.object)

    def get_cancel_url(self):
        return _rule_set_url(self.rule_set)

    def perform(self, form):
        return services.rule_update(
            actor=self.request.user,
            rule=self.object,
            data=form.rule_data(),
            kinds=form.cleaned_data.get("kinds") or [],
        )

    def get_success_url(self, result):
        return _rule_set_url(self.rule_set)


class RuleDeleteView(_EditableSetMixin, ServiceActionView):
    success_message = gettext_lazy("The obligation was removed from the draft set.")

    def load(self):
        rule = selectors.rule_get(pk=self.kwargs["pk"])
        self.rule_set = self.editable_set(rule.rule_set_id)
        return rule

    def perform(self):
        return services.rule_delete(actor=self.request.user, rule=self.object)

    def get_success_url(self, result):
        return _rule_set_url(self.rule_set)


# --- reminders -----------------------------------------------------------------------------------


REMINDER_EXPORT_COLUMNS = [
    (gettext_lazy("Sent on"), lambda r: r.sent_at),
    (gettext_lazy("Code"), lambda r: r.agency.code),
    (gettext_lazy("Agency"), lambda r: r.agency.name),
    (gettext_lazy("Obligation"), lambda r: r.rule.title),
    (gettext_lazy("Reminder"), lambda r: r.get_stage_display()),
    (gettext_lazy("Due"), lambda r: r.due),
    (gettext_lazy("Recipients"), lambda r: r.recipient_names),
    (gettext_lazy("Message"), lambda r: r.message),
]


class ReminderListView(ScopedListView):
    """The reminders of obligations sent (to whom, when, about what): an agency's own people
    see theirs, overseers their subtree's."""

    template_name = "cycle/reminders.html"
    filter_form_class = ReminderFilterForm
    export_name = "nhac-viec-nghia-vu"
    export_title = gettext_lazy("Reminders of obligations")
    export_columns = REMINDER_EXPORT_COLUMNS

    def get_filters(self):
        filters = super().get_filters()
        self.root = filters.pop("root", None)
        return filters

    def get_queryset(self, filters):
        return selectors.reminder_list(user=self.request.user, root=self.root, **filters)
