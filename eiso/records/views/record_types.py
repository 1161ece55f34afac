"""The record types an agency keeps and its list of records to keep (computed from the
procedures in force; XLSX, DOCX, PDF)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.exports import xlsx_response
from eiso.core.generic import (
    ServiceActionView,
    ServiceFormView,
    acting_agency,
    agency_for,
    official_response,
    with_agency_query,
)
from eiso.core.roles import Action
from eiso.core.views import ScopedListView
from eiso.records import outputs, rules, selectors, services
from eiso.records.forms import RecordTypeFilterForm, RecordTypeForm


def _procedure(t) -> str:
    return t.document.code if t.document_id else ""


class RecordTypeListView(ScopedListView):
    """The kinds of records kept, by procedure."""

    template_name = "records/record_type_list.html"
    filter_form_class = RecordTypeFilterForm
    export_name = "danh-muc-ho-so"
    export_title = gettext_lazy("Record types")
    export_columns = [
        (gettext_lazy("Agency"), lambda t: t.agency),
        (gettext_lazy("Procedure (ISO)"), _procedure),
        (gettext_lazy("Record"), lambda t: t.name),
        (gettext_lazy("Form code"), lambda t: t.form_code),
        (gettext_lazy("Kept by"), lambda t: t.keeper),
        (gettext_lazy("Where it is kept"), lambda t: t.get_location_display()),
        (gettext_lazy("Retention"), lambda t: t.retention_text),
        (gettext_lazy("Disposal"), lambda t: t.get_disposal_display()),
    ]

    def get_queryset(self, filters):
        return selectors.record_type_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        agency = acting_agency(self.request)
        return super().get_context_data(
            can_keep=agency is not None and rules.can_keep(self.request.user, agency), **kwargs
        )


class _RecordTypeForm(ServiceFormView):
    form_class = RecordTypeForm
    template_name = "core/service_form.html"

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.agency}

    def get_cancel_url(self):
        return reverse("records:list")

    def get_success_url(self, result):
        return reverse("records:list")


class RecordTypeCreateView(_RecordTypeForm):
    title = gettext_lazy("Add a record type")
    success_message = gettext_lazy("The record type was added.")

    def load(self):
        self.agency = agency_for(self.request, action=Action.CHANGE)
        if not rules.can_keep(self.request.user, self.agency):
            raise Http404
        return None

    def get_initial(self):
        document = self.request.GET.get("document")
        return {"location": "paper", "disposal": "destroy", "document": document or None}

    def perform(self, form):
        return services.record_type_create(
            actor=self.request.user, agency=self.agency, data=dict(form.cleaned_data)
        )


class RecordTypeUpdateView(_RecordTypeForm):
    title = gettext_lazy("Change the record type")
    success_message = gettext_lazy("The record type was saved.")

    def load(self):
        record_type = selectors.record_type_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )
        self.agency = record_type.agency
        return record_type

    def get_initial(self):
        t = self.object
        return {
            "document": t.document_id,
            "name": t.name,
            "form_code": t.form_code,
            "keeper": t.keeper,
            "location": t.location,
            "retention_years": t.retention_years,
            "permanent": t.permanent,
            "disposal": t.disposal,
            "note": t.note,
        }

    def perform(self, form):
        return services.record_type_update(
            actor=self.request.user, record_type=self.object, data=dict(form.cleaned_data)
        )


class RecordTypeDeleteView(ServiceActionView):
    success_message = gettext_lazy("The record type is no longer kept.")

    def load(self):
        return selectors.record_type_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def perform(self):
        return services.record_type_delete(actor=self.request.user, record_type=self.object)

    def get_success_url(self, result):
        return reverse("records:list")


class KeepListView(LoginRequiredMixin, TemplateView):
    """The agency's list of records to keep today: the record types kept, the forms its
    procedures in force name without a record type yet, and the record types no procedure in
    force names any more."""

    template_name = "records/keep_list.html"

    def get_context_data(self, **kwargs):
        agency = agency_for(self.request)
        keep_list = selectors.records_to_keep(user=self.request.user, agency=agency)
        return super().get_context_data(
            agency=agency,
            keep=keep_list,
            can_keep=rules.can_keep(self.request.user, agency),
            agency_query=with_agency_query("", self.request, agency),
            **kwargs,
        )


class KeepFileView(LoginRequiredMixin, View):
    """The list of records to keep as DOCX or PDF (official layout) or XLSX."""

    file_format = "pdf"

    def get(self, request):
        agency = agency_for(request)
        keep_list = selectors.records_to_keep(user=request.user, agency=agency)
        stem = outputs.keep_file_stem(agency, keep_list.on)
        if self.file_format == "xlsx":
            return xlsx_response(
                filename="danh-muc-ho-so.xlsx",
                title=outputs.KEEP_TYPE,
                columns=[
                    (name, (lambda i: lambda row: row[i])(index))
                    for index, name in enumerate(outputs.KEEP_COLUMNS)
                ],
                rows=outputs.keep_rows(keep_list),
                notes=[str(agency), f"{timezone.localdate():%d/%m/%Y}"],
            )
        return official_response(outputs.keep_document(keep_list), stem, self.file_format)


class KeepAdoptView(ServiceActionView):
    """Add, in one step, the forms the procedures in force name without a record type."""

    success_message = gettext_lazy("The forms of the procedures were added to the records kept.")

    def load(self):
        agency = agency_for(self.request, action=Action.CHANGE)
        self.keep_list = selectors.records_to_keep(user=self.request.user, agency=agency)
        return agency

    def perform(self):
        return services.record_types_adopt(
            actor=self.request.user, agency=self.object, rows=self.keep_list.missing
        )

    def get_success_url(self, result):
        return with_agency_query(reverse("records:keep"), self.request, self.object)
