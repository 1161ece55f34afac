"""The master list (danh mục tài liệu nội bộ) of an agency and its quarterly review."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from eiso.core.exports import xlsx_response
from eiso.core.official import docx_response, pdf_response, render_docx, render_pdf
from eiso.core.roles import Action
from eiso.core.views import apply_service
from eiso.documents import outputs, rules, selectors, services
from eiso.documents.forms import AgencyPickForm, MasterListReviewForm, oversees
from eiso.documents.views._common import current_agency
from eiso.organizations import selectors as org_selectors


def _decision(document) -> str:
    decision = document.current_revision.decision
    if decision is None:
        return ""
    return f"{decision.number} ({decision.date:%d/%m/%Y})" if decision.date else decision.number


MASTER_LIST_COLUMNS = [
    (gettext_lazy("No."), lambda d: d.row_number),
    (gettext_lazy("Code"), lambda d: d.code),
    (gettext_lazy("Title"), lambda d: d.title),
    (gettext_lazy("Kind"), lambda d: d.get_kind_display()),
    (gettext_lazy("Revision"), lambda d: f"{d.current_revision.number:02d}"),
    (gettext_lazy("Effective date"), lambda d: d.current_revision.effective_date),
    (gettext_lazy("Issuing decision"), _decision),
    (gettext_lazy("Department"), lambda d: d.department or ""),
]


class MasterListView(LoginRequiredMixin, TemplateView):
    """The acting agency's list, or (for those who oversee) ``?agency=<pk>`` in their scope."""

    template_name = "documents/master_list.html"

    def load_agency(self, request, action: Action = Action.VIEW):
        pk = request.GET.get("agency")
        if pk:
            return org_selectors.agency_get(user=request.user, pk=pk, action=action)
        agency = current_agency(request)
        if agency is None:
            raise Http404
        if action != Action.VIEW:  # the same scoped lookup as for ?agency=
            return org_selectors.agency_get(user=request.user, pk=agency.pk, action=action)
        return agency

    def get(self, request):
        agency = self.load_agency(request)
        documents = selectors.master_list(user=request.user, agency=agency)
        for number, document in enumerate(documents, start=1):
            document.row_number = number
        if request.GET.get("export") == "xlsx":
            return xlsx_response(
                filename=f"danh-muc-tai-lieu-{agency.code}.xlsx".lower(),
                title=_("Master list"),
                columns=MASTER_LIST_COLUMNS,
                rows=documents,
            )
        return self.render_page(agency, documents, MasterListReviewForm())

    def post(self, request):
        agency = self.load_agency(request, Action.CHANGE)
        form = MasterListReviewForm(request.POST)
        if form.is_valid():
            done = apply_service(
                request,
                form,
                lambda: services.master_list_review_record(
                    actor=request.user, agency=agency, **form.cleaned_data
                ),
                success_message=_("The review of the master list was recorded."),
            )
            if done:
                url = reverse("documents:master_list")
                if request.GET.get("agency"):
                    url += f"?agency={agency.pk}"
                return redirect(url)
        documents = selectors.master_list(user=request.user, agency=agency)
        for number, document in enumerate(documents, start=1):
            document.row_number = number
        return self.render_page(agency, documents, form)

    def render_page(self, agency, documents, form):
        user = self.request.user
        context = self.get_context_data(
            agency=agency,
            documents=documents,
            status=selectors.master_list_review_status(user=user, agency=agency),
            reviews=selectors.master_list_reviews(user=user, agency=agency)[:12],
            can_review=rules.can_draft(user, agency),
            review_form=form,
            pick_form=(
                AgencyPickForm(initial={"agency": agency.pk}, user=user) if oversees(user) else None
            ),
            today=timezone.localdate(),
        )
        return self.render_to_response(context)


class MasterListFileView(MasterListView):
    """The master list in the official layout (landscape), current as of today: the same
    agency as the page (``?agency=<pk>`` for those who oversee)."""

    http_method_names = ["get"]
    file_format = "pdf"

    def get(self, request):
        agency = self.load_agency(request)
        documents = selectors.master_list(user=request.user, agency=agency)
        document = outputs.master_list_document(agency, documents, as_of=timezone.localdate())
        filename = outputs.master_list_filename(agency, self.file_format)
        if self.file_format == "docx":
            return docx_response(render_docx(document), filename)
        return pdf_response(render_pdf(document), filename)
