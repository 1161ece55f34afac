"""Issuing decisions (quyết định ban hành): the list, a new decision over approved revisions,
its page, editing and discarding the draft, signing (which issues every revision in it) and
the signed scan; the decision as DOCX/PDF in the official layout."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.files import file_response
from eiso.core.generic import (
    ServiceActionView,
    ServiceFormView,
    official_response,
    require_acting_agency,
)
from eiso.core.roles import Action
from eiso.core.views import ScopedListView
from eiso.documents import outputs, rules, selectors, services
from eiso.documents.choices import DecisionAction, DecisionStatus
from eiso.documents.forms import (
    DecisionFilterForm,
    DecisionForm,
    DecisionScanForm,
    DecisionSignForm,
)
from eiso.documents.numbering import agency_symbol
from eiso.documents.workflows import DECISION


def decision_url(pk) -> str:
    return reverse("documents:decision_detail", args=[pk])


class DecisionListView(ScopedListView):
    template_name = "documents/decision_list.html"
    filter_form_class = DecisionFilterForm
    export_name = "quyet-dinh-ban-hanh"
    export_title = gettext_lazy("Issuing decisions")
    export_columns = [
        (gettext_lazy("Number"), lambda d: d.number),
        (gettext_lazy("Date"), lambda d: d.date),
        (gettext_lazy("Subject"), lambda d: outputs.decision_title(d)),
        (gettext_lazy("Signer"), lambda d: d.signer_name),
        (gettext_lazy("Signer's title"), lambda d: d.signer_title),
        (gettext_lazy("Revisions"), lambda d: d.revision_count),
        (gettext_lazy("Status"), lambda d: d.get_status_display()),
        (gettext_lazy("Agency"), lambda d: d.agency),
    ]

    def get_queryset(self, filters):
        return selectors.decision_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        membership = getattr(self.request, "membership", None)
        return super().get_context_data(
            can_create=membership is not None
            and rules.can_issue(self.request.user, membership.agency),
            **kwargs,
        )


class DecisionCreateView(ServiceFormView):
    template_name = "documents/decision_form.html"
    form_class = DecisionForm
    success_message = gettext_lazy("The draft decision was created.")

    def load(self):
        agency = require_acting_agency(self.request)
        if not rules.can_issue(self.request.user, agency):
            raise Http404
        self.agency = agency
        return None

    def get_form_kwargs(self):
        return {
            "revisions": selectors.approved_revisions(user=self.request.user, agency=self.agency),
            "symbol": agency_symbol(self.agency),
        }

    def get_initial(self):
        return {
            "subject": outputs.DEFAULT_SUBJECT,
            "signer_name": self.agency.head_name,
            "signer_title": self.agency.head_title.upper(),
            "revisions": self.request.GET.getlist("revision"),
        }

    def perform(self, form):
        return services.decision_create(
            actor=self.request.user, agency=self.agency, **form.service_data()
        )

    def get_success_url(self, decision):
        return decision_url(decision.pk)


class DecisionPageMixin:
    """What the decision page shows, also when a form posted from it is refused."""

    def decision_context(self, decision, **forms) -> dict:
        user = self.request.user
        actions = DECISION.available(user, decision)
        if DecisionAction.SIGN in actions:
            forms.setdefault(
                "sign_form",
                DecisionSignForm(
                    initial={"number": decision.number, "date": decision.date},
                    symbol=agency_symbol(decision.agency),
                ),
            )
        if DecisionAction.ATTACH_SCAN in actions:
            forms.setdefault("scan_form", DecisionScanForm())
        return {
            "decision": decision,
            "title_line": outputs.decision_title(decision),
            "revisions": list(
                selectors.decision_revisions(user=user, decision=decision, on=timezone.localdate())
            ),
            "can_edit": DecisionAction.EDIT in actions,
            "can_discard": DecisionAction.DISCARD in actions,
            "is_draft": decision.status != DecisionStatus.SIGNED,
            **forms,
        }


class DecisionDetailView(DecisionPageMixin, LoginRequiredMixin, TemplateView):
    template_name = "documents/decision_detail.html"

    def get_context_data(self, **kwargs):
        decision = selectors.decision_get(user=self.request.user, pk=kwargs["pk"])
        return super().get_context_data(**self.decision_context(decision), **kwargs)


def _load_for_change(view):
    return selectors.decision_get(
        user=view.request.user, pk=view.kwargs["pk"], action=Action.CHANGE
    )


class DecisionUpdateView(ServiceFormView):
    template_name = "documents/decision_form.html"
    form_class = DecisionForm
    success_message = gettext_lazy("The draft decision was saved.")

    def load(self):
        decision = _load_for_change(self)
        if not DECISION.may(self.request.user, decision, DecisionAction.EDIT):
            raise Http404
        return decision

    def get_form_kwargs(self):
        return {
            "revisions": selectors.decision_revision_choices(
                user=self.request.user, decision=self.object
            ),
            "symbol": agency_symbol(self.object.agency),
        }

    def get_initial(self):
        decision = self.object
        return {
            "subject": decision.subject,
            "signer_name": decision.signer_name,
            "signer_title": decision.signer_title,
            "number": decision.number,
            "date": decision.date,
            "revisions": [r.pk for r in decision.revisions.all()],
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(decision=self.object, **kwargs)

    def perform(self, form):
        data = form.service_data()
        revisions = data.pop("revisions")
        return services.decision_update(
            actor=self.request.user, decision=self.object, data=data, revisions=revisions
        )

    def get_success_url(self, result):
        return decision_url(self.object.pk)


class DecisionSignView(DecisionPageMixin, ServiceFormView):
    """Record the signed decision: every revision in it is issued (each in force from its
    effective date) and the people concerned asked to read them. A refusal shows the
    decision page again with what was typed."""

    http_method_names = ["post"]
    template_name = "documents/decision_detail.html"
    form_class = DecisionSignForm
    success_message = gettext_lazy(
        "The decision was signed: its revisions are issued and the people concerned were asked "
        "to read them."
    )

    def load(self):
        return _load_for_change(self)

    def get_form_kwargs(self):
        return {"symbol": agency_symbol(self.object.agency)}

    def get_context_data(self, form=None, **kwargs):
        self.object.refresh_from_db()
        kwargs.pop("object", None)
        return super().get_context_data(**self.decision_context(self.object, sign_form=form))

    def perform(self, form):
        return services.decision_sign(
            actor=self.request.user,
            decision=self.object,
            number=form.cleaned_data["number"],
            date=form.cleaned_data["date"],
            signed_scan=form.cleaned_data.get("signed_scan"),
        )

    def get_success_url(self, result):
        return decision_url(self.object.pk)


class DecisionScanUploadView(DecisionPageMixin, ServiceFormView):
    http_method_names = ["post"]
    template_name = "documents/decision_detail.html"
    form_class = DecisionScanForm
    success_message = gettext_lazy("The signed scan was attached.")

    def load(self):
        return _load_for_change(self)

    def get_context_data(self, form=None, **kwargs):
        kwargs.pop("object", None)
        return super().get_context_data(**self.decision_context(self.object, scan_form=form))

    def perform(self, form):
        return services.decision_attach_scan(
            actor=self.request.user, decision=self.object, upload=form.cleaned_data["signed_scan"]
        )

    def get_success_url(self, result):
        return decision_url(self.object.pk)


class DecisionDiscardView(ServiceActionView):
    """Discard a draft decision (kept, marked discarded; its revisions are free again)."""

    success_message = gettext_lazy(
        "The draft decision was discarded; its revisions can go into another decision."
    )

    def load(self):
        return _load_for_change(self)

    def perform(self):
        return services.decision_discard(
            actor=self.request.user,
            decision=self.object,
            reason=self.request.POST.get("reason", ""),
        )

    def get_success_url(self, result):
        return decision_url(self.object.pk)


class DecisionScanDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        decision = selectors.decision_get(user=request.user, pk=pk)
        if not decision.signed_file:
            raise Http404
        return file_response(decision.signed_file, name=decision.signed_file_name)


class DecisionFileView(LoginRequiredMixin, View):
    """The decision in the official layout (Nghị định 30/2020): the draft to print and sign,
    marked "DỰ THẢO", or the signed text. Staff only get signed decisions."""

    file_format = "pdf"

    def get(self, request, pk):
        decision = selectors.decision_get(user=request.user, pk=pk)
        return official_response(
            outputs.decision_document(decision),
            outputs.decision_file_stem(decision),
            self.file_format,
        )
