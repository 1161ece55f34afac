"""Issuing decisions (quyết định ban hành): the list, a new decision over approved revisions,
its page, editing the draft, signing (which issues every revision in it) and the signed scan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.official import docx_response, pdf_response, render_docx, render_pdf
from eiso.core.roles import Action
from eiso.core.views import apply_service
from eiso.documents import outputs, rules, selectors, services
from eiso.documents.choices import DecisionStatus
from eiso.documents.forms import (
    DecisionFilterForm,
    DecisionForm,
    DecisionScanForm,
    DecisionSignForm,
)
from eiso.documents.views._common import (
    AgencyListView,
    current_agency,
    file_response,
    require_agency,
)

DEFAULT_SUBJECT = gettext_lazy(
    "Issuing documents of the quality management system under TCVN ISO 9001:2015"
)


class DecisionListView(AgencyListView):
    template_name = "documents/decision_list.html"
    filter_form_class = DecisionFilterForm
    export_name = "quyet-dinh-ban-hanh"
    export_columns = [
        (gettext_lazy("Number"), lambda d: d.number),
    export_title = gettext_lazy("Issuing decisions")
        (gettext_lazy("Date"), lambda d: d.date),
        (gettext_lazy("Subject"), lambda d: d.subject),
        (gettext_lazy("Signer"), lambda d: d.signer_name),
        (gettext_lazy("Signer's title"), lambda d: d.signer_title),
        (gettext_lazy("Revisions"), lambda d: d.revision_count),
        (gettext_lazy("Status"), lambda d: d.get_status_display()),
        (gettext_lazy("Agency"), lambda d: d.agency),
    ]

    def get_queryset(self, filters):
        return selectors.readable_decision_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        agency = current_agency(self.request)
        return super().get_context_data(
            can_create=agency is not None and rules.can_issue(self.request.user, agency),
            **kwargs,
        )


class DecisionCreateView(LoginRequiredMixin, TemplateView):
    template_name = "documents/decision_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agency = require_agency(request)
        if not rules.can_issue(request.user, self.agency):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def choices(self):
        return selectors.approved_revisions(user=self.request.user, agency=self.agency)

    def get(self, request):
        initial = {
            "subject": DEFAULT_SUBJECT,
            "signer_name": self.agency.head_name,
            "signer_title": self.agency.head_title.upper(),
            "revisions": request.GET.getlist("revision"),
        }
        form = DecisionForm(initial=initial, revisions=self.choices())
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request):
        form = DecisionForm(request.POST, revisions=self.choices())
        if form.is_valid():
            decision = apply_service(
                request,
                form,
                lambda: services.decision_create(
                    actor=request.user, agency=self.agency, **form.service_data()
                ),
                success_message=_("The draft decision was created."),
            )
            if decision:
                return redirect("documents:decision_detail", pk=decision.pk)
        return self.render_to_response(self.get_context_data(form=form))


def _load_for_change(request, pk):
    return selectors.decision_get(user=request.user, pk=pk, action=Action.CHANGE)


class DecisionDetailView(LoginRequiredMixin, TemplateView):
    template_name = "documents/decision_detail.html"

    def get(self, request, pk):
        decision = selectors.readable_decision_get(user=request.user, pk=pk)
        return self.render_detail(decision)

    def render_detail(self, decision, **forms):
        user = self.request.user
        draft = decision.status == DecisionStatus.DRAFT
        if draft:
            forms.setdefault(
                "sign_form",
                DecisionSignForm(initial={"number": decision.number, "date": decision.date}),
            )
        else:
            forms.setdefault("scan_form", DecisionScanForm())
        context = self.get_context_data(
            decision=decision,
            revisions=list(selectors.decision_revisions(user=user, decision=decision)),
            can_issue=rules.can_issue(user, decision.agency),
            is_draft=draft,
            **forms,
        )
        return self.render_to_response(context)


class DecisionUpdateView(LoginRequiredMixin, TemplateView):
    template_name = "documents/decision_form.html"

    def load(self, request, pk):
        decision = _load_for_change(request, pk)
        if not rules.can_issue(request.user, decision.agency):
            raise Http404
        return decision

    def choices(self, decision):
        return selectors.decision_revision_choices(user=self.request.user, decision=decision)

    def get(self, request, pk):
        decision = self.load(request, pk)
        if decision.status != DecisionStatus.DRAFT:
            messages.info(request, _("A signed decision cannot be changed."))
            return redirect("documents:decision_detail", pk=decision.pk)
        initial = {
            "subject": decision.subject,
            "signer_name": decision.signer_name,
            "signer_title": decision.signer_title,
            "number": decision.number,
            "date": decision.date,
            "revisions": [
                r.pk for r in selectors.decision_revisions(user=request.user, decision=decision)
            ],
        }
        form = DecisionForm(initial=initial, revisions=self.choices(decision))
        return self.render_to_response(self.get_context_data(form=form, decision=decision))

    def post(self, request, pk):
        decision = self.load(request, pk)
        form = DecisionForm(request.POST, revisions=self.choices(decision))
        if form.is_valid():
            data = form.service_data()
            revisions = data.pop("revisions")
            done = apply_service(
                request,
                form,
                lambda: services.decision_update(
                    actor=request.user, decision=decision, data=data, revisions=revisions
                ),
                success_message=_("The draft decision was saved."),
            )
            if done:
                return redirect("documents:decision_detail", pk=decision.pk)
        return self.render_to_response(self.get_context_data(form=form, decision=decision))


class DecisionSignView(DecisionDetailView):
    """Record the signed decision: every revision in it is issued, the previous ones
    superseded, and the people concerned asked to read the new ones."""

    http_method_names = ["post"]

    def post(self, request, pk):
        decision = _load_for_change(request, pk)
        form = DecisionSignForm(request.POST, request.FILES)
        if form.is_valid():
            signed = apply_service(
                request,
                form,
                lambda: services.decision_sign(
                    actor=request.user,
                    decision=decision,
                    number=form.cleaned_data["number"],
                    date=form.cleaned_data["date"],
                    signed_scan=form.cleaned_data.get("signed_scan"),
                ),
                success_message=_(
                    "The decision was signed: its revisions are issued and the people "
                    "concerned were asked to read them."
                ),
            )
            if signed:
                return redirect("documents:decision_detail", pk=decision.pk)
        decision.refresh_from_db()
        return self.render_detail(decision, sign_form=form)


class DecisionScanUploadView(DecisionDetailView):
    http_method_names = ["post"]

    def post(self, request, pk):
        decision = _load_for_change(request, pk)
        form = DecisionScanForm(request.POST, request.FILES)
        if form.is_valid():
            done = apply_service(
                request,
                form,
                lambda: services.decision_attach_scan(
                    actor=request.user, decision=decision, upload=form.cleaned_data["signed_scan"]
                ),
                success_message=_("The signed scan was attached."),
            )
            if done:
                return redirect("documents:decision_detail", pk=decision.pk)
        return self.render_detail(decision, scan_form=form)


class DecisionScanDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        decision = selectors.readable_decision_get(user=request.user, pk=pk)
        if not decision.signed_file:
            raise Http404
        return file_response(decision.signed_file, decision.signed_file_name)


class DecisionFileView(LoginRequiredMixin, View):
    """The decision in the official layout (Nghị định 30/2020): the draft to print and sign,
    marked "DỰ THẢO", or the signed text. Staff only get signed decisions."""

    file_format = "pdf"

    def get(self, request, pk):
        decision = selectors.readable_decision_get(user=request.user, pk=pk)
        document = outputs.decision_document(decision)
        filename = outputs.decision_filename(decision, self.file_format)
        if self.file_format == "docx":
            return docx_response(render_docx(document), filename)
        return pdf_response(render_pdf(document), filename)
