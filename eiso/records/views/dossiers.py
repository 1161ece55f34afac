"""The one-stop dossier log: the list, one dossier, the late dossiers, and the import (a
file in the background, followed on the kernel's job page)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from eiso.core.generic import ServiceFormView, acting_agency, require_acting_agency
from eiso.core.imports import importer_for
from eiso.core.views import ScopedListView
from eiso.records import kpis, rules, selectors, services
from eiso.records.forms import DossierFilterForm, DossierUploadForm, LateFilterForm

DOSSIER_EXPORT = [
    (gettext_lazy("Agency"), lambda d: d.agency),
    (gettext_lazy("Dossier code"), lambda d: d.code),
    (gettext_lazy("Procedure code"), lambda d: d.procedure.code),
    (gettext_lazy("Procedure"), lambda d: d.procedure.name),
    (gettext_lazy("Received"), lambda d: timezone.localtime(d.received_at)),
    (gettext_lazy("Due"), lambda d: timezone.localtime(d.due_at)),
    (
        gettext_lazy("Result issued"),
        lambda d: timezone.localtime(d.finished_at) if d.finished_at else None,
    ),
    (gettext_lazy("Status"), lambda d: d.get_status_display()),
    (gettext_lazy("Channel"), lambda d: d.get_channel_display()),
    (gettext_lazy("On time"), lambda d: d.on_time),
]


class _DefaultMonths:
    """Lists show the last three months until the person filters (the filter row says so):
    a province's log holds a million dossiers a year."""

    default_months = 3

    def get_filters(self):
        if self.request.GET:
            return super().get_filters()
        last = kpis.month_start(timezone.localdate())
        start = kpis.add_months(last, 1 - self.default_months)
        initial = {"month_from": start, "month_to": last}
        self.filter_form = self.filter_form_class(None, user=self.request.user, initial=initial)
        return dict(initial)


class DossierListView(_DefaultMonths, ScopedListView):
    template_name = "records/dossier_list.html"
    filter_form_class = DossierFilterForm
    export_name = "ho-so-mot-cua"
    export_title = gettext_lazy("One-stop dossiers")
    export_columns = DOSSIER_EXPORT

    def get_queryset(self, filters):
        return selectors.dossier_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        agency = acting_agency(self.request)
        return super().get_context_data(
            can_import=agency is not None and rules.can_import(self.request.user, agency),
            **kwargs,
        )


class LateListView(_DefaultMonths, ScopedListView):
    """Dossiers finished after their due day, and those still in progress past it."""

    template_name = "records/late_list.html"
    filter_form_class = LateFilterForm
    default_months = 12
    export_name = "ho-so-tre-han"
    export_title = gettext_lazy("Late dossiers")
    export_columns = DOSSIER_EXPORT

    def get_queryset(self, filters):
        filters.setdefault("late", "all")
        self.today = timezone.localdate()
        return selectors.dossier_list(user=self.request.user, today=self.today, **filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=self.today, **kwargs)


class DossierDetailView(LoginRequiredMixin, TemplateView):
    template_name = "records/dossier_detail.html"

    def get_context_data(self, **kwargs):
        dossier = selectors.dossier_get(user=self.request.user, pk=kwargs["pk"])
        today = timezone.localdate()
        overdue = (
            dossier.status == "in_progress" and timezone.localtime(dossier.due_at).date() < today
        )
        days = None
        if dossier.finished_at:
            days = (
                timezone.localtime(dossier.finished_at).date()
                - timezone.localtime(dossier.due_at).date()
            ).days
        return super().get_context_data(
            dossier=dossier, overdue=overdue, days_after_due=days, **kwargs
        )


class DossierImportView(ServiceFormView):
    """Upload the one-stop system's export (CSV of any size, or XLSX): the file is checked and
    imported in the background — every row or none — and its page shows the progress, then
    the rows imported or every bad row."""

    form_class = DossierUploadForm
    template_name = "records/dossier_import.html"
    title = gettext_lazy("Import one-stop dossiers")
    submit_label = gettext_lazy("Import the file")
    multipart = True

    def load(self):
        agency = require_acting_agency(self.request)
        if not rules.can_import(self.request.user, agency):
            raise Http404
        self.agency = agency
        return agency

    def get_context_data(self, **kwargs):
        importer = importer_for("dossiers")
        return super().get_context_data(
            importer=importer,
            sample_url=reverse("imports:sample", args=[importer.kind]),
            agency=self.agency,
            **kwargs,
        )

    def perform(self, form):
        upload = form.cleaned_data["file"]
        return services.dossier_import_start(
            actor=self.request.user,
            agency=self.agency,
            filename=upload.name,
            content=upload.read(),
        )

    def get_success_url(self, result):
        return reverse("imports:job", args=[result.pk])
