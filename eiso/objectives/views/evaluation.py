"""The evaluation report of the year's objectives (written by the secretary, finalized, DOCX /
PDF), the list of reports, and the overseer's overview (per agency and by tier)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View

from eiso.core.generic import (
    ServiceActionView,
    ServiceFormView,
    agency_for,
    official_response,
    with_agency_query,
    year_of,
)
from eiso.core.roles import Action
from eiso.core.views import ScopedListView
from eiso.objectives import outputs, rules, selectors, services
from eiso.objectives.choices import ReportAction, SetStatus
from eiso.objectives.forms import EvaluationForm, OverviewForm, ReportFilterForm
from eiso.objectives.models import EvaluationReport
from eiso.objectives.workflows import REPORT


def evaluation_url(report) -> str:
    return f"{reverse('objectives:evaluation')}?year={report.year}&agency={report.agency_id}"


class EvaluationView(ServiceFormView):
    """The report of ``?year=`` for the agency: the objectives with their values and result,
    the secretary's assessment and causes per objective; read-only once final or for those who
    do not write it."""

    form_class = EvaluationForm
    template_name = "objectives/evaluation.html"
    title = gettext_lazy("Evaluation of the quality objectives")
    success_message = gettext_lazy("The report was saved.")

    def load(self):
        self.agency = agency_for(self.request)
        self.year = year_of(self.request)
        report = selectors.report_of(user=self.request.user, agency=self.agency, year=self.year)
        self.report = report or EvaluationReport(
            agency=self.agency,
            year=self.year,
            signer_name=self.agency.head_name,
            signer_title=self.agency.head_title.upper(),
        )
        self.rows = selectors.report_rows(report=self.report)
        self.editable = REPORT.may(self.request.user, self.report, ReportAction.EDIT)
        return self.report

    def post(self, request, *args, **kwargs):
        self.object = self.load()
        if not self.editable or not rules.can_draft(request.user, self.agency):
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {"rows": self.rows}

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
            rows=self.rows,
            editable=self.editable,
            can_finalize=self.report.pk is not None
            and REPORT.may(self.request.user, self.report, ReportAction.FINALIZE),
            not_met=sum(1 for r in self.rows if r.result == "not_met"),
            **kwargs,
        )

    def perform(self, form):
        data = form.cleaned_data
        return services.evaluation_save(
            actor=self.request.user,
            agency=self.agency,
            year=self.year,
            report_date=data.get("report_date"),
            summary=data.get("summary") or "",
            signer_name=data.get("signer_name") or "",
            signer_title=data.get("signer_title") or "",
            assessments=form.assessments(),
        )

    def get_success_url(self, result):
        return with_agency_query(
            f"{reverse('objectives:evaluation')}?year={result.year}", self.request, self.agency
        )


class EvaluationFinalizeView(ServiceActionView):
    success_message = gettext_lazy("The report is final: its results are kept as they are now.")

    def load(self):
        return selectors.report_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def perform(self):
        return services.evaluation_finalize(actor=self.request.user, report=self.object)

    def get_success_url(self, result):
        return evaluation_url(self.object)


class EvaluationFileView(LoginRequiredMixin, View):
    file_format = "pdf"

    def get(self, request, pk):
        report = selectors.report_get(user=request.user, pk=pk)
        document = outputs.report_document(report, selectors.report_rows(report=report))
        stem = outputs.report_filename(report, self.file_format).rsplit(".", 1)[0]
        return official_response(document, stem, self.file_format)


class ReportListView(ScopedListView):
    template_name = "objectives/report_list.html"
    filter_form_class = ReportFilterForm
    export_name = "bao-cao-danh-gia-muc-tieu"
    export_columns = [
        (gettext_lazy("Agency"), lambda r: r.agency),
        (gettext_lazy("Year"), lambda r: r.year),
        (gettext_lazy("Status"), lambda r: r.get_status_display()),
        (gettext_lazy("Report date"), lambda r: r.report_date),
    ]

    def get_queryset(self, filters):
        return selectors.report_list(user=self.request.user, **filters)


class OverviewView(ScopedListView):
    """The overseer's overview of a year: by tier (agencies, objectives issued, by 31/01,
    objectives met) and per agency."""

    template_name = "objectives/overview.html"
    filter_form_class = OverviewForm
    required_action = Action.OVERSEE
    paginate_by = 50
    export_name = "tong-hop-muc-tieu-chat-luong"
    export_columns = [
        (gettext_lazy("Agency"), lambda a: a.name),
        (gettext_lazy("Tier"), lambda a: a.get_tier_display()),
        (gettext_lazy("Decision number"), lambda a: a.decision_number or ""),
        (gettext_lazy("Decision date"), lambda a: a.decision_date),
        (gettext_lazy("Issued by 31/01"), lambda a: a.on_time),
        (gettext_lazy("Objectives"), lambda a: a.objective_total),
        (gettext_lazy("Met"), lambda a: a.objective_met),
        (gettext_lazy("Not met"), lambda a: a.objective_not_met),
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
            deadline=selectors.issue_deadline(self.year),
            status_labels=dict(SetStatus.choices),
            tiers=selectors.overview_by_tier(
                user=self.request.user, year=self.year, root=self.root
            ),
            **kwargs,
        )
