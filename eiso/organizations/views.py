"""Pages of the agency tree: list, tree, detail, create, edit, deactivate, departments, import.
Thin: load through a scoped selector, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.roles import Action
from eiso.core.scoping import user_may, user_scope
from eiso.core.views import ImportView, ScopedListView, apply_service
from eiso.organizations import members, selectors, services
from eiso.organizations.forms import (
    AgencyFilterForm,
    AgencyForm,
    DeactivateForm,
    DepartmentForm,
    MergeForm,
    SplitForm,
)
from eiso.organizations.imports import AgencyImporter
from eiso.organizations.reorganization import agency_merge, agency_split


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


AGENCY_EXPORT_COLUMNS = [
    (gettext_lazy("Code"), lambda a: a.code),
    (gettext_lazy("Official name"), lambda a: a.name),
    (gettext_lazy("Short name"), lambda a: a.short_name),
    (gettext_lazy("Kind"), lambda a: a.kind.name),
    (gettext_lazy("Tier"), lambda a: a.get_tier_display()),
    (gettext_lazy("Must apply"), lambda a: _yes(a.must_apply)),
    (gettext_lazy("Parent code"), lambda a: a.parent.code if a.parent else ""),
    (gettext_lazy("Address"), lambda a: a.address),
    (gettext_lazy("Head"), lambda a: a.head_name),
    (gettext_lazy("Phone"), lambda a: a.phone),
    (gettext_lazy("E-mail"), lambda a: a.email),
    (gettext_lazy("Active from"), lambda a: a.active_from),
    (gettext_lazy("Active to"), lambda a: a.active_to),
    (gettext_lazy("Active"), lambda a: _yes(a.is_active)),
]


class AgencyListView(ScopedListView):
    template_name = "organizations/agency_list.html"
    filter_form_class = AgencyFilterForm
    required_action = Action.OVERSEE  # overseers read the registry; administrators keep it
    export_name = "danh-sach-co-quan"
    export_title = gettext_lazy("Agencies")
    export_columns = AGENCY_EXPORT_COLUMNS

    def get_queryset(self, filters):
        return selectors.agency_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=not user_scope(self.request.user, Action.MANAGE_AGENCIES).empty, **kwargs
        )


class AgencyTreeView(LoginRequiredMixin, TemplateView):
    """The tree, one level at a time (children load with htmx on demand)."""

    template_name = "organizations/agency_tree.html"

    def get_context_data(self, **kwargs):
        if user_scope(self.request.user, Action.OVERSEE).empty:
            raise Http404
        parent_pk = self.request.GET.get("parent")
        if parent_pk:
            parent = selectors.agency_get(user=self.request.user, pk=parent_pk)
            nodes = selectors.agency_children(user=self.request.user, agency=parent)
        else:
            nodes = selectors.agency_roots(user=self.request.user)
        return super().get_context_data(nodes=nodes, **kwargs)

    def get_template_names(self):
        if self.request.htmx:
            return ["organizations/_tree_nodes.html"]
        return [self.template_name]


class MyAgencyView(LoginRequiredMixin, View):
    def get(self, request):
        membership = getattr(request, "membership", None)
        if membership is None:
            raise Http404
        return redirect("organizations:detail", pk=membership.agency_id)


class AgencyDetailView(LoginRequiredMixin, TemplateView):
    template_name = "organizations/agency_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        agency = selectors.agency_get(user=user, pk=kwargs["pk"])
        return super().get_context_data(
            agency=agency,
            children=selectors.agency_children(user=user, agency=agency),
            departments=selectors.department_list(user=user, agency=agency),
            members=members.agency_members(user=user, agency=agency),
            predecessors=selectors.agency_predecessors(user=user, agency=agency),
            can_manage=user_may(user, Action.MANAGE_AGENCIES, agency),
            can_manage_departments=user_may(user, Action.MANAGE_STRUCTURE, agency),
            department_form=DepartmentForm(),
            **kwargs,
        )


class AgencyCreateView(LoginRequiredMixin, TemplateView):
    template_name = "organizations/agency_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and user_scope(request.user, Action.MANAGE_AGENCIES).empty:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {}
        if request.GET.get("parent"):
            initial["parent"] = selectors.agency_get(
                user=request.user, pk=request.GET["parent"], action=Action.MANAGE_AGENCIES
            )
        form = AgencyForm(user=request.user, initial=initial)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request):
        form = AgencyForm(request.POST, user=request.user)
        if form.is_valid():
            agency = apply_service(
                request,
                form,
                lambda: services.agency_create(actor=request.user, **form.service_data()),
                success_message=_("The agency was created."),
            )
            if agency:
                return redirect("organizations:detail", pk=agency.pk)
        return self.render_to_response(self.get_context_data(form=form))


class AgencyUpdateView(LoginRequiredMixin, TemplateView):
    template_name = "organizations/agency_form.html"

    def load(self, request, pk):
        return selectors.agency_get(user=request.user, pk=pk, action=Action.MANAGE_AGENCIES)

    def get(self, request, pk):
        agency = self.load(request, pk)
        form = AgencyForm(user=request.user, instance=agency)
        return self.render_to_response(self.get_context_data(form=form, agency=agency))

    def post(self, request, pk):
        agency = self.load(request, pk)
        form = AgencyForm(request.POST, user=request.user, instance=agency)
        if form.is_valid():
            updated = apply_service(
                request,
                form,
                lambda: services.agency_update(
                    actor=request.user,
                    agency=agency,
                    data=form.service_data(),
                    expected_version=form.cleaned_data.get("version"),
                ),
                success_message=_("The agency was saved."),
            )
            if updated:
                return redirect("organizations:detail", pk=agency.pk)
        return self.render_to_response(self.get_context_data(form=form, agency=agency))


class AgencyDeactivateView(LoginRequiredMixin, TemplateView):
    template_name = "organizations/agency_deactivate.html"

    def load(self, request, pk):
        return selectors.agency_get(user=request.user, pk=pk, action=Action.MANAGE_AGENCIES)

    def get(self, request, pk):
        agency = self.load(request, pk)
        return self.render_to_response(self.get_context_data(form=DeactivateForm(), agency=agency))

    def post(self, request, pk):
        agency = self.load(request, pk)
        form = DeactivateForm(request.POST)
        if form.is_valid():
            done = apply_service(
                request,
                form,
                lambda: services.agency_deactivate(
                    actor=request.user,
                    agency=agency,
                    on=form.cleaned_data.get("on"),
                    reason=form.cleaned_data["reason"],
                ),
                success_message=_("The agency was deactivated. Its history is kept."),
            )
            if done:
                return redirect("organizations:detail", pk=agency.pk)
        return self.render_to_response(self.get_context_data(form=form, agency=agency))


class AgencyReactivateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        agency = selectors.agency_get(user=request.user, pk=pk, action=Action.MANAGE_AGENCIES)
        apply_service(
            request,
            None,
            lambda: services.agency_reactivate(actor=request.user, agency=agency),
            success_message=_("The agency was reactivated."),
        )
        return redirect("organizations:detail", pk=agency.pk)


class DepartmentCreateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        agency = selectors.agency_get(user=request.user, pk=pk)
        form = DepartmentForm(request.POST)
        if form.is_valid():
            apply_service(
                request,
                None,
                lambda: services.department_create(
                    actor=request.user,
                    agency=agency,
                    name=form.cleaned_data["name"],
                    code=form.cleaned_data["code"],
                    kind=form.cleaned_data["kind"],
                ),
                success_message=_("The department was added."),
            )
        else:
            messages.error(request, _("The department was not added: check the name."))
        return redirect(reverse("organizations:detail", args=[agency.pk]) + "#departments")


class DepartmentUpdateView(LoginRequiredMixin, TemplateView):
    template_name = "organizations/department_form.html"

    def get(self, request, pk):
        department = selectors.department_get(user=request.user, pk=pk)
        form = DepartmentForm(
            initial={
                "name": department.name,
                "code": department.code,
                "kind": department.kind,
                "is_active": department.is_active,
            }
        )
        return self.render_to_response(self.get_context_data(form=form, department=department))

    def post(self, request, pk):
        department = selectors.department_get(user=request.user, pk=pk)
        form = DepartmentForm(request.POST)
        if form.is_valid():
            done = apply_service(
                request,
                form,
                lambda: services.department_update(
                    actor=request.user, department=department, data=form.cleaned_data
                ),
                success_message=_("The department was saved."),
            )
            if done:
                return redirect(
                    reverse("organizations:detail", args=[department.agency_id]) + "#departments"
                )
        return self.render_to_response(self.get_context_data(form=form, department=department))


class AgencyImportView(ImportView):
    import_kind = AgencyImporter.kind
    success_url = reverse_lazy("organizations:list")


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


class _ReorganisationView(LoginRequiredMixin, TemplateView):
    """Mergers and splits are for those who manage agencies (elsewhere: 404)."""

    form_class: type = MergeForm
    source_field: str | None = "sources"  # chosen by search (checkboxes), not a select

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and user_scope(request.user, Action.MANAGE_AGENCIES).empty:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, data):
        if self.source_field is None:
            return self.render_to_response(self.get_context_data(form=form))
        selected = _ids(data.getlist(self.source_field))
        q = data.get("q", "").strip()
        return self.render_to_response(
            self.get_context_data(
                form=form,
                q=q,
                selected=selected,
                candidates=selectors.reorganisation_candidates(
                    user=self.request.user, q=q, selected=selected
                ),
            )
        )

    def get(self, request):
        initial = {k: v for k, v in request.GET.items() if k not in (self.source_field, "q")}
        form = self.form_class(user=request.user, initial=initial)
        return self.render_form(form, request.GET)


class AgencyMergeView(_ReorganisationView):
    """Choose the agencies to merge (search), the agency they merge into (existing or new),
    the date and the decision."""

    template_name = "organizations/agency_merge.html"
    form_class = MergeForm

    def post(self, request):
        form = MergeForm(request.POST, user=request.user)
        if form.is_valid():
            successor = apply_service(
                request,
                form,
                lambda: agency_merge(actor=request.user, **form.service_kwargs()),
                success_message=_("The agencies were merged. Their history stays reachable."),
            )
            if successor:
                return redirect("organizations:detail", pk=successor.pk)
        return self.render_form(form, request.POST)


class AgencySplitView(_ReorganisationView):
    """Split an agency into new ones; the first succeeds it."""

    template_name = "organizations/agency_split.html"
    form_class = SplitForm
    source_field = None

    def post(self, request):
        form = SplitForm(request.POST, user=request.user)
        if form.is_valid():
            parts = apply_service(
                request,
                form,
                lambda: agency_split(actor=request.user, **form.service_kwargs()),
                success_message=_("The agency was split. Its history stays reachable."),
            )
            if parts:
                return redirect("organizations:detail", pk=parts[0].pk)
        return self.render_form(form, request.POST)
