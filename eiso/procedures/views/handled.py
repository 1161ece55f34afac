"""An agency's handled procedures with their coverage, adding and removing them; the
overseers' roll-up of coverage."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from eiso.core.generic import oversees
from eiso.core.kept import kept_for, key_of, reach_of
from eiso.core.roles import Action
from eiso.core.views import ImportView, ScopedListView, apply_service
from eiso.organizations import selectors as org_selectors
from eiso.procedures import rules, selectors, services
from eiso.procedures.forms import (
    AgencyPickForm,
    CoverageFilterForm,
    HandledAddForm,
    HandledFilterForm,
    HandledRemoveForm,
)
from eiso.procedures.imports_handled import HandledProcedureImporter
from eiso.procedures.templatetags.procedure_tags import time_limit


def load_agency(request):
    """``?agency=<pk>`` among the agencies the user may see (else 404), or the agency of the
    role chosen in the header."""
    pk = request.GET.get("agency")
    if pk:
        return org_selectors.agency_get(user=request.user, pk=pk)
    membership = getattr(request, "membership", None)
    return membership.agency if membership is not None else None


def handled_url(agency, **params) -> str:
    query = urlencode({"agency": agency.pk, **params})
    return f"{reverse('procedures:handled')}?{query}"


def _coverage_label(row) -> str:
    if row.covered:
        return _("Covered")
    return _("Gap (not issued yet)") if row.iso_document_id else _("Gap")


HANDLED_EXPORT_COLUMNS = [
    (gettext_lazy("Code"), lambda h: h.procedure.code),
    (gettext_lazy("Name"), lambda h: h.procedure.name),
    (gettext_lazy("Field"), lambda h: h.procedure.field),
    (gettext_lazy("Level"), lambda h: h.procedure.get_level_display()),
    (gettext_lazy("Statutory time limit"), lambda h: time_limit(h.procedure)),
    (gettext_lazy("ISO procedure"), lambda h: h.iso_document_code or ""),
    (gettext_lazy("Coverage"), _coverage_label),
    (gettext_lazy("Since"), lambda h: h.since),
]


class HandledListView(ScopedListView):
    """The procedures an agency handles, each covered by an issued ISO procedure or a gap."""

    template_name = "procedures/handled_list.html"
    filter_form_class = HandledFilterForm
    export_columns = HANDLED_EXPORT_COLUMNS
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        self.agency = load_agency(request) if request.user.is_authenticated else None
        if self.agency is None:  # e.g. an administrator without a role in an agency
            return redirect("procedures:catalogue")
        self.export_name = f"tthc-{self.agency.code}".lower()
        self.export_title = f"{_('Procedures handled')} — {self.agency}"
        self.fields = selectors.catalogue_fields()
        return super().get(request, *args, **kwargs)

    def get_filters(self) -> dict:
        self.filter_form = HandledFilterForm(
            self.request.GET or None, user=self.request.user, fields=self.fields
        )
        if self.filter_form.is_valid():
            return {k: v for k, v in self.filter_form.cleaned_data.items() if v not in (None, "")}
        return {}

    def get_queryset(self, filters):
        return selectors.handled_list(user=self.request.user, agency=self.agency, **filters)

    def get_context_data(self, **kwargs):
        user, agency = self.request.user, self.agency
        can_manage = rules.can_manage_scope(user, agency)
        return super().get_context_data(
            agency=agency,
            coverage=selectors.coverage_of(user=user, agency=agency),
            can_manage=can_manage,
            add_form=HandledAddForm(agency=agency, fields=self.fields) if can_manage else None,
            pick_form=(
                AgencyPickForm(initial={"agency": agency.pk}, user=user) if oversees(user) else None
            ),
            agency_query=urlencode({"agency": agency.pk}),
            **kwargs,
        )


class ScopeManagerMixin(LoginRequiredMixin):
    """Pages that change an agency's handled procedures: 404 for those who may not."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agency = load_agency(request)
        if self.agency is None or not rules.can_manage_scope(request.user, self.agency):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class HandledAddView(ScopeManagerMixin, TemplateView):
    """Pick in-force procedures from the catalogue: all those matching a search, field and/or
    level, or the ones ticked."""

    template_name = "procedures/handled_add.html"
    paginate_by = 100

    def get(self, request):
        fields = selectors.catalogue_fields()
        form = HandledAddForm(
            {**request.GET.dict(), "mode": "matching"}, agency=self.agency, fields=fields
        )
        form.is_valid()  # the search, field and level narrow the list below
        return self.render_page(form, fields)

    def post(self, request):
        fields = selectors.catalogue_fields()
        form = HandledAddForm(request.POST, agency=self.agency, fields=fields)
        if form.is_valid():
            chosen = form.chosen()
            added = apply_service(
                request,
                form,
                lambda: services.handled_assign(
                    actor=request.user, agency=self.agency, procedures=chosen
                ),
            )
            if added is not None:
                if added:
                    messages.success(
                        request,
                        ngettext(
                            "%(n)d procedure was added to the agency's list.",
                            "%(n)d procedures were added to the agency's list.",
                            added,
                        )
                        % {"n": added},
                    )
                else:
                    messages.info(request, _("The agency already handles these procedures."))
                return redirect(handled_url(self.agency))
        return self.render_page(form, fields)

    def render_page(self, form, fields):
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        matching = selectors.assignable_procedures(
            agency=self.agency,
            q=data.get("q", ""),
            field=data.get("field", ""),
            level=data.get("level", ""),
        )
        page = Paginator(matching, self.paginate_by).get_page(self.request.GET.get("page"))
        filtered = any(data.get(k) for k in ("q", "field", "level"))
        ticked = {str(v) for v in self.request.POST.getlist("procedures")}
        return self.render_to_response(
            self.get_context_data(
                agency=self.agency,
                form=form,
                page_obj=page,
                object_list=page.object_list,
                filtered=filtered,
                ticked=ticked,
                agency_query=urlencode({"agency": self.agency.pk}),
            )
        )


class HandledRemoveView(ScopeManagerMixin, View):
    def post(self, request):
        form = HandledRemoveForm(request.POST, user=request.user, agency=self.agency)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(handled_url(self.agency))
        removed = apply_service(
            request,
            None,
            lambda: services.handled_remove(
                actor=request.user,
                agency=self.agency,
                procedures=list(form.cleaned_data["procedures"]),
                reason=form.cleaned_data["reason"],
            ),
        )
        if removed:
            messages.success(
                request,
                ngettext(
                    "%(n)d procedure was removed from the agency's list (its history is kept).",
                    "%(n)d procedures were removed from the agency's list (their history is kept).",
                    removed,
                )
                % {"n": removed},
            )
        return redirect(handled_url(self.agency))


class HandledImportView(ImportView):
    """Assign handled procedures from a spreadsheet (agency code, procedure code, since); each
    row's agency must be one whose list the user manages."""

    import_kind = HandledProcedureImporter.kind
    success_url = reverse_lazy("procedures:handled")


# --- the overseers' roll-up ----------------------------------------------------------------------


def _percent(agency):
    return round(agency.percent) if agency.percent is not None else ""


COVERAGE_EXPORT_COLUMNS = [
    (gettext_lazy("Code"), lambda a: a.code),
    (gettext_lazy("Agency"), lambda a: a.name),
    (gettext_lazy("Kind"), lambda a: a.kind.name),
    (gettext_lazy("Tier"), lambda a: a.get_tier_display()),
    (gettext_lazy("Handled"), lambda a: a.handled),
    (gettext_lazy("Covered"), lambda a: a.covered),
    (gettext_lazy("Gaps"), lambda a: a.gaps),
    (gettext_lazy("Coverage (%)"), _percent),
]


class CoverageView(ScopedListView):
    """Per agency of the overseer's subtree: handled, covered, gaps and %."""

    template_name = "procedures/coverage.html"
    filter_form_class = CoverageFilterForm
    export_name = "bao-phu-tthc"
    export_title = gettext_lazy("Coverage of administrative procedures")
    export_columns = COVERAGE_EXPORT_COLUMNS
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not oversees(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.GET.get("fresh") != "1" or request.GET.get("export"):
            return response
        # Computed again and kept: back to the page without "fresh", so that its sort, filter
        # and page links do not compute the totals again each time.
        query = request.GET.copy()
        query.pop("fresh")
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)

    def get_queryset(self, filters):
        self.filters = filters
        self.rows = selectors.coverage_table(user=self.request.user, **filters)
        return self.rows

    def get_context_data(self, **kwargs):
        """The totals read every handled procedure of the subtree (457,620 in the country:
        ~0.3 s): kept like the dashboard (eiso.core.kept, DASHBOARD_MAX_AGE), per reach,
        filters and day; the page says when they were computed and offers to compute again."""
        user = self.request.user
        filters = {k: getattr(v, "pk", v) for k, v in self.filters.items() if k != "ordering"}
        key = key_of(
            "coverage-total",
            reach_of(user, Action.VIEW),
            sorted(filters.items()),
            timezone.localdate(),
        )
        total = kept_for(
            self.request,
            key,
            lambda: selectors.coverage_total(self.rows),
            max_age=settings.DASHBOARD_MAX_AGE,
            fresh=self.request.GET.get("fresh") == "1",
        )
        return super().get_context_data(total=total.value, computed_at=total.computed_at, **kwargs)
