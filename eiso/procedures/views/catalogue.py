"""The province's TTHC catalogue: the list (every signed-in user), new and edit, import."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from eiso.core.views import ImportView, ScopedListView, apply_service
from eiso.procedures import rules, selectors, services
from eiso.procedures.forms import CatalogueFilterForm, ProcedureForm
from eiso.procedures.imports import ProcedureImporter
from eiso.procedures.templatetags.procedure_tags import time_limit


def _in_force(procedure) -> str:
    return _("In force") if procedure.is_active else _("Abolished")


CATALOGUE_EXPORT_COLUMNS = [
    (gettext_lazy("Code"), lambda p: p.code),
    (gettext_lazy("Name"), lambda p: p.name),
    (gettext_lazy("Field"), lambda p: p.field),
    (gettext_lazy("Level"), lambda p: p.get_level_display()),
    (gettext_lazy("Time limit"), lambda p: p.time_limit_text or time_limit(p)),
    (gettext_lazy("Time limit (days)"), lambda p: p.time_limit_days),
    (gettext_lazy("Fee"), lambda p: p.fee),
    (gettext_lazy("Published by decision"), lambda p: p.published_by),
    (gettext_lazy("Status"), _in_force),
    (gettext_lazy("Agencies handling it"), lambda p: p.agency_count),
]


def _to_catalogue(procedure):
    """Back to the catalogue, showing the entry just saved."""
    return redirect(f"{reverse('procedures:catalogue')}?{urlencode({'q': procedure.code})}")


class CatalogueListView(ScopedListView):
    """Province-wide: every signed-in user reads it; its keepers add, edit and import."""

    template_name = "procedures/catalogue_list.html"
    filter_form_class = CatalogueFilterForm
    export_name = "danh-muc-tthc"
    export_title = gettext_lazy("Catalogue of administrative procedures")
    export_columns = CATALOGUE_EXPORT_COLUMNS

    def get_queryset(self, filters):
        return selectors.catalogue_list(**filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_keep=rules.can_keep_catalogue(self.request.user), **kwargs
        )


class KeeperMixin(LoginRequiredMixin):
    """Pages that change the catalogue: 404 for those who do not keep it."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not rules.can_keep_catalogue(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class CatalogueCreateView(KeeperMixin, TemplateView):
    template_name = "procedures/procedure_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(fields=selectors.catalogue_fields(), **kwargs)

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=ProcedureForm()))

    def post(self, request):
        form = ProcedureForm(request.POST)
        if form.is_valid():
            procedure = apply_service(
                request,
                form,
                lambda: services.procedure_create(actor=request.user, **form.service_data()),
                success_message=_("The procedure was added to the catalogue."),
            )
            if procedure:
                return _to_catalogue(procedure)
        return self.render_to_response(self.get_context_data(form=form))


class CatalogueUpdateView(KeeperMixin, TemplateView):
    template_name = "procedures/procedure_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(fields=selectors.catalogue_fields(), **kwargs)

    def get(self, request, pk):
        procedure = selectors.catalogue_get(pk=pk)
        form = ProcedureForm(instance=procedure)
        return self.render_to_response(self.get_context_data(form=form, procedure=procedure))

    def post(self, request, pk):
        procedure = selectors.catalogue_get(pk=pk)
        form = ProcedureForm(request.POST, instance=procedure)
        if form.is_valid():
            updated = apply_service(
                request,
                form,
                lambda: services.procedure_update(
                    actor=request.user, procedure=procedure, data=form.service_data()
                ),
                success_message=_("The procedure was saved."),
            )
            if updated:
                return _to_catalogue(updated)
        return self.render_to_response(self.get_context_data(form=form, procedure=procedure))


class CatalogueImportView(ImportView):
    import_kind = ProcedureImporter.kind
    success_url = reverse_lazy("procedures:catalogue")
