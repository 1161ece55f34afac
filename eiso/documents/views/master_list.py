"""The master list (danh mục tài liệu nội bộ) of an agency and its quarterly review. The
page, its XLSX, DOCX and PDF read the same selector on the same day, so they always agree."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from eiso.core import evidence
from eiso.core.exports import xlsx_response
from eiso.core.forms import AgencyPickForm
from eiso.core.generic import (
    ServiceFormView,
    agency_for,
    official_response,
    oversees,
    with_agency_query,
)
from eiso.core.kept import kept_for, key_of, reach_of
from eiso.core.roles import Action
from eiso.documents import outputs, rules, selectors, services
from eiso.documents.forms import MasterListReviewForm


def _decision(document) -> str:
    decision = document.in_force.decision
    if decision is None:
        return ""
    return f"{decision.number} ({decision.date:%d/%m/%Y})" if decision.date else decision.number


def _upcoming(document) -> str:
    upcoming = document.upcoming
    if upcoming is None:
        return ""
    return _("Revision %(n)s from %(date)s") % {
        "n": f"{upcoming.number:02d}",
        "date": upcoming.effective_date.strftime("%d/%m/%Y"),
    }


MASTER_LIST_COLUMNS = [
    (gettext_lazy("No."), lambda d: d.row_number),
    (gettext_lazy("Code"), lambda d: d.code),
    (gettext_lazy("Title"), lambda d: d.title),
    (gettext_lazy("Kind"), lambda d: d.get_kind_display()),
    (gettext_lazy("Revision"), lambda d: f"{d.in_force.number:02d}"),
    (gettext_lazy("Effective date"), lambda d: d.in_force.effective_date),
    (gettext_lazy("Issuing decision"), _decision),
    (gettext_lazy("Department"), lambda d: d.department or ""),
    (gettext_lazy("Issued, not yet in force"), _upcoming),
]


def _numbered(documents):
    """Number the rows, and give each its links (reversed once, not once per row: a commune's
    list has hundreds of rows)."""
    detail, decision = evidence.link("documents:detail"), evidence.link("documents:decision_detail")
    for number, document in enumerate(documents, start=1):
        document.row_number = number
        document.detail_url = detail(document.pk)
        current = document.in_force
        found = current.decision_id if current else None
        document.decision_url = decision(found) if found else ""
    return documents


class MasterListView(ServiceFormView):
    """The acting agency's list, or (for those who oversee) ``?agency=<pk>`` in their scope;
    the form records the quarterly review."""

    template_name = "documents/master_list.html"
    form_class = MasterListReviewForm
    success_message = gettext_lazy("The review of the master list was recorded.")

    def load(self):
        action = Action.CHANGE if self.request.method == "POST" else Action.VIEW
        self.agency = agency_for(self.request, action=action)
        self.today = timezone.localdate()
        return self.agency

    @cached_property
    def documents(self) -> list:
        return _numbered(
            selectors.master_list(user=self.request.user, agency=self.agency, on=self.today)
        )

    def master_table(self) -> str:
        """The list's table, rendered (hundreds of rows), kept like the inbox (eiso.core.kept,
        INBOX_MAX_AGE): for the same agency, day, language and reach; anything written in the
        agency (a revision issued) shows at once."""
        user = self.request.user

        def compute() -> str:
            return render_to_string(
                "documents/_master_table.html", {"documents": self.documents, "today": self.today}
            )

        reach = reach_of(user, Action.VIEW)
        key = key_of("master-list", reach, self.agency.pk, self.today, get_language())
        found = kept_for(
            self.request, key, compute, max_age=settings.INBOX_MAX_AGE, agency_ids=[self.agency.pk]
        )
        return mark_safe(found.value)  # noqa: S308 - our template's output, autoescaped

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            self.load()
            return xlsx_response(
                filename=f"danh-muc-tai-lieu-{self.agency.code}.xlsx".lower(),
                title=_("Master list"),
                columns=MASTER_LIST_COLUMNS,
                rows=self.documents,
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user, agency = self.request.user, self.agency
        return super().get_context_data(
            agency=agency,
            master_table=self.master_table(),
            status=selectors.master_list_review_status(user=user, agency=agency),
            reviews=selectors.master_list_reviews(user=user, agency=agency)[:12],
            can_review=rules.can_draft(user, agency),
            review_form=kwargs.pop("form"),
            pick_form=(
                AgencyPickForm(initial={"agency": agency.pk}, user=user) if oversees(user) else None
            ),
            today=self.today,
            **kwargs,
        )

    def perform(self, form):
        return services.master_list_review_record(
            actor=self.request.user, agency=self.agency, **form.cleaned_data
        )

    def get_success_url(self, result):
        return with_agency_query(reverse("documents:master_list"), self.request, self.agency)


class MasterListFileView(LoginRequiredMixin, View):
    """The master list in the official layout (landscape), as of today: the same agency as
    the page (``?agency=<pk>`` for those who oversee)."""

    file_format = "pdf"

    def get(self, request):
        agency = agency_for(request)
        today = timezone.localdate()
        documents = selectors.master_list(user=request.user, agency=agency, on=today)
        return official_response(
            outputs.master_list_document(agency, documents, as_of=today),
            outputs.master_list_file_stem(agency),
            self.file_format,
        )
