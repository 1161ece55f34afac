"""Base views every app builds on: a scoped, filterable, sortable, paginated, exportable list;
application errors turned into form errors; and the audit-trail page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core import audit_display, imports, selectors
from eiso.core.errors import ApplicationError
from eiso.core.exports import xlsx_response
from eiso.core.forms import AuditFilterForm, UploadForm
from eiso.core.notifications import notification_mark_read
from eiso.core.pagination import CheapPaginator
from eiso.core.roles import Action
from eiso.core.scoping import single_agency, user_scope


class ScopedListView(LoginRequiredMixin, TemplateView):
    """A list page. Subclasses give ``filter_form_class`` and ``get_queryset(filters)`` (which
    calls a selector), ``export_columns`` and ``export_name`` for ``?export=xlsx``."""

    paginate_by = 25
    # Exact counts up to 10,000 rows, then "more than …" or PostgreSQL's estimate
    # (eiso/core/pagination.py): a list's count never reads millions of rows.
    paginator_class = CheapPaginator
    filter_form_class = None
    export_columns: list = []
    export_name = "export"
    export_title = ""  # the title on top of the XLSX extract (default: export_name)
    required_action: Action | None = None

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and self.required_action
            and user_scope(request.user, self.required_action).empty
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_filters(self) -> dict:
        if self.filter_form_class is None:
            return {}
        self.filter_form = self.filter_form_class(self.request.GET or None, user=self.request.user)
        if self.filter_form.is_valid():
            return {k: v for k, v in self.filter_form.cleaned_data.items() if v not in (None, "")}
        return {}

    def get_queryset(self, filters: dict):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.filter_form = None
        filters = self.get_filters()
        queryset = self.get_queryset(filters)
        if request.GET.get("export") == "xlsx" and self.export_columns:
            return xlsx_response(
                filename=f"{self.export_name}.xlsx",
                title=str(self.export_title or self.export_name),
                columns=self.export_columns,
                rows=queryset.iterator(chunk_size=2000)
                if not getattr(queryset, "_prefetch_related_lookups", ())
                else queryset,
            )
        # A search reads its matches once: the count and the page from the same keys.
        paginator = self.paginator_class(
            queryset, self.paginate_by, keys_first=bool(filters.get("q"))
        )
        page = paginator.get_page(request.GET.get("page"))
        context = self.get_context_data(
            page_obj=page,
            object_list=page.object_list,
            filter_form=self.filter_form,
            # Rows from more than one agency (overseers, "all my agencies") show which.
            show_agency=not single_agency(request.user),
            export_enabled=bool(self.export_columns),
            **kwargs,
        )
        return self.render_to_response(context)


def apply_service(request, form, call, *, success_message: str | None = None):
    """Run a service call; an ApplicationError becomes form errors (nothing saved, what was
    typed kept). Returns the service result or None."""
    try:
        result = call()
    except ApplicationError as exc:
        if exc.fields and form is not None:
            for field, errors in exc.fields.items():
                target = field if field in form.fields else None
                for error in errors:
                    form.add_error(target, error)
            if not any(f in form.fields for f in exc.fields):
                form.add_error(None, exc.message)
        elif form is not None:
            form.add_error(None, exc.message)
        else:
            messages.error(request, exc.message)
        return None
    if success_message:
        messages.success(request, success_message)
    return result


def _event_changes(event) -> str:
    display = audit_display.describe(event)
    lines = [str(line) for line in display.lines]
    if event.reason:
        lines.append(f"{pgettext('audit', 'Reason')}: {event.reason}")
    return "\n".join(lines)


class AuditListView(ScopedListView):
    """The audit trail: who did what, when, from where; filtered by agency, person, action,
    object type and dates; values shown by their type and in words (``audit_display``)."""

    template_name = "core/audit_list.html"
    filter_form_class = AuditFilterForm
    required_action = Action.AUDIT
    paginate_by = 50
    export_name = "nhat-ky-thay-doi"
    export_title = _("Audit trail")
    export_columns = [
        (_("Time"), lambda e: e.created_at),
        (pgettext_lazy("audit", "Person"), lambda e: e.actor_name),
        (_("Agency"), lambda e: e.agency or ""),
        (_("Action"), lambda e: audit_display.action_label(e.action)),
        (_("Object type"), lambda e: audit_display.object_type_label(e.object_type)),
        (_("Object"), lambda e: e.object_repr),
        (pgettext_lazy("audit", "Changes"), _event_changes),
        (pgettext_lazy("audit", "IP address"), lambda e: e.remote_addr),
    ]

    def get_queryset(self, filters):
        return selectors.audit_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = [(e, audit_display.describe(e)) for e in context["object_list"]]
        return context


class ImportView(LoginRequiredMixin, TemplateView):
    """Upload → preview (every bad row with its reason) → confirm. A file of more than
    IMPORT_SYNC_ROWS rows goes to a background job whose page shows the progress. Subclasses set
    ``import_kind`` and ``success_url``; the sample file comes from the importer's columns."""

    template_name = "core/import.html"
    import_kind = ""
    success_url = "/"
    sample_url = ""

    def agency_context(self):
        membership = getattr(self.request, "membership", None)
        return membership.agency if membership else None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.importer = imports.importer_for(self.import_kind)
        try:
            self.importer.check_permission(actor=request.user, agency=self.agency_context())
        except ApplicationError:
            raise Http404 from None
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        sample_url = self.sample_url
        if not sample_url and self.importer.sample_rows:
            sample_url = reverse("imports:sample", args=[self.importer.kind])
        report = kwargs.get("report")
        return super().get_context_data(
            importer=self.importer,
            sample_url=sample_url,
            preview_rows=self.importer.preview(report) if report is not None else [],
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=UploadForm()))

    def post(self, request, *args, **kwargs):
        if "batch" in request.POST:
            return self._confirm(request)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        try:
            batch, report = imports.import_preview(
                actor=request.user,
                agency=self.agency_context(),
                kind=self.import_kind,
                filename=upload.name,
                content=upload.read(),
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
            return self.render_to_response(self.get_context_data(form=form))
        if report is None:  # a large file: checked in the background
            return redirect("imports:job", pk=batch.pk)
        return self.render_to_response(
            self.get_context_data(form=UploadForm(), batch=batch, report=report)
        )

    def _confirm(self, request):
        batch = selectors.import_batch_get(user=request.user, pk=request.POST.get("batch"))
        try:
            count = imports.import_apply(actor=request.user, batch=batch)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self.render_to_response(self.get_context_data(form=UploadForm()))
        if count is None:  # a large file: imported in the background
            return redirect("imports:job", pk=batch.pk)
        messages.success(
            request,
            _("Imported %(count)s row(s) from %(file)s.")
            % {"count": count, "file": batch.filename},
        )
        return redirect(self.success_url)


def _api_error(request, status: int, code: str, message: str):
    from django.http import JsonResponse

    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


def page_not_found(request, exception=None):
    """404 for the whole site: the API's JSON shape under /api/, a page elsewhere."""
    if request.path.startswith("/api/"):
        return _api_error(request, 404, "not_found", str(_("Not found.")))
    return render(request, "404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return _api_error(request, 500, "server_error", str(_("An unexpected error occurred.")))
    return render(request, "500.html", status=500)


class NotificationListView(ScopedListView):
    """The signed-in person's notifications; opening one marks it read."""

    template_name = "core/notification_list.html"

    def get_queryset(self, filters):
        return selectors.notification_list(
            user=self.request.user, unread_only=self.request.GET.get("unread") == "1"
        )


class NotificationOpenView(LoginRequiredMixin, View):
    def post(self, request, pk):
        notification = selectors.notification_list(user=request.user).filter(pk=pk).first()
        if notification is None:
            raise Http404
        notification_mark_read(user=request.user, notification_ids=[notification.pk])
        target = notification.url
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = ""
        return redirect(target or "core:notifications")


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        count = notification_mark_read(user=request.user)
        messages.success(request, _("%(n)s notification(s) marked as read.") % {"n": count})
        return redirect("core:notifications")
