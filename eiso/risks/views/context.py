"""Context issues and interested parties (lists, add, change, remove), "copy last year", and the
risk evaluation report (written, finalized, DOCX/PDF)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from eiso.core.generic import (
    ServiceActionView,
    ServiceFormView,
    ThisYearByDefault,
    acting_agency,
    agency_for,
    official_response,
    require_acting_agency,
    with_agency_query,
    year_of,
)
from eiso.core.roles import Action
from eiso.core.views import ImportView, ScopedListView
from eiso.risks import outputs, rules, selectors, services
from eiso.risks.choices import ReportAction
from eiso.risks.forms import (
    IssueFilterForm,
    IssueForm,
    PartyFilterForm,
    PartyForm,
    ReportFilterForm,
    ReportForm,
    YearForm,
)
from eiso.risks.models import RiskReport
from eiso.risks.workflows import REPORT


class _KeeperList(ThisYearByDefault, ScopedListView):
    def get_context_data(self, **kwargs):
        agency = acting_agency(self.request)
        return super().get_context_data(
            can_keep=agency is not None and rules.can_keep(self.request.user, agency),
            year=year_of(self.request),
            **kwargs,
        )


class IssueListView(_KeeperList):
    template_name = "risks/issue_list.html"
    filter_form_class = IssueFilterForm
    export_name = "boi-canh"
    export_columns = [
        (gettext_lazy("Agency"), lambda i: i.agency),
        (gettext_lazy("Year"), lambda i: i.year),
        (gettext_lazy("No."), lambda i: i.number),
        (gettext_lazy("Internal / external"), lambda i: i.get_kind_display()),
        (gettext_lazy("Category"), lambda i: i.get_category_display()),
        (gettext_lazy("Context issue"), lambda i: i.description),
        (gettext_lazy("Effect on the QMS"), lambda i: i.effect),
        (gettext_lazy("How it is addressed"), lambda i: i.response),
    ]

    def get_queryset(self, filters):
        return selectors.issue_list(user=self.request.user, **filters)


class PartyListView(_KeeperList):
    template_name = "risks/party_list.html"
    filter_form_class = PartyFilterForm
    export_name = "ben-quan-tam"
    export_columns = [
        (gettext_lazy("Agency"), lambda p: p.agency),
        (gettext_lazy("Year"), lambda p: p.year),
        (gettext_lazy("No."), lambda p: p.number),
        (gettext_lazy("Kind"), lambda p: p.get_kind_display()),
        (gettext_lazy("Interested party"), lambda p: p.name),
        (gettext_lazy("Their needs and expectations"), lambda p: p.requirements),
        (gettext_lazy("How they are met and monitored"), lambda p: p.monitoring),
    ]

    def get_queryset(self, filters):
        return selectors.party_list(user=self.request.user, **filters)


class _NewInAgency(ServiceFormView):
    """Adds a row to the acting agency's ``?year=``."""

    def load(self):
        self.agency = require_acting_agency(self.request)
        if not rules.can_keep(self.request.user, self.agency):
            raise Http404
        self.year = year_of(self.request)
        return self.agency


class IssueCreateView(_NewInAgency):
    form_class = IssueForm
    title = gettext_lazy("Add a context issue")
    success_message = gettext_lazy("The issue was added.")

    def get_cancel_url(self):
        return reverse("risks:issues")

    def perform(self, form):
        return services.issue_create(
            actor=self.request.user, agency=self.agency, year=self.year, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return f"{reverse('risks:issues')}?year={result.year}"


class PartyCreateView(_NewInAgency):
    form_class = PartyForm
    title = gettext_lazy("Add an interested party")
    success_message = gettext_lazy("The interested party was added.")

    def get_cancel_url(self):
        return reverse("risks:parties")

    def perform(self, form):
        return services.party_create(
            actor=self.request.user, agency=self.agency, year=self.year, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return f"{reverse('risks:parties')}?year={result.year}"


class IssueUpdateView(ServiceFormView):
    form_class = IssueForm
    title = gettext_lazy("Change the context issue")
    success_message = gettext_lazy("Saved.")

    def load(self):
        return selectors.issue_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_initial(self):
        i = self.object
        return {
            "kind": i.kind,
            "category": i.category,
            "description": i.description,
            "effect": i.effect,
            "response": i.response,
        }

    def get_cancel_url(self):
        return reverse("risks:issues")

    def perform(self, form):
        return services.issue_update(
            actor=self.request.user, issue=self.object, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return f"{reverse('risks:issues')}?year={result.year}"


class PartyUpdateView(ServiceFormView):
    form_class = PartyForm
    title = gettext_lazy("Change the interested party")
    success_message = gettext_lazy("Saved.")

    def load(self):
        return selectors.party_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_initial(self):
        p = self.object
        return {
            "kind": p.kind,
            "name": p.name,
            "requirements": p.requirements,
            "monitoring": p.monitoring,
        }

    def get_cancel_url(self):
        return reverse("risks:parties")

    def perform(self, form):
        return services.party_update(
            actor=self.request.user, party=self.object, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return f"{reverse('risks:parties')}?year={result.year}"


class IssueDeleteView(ServiceActionView):
    success_message = gettext_lazy("The issue was removed.")

    def load(self):
        return selectors.issue_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def perform(self):
        services.issue_delete(actor=self.request.user, issue=self.object)
        return self.object

    def get_success_url(self, result):
        return f"{reverse('risks:issues')}?year={self.object.year}"


class PartyDeleteView(ServiceActionView):
    success_message = gettext_lazy("The interested party was removed.")

    def load(self):
        return selectors.party_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def perform(self):
        services.party_delete(actor=self.request.user, party=self.object)
        return self.object

    def get_success_url(self, result):
        return f"{reverse('risks:parties')}?year={self.object.year}"


class CopyLastYearView(_NewInAgency):
    form_class = YearForm
    title = gettext_lazy("Copy last year's context, interested parties and register")
    submit_label = gettext_lazy("Copy")

    def get_initial(self):
        return {"year": self.year}

    def get_cancel_url(self):
        return reverse("risks:list")

    def perform(self, form):
        self.copied_year = form.cleaned_data["year"]
        copied = services.copy_last_year(
            actor=self.request.user, agency=self.agency, year=self.copied_year
        )
        from django.contrib import messages

        messages.success(
            self.request,
            _(
                "Copied: %(issues)s context issue(s), %(parties)s interested part(y/ies), "
                "%(risks)s risk(s) and opportunit(y/ies)."
            )
            % copied,
        )
        return copied

    def get_success_url(self, result):
        return f"{reverse('risks:list')}?year={self.copied_year}"


# --- the evaluation report ----------------------------------------------------------------


class ReportView(ServiceFormView):
    form_class = ReportForm
    template_name = "risks/report.html"
    title = gettext_lazy("Evaluation of risks and opportunities")
    success_message = gettext_lazy("The report was saved.")

    def load(self):
        self.agency = agency_for(self.request)
        self.year = year_of(self.request)
        found = selectors.report_of(user=self.request.user, agency=self.agency, year=self.year)
        self.report = found or RiskReport(
            agency=self.agency,
            year=self.year,
            signer_name=self.agency.head_name,
            signer_title=self.agency.head_title.upper(),
        )
        self.editable = REPORT.may(self.request.user, self.report, ReportAction.EDIT)
        return self.report

    def post(self, request, *args, **kwargs):
        self.object = self.load()
        if not self.editable:
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        r = self.report
        return {
            "report_date": r.report_date or timezone.localdate(),
            "summary": r.summary,
            "signer_name": r.signer_name,
            "signer_title": r.signer_title,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            agency=self.agency,
            year=self.year,
            report=self.report,
            rows=selectors.report_rows(report=self.report),
            editable=self.editable,
            can_finalize=self.report.pk is not None
            and REPORT.may(self.request.user, self.report, ReportAction.FINALIZE),
            **kwargs,
        )

    def perform(self, form):
        data = form.cleaned_data
        return services.report_save(
            actor=self.request.user,
            agency=self.agency,
            year=self.year,
            report_date=data.get("report_date"),
            summary=data.get("summary") or "",
            signer_name=data.get("signer_name") or "",
            signer_title=data.get("signer_title") or "",
        )

    def get_success_url(self, result):
        return with_agency_query(
            f"{reverse('risks:report')}?year={result.year}", self.request, self.agency
        )


class ReportFinalizeView(ServiceActionView):
    success_message = gettext_lazy("The report is final: the register is kept as it is now.")

    def load(self):
        return selectors.report_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def perform(self):
        return services.report_finalize(actor=self.request.user, report=self.object)

    def get_success_url(self, result):
        return f"{reverse('risks:report')}?year={self.object.year}&agency={self.object.agency_id}"


class ReportFileView(LoginRequiredMixin, View):
    file_format = "pdf"

    def get(self, request, pk):
        report = selectors.report_get(user=request.user, pk=pk)
        document = outputs.report_document(report, selectors.report_rows(report=report))
        stem = outputs.report_filename(report, self.file_format).rsplit(".", 1)[0]
        return official_response(document, stem, self.file_format)


class ReportListView(ScopedListView):
    template_name = "risks/report_list.html"
    filter_form_class = ReportFilterForm
    export_name = "bao-cao-danh-gia-rui-ro"
    export_columns = [
        (gettext_lazy("Agency"), lambda r: r.agency),
        (gettext_lazy("Year"), lambda r: r.year),
        (gettext_lazy("Status"), lambda r: r.get_status_display()),
        (gettext_lazy("Report date"), lambda r: r.report_date),
    ]

    def get_queryset(self, filters):
        return selectors.report_list(user=self.request.user, **filters)


class RiskImportView(ImportView):
    """The register from a spreadsheet, into the acting agency's registers."""

    import_kind = "risks"

    @property
    def success_url(self):
        return reverse("risks:list")
