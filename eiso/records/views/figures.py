"""The dossier figures, from the monthly tables only: per procedure (and one procedure month
by month), per month, the overseer's ranking of agencies, and the roll-up by tier and
subtree. Each page is a fixed number of aggregate queries whatever the number of dossiers."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from eiso.core.exports import xlsx_response
from eiso.core.generic import acting_agency, oversees
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.core.views import ScopedListView
from eiso.organizations.choices import Tier
from eiso.procedures import selectors as procedure_selectors
from eiso.records import kpis
from eiso.records.forms import FiguresForm


def _rate(row) -> float | None:
    return None if row.get("rate") is None else round(row["rate"], 1)


def _figures_columns(figures) -> list:
    """The figures' columns of an extract, after the row's own (``figures(row)``: its Figures)."""
    return [
        (gettext_lazy("Received"), lambda r: figures(r).received),
        (gettext_lazy("Finished"), lambda r: figures(r).finished),
        (gettext_lazy("On time"), lambda r: figures(r).on_time),
        (gettext_lazy("Late"), lambda r: figures(r).late),
        (gettext_lazy("In progress"), lambda r: figures(r).in_progress),
        (gettext_lazy("In progress, overdue"), lambda r: figures(r).overdue),
        (
            gettext_lazy("On-time rate (%)"),
            lambda r: None if figures(r).rate is None else round(float(figures(r).rate), 1),
        ),
    ]


MONTH_COLUMNS = [
    (gettext_lazy("Month"), lambda r: r["month"].strftime("%m/%Y")),
    *_figures_columns(lambda r: r["figures"]),
]
ROLL_UP_COLUMNS = [
    (gettext_lazy("Tier or agency"), lambda r: r.label),
    *_figures_columns(lambda r: r.figures),
]


class TableExport:
    """``?export=xlsx`` on a figures page that is not a list: the table the page shows
    (``export_rows``) as XLSX, with the range in its title."""

    export_name = "so-lieu"
    export_title = ""
    export_columns: list = []

    def export_rows(self, **kwargs) -> list:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") != "xlsx":
            return super().get(request, *args, **kwargs)
        rows = self.export_rows(**kwargs)
        start, end = self.scope["month_from"], self.scope["month_to"]
        return xlsx_response(
            filename=f"{self.export_name}.xlsx",
            title=f"{self.export_title} ({start:%m/%Y} – {end:%m/%Y})",
            columns=self.export_columns,
            rows=rows,
        )


class FiguresScope:
    """The range and scope of a figures page from its filter row: the last twelve months by
    default; an overseer's pages cover the agencies under the agency they act in."""

    filter_form_class = FiguresForm
    overseers_only = False

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and self.overseers_only
            and user_scope(request.user, Action.OVERSEE).empty
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def figures_filters(self) -> dict:
        form = self.filter_form_class(self.request.GET or None, user=self.request.user)
        filters = {}
        if form.is_valid():
            filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        start, end = kpis.default_range(timezone.localdate())
        if not self.request.GET:
            form = self.filter_form_class(
                None, user=self.request.user, initial={"month_from": start, "month_to": end}
            )
        self.figures_form = form
        self.ordering = filters.pop("ordering", "")
        filters.setdefault("month_from", start)
        filters.setdefault("month_to", end)
        if (
            "root" not in filters
            and "agency" not in filters
            and oversees(self.request.user)
            and acting_agency(self.request) is not None
        ):
            filters["root"] = acting_agency(self.request)
        self.scope = {"user": self.request.user, **filters}
        return self.scope

    def scope_context(self) -> dict:
        return {
            "filter_form": self.figures_form,
            "month_from": self.scope["month_from"],
            "month_to": self.scope["month_to"],
            "scope_root": self.scope.get("root"),
            "scope_agency": self.scope.get("agency"),
            "totals": kpis.totals(**self.scope),
            "overseer": oversees(self.request.user),
            "tier_labels": dict(Tier.choices),
        }


class ProcedureFiguresView(FiguresScope, ScopedListView):
    """Per procedure: received, finished, on time, late, in progress (overdue), the on-time
    rate — the lowest rates first."""

    template_name = "records/figures_procedures.html"
    paginate_by = 50
    export_name = "ty-le-dung-han-theo-thu-tuc"
    export_title = gettext_lazy("On-time rate per procedure")
    export_columns = [
        (gettext_lazy("Procedure code"), lambda r: r["procedure__code"]),
        (gettext_lazy("Procedure"), lambda r: r["procedure__name"]),
        (gettext_lazy("Received"), lambda r: r["n_received"]),
        (gettext_lazy("Finished"), lambda r: r["n_finished"]),
        (gettext_lazy("On time"), lambda r: r["n_on_time"]),
        (gettext_lazy("Late"), lambda r: r["n_late"]),
        (gettext_lazy("In progress"), lambda r: r["n_in_progress"]),
        (gettext_lazy("In progress, overdue"), lambda r: r["n_overdue"]),
        (gettext_lazy("On-time rate (%)"), _rate),
    ]

    def get_filters(self):
        self.filter_form = None
        return self.figures_filters()

    def get_queryset(self, filters):
        return kpis.by_procedure(ordering=self.ordering, **filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.scope_context())
        return context


class ProcedureMonthsView(TableExport, FiguresScope, LoginRequiredMixin, TemplateView):
    """One procedure month by month, with its chart and the way to its late dossiers."""

    template_name = "records/figures_procedure.html"
    export_name = "ty-le-dung-han-cua-thu-tuc"
    export_columns = MONTH_COLUMNS

    def export_rows(self, **kwargs):
        procedure = procedure_selectors.catalogue_get(pk=kwargs["pk"])
        self.export_title = procedure.code
        return kpis.by_month(**{**self.figures_filters(), "procedure": procedure})

    def get_context_data(self, **kwargs):
        procedure = procedure_selectors.catalogue_get(pk=kwargs["pk"])
        scope = self.figures_filters()
        scope["procedure"] = procedure
        rows = kpis.by_month(**scope)
        return super().get_context_data(
            procedure=procedure,
            rows=rows,
            chart=_chart(rows),
            channels=kpis.by_channel(**scope),
            **{**self.scope_context(), "totals": kpis.totals(**scope)},
            **kwargs,
        )


class MonthFiguresView(TableExport, FiguresScope, LoginRequiredMixin, TemplateView):
    """Month by month (all procedures), with the chart and the split by channel."""

    template_name = "records/figures_months.html"
    export_name = "ty-le-dung-han-theo-thang"
    export_title = gettext_lazy("On-time rate per month")
    export_columns = MONTH_COLUMNS

    def export_rows(self, **kwargs):
        return kpis.by_month(**self.figures_filters())

    def get_context_data(self, **kwargs):
        scope = self.figures_filters()
        rows = kpis.by_month(**scope)
        return super().get_context_data(
            rows=rows,
            chart=_chart(rows),
            channels=kpis.by_channel(**scope),
            **self.scope_context(),
            **kwargs,
        )


class AgencyFiguresView(FiguresScope, ScopedListView):
    """The overseer's ranking: every agency with dossiers in the range, the best on-time rate
    first."""

    template_name = "records/figures_agencies.html"
    overseers_only = True
    paginate_by = 50
    export_name = "xep-hang-ty-le-dung-han"
    export_title = gettext_lazy("Ranking by on-time rate")
    export_columns = [
        (gettext_lazy("Agency code"), lambda r: r["agency__code"]),
        (gettext_lazy("Agency"), lambda r: r["agency__name"]),
        (gettext_lazy("Received"), lambda r: r["n_received"]),
        (gettext_lazy("Finished"), lambda r: r["n_finished"]),
        (gettext_lazy("On time"), lambda r: r["n_on_time"]),
        (gettext_lazy("Late"), lambda r: r["n_late"]),
        (gettext_lazy("In progress, overdue"), lambda r: r["n_overdue"]),
        (gettext_lazy("On-time rate (%)"), _rate),
    ]

    def get_filters(self):
        self.filter_form = None
        return self.figures_filters()

    def get_queryset(self, filters):
        return kpis.by_agency(ordering=self.ordering, **filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.scope_context())
        page = context["page_obj"]
        context["first_rank"] = page.start_index() if page.paginator.count else 0
        return context


class TierFiguresView(TableExport, FiguresScope, LoginRequiredMixin, TemplateView):
    """The overseer's roll-up: by tier, and by each agency directly under the chosen root
    with its whole subtree."""

    template_name = "records/figures_tiers.html"
    overseers_only = True
    export_name = "ty-le-dung-han-theo-cap"
    export_title = gettext_lazy("On-time rate by tier and subtree")
    export_columns = ROLL_UP_COLUMNS

    def _subtree(self, scope):
        root = scope.get("root") or scope.get("agency")
        if root is None:
            return None, []
        scope_without = {k: v for k, v in scope.items() if k not in ("root", "agency")}
        return root, kpis.by_subtree(root=root, **scope_without)

    def export_rows(self, **kwargs):
        scope = self.figures_filters()
        return [*kpis.by_tier(**scope), *self._subtree(scope)[1]]

    def get_context_data(self, **kwargs):
        scope = self.figures_filters()
        root, subtree = self._subtree(scope)
        return super().get_context_data(
            tiers=kpis.by_tier(**scope),
            subtree=subtree,
            subtree_root=root,
            **self.scope_context(),
            **kwargs,
        )


def _chart(rows: list[dict]) -> dict:
    """The data of a months chart (read by records/figures.js): dossiers finished on time and
    late per month, and the on-time rate."""
    return {
        "labels": [row["month"].strftime("%m/%Y") for row in rows],
        "on_time": [row["figures"].on_time for row in rows],
        "late": [row["figures"].late for row in rows],
        "rate": [
            float(row["figures"].rate) if row["figures"].rate is not None else None for row in rows
        ],
    }
