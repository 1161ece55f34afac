"""The home page: what is mine to do today (the inbox), and for the agency's people their
documents and obligations; for overseers and administrators, the dashboard of the subtree they
choose on the day they choose — each number a link to the list behind it, every panel
exportable — with the league table, the trends, the agencies inspected in the year, and one
agency's page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from eiso.accounts import selectors as account_selectors
from eiso.core.exports import xlsx_response
from eiso.core.generic import ServiceFormView
from eiso.core.kept import kept_for, key_of, reach_of, request_events
from eiso.core.roles import Action, Role
from eiso.core.views_inbox import items_for_request
from eiso.cycle import display
from eiso.cycle import selectors as cycle_selectors
from eiso.cycle import services as cycle_services
from eiso.cycle.choices import ObligationState
from eiso.dashboard import charts, indicators, selectors, services
from eiso.dashboard.forms import DashboardForm, FormulaForm, RankingForm
from eiso.documents import rules as document_rules
from eiso.documents import selectors as document_selectors
from eiso.organizations import selectors as org_selectors
from eiso.qms.choices import QmsStatus


def _role(request):
    user, membership = request.user, request.membership
    if user.is_superuser and membership is None:
        return Role.ADMIN
    return membership.role if membership else None


def _root_and_day(request, form_class=DashboardForm):
    """The subtree (``?root=``: one the user oversees, else 404) and the day (``?date=``,
    today by default) — by default the top of what they oversee."""
    pk = request.GET.get("root")
    root = cycle_selectors.overseen_root(user=request.user, pk=pk)
    data = request.GET.copy()
    if root is not None and not data.get("root"):
        data["root"] = str(root.pk)
    form = form_class(data, user=request.user)
    on = timezone.localdate()
    if form.is_valid() and form.cleaned_data.get("date"):
        on = form.cleaned_data["date"]
    return root, on, form


def _query(root, on, **extra) -> str:
    values = {"date": f"{on:%d/%m/%Y}", **extra}
    if root is not None:
        values["root"] = root.pk
    return urlencode(values)


# --- exports of the panels -------------------------------------------------------------------


def _panel_export(panel: str, board, root, on, user):
    notes = [
        (root.name if root else _("Everything I oversee"))
        + " · "
        + _("As of %(day)s") % {"day": f"{on:%d/%m/%Y}"}
    ]
    if panel == "tiers":
        columns = [
            (gettext_lazy("Tier"), lambda r: r["label"]),
            (gettext_lazy("Agencies"), lambda r: r["total"]),
        ]
        columns += [
            (label, lambda r, s=value: r["statuses"][s]) for value, label in QmsStatus.choices
        ]
        rows, title = board.tiers, _("Agencies by tier and QMS status")
    elif panel == "obligations":
        columns = [
            (gettext_lazy("Obligation"), lambda r: r["title"]),
            (gettext_lazy("Agencies"), lambda r: r["agencies"]),
            (gettext_lazy("Met"), lambda r: r["met"]),
            (gettext_lazy("Met on time"), lambda r: r["on_time"]),
            (gettext_lazy("Overdue"), lambda r: r["overdue"]),
            (gettext_lazy("Due soon"), lambda r: r["due_soon"]),
        ]
        rows, title = board.obligations, _("Obligations of %(year)s") % {"year": board.year}
    elif panel == "ranking":
        columns, rows, title = _ranking_columns(), board.scores, _("League table")
    elif panel == "trends":
        columns = [(gettext_lazy("Year"), lambda r: r[0])] + [
            (label, lambda r, i=i: r[i + 1]) for i, label in enumerate(charts.TREND_LABELS.values())
        ]
        t = board.trends
        rows = [(y, *(t[key][i] for key in charts.TREND_LABELS)) for i, y in enumerate(t["years"])]
        title = _("Trends over the years")
    elif panel == "inspected":
        columns = _inspected_columns()
        rows = selectors.inspected_list(user=user, root=root, on=on)
        title = _("Agencies inspected in %(year)s") % {"year": board.year}
    elif panel == "indicators":
        columns = [
            (gettext_lazy("Indicator"), lambda r: r[0]),
            (gettext_lazy("Value"), lambda r: r[1]),
        ]
        rows, title = _indicator_rows(board), _("Indicators")
    else:
        raise Http404
    return xlsx_response(
        filename=f"bang-dieu-khien-{panel}.xlsx",
        title=title,
        columns=columns,
        rows=rows,
        notes=notes,
    )


def _inspected_columns():
    return [
        (gettext_lazy("Code"), lambda a: a.code),
        (gettext_lazy("Agency"), lambda a: a.name),
        (gettext_lazy("Tier"), lambda a: a.get_tier_display()),
    ]


def _ranking_columns():
    columns = [
        (gettext_lazy("Rank"), lambda s: s.rank),
        (gettext_lazy("Code"), lambda s: s.agency.code),
        (gettext_lazy("Agency"), lambda s: s.agency.name),
        (gettext_lazy("Score"), lambda s: s.score),
    ]
    columns += [
        (label, lambda s, k=key: s.values.get(k)) for key, label in indicators.LABELS.items()
    ]
    return columns


def _indicator_rows(board) -> list[tuple]:
    return [
        (_("Agencies"), board.agencies),
        (_("Agencies bound by the obligations"), board.concerned),
        (_("Announcements awaiting receipt"), board.awaiting_receipt),
        (_("Obligations met (agencies × obligations)"), board.obligations_met),
        (_("Obligations overdue (agencies × obligations)"), board.obligations_overdue),
        (_("Nonconformities open"), board.nonconformities["open"]),
        (_("Nonconformities overdue"), board.nonconformities["overdue"]),
        (_("Objectives met (%)"), board.objectives["pct"]),
        (_("Dossiers on time (%)"), board.on_time_rate["value"]),
        (_("Citizens satisfied (%)"), board.satisfaction["value"]),
        (_("Agencies inspected in %(year)s") % {"year": board.year}, board.inspected["count"]),
        (_("Agencies inspected (%)"), board.inspected["pct"]),
    ]


# --- the home page -------------------------------------------------------------------------------


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "dashboard/home.html"

    def get(self, request, *args, **kwargs):
        role = _role(request)
        if role in (Role.OVERSEER, Role.ADMIN) and selectors.can_oversee(request.user):
            return self.dashboard(request, role)
        return super().get(request, *args, **kwargs)

    def dashboard(self, request, role):
        root, on, form = _root_and_day(request)
        panel = request.GET.get("export")
        if panel:  # every row of the league table: computed for the export
            board = selectors.dashboard(user=request.user, root=root, on=on)
            return _panel_export(panel, board, root, on, request.user)
        board = selectors.dashboard_kept(
            user=request.user,
            root=root,
            on=on,
            fresh=request.GET.get("fresh") == "1",
            events=request_events(request),
        )
        context = self.get_context_data(
            role=role,
            membership=request.membership,
            inbox_items=items_for_request(request),
            board=board,
            filter_form=form,
            query=_query(root, on),
            year_query=_query(root, on, year=board.year),
            charts=charts.dashboard_charts(board),
            labels=indicators.LABELS,
            status_labels=dict(QmsStatus.choices),
            can_keep_formula=services.can_keep_formula(request.user),
            overdue_tasks=self.overdue_tasks(request, root),
        )
        self.template_name = "dashboard/overseer.html"
        return self.render_to_response(context)

    def overdue_tasks(self, request, root) -> int:
        """The subtree's overdue revision tasks (3.8 ms of SQL for the country's 5,001
        agencies), kept like the dashboard beside them (eiso.core.kept, DASHBOARD_MAX_AGE): the
        person's own change, or "compute again", shows at once."""
        user = request.user
        key = key_of(
            "overdue-tasks",
            reach_of(user, Action.VIEW),
            root.pk if root is not None else None,
            timezone.localdate(),
        )
        return kept_for(
            request,
            key,
            lambda: document_selectors.task_list(user=user, overdue=True, agency=root).count(),
            max_age=settings.DASHBOARD_MAX_AGE,
            fresh=request.GET.get("fresh") == "1",
        ).value

    def get_context_data(self, **kwargs):
        if "board" in kwargs:
            return super().get_context_data(**kwargs)
        user = self.request.user
        membership = self.request.membership
        context = {
            "role": _role(self.request),
            "membership": membership,
            "inbox_items": items_for_request(self.request),
            "today": timezone.localdate(),
        }
        if membership is not None:
            context.update(self.panels(user, membership))
        return super().get_context_data(**context, **kwargs)

    def panels(self, user, membership) -> dict:
        """The agency's people and departments, the documents' and the obligations' panels,
        kept like the inbox (eiso.core.kept): for at most INBOX_MAX_AGE seconds while other
        agencies change data; anything written in the agency shows at once."""

        def compute() -> dict:
            agency = membership.agency
            return {
                "colleagues": list(
                    account_selectors.membership_list(user=user, agency=agency, active=True)[:20]
                ),
                "departments": list(org_selectors.department_list(user=user, agency=agency)),
                **self.documents_context(user, agency),
                **self.obligations_context(user, membership),
            }

        key = key_of("home", user.pk, membership.pk, timezone.localdate(), get_language())
        return kept_for(
            self.request,
            key,
            compute,
            max_age=settings.INBOX_MAX_AGE,
            agency_ids=[membership.agency_id],
        ).value

    def obligations_context(self, user, membership) -> dict:
        """This year's obligations for those who answer for them (from the snapshot, computed
        again when the agency's data changed)."""
        from eiso.cycle import rules as cycle_rules

        if membership.role not in cycle_rules.RECIPIENT_ROLES:
            return {}
        today = timezone.localdate()
        cycle_services.ensure_fresh(agency_ids=[membership.agency_id], on=today)
        rows = [
            row for row in cycle_selectors.snapshot([membership.agency_id]).filter(year=today.year)
        ]
        for row in rows:
            row.state = display_state(row, today)
            row.state_label = ObligationState(row.state).label
            row.css, row.icon = display.badge(row.state)
        rows.sort(key=lambda r: (r.met_on is not None, r.due))
        return {
            "obligations": rows[:8],
            "obligation_counts": {
                "overdue": sum(1 for r in rows if r.state == "overdue"),
                "met": sum(1 for r in rows if r.met_on is not None),
                "total": len(rows),
            },
        }

    def documents_context(self, user, agency) -> dict:
        """Document control on the home page: what to read; for the QMS's keepers, the
        revision tasks and the master-list review (a fixed number of queries)."""
        to_read = document_selectors.pending_acknowledgements(user=user)
        context = {
            "to_read": list(to_read[:10]),
            "to_read_count": to_read.count(),
            "today": timezone.localdate(),
        }
        if document_rules.can_see_drafts(user, agency):
            tasks = document_selectors.task_list(user=user, status="open", agency=agency)
            context.update(
                keeps_documents=True,
                open_tasks=list(tasks[:8]),
                open_task_count=tasks.count(),
                overdue_task_count=document_selectors.task_list(
                    user=user, overdue=True, agency=agency
                ).count(),
                review_status=document_selectors.master_list_review_status(
                    user=user, agency=agency
                ),
            )
        return context


def display_state(row, today) -> str:
    from eiso.cycle import engine

    return engine.state_of(
        due=row.due, met_on=row.met_on, on=today, remind_before=row.remind_before_days
    )


# --- the league table, one agency, the formula -------------------------------------------------------


class OverseerMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.can_oversee(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class RankingView(OverseerMixin, TemplateView):
    """Every agency of the subtree by its composite score (or one indicator), with the
    formula; ``?export=xlsx``."""

    template_name = "dashboard/ranking.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        root, on, form = _root_and_day(request, RankingForm)
        order = form.cleaned_data.get("order") if form.is_valid() else ""
        formula = indicators.formula_on(on)
        scores = indicators.compute(
            list(cycle_selectors.subtree_agencies(user=request.user, root=root, on=on)),
            year=on.year,
            on=on,
            weights=formula.weights if formula else {},
            among=cycle_selectors.subtree(user=request.user, root=root),
            counting=True,
        )
        if order in indicators.LABELS:
            scores = sorted(
                scores,
                key=lambda s: (s.values.get(order) is None, -(s.values.get(order) or 0)),
            )
        if request.GET.get("export") == "xlsx":
            return xlsx_response(
                filename="xep-hang.xlsx",
                title=_("League table"),
                columns=_ranking_columns(),
                rows=scores,
                notes=[indicators.formula_text(formula)],
            )
        page = Paginator(scores, self.paginate_by).get_page(request.GET.get("page"))
        for item in page.object_list:
            item.shown = [item.values.get(key) for key in indicators.LABELS]
        context = self.get_context_data(
            filter_form=form,
            page_obj=page,
            formula=formula,
            formula_text=indicators.formula_text(formula),
            labels=indicators.LABELS,
            root=root,
            on=on,
            export_enabled=True,
            query=_query(root, on),
        )
        return self.render_to_response(context)


class InspectedView(OverseerMixin, TemplateView):
    """The drill-down of "inspected this year": the agencies of the subtree with an inspection
    record made by the day in an approved plan of its year; ``?export=xlsx``."""

    template_name = "dashboard/inspected.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        root, on, form = _root_and_day(request)
        agencies = selectors.inspected_list(user=request.user, root=root, on=on)
        title = _("Agencies inspected in %(year)s") % {"year": on.year}
        if request.GET.get("export") == "xlsx":
            return xlsx_response(
                filename="da-kiem-tra.xlsx",
                title=title,
                columns=_inspected_columns(),
                rows=agencies,
                notes=[
                    (root.name if root else _("Everything I oversee"))
                    + " · "
                    + _("As of %(day)s") % {"day": f"{on:%d/%m/%Y}"}
                ],
            )
        page = Paginator(agencies, self.paginate_by).get_page(request.GET.get("page"))
        context = self.get_context_data(
            title=title,
            filter_form=form,
            page_obj=page,
            root=root,
            on=on,
            export_enabled=True,
            query=_query(root, on),
        )
        return self.render_to_response(context)


class AgencyView(OverseerMixin, TemplateView):
    """One agency in the drill-down: its indicators and score, its obligations of the year,
    links to its records."""

    template_name = "dashboard/agency.html"

    def get(self, request, pk):
        agency = org_selectors.agency_get(user=request.user, pk=pk, action=Action.OVERSEE)
        _root, on, _form = _root_and_day(request)
        found = selectors.agency_scores(agency=agency, on=on)
        rows = sorted(found.obligations.obligations, key=lambda o: (o.due, o.rule.order))
        for row in rows:
            row.css, row.icon = display.badge(row.state)
        formula = indicators.formula_on(on)
        context = self.get_context_data(
            agency=agency,
            on=on,
            found=found,
            rows=rows,
            values=[(indicators.LABELS[k], found.values.get(k)) for k in indicators.LABELS],
            formula_text=indicators.formula_text(formula),
            obligations_url=f"{reverse('cycle:agency')}?"
            + urlencode({"agency": agency.pk, "date": f"{on:%d/%m/%Y}"}),
        )
        return self.render_to_response(context)


class FormulaView(OverseerMixin, TemplateView):
    template_name = "dashboard/formula.html"

    def get(self, request):
        on = timezone.localdate()
        formulas = selectors.formula_history()
        context = self.get_context_data(
            formulas=formulas,
            current=indicators.formula_on(on),
            labels=indicators.LABELS,
            formula_text=indicators.formula_text,
            can_keep=services.can_keep_formula(request.user),
        )
        return self.render_to_response(context)


class FormulaCreateView(ServiceFormView):
    form_class = FormulaForm
    title = gettext_lazy("A new version of the score's formula")
    success_message = gettext_lazy("The new formula is kept; it ranks from its first day.")

    def load(self):
        if not services.can_keep_formula(self.request.user):
            raise Http404
        return indicators.formula_on(timezone.localdate())

    def get_initial(self):
        current = self.object
        initial = {"effective_from": timezone.localdate()}
        if current is not None:
            initial["name"] = current.name
            initial["basis"] = current.basis
            for key, weight in current.weights.items():
                initial[f"w_{key}"] = weight
        return initial

    def get_cancel_url(self):
        return reverse("dashboard:formula")

    def perform(self, form):
        data = form.cleaned_data
        return services.score_formula_create(
            actor=self.request.user,
            name=data["name"],
            effective_from=data["effective_from"],
            weights=form.weights(),
            basis=data.get("basis") or "",
        )

    def get_success_url(self, result):
        return reverse("dashboard:formula")
