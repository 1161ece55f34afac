"""The overseer's pages (Sở KH&CN): the registry of the agencies' QMSs, the summary by tier
(page, XLSX, DOCX) and the reminders. Thin: resolve the subtree through a scoped selector,
read through selectors, call one service, render.

Everything here is reached with the oversight reach (overseers and administrators); anyone
else, and any ``?root=`` outside that reach, gets a 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from eiso.core import jobs
from eiso.core.exports import XLSX_TYPE
from eiso.core.generic import official_response, run_service
from eiso.core.kept import kept_for, key_of, reach_of, request_events
from eiso.core.official import content_disposition
from eiso.core.pagination import CheapPaginator
from eiso.core.roles import Action
from eiso.core.routers import using_replica
from eiso.core.scoping import user_may
from eiso.core.views import ScopedListView
from eiso.oversight import outputs, rules, selectors, services
from eiso.oversight.forms import (
    RegistryFilterForm,
    ReminderFilterForm,
    ReminderSendForm,
    SummaryFilterForm,
)
from eiso.oversight.summary import summary_kept, summary_report
from eiso.qms.choices import AnnouncementKind, QmsStatus, ReminderKind, StandardVersion

# How many agencies without anyone to remind the registry names (the count is always given).
UNREACHABLE_SHOWN = 20
# Agencies of the summary's annex per page (the files list them all).
ANNEX_PER_PAGE = 100


class OverseerOnlyMixin(LoginRequiredMixin):
    """404 for anyone signed in who oversees nothing (not a 403 that says the page exists)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.oversees_anything(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ReplicaReadsMixin:
    """The page's reads (its rendering included) from the read replica when one is configured
    (eiso/core/routers.py): the overseer's large reads never load the primary."""

    def dispatch(self, request, *args, **kwargs):
        with using_replica():
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response


def _bound_filters(request, form_class, root, **defaults):
    """The filter form bound to the query string, showing the resolved subtree (and the
    defaults) when the query string does not name them."""
    data = request.GET.copy()
    if root is not None and not data.get("root"):
        data["root"] = str(root.pk)
    for name, value in defaults.items():
        if not data.get(name):
            data[name] = value
    return form_class(data, user=request.user)


# --- the registry ------------------------------------------------------------------------------


def _yes(value) -> str:
    return _("Yes") if value else _("No")


def _status_label(agency) -> str:
    return str(QmsStatus(agency.qms_status or QmsStatus.NOT_STARTED).label)


def _kind_label(agency) -> str:
    return str(AnnouncementKind(agency.last_kind).label) if agency.last_kind else ""


def _version_label(agency) -> str:
    return str(StandardVersion(agency.qms_version).label) if agency.qms_version else ""


def _coverage(agency):
    return round(agency.coverage, 1) if agency.coverage is not None else ""


def _reminded(agency) -> str:
    if not agency.reminded_at:
        return ""
    return f"{timezone.localtime(agency.reminded_at):%d/%m/%Y %H:%M} — {agency.reminded_by or ''}"


REGISTRY_EXPORT_COLUMNS = [
    (gettext_lazy("Code"), lambda a: a.code),
    (gettext_lazy("Agency"), lambda a: a.name),
    (gettext_lazy("Kind"), lambda a: a.kind.name),
    (gettext_lazy("Tier"), lambda a: a.get_tier_display()),
    (gettext_lazy("Must apply"), lambda a: _yes(a.must_apply)),
    (gettext_lazy("QMS status"), _status_label),
    (gettext_lazy("Standard version"), _version_label),
    (gettext_lazy("Announcement number"), lambda a: a.last_number or ""),
    (gettext_lazy("Announcement date"), lambda a: a.last_date),
    (gettext_lazy("First / re-announcement"), _kind_label),
    (gettext_lazy("Received on"), lambda a: a.last_received),
    (gettext_lazy("Procedures handled"), lambda a: a.handled),
    (gettext_lazy("With an ISO procedure"), lambda a: a.covered),
    (gettext_lazy("Coverage (%)"), _coverage),
    (gettext_lazy("Re-announcement due"), lambda a: _yes(a.due)),
    (gettext_lazy("Last reminded"), _reminded),
]


class RootFilteredListView(OverseerOnlyMixin, ScopedListView):
    """A list of the overseer's subtree: ``?root=`` resolved by the view (404 outside); by
    default the top of what they oversee (``default_root``) or everything."""

    required_action = rules.OVERSIGHT
    default_root = True

    def get_filters(self) -> dict:
        value = self.request.GET.get("root")
        self.root = None
        if value or self.default_root:
            self.root = selectors.overseen_root(user=self.request.user, pk=value)
        self.filter_form = _bound_filters(self.request, self.filter_form_class, self.root)
        if not self.filter_form.is_valid():
            return {}
        cleaned = self.filter_form.cleaned_data
        return {k: v for k, v in cleaned.items() if k != "root" and v not in (None, "")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(root=self.root, **kwargs)


def _fix_url(user, agency) -> str:
    """Where the overseer gives an agency someone to receive reminders: its people in the user
    list for whoever manages that agency's people (an administrator), else the agency's page
    (who works there; the administrator is asked)."""
    if user_may(user, Action.MANAGE_USERS, agency):
        return f"{reverse('accounts:user_list')}?{urlencode({'agency': agency.pk})}"
    return reverse("organizations:detail", args=[agency.pk])


class RegistryView(ReplicaReadsMixin, RootFilteredListView):
    """Every agency of the subtree with its QMS, latest announcement, coverage and reminders;
    the reminder buttons, and the agencies a reminder cannot reach."""

    template_name = "oversight/registry.html"
    filter_form_class = RegistryFilterForm
    export_name = "so-theo-doi-iso"
    export_title = gettext_lazy("Registry of QMS")
    export_columns = REGISTRY_EXPORT_COLUMNS
    paginate_by = 50

    def get_queryset(self, filters):
        return selectors.registry_table(user=self.request.user, root=self.root, **filters)

    def get_context_data(self, **kwargs):
        user = self.request.user
        rows = list(kwargs.pop("object_list", []))
        for agency in rows:
            agency.status_label = _status_label(agency)
        kwargs["object_list"] = rows
        reminders = self.reminders(user) if self.root is not None else []
        for reminder in reminders:
            for agency in reminder["unreachable"]:
                agency.fix_url = _fix_url(user, agency)
        return super().get_context_data(reminders=reminders, **kwargs)

    def reminders(self, user) -> list[dict]:
        """``selectors.reminder_reach`` over the whole subtree (5,001 agencies for the national
        overseer), kept like the dashboard (eiso.core.kept, DASHBOARD_MAX_AGE); sending
        reminders is the person's own change, shown at once."""
        root = self.root

        def compute() -> list[dict]:
            return selectors.reminder_reach(actor=user, root=root, shown=UNREACHABLE_SHOWN)

        reach = reach_of(user, Action.OVERSEE, Action.VIEW)
        key = key_of("reminders", reach, root.pk, timezone.localdate(), get_language())
        return kept_for(self.request, key, compute, max_age=settings.DASHBOARD_MAX_AGE).value


# --- the summary -------------------------------------------------------------------------------


def _summary(request, *, page: bool = False, fresh: bool = False):
    """``(form, report)`` of a summary request: the subtree (404 outside) and the date; the
    report is None when the date is refused (the form says why). ``page``: its counts kept
    between requests (``summary_kept``; ``fresh``: computed again now); the files compute them
    now."""
    root = selectors.overseen_root(user=request.user, pk=request.GET.get("root"))
    today = f"{timezone.localdate():%d/%m/%Y}"
    form = _bound_filters(request, SummaryFilterForm, root, date=today)
    if not form.is_valid():
        return form, None
    on = form.cleaned_data["date"]
    if page:
        report = summary_kept(
            user=request.user,
            root=root,
            on=on,
            fresh=fresh,
            events=request_events(request),
        )
        return form, report
    return form, summary_report(user=request.user, root=root, on=on)


class SummaryView(ReplicaReadsMixin, OverseerOnlyMixin, TemplateView):
    """The summary by tier for a date (``?date=dd/mm/yyyy``, today by default): the box of
    sentences, a chart, the table with percentages, the annex; ``?export=xlsx`` as a workbook."""

    template_name = "oversight/summary.html"

    def get(self, request, *args, **kwargs):
        exporting = request.GET.get("export") == "xlsx"
        fresh = request.GET.get("fresh") == "1" and not exporting
        form, report = _summary(request, page=not exporting, fresh=fresh)
        if report is None:
            return summary_refused(request, form)
        if fresh:
            # Computed again and kept: the same page without "fresh", so that its links (the
            # annex's pages) read what was just kept instead of computing it again.
            query = request.GET.copy()
            del query["fresh"]
            return redirect(f"{request.path}?{query.urlencode()}")
        if exporting:
            if _large(report):
                title = _("Summary by tier as of %(date)s (XLSX)") % {
                    "date": f"{report.on:%d/%m/%Y}"
                }
                return _file_job(request, report, "oversight.summary_xlsx", title)
            response = HttpResponse(outputs.summary_xlsx(report), content_type=XLSX_TYPE)
            response["Content-Disposition"] = content_disposition(
                f"{outputs.summary_basename(report.on)}.xlsx"
            )
            return response
        query = {"date": f"{report.on:%d/%m/%Y}"}
        if report.root is not None:
            query["root"] = report.root.pk
        # The annex a page at a time (the country's is 5,000 agencies); the files list them all.
        annex = CheapPaginator(report.annex, ANNEX_PER_PAGE).get_page(request.GET.get("page"))
        return self.render_to_response(
            self.get_context_data(
                report=report,
                rows=report.rows,
                annex=annex.object_list,
                page_obj=annex,
                sentences=report.sentences(),
                filter_form=form,
                export_enabled=True,
                chart=_chart(report),
                file_query=urlencode(query),
            )
        )


def _large(report) -> bool:
    """Whether the summary's files are too large to build within a request."""
    total = report.total
    return bool(total) and total["agencies"] > settings.OUTPUT_SYNC_AGENCIES


def _file_job(request, report, kind: str, title: str, **params):
    """Queue one of the summary's files in the background and show its page."""
    params = {
        "root": report.root.pk if report.root is not None else None,
        "date": report.on.isoformat(),
        **params,
    }
    job = jobs.job_start(
        actor=request.user, kind=kind, params=params, title=title, agency=report.root
    )
    return redirect("jobs:detail", pk=job.pk)


def summary_refused(request, form):
    """The summary page with the form's error and no numbers (status 400), for the page and
    its files alike: a date that cannot be read is never replaced by another."""
    messages.error(request, _("The summary was not made: correct the date."))
    context = {"report": None, "filter_form": form, "export_enabled": False}
    return TemplateResponse(request, SummaryView.template_name, context, status=400)


def _chart(report) -> dict:
    rows = [r for r in report.rows if r["tier"]]
    series = (
        ("must_apply", _("Must apply")),
        ("built", _("Built")),
        ("applied", _("Applied")),
        ("announced", _("Announced")),
        ("re_announced", _("Re-announced")),
        ("not_announced", _("Not yet announced")),
    )
    return {
        "labels": [str(r["label"]) for r in rows],
        "series": [{"label": str(label), "data": [r[key] for r in rows]} for key, label in series],
    }


class SummaryDocxView(ReplicaReadsMixin, OverseerOnlyMixin, View):
    """The summary as a report in the official layout (DOCX), with the annex, issued by the
    subtree's top agency (or the overseer's own)."""

    def get(self, request):
        form, report = _summary(request)
        if report is None:
            return summary_refused(request, form)
        issuer = report.root
        if issuer is None:
            membership = getattr(request, "membership", None)
            issuer = membership.agency if membership else None
        if issuer is None:
            raise Http404
        if _large(report):
            title = _("Summary by tier as of %(date)s (DOCX)") % {"date": f"{report.on:%d/%m/%Y}"}
            return _file_job(request, report, "oversight.summary_docx", title, issuer=issuer.pk)
        document = outputs.summary_document(report, issuer=issuer)
        return official_response(document, outputs.summary_basename(report.on), "docx")


# --- reminders ---------------------------------------------------------------------------------

REMINDER_EXPORT_COLUMNS = [
    (gettext_lazy("Sent on"), lambda r: r.sent_at),
    (gettext_lazy("Sent by"), lambda r: str(r.sent_by)),
    (gettext_lazy("Code"), lambda r: r.agency.code),
    (gettext_lazy("Agency"), lambda r: r.agency.name),
    (gettext_lazy("Reminder"), lambda r: r.get_kind_display()),
    (gettext_lazy("People notified"), lambda r: r.recipients),
    (gettext_lazy("Message"), lambda r: r.message),
]


class ReminderListView(RootFilteredListView):
    """GET: the reminders sent (who, when, which agency, what), the whole subtree by default.
    POST: remind every agency of a subtree that must apply and has not announced, or whose
    re-announcement is due; say which agencies nobody could receive it in."""

    template_name = "oversight/reminders.html"
    filter_form_class = ReminderFilterForm
    export_name = "nhac-viec-cong-bo"
    export_title = gettext_lazy("Reminders sent")
    export_columns = REMINDER_EXPORT_COLUMNS
    default_root = False

    def get_queryset(self, filters):
        return selectors.reminder_list(user=self.request.user, root=self.root, **filters)

    def post(self, request):
        form = ReminderSendForm(request.POST)
        back = reverse("oversight:registry")
        if not form.is_valid():
            messages.error(request, _("Choose what to remind the agencies of."))
            return redirect(back)
        root = selectors.overseen_root(user=request.user, pk=form.cleaned_data.get("root"))
        if root is None:
            messages.error(request, _("Choose the agencies to remind (a subtree)."))
            return redirect(back)
        kind = form.cleaned_data["kind"]
        ok, result = run_service(
            request,
            None,
            lambda: services.reminders_send(
                actor=request.user,
                root=root,
                kind=kind,
                message=form.cleaned_data.get("message", ""),
            ),
        )
        if ok:
            _report_sent(request, result, ReminderKind(kind).label)
        return redirect(f"{back}?{urlencode({'root': root.pk})}")


def _report_sent(request, result, kind_label) -> None:
    if result.count:
        messages.success(
            request,
            ngettext(
                "A reminder was sent to %(count)s agency: %(kind)s.",
                "A reminder was sent to %(count)s agencies: %(kind)s.",
                result.count,
            )
            % {"count": result.count, "kind": kind_label},
        )
    if result.unreachable:
        messages.warning(
            request,
            ngettext(
                "%(count)s agency was NOT reminded: it has no active ISO secretary or head "
                "account to receive it (%(names)s). Give someone there that role, then remind "
                "again.",
                "%(count)s agencies were NOT reminded: they have no active ISO secretary or "
                "head account to receive it (%(names)s). Give someone there that role, then "
                "remind again.",
                len(result.unreachable),
            )
            % {
                "count": len(result.unreachable),
                "names": ", ".join(str(a) for a in result.unreachable[:UNREACHABLE_SHOWN])
                + ("…" if len(result.unreachable) > UNREACHABLE_SHOWN else ""),
            },
        )
    if not result.count and not result.unreachable:
        messages.info(request, _("No agency needed this reminder."))
