"""Pages of the agency tree: list, tree, detail, create, edit, deactivate, departments, import,
merge and split. Thin: load through a scoped selector, call one service, render — the forms
are ``eiso.core.generic`` service-form views (a refusal keeps what was typed)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.errors import ValidationFailed
from eiso.core.generic import ServiceActionView, ServiceFormView, require_acting_agency
from eiso.core.roles import Action
from eiso.core.scoping import user_may, user_scope
from eiso.core.views import ImportView, ScopedListView
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
        return redirect("organizations:detail", pk=require_acting_agency(request).pk)


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


def _detail_url(agency_pk: int, anchor: str = "") -> str:
    return reverse("organizations:detail", args=[agency_pk]) + anchor


class ManageAgenciesMixin(LoginRequiredMixin):
    """Pages that change the registry: for those who manage agencies (elsewhere: 404)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and user_scope(request.user, Action.MANAGE_AGENCIES).empty:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class AgencyCreateView(ManageAgenciesMixin, ServiceFormView):
    template_name = "organizations/agency_form.html"
    form_class = AgencyForm
    success_message = gettext_lazy("The agency was created.")

    def get_initial(self):
        # ``?parent=<pk>`` ("Add a sub-agency") preselects the parent when the page opens.
        if self.request.method == "GET" and self.request.GET.get("parent"):
            parent = selectors.agency_get(
                user=self.request.user, pk=self.request.GET["parent"], action=Action.MANAGE_AGENCIES
            )
            return {"parent": parent}
        return {}

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        return services.agency_create(actor=self.request.user, **form.service_data())

    def get_success_url(self, result):
        return _detail_url(result.pk)


class AgencyUpdateView(ServiceFormView):
    template_name = "organizations/agency_form.html"
    form_class = AgencyForm
    success_message = gettext_lazy("The agency was saved.")

    def load(self):
        return selectors.agency_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.MANAGE_AGENCIES
        )

    def get_form_kwargs(self):
        return {"user": self.request.user, "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(agency=self.object, **kwargs)

    def perform(self, form):
        return services.agency_update(
            actor=self.request.user,
            agency=self.object,
            data=form.service_data(),
            expected_version=form.cleaned_data.get("version"),
        )

    def get_success_url(self, result):
        return _detail_url(self.object.pk)


class AgencyDeactivateView(ServiceFormView):
    template_name = "organizations/agency_deactivate.html"
    form_class = DeactivateForm
    success_message = gettext_lazy("The agency was deactivated. Its history is kept.")

    def load(self):
        return selectors.agency_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.MANAGE_AGENCIES
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(agency=self.object, **kwargs)

    def perform(self, form):
        return services.agency_deactivate(
            actor=self.request.user,
            agency=self.object,
            on=form.cleaned_data.get("on"),
            reason=form.cleaned_data["reason"],
        )

    def get_success_url(self, result):
        return _detail_url(self.object.pk)


class AgencyReactivateView(ServiceActionView):
    success_message = gettext_lazy("The agency was reactivated.")

    def load(self):
        return selectors.agency_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.MANAGE_AGENCIES
        )

    def perform(self):
        return services.agency_reactivate(actor=self.request.user, agency=self.object)

    def get_success_url(self, result):
        return _detail_url(self.object.pk)


class DepartmentCreateView(ServiceActionView):
    """The one-line form under the agency's departments: added, or back with the reason."""

    success_message = gettext_lazy("The department was added.")

    def load(self):
        return selectors.agency_get(user=self.request.user, pk=self.kwargs["pk"])

    def perform(self):
        form = DepartmentForm(self.request.POST)
        if not form.is_valid():
            raise ValidationFailed(_("The department was not added: check the name."))
        return services.department_create(
            actor=self.request.user,
            agency=self.object,
            name=form.cleaned_data["name"],
            code=form.cleaned_data["code"],
            kind=form.cleaned_data["kind"],
        )

    def get_success_url(self, result):
        return _detail_url(self.object.pk, "#departments")


class DepartmentUpdateView(ServiceFormView):
    template_name = "organizations/department_form.html"
    form_class = DepartmentForm
    success_message = gettext_lazy("The department was saved.")

    def load(self):
        return selectors.department_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        department = self.object
        return {
            "name": department.name,
            "code": department.code,
            "kind": department.kind,
            "is_active": department.is_active,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(department=self.object, **kwargs)

    def perform(self, form):
        return services.department_update(
            actor=self.request.user, department=self.object, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return _detail_url(self.object.agency_id, "#departments")


class AgencyImportView(ImportView):
    import_kind = AgencyImporter.kind
    success_url = reverse_lazy("organizations:list")


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


class _ReorganisationView(ManageAgenciesMixin, ServiceFormView):
    """Mergers and splits are for those who manage agencies (elsewhere: 404). The agencies
    merged are chosen by search (checkboxes, ``source_field``), not in a select; the page
    opens with what its query string gives (``?sources=``, ``?source=``)."""

    source_field: str | None = "sources"

    def get_initial(self):
        if self.request.method != "GET":
            return {}
        return {k: v for k, v in self.request.GET.items() if k not in (self.source_field, "q")}

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def get_context_data(self, **kwargs):
        if self.source_field is not None:
            data = self.request.POST if self.request.method == "POST" else self.request.GET
            selected = _ids(data.getlist(self.source_field))
            q = data.get("q", "").strip()
            kwargs.update(
                q=q,
                selected=selected,
                candidates=selectors.reorganisation_candidates(
                    user=self.request.user, q=q, selected=selected
                ),
            )
        return super().get_context_data(**kwargs)


class AgencyMergeView(_ReorganisationView):
    """Choose the agencies to merge (search), the agency they merge into (existing or new),
    the date and the decision."""

    template_name = "organizations/agency_merge.html"
    form_class = MergeForm
    success_message = gettext_lazy("The agencies were merged. Their history stays reachable.")

    def perform(self, form):
        return agency_merge(actor=self.request.user, **form.service_kwargs())

    def get_success_url(self, result):
        return _detail_url(result.pk)


class AgencySplitView(_ReorganisationView):
    """Split an agency into new ones; the first succeeds it."""

    template_name = "organizations/agency_split.html"
    form_class = SplitForm
    source_field = None
    success_message = gettext_lazy("The agency was split. Its history stays reachable.")

    def perform(self, form):
        return agency_split(actor=self.request.user, **form.service_kwargs())

    def get_success_url(self, result):
        return _detail_url(result[0].pk)
