"""Revision tasks: documents to revise because a legal text they rest on changes."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy

from eiso.core.views import ScopedListView
from eiso.documents import selectors
from eiso.documents.forms import TaskFilterForm


class TaskListView(ScopedListView):
    template_name = "documents/task_list.html"
    filter_form_class = TaskFilterForm
    export_name = "nhiem-vu-sua-doi-tai-lieu"
    export_title = gettext_lazy("Revision tasks")
    export_columns = [
        (gettext_lazy("Agency"), lambda t: t.agency),
        (gettext_lazy("Document"), lambda t: f"{t.document.code} {t.document.title}"),
        (gettext_lazy("Legal text"), lambda t: t.external_document.number),
        (gettext_lazy("Reason"), lambda t: t.get_reason_display()),
        (gettext_lazy("Due date"), lambda t: t.due_date),
        (gettext_lazy("Status"), lambda t: t.get_status_display()),
        (
            gettext_lazy("Closed by revision"),
            lambda t: f"{t.closed_by_revision.number:02d}" if t.closed_by_revision else "",
        ),
    ]

    def get_queryset(self, filters):
        status = filters.pop("status", "open")
        return selectors.task_list(
            user=self.request.user, status="" if status == "all" else status, **filters
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)
