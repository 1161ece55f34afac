"""The overseer's pages (Sở KH&CN): the registry of agencies' QMSs, the provincial summary by
tier (page, XLSX, DOCX) and the reminders sent. Thin: resolve the subtree through a scoped
selector, read through selectors, call one service, render.

Everything here is reached with the MANAGE_AGENCIES scope (overseers and administrators); anyone
else, and any ``?root=`` outside that scope, gets a 404."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.errors import ApplicationError
from eiso.core.exports import XLSX_TYPE
from eiso.core.official import content_disposition, docx_response, render_docx
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.core.views import ScopedListView
from eiso.qms import reminders, selectors, summary_outputs
from eiso.qms.choices import ReminderKind
from eiso.qms.forms_oversight import (
    RegistryFilterForm,
    ReminderFilterForm,
    ReminderSendForm,
    SummaryFilterForm,
)

# --- the subtree -------------------------------------------------------------------------------


def require_overseer(user) -> None:
    if not user.is_authenticated or user_scope(user, Action.MANAGE_AGENCIES).empty:
        raise Http404


def resolve_root(user, value):
    """``?root=<agency id>`` among the agencies the user oversees (else 404); by default the
    top of their subtree."""
    return selectors.overseen_root(user=user, pk=value)


def parse_date(value: str | None) -> datetime.date:
    """``dd/mm/yyyy`` (or ISO); today when empty or unreadable."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime((value or "").strip(), fmt).date()
        except ValueError:
            continue
    return timezone.localdate()


def _yes(value) -> str:
    return _("Yes") if value else _("No")


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


# --- the registry ------------------------------------------------------------------------------


def _status_label(agency) -> str:
    from eiso.qms.choices import QmsStatus

    return str(QmsStatus(agency.qms_status or QmsStatus.NOT_STARTED).label)


def _kind_label(agency) -> str:
    from eiso.qms.choices import AnnouncementKind

    return str(AnnouncementKind(agency.last_kind).label) if agency.last_kind else ""


def _version_label(agency) -> str:
    from eiso.qms.choices import StandardVersion

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


class RootFilteredListView(ScopedListView):
    """A list of the overseer's subtree: ``?root=`` resolved by the view (404 outside)."""

    required_action = Action.MANAGE_AGENCIES

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_overseer(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_filters(self) -> dict:
        self.root = resolve_root(self.request.user, self.request.GET.get("root"))
        filters = super().get_filters()
        filters.pop("root", None)
        return filters

    def get_context_data(self, **kwargs):
        return super().get_context_data(root=self.root, **kwargs)


class RegistryView(RootFilteredListView):
    """Every agency of the subtree with its QMS, latest announcement, coverage and reminders."""

    template_name = "oversight/registry.html"
    filter_form_class = RegistryFilterForm
    export_name = "so-theo-doi-iso"
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
        due = (
            {
                kind: reminders.reminder_targets(actor=user, root=self.root, kind=kind).count()
                for kind in ReminderKind.values
            }
            if self.root is not None
            else {}
        )
        return super().get_context_data(
            reminder_counts=due,
            reminder_kinds=ReminderKind,
            send_form=ReminderSendForm(),
            **kwargs,
        )


# --- the summary -------------------------------------------------------------------------------


class SummaryData:
    """What the summary page and its files show, read once."""

    def __init__(self, request):
        user = request.user
        self.root = resolve_root(user, request.GET.get("root"))
        self.on = parse_date(request.GET.get("date"))
        self.rows = summary_outputs.with_percentages(
            selectors.summary(user=user, root=self.root, on=self.on),
            selectors.summary_required(user=user, root=self.root, on=self.on),
        )
        self.kinds = selectors.summary_by_kind(user=user, root=self.root, on=self.on)
        self.annex = selectors.registry(user=user, root=self.root, on=self.on)

    def sentences(self) -> list[str]:
        """ "156/156 UBND cấp xã đã công bố" per tier and per kind: among the agencies that
        must apply, or among all where none must (those encouraged to apply)."""
        lines = []
        for r in self.rows:
            if not r["tier"]:
                continue
            if r["must_apply"]:
                text = _(
                    "%(announced)s/%(count)s agencies at %(tier)s level that must apply announced"
                )
                numbers = {"announced": r["required"]["announced"], "count": r["must_apply"]}
            else:
                text = _(
                    "%(announced)s/%(count)s agencies at %(tier)s level announced (not required)"
                )
                numbers = {"announced": r["announced"], "count": r["agencies"]}
            lines.append(text % {**numbers, "tier": str(r["label"]).lower()})
        for k in self.kinds:
            if k["must_apply"]:
                text = _("%(announced)s/%(count)s %(kind)s announced")
                numbers = {"announced": k["announced_required"], "count": k["must_apply"]}
            else:
                text = _("%(announced)s/%(count)s %(kind)s announced (not required)")
                numbers = {"announced": k["announced"], "count": k["agencies"]}
            lines.append(text % {**numbers, "kind": k["label"]})
        return lines


class SummaryView(LoginRequiredMixin, TemplateView):
    template_name = "oversight/summary.html"

    def get(self, request, *args, **kwargs):
        data = SummaryData(request)
        if request.GET.get("export") == "xlsx":
            content = summary_outputs.summary_xlsx(rows=data.rows, annex=data.annex, on=data.on)
            response = HttpResponse(content, content_type=XLSX_TYPE)
            response["Content-Disposition"] = content_disposition(
                summary_outputs.summary_filename(data.on, "xlsx")
            )
            return response
        form = SummaryFilterForm(
            initial={"date": data.on, "root": data.root.pk if data.root else None},
            user=request.user,
        )
        chart = {
            "labels": [str(r["label"]) for r in data.rows if r["tier"]],
            "series": [
                {"label": str(label), "data": [r[key] for r in data.rows if r["tier"]]}
                for key, label in (
                    ("must_apply", _("Must apply")),
                    ("built", _("Built")),
                    ("applied", _("Applied")),
                    ("announced", _("Announced")),
                    ("re_announced", _("Re-announced")),
                    ("not_announced", _("Not yet announced")),
                )
            ],
        }
        query = {"date": f"{data.on:%d/%m/%Y}"}
        if data.root is not None:
            query["root"] = data.root.pk
        return self.render_to_response(
            self.get_context_data(
                data=data,
                rows=data.rows,
                annex=data.annex,
                sentences=data.sentences(),
                filter_form=form,
                chart=chart,
                file_query=urlencode(query),
            )
        )


class SummaryDocxView(LoginRequiredMixin, View):
    """The summary as a report in the official layout (DOCX), with the annex."""

    def get(self, request):
        data = SummaryData(request)
        issuer = data.root
        if issuer is None:
            membership = getattr(request, "membership", None)
            issuer = membership.agency if membership else None
        if issuer is None:
            raise Http404
        document = summary_outputs.summary_document(
            issuer=issuer,
            root=data.root,
            rows=data.rows,
            kinds=data.kinds,
            annex=data.annex,
            on=data.on,
        )
        return docx_response(
            render_docx(document), summary_outputs.summary_filename(data.on, "docx")
        )


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
    """GET: the reminders sent (who, when, which agency, what). POST: send reminders to every
    agency of the subtree that has not announced, or whose re-announcement is due."""

    template_name = "oversight/reminders.html"
    filter_form_class = ReminderFilterForm
    export_name = "nhac-viec-cong-bo"
    export_columns = REMINDER_EXPORT_COLUMNS

    def get_filters(self) -> dict:
        # The reminders list shows the whole subtree by default (not only one root).
        value = self.request.GET.get("root")
        filters = super().get_filters()
        if value in (None, ""):
            self.root = None
        return filters

    def get_queryset(self, filters):
        return reminders.reminder_list(user=self.request.user, root=self.root, **filters)

    def post(self, request):
        require_overseer(request.user)
        form = ReminderSendForm(request.POST)
        back = reverse("oversight:registry")
        if not form.is_valid():
            messages.error(request, _("Choose what to remind the agencies of."))
            return redirect(back)
        root = resolve_root(request.user, form.cleaned_data.get("root"))
        if root is None:
            messages.error(request, _("Choose the agencies to remind (a subtree)."))
            return redirect(back)
        try:
            count = reminders.reminders_send(
                actor=request.user,
                root=root,
                kind=form.cleaned_data["kind"],
                message=form.cleaned_data.get("message", ""),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        if count:
            messages.success(
                request,
                _("A reminder was sent to %(count)s agency(ies): %(kind)s.")
                % {"count": count, "kind": ReminderKind(form.cleaned_data["kind"]).label},
            )
        else:
            messages.info(request, _("No agency needed this reminder."))
        return redirect(f"{back}?{urlencode({'root': root.pk})}")
