"""The reports' pages: the annual reports (list, the report with its figures and narrative,
each step of its workflow, DOCX/PDF, the signed file), the province's summary reports (list,
the report with its figures, sending it, DOCX/PDF/XLSX) and the transition report. Thin: load
through a scoped selector, call one service, render."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.exports import XLSX_TYPE, xlsx_response
from eiso.core.files import file_response
from eiso.core.generic import (
    ServiceActionView,
    ServiceFormView,
    acting_agency,
    agency_for,
    official_response,
)
from eiso.core.numbers import agency_symbol
from eiso.core.official import content_disposition
from eiso.core.roles import Action
from eiso.core.views import ScopedListView
from eiso.reports import content, outputs, rules, selectors, services, transition
from eiso.reports.choices import ReportAction, SummaryAction
from eiso.reports.forms import (
    AnnualFilterForm,
    AnnualNarrativeForm,
    AnnualStartForm,
    ProvincialFilterForm,
    ProvincialNarrativeForm,
    ProvincialStartForm,
    ReturnForm,
    SubmitForm,
    TransitionForm,
)
from eiso.reports.workflows import ANNUAL, SUMMARY


class OverseerOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.oversees_anything(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


# --- annual reports: the list -------------------------------------------------------------------

ANNUAL_EXPORT_COLUMNS = [
    (gettext_lazy("Year"), lambda r: r.year),
    (gettext_lazy("Code"), lambda r: r.agency.code),
    (gettext_lazy("Agency"), lambda r: r.agency.name),
    (gettext_lazy("Version"), lambda r: r.version),
    (gettext_lazy("Number"), lambda r: r.number),
    (gettext_lazy("Status"), lambda r: r.get_status_display()),
    (gettext_lazy("Submitted on"), lambda r: r.submitted_on),
    (gettext_lazy("Due"), lambda r: r.due),
    (gettext_lazy("Late"), lambda r: _("Yes") if r.late else ""),
    (gettext_lazy("Received on"), lambda r: r.received_on),
]


class AnnualListView(ScopedListView):
    """Annual reports: an agency's own, or those of the overseer's subtree (every version)."""

    template_name = "reports/annual_list.html"
    filter_form_class = AnnualFilterForm
    export_name = "bao-cao-nam"
    export_title = gettext_lazy("Annual QMS reports")
    export_columns = ANNUAL_EXPORT_COLUMNS

    def get_queryset(self, filters):
        return selectors.annual_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        agency = acting_agency(self.request)
        return super().get_context_data(
            can_start=agency is not None and rules.can_draft(self.request.user, agency),
            **kwargs,
        )


class AnnualStartView(ServiceFormView):
    form_class = AnnualStartForm
    title = gettext_lazy("Prepare the annual report")
    submit_label = gettext_lazy("Generate the report")
    success_message = gettext_lazy(
        "The report was generated from the period's records: write the assessment, then ask "
        "the head to approve it."
    )

    def load(self):
        # ``?agency=`` aimed at an agency the person does not work in is a 404, never a report
        # quietly made for the acting agency instead.
        agency = agency_for(self.request, action=Action.CHANGE)
        if not rules.can_draft(self.request.user, agency):
            raise Http404
        self.agency = agency
        return agency

    def get_initial(self):
        return {"year": timezone.localdate().year}

    def get_cancel_url(self):
        return reverse("reports:annual_list")

    def perform(self, form):
        return services.annual_report_start(
            actor=self.request.user, agency=self.agency, year=form.cleaned_data["year"]
        )

    def get_success_url(self, result):
        return services.annual_url(result)


# --- annual reports: one report ------------------------------------------------------------------


class AnnualDetailView(LoginRequiredMixin, TemplateView):
    """The report: its figures and narrative (the same words as its DOCX/PDF), the buttons of
    what the person may do now, its versions and the check of its signed file."""

    template_name = "reports/annual_detail.html"

    def get(self, request, pk):
        report = selectors.annual_get(user=request.user, pk=pk)
        actions = ANNUAL.available(request.user, report)
        context = self.get_context_data(
            report=report,
            sections=content.annual_sections(report),
            title=content.ANNUAL_TITLE.format(year=report.year),
            actions=actions,
            narrative_form=AnnualNarrativeForm(
                initial={
                    "assessment": report.assessment,
                    "difficulties": report.difficulties,
                    "recommendations": report.recommendations,
                    "signer_name": report.signer_name,
                    "signer_title": report.signer_title,
                    "edit_version": report.edit_version,
                }
            )
            if ReportAction.EDIT in actions
            else None,
            submit_form=SubmitForm(
                symbol=agency_symbol(report.agency),
                initial={"report_date": timezone.localdate()},
            )
            if ReportAction.SUBMIT in actions
            else None,
            return_form=ReturnForm() if ReportAction.RETURN in actions else None,
            versions=selectors.annual_versions(user=request.user, report=report),
        )
        return self.render_to_response(context)


class _AnnualAction(ServiceActionView):
    action = ""

    def load(self):
        # The agency's own buttons: an overseer (who reads the report) gets a 404 here.
        return selectors.annual_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_success_url(self, result):
        return services.annual_url(result or self.object)


class AnnualRegenerateView(_AnnualAction):
    success_message = gettext_lazy("The figures were read again from the period's records.")

    def perform(self):
        return services.annual_report_regenerate(actor=self.request.user, report=self.object)


class AnnualApproveView(_AnnualAction):
    success_message = gettext_lazy("The report is approved: it may be submitted.")

    def perform(self):
        return services.annual_report_approve(actor=self.request.user, report=self.object)


class AnnualReopenView(_AnnualAction):
    success_message = gettext_lazy("The report is a draft again.")

    def perform(self):
        return services.annual_report_reopen(actor=self.request.user, report=self.object)


class AnnualReceiveView(_AnnualAction):
    success_message = gettext_lazy("The report is recorded as received.")

    def load(self):
        return selectors.annual_for_oversight(user=self.request.user, pk=self.kwargs["pk"])

    def perform(self):
        return services.annual_report_receive(actor=self.request.user, report=self.object)


class AnnualCorrectView(_AnnualAction):
    success_message = gettext_lazy("A corrected version was prepared as a draft.")

    def perform(self):
        return services.annual_report_correct(actor=self.request.user, report=self.object)


class AnnualUpdateView(ServiceFormView):
    form_class = AnnualNarrativeForm
    template_name = "reports/annual_form.html"
    title = gettext_lazy("The report's narrative")
    success_message = gettext_lazy("The report was saved.")

    def load(self):
        report = selectors.annual_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )
        if not ANNUAL.may(self.request.user, report, ReportAction.EDIT):
            raise Http404
        return report

    def get_initial(self):
        r = self.object
        return {
            "assessment": r.assessment,
            "difficulties": r.difficulties,
            "recommendations": r.recommendations,
            "signer_name": r.signer_name,
            "signer_title": r.signer_title,
            "edit_version": r.edit_version,
        }

    def get_cancel_url(self):
        return services.annual_url(self.object)

    def perform(self, form):
        return services.annual_report_update(
            actor=self.request.user,
            report=self.object,
            data=form.cleaned_data,
            edit_version=form.cleaned_data.get("edit_version"),
        )

    def get_success_url(self, result):
        return services.annual_url(result)


class AnnualSubmitView(ServiceFormView):
    form_class = SubmitForm
    title = gettext_lazy("Submit the report to the Department of Science and Technology")
    submit_label = gettext_lazy("Submit")
    success_message = gettext_lazy("The report was submitted; the overseer was told.")
    multipart = True

    def load(self):
        report = selectors.annual_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )
        if not ANNUAL.may(self.request.user, report, ReportAction.SUBMIT):
            raise Http404
        return report

    def get_form_kwargs(self):
        return {"symbol": agency_symbol(self.object.agency)}

    def get_initial(self):
        return {"report_date": timezone.localdate()}

    def get_cancel_url(self):
        return services.annual_url(self.object)

    def perform(self, form):
        data = form.cleaned_data
        return services.annual_report_submit(
            actor=self.request.user,
            report=self.object,
            number=data["number"],
            report_date=data["report_date"],
            upload=data["signed_file"],
        )

    def get_success_url(self, result):
        return services.annual_url(result)


class AnnualReturnView(ServiceFormView):
    form_class = ReturnForm
    title = gettext_lazy("Return the report for correction")
    submit_label = gettext_lazy("Return")
    success_message = gettext_lazy("The report was returned; the agency was told why.")

    def load(self):
        return selectors.annual_for_oversight(user=self.request.user, pk=self.kwargs["pk"])

    def get_cancel_url(self):
        return services.annual_url(self.object)

    def perform(self, form):
        return services.annual_report_return(
            actor=self.request.user, report=self.object, reason=form.cleaned_data["reason"]
        )

    def get_success_url(self, result):
        return services.annual_url(result)


class AnnualFileView(LoginRequiredMixin, View):
    """The report in the official layout (DOCX or PDF)."""

    file_format = "docx"

    def get(self, request, pk):
        report = selectors.annual_get(user=request.user, pk=pk)
        return official_response(
            outputs.annual_document(report), outputs.annual_basename(report), self.file_format
        )


class AnnualSignedFileView(LoginRequiredMixin, View):
    def get(self, request, pk):
        report = selectors.annual_get(user=request.user, pk=pk)
        if not report.signed_file:
            raise Http404
        return file_response(report.signed_file, name=report.signed_file_name)


# --- the province's summary ------------------------------------------------------------------------


class ProvincialListView(OverseerOnlyMixin, ScopedListView):
    template_name = "reports/provincial_list.html"
    filter_form_class = ProvincialFilterForm
    required_action = Action.OVERSEE
    export_name = "bao-cao-tong-hop"
    export_title = gettext_lazy("Summary QMS reports")
    export_columns = [
        (gettext_lazy("Year"), lambda r: r.year),
        (gettext_lazy("Of"), lambda r: r.agency.name),
        (gettext_lazy("Version"), lambda r: r.version),
        (gettext_lazy("Number"), lambda r: r.number),
        (gettext_lazy("Status"), lambda r: r.get_status_display()),
        (gettext_lazy("Figures as of"), lambda r: r.as_of),
        (gettext_lazy("Sent on"), lambda r: r.submitted_on),
    ]

    def get_queryset(self, filters):
        return selectors.provincial_list(user=self.request.user, **filters)


class ProvincialStartView(OverseerOnlyMixin, ServiceFormView):
    form_class = ProvincialStartForm
    title = gettext_lazy("Prepare the summary report")
    submit_label = gettext_lazy("Create the draft")
    success_message = gettext_lazy("The draft summary was created from the figures of its day.")

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def get_initial(self):
        return {"year": timezone.localdate().year}

    def get_cancel_url(self):
        return reverse("reports:provincial_list")

    def perform(self, form):
        data = form.cleaned_data
        return services.provincial_report_start(
            actor=self.request.user,
            agency=data["agency"],
            year=data["year"],
            as_of=data.get("as_of"),
        )

    def get_success_url(self, result):
        return services.provincial_url(result)


class ProvincialDetailView(OverseerOnlyMixin, TemplateView):
    template_name = "reports/provincial_detail.html"

    def get(self, request, pk):
        report = selectors.provincial_get(user=request.user, pk=pk)
        figures = selectors.figures_of(user=request.user, report=report)
        actions = SUMMARY.available(request.user, report)
        context = self.get_context_data(
            report=report,
            figures=figures,
            sections=content.summary_sections(report, figures),
            title=content.SUMMARY_TITLE.format(year=report.year),
            not_reported=content.not_reported_rows(figures),
            annex=content.annex_rows(figures),
            actions=actions,
            submit_form=SubmitForm(
                symbol=agency_symbol(report.agency),
                initial={"report_date": timezone.localdate()},
            )
            if SummaryAction.SUBMIT in actions
            else None,
        )
        return self.render_to_response(context)


class ProvincialUpdateView(OverseerOnlyMixin, ServiceFormView):
    form_class = ProvincialNarrativeForm
    template_name = "reports/annual_form.html"
    title = gettext_lazy("The summary's narrative")
    success_message = gettext_lazy("The summary was saved.")

    def load(self):
        report = selectors.provincial_get(user=self.request.user, pk=self.kwargs["pk"])
        if not SUMMARY.may(self.request.user, report, SummaryAction.EDIT):
            raise Http404
        return report

    def get_initial(self):
        r = self.object
        return {name: getattr(r, name) for name in services.SUMMARY_NARRATIVE} | {
            "edit_version": r.edit_version
        }

    def get_cancel_url(self):
        return services.provincial_url(self.object)

    def perform(self, form):
        return services.provincial_report_update(
            actor=self.request.user,
            report=self.object,
            data=form.cleaned_data,
            edit_version=form.cleaned_data.get("edit_version"),
        )

    def get_success_url(self, result):
        return services.provincial_url(result)


class ProvincialSubmitView(OverseerOnlyMixin, ServiceFormView):
    form_class = SubmitForm
    title = gettext_lazy("Send the summary report")
    submit_label = gettext_lazy("Send")
    success_message = gettext_lazy("The summary was sent; its figures are kept as sent.")
    multipart = True

    def load(self):
        report = selectors.provincial_get(user=self.request.user, pk=self.kwargs["pk"])
        if not SUMMARY.may(self.request.user, report, SummaryAction.SUBMIT):
            raise Http404
        return report

    def get_form_kwargs(self):
        return {"symbol": agency_symbol(self.object.agency)}

    def get_initial(self):
        return {"report_date": timezone.localdate()}

    def get_cancel_url(self):
        return services.provincial_url(self.object)

    def perform(self, form):
        data = form.cleaned_data
        return services.provincial_report_submit(
            actor=self.request.user,
            report=self.object,
            number=data["number"],
            report_date=data["report_date"],
            upload=data["signed_file"],
        )

    def get_success_url(self, result):
        return services.provincial_url(result)


class ProvincialCorrectView(OverseerOnlyMixin, ServiceActionView):
    success_message = gettext_lazy("A corrected version was prepared as a draft.")

    def load(self):
        return selectors.provincial_get(user=self.request.user, pk=self.kwargs["pk"])

    def perform(self):
        return services.provincial_report_correct(actor=self.request.user, report=self.object)

    def get_success_url(self, result):
        return services.provincial_url(result or self.object)


class ProvincialFileView(OverseerOnlyMixin, View):
    """The summary as DOCX/PDF (official layout) or XLSX."""

    file_format = "docx"

    def get(self, request, pk):
        report = selectors.provincial_get(user=request.user, pk=pk)
        figures = selectors.figures_of(user=request.user, report=report)
        name = outputs.summary_basename(report)
        if self.file_format == "xlsx":
            response = HttpResponse(outputs.summary_xlsx(report, figures), content_type=XLSX_TYPE)
            response["Content-Disposition"] = content_disposition(f"{name}.xlsx")
            return response
        return official_response(outputs.summary_document(report, figures), name, self.file_format)


class ProvincialSignedFileView(OverseerOnlyMixin, View):
    def get(self, request, pk):
        report = selectors.provincial_get(user=request.user, pk=pk)
        if not report.signed_file:
            raise Http404
        return file_response(report.signed_file, name=report.signed_file_name)


# --- the transition report ---------------------------------------------------------------------------


TRANSITION_EXPORT_COLUMNS = [
    (gettext_lazy("Code"), lambda a: a.code),
    (gettext_lazy("Agency"), lambda a: a.name),
    (gettext_lazy("Tier"), lambda a: a.get_tier_display()),
    (gettext_lazy("Last announcement under the old version"), lambda a: a.old_number or ""),
    (gettext_lazy("Converted on"), lambda a: a.converted_on),
    (gettext_lazy("Transition"), lambda a: str(TRANSITION_LABELS[a.transition])),
    (gettext_lazy("Days late"), lambda a: a.days_late or ""),
]
TRANSITION_LABELS = {
    transition.ON_TIME: gettext_lazy("Converted on time"),
    transition.LATE: gettext_lazy("Converted late"),
    transition.NOT_CONVERTED: gettext_lazy("Not converted (deadline passed)"),
    transition.PENDING: gettext_lazy("Not converted yet"),
}


class TransitionView(OverseerOnlyMixin, TemplateView):
    """The agencies' conversion from the old version of the standard to the new one, by date,
    against the deadline (``?root=``, ``?date=``, ``?deadline=``; ``?export=xlsx``)."""

    template_name = "reports/transition.html"

    def get(self, request, *args, **kwargs):
        rule = transition.rule_get()
        form = TransitionForm(request.GET or None, user=request.user)
        data = form.cleaned_data if form.is_valid() else {}
        root = data.get("root")
        on = data.get("date") or timezone.localdate()
        found = transition.transition_report(
            user=request.user, root=root, rule=rule, on=on, deadline=data.get("deadline")
        )
        if request.GET.get("export") == "xlsx":
            return xlsx_response(
                filename="chuyen-doi-iso-9001-2015.xlsx",
                title=_("Transition from TCVN ISO 9001:%(old)s to %(new)s")
                % {"old": rule.from_version, "new": rule.to_version},
                columns=TRANSITION_EXPORT_COLUMNS,
                rows=found.rows,
                notes=[
                    _("Deadline %(deadline)s, as of %(day)s")
                    % {"deadline": f"{found.deadline:%d/%m/%Y}", "day": f"{on:%d/%m/%Y}"}
                ],
            )
        for row in found.rows:
            row.transition_label = TRANSITION_LABELS[row.transition]
        context = self.get_context_data(
            report=found,
            filter_form=form,
            export_enabled=True,
            counts={key: found.count(key) for key in TRANSITION_LABELS},
            labels=TRANSITION_LABELS,
            on_time=transition.ON_TIME,
        )
        return self.render_to_response(context)
