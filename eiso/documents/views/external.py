"""External documents and legal texts (văn bản QPPL): the list (the province's shared
catalogue and the agency's own), registering and editing a text, and its page."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from eiso.core.roles import Action
from eiso.core.scoping import user_may
from eiso.core.views import apply_service
from eiso.documents import rules, selectors, services
from eiso.documents.forms import ExternalFilterForm, ExternalForm
from eiso.documents.views._common import AgencyListView, current_agency, require_agency


def _in_force(external, today) -> bool:
    return external.replaced_by_id is None and not (
        external.expiry_date and external.expiry_date < today
    )


class ExternalListView(AgencyListView):
    template_name = "documents/external_list.html"
    filter_form_class = ExternalFilterForm
    export_name = "van-ban-ben-ngoai"
    export_title = gettext_lazy("Legal texts and external documents")

    @property
    def export_columns(self):
        today = timezone.localdate()
        return [
            (gettext_lazy("Number / symbol"), lambda e: e.number),
            (gettext_lazy("Title"), lambda e: e.title),
            (gettext_lazy("Kind"), lambda e: e.get_kind_display()),
            (gettext_lazy("Issuer"), lambda e: e.issuer),
            (gettext_lazy("Issue date"), lambda e: e.issue_date),
            (gettext_lazy("Effective date"), lambda e: e.effective_date),
            (gettext_lazy("Expiry date"), lambda e: e.expiry_date),
            (gettext_lazy("Replaced by"), lambda e: e.replaced_by.number if e.replaced_by else ""),
            (gettext_lazy("In force"), lambda e: _("Yes") if _in_force(e, today) else _("No")),
            (
                gettext_lazy("List"),
                lambda e: _("Province catalogue") if e.is_shared else e.agency,
            ),
            (gettext_lazy("Linked documents"), lambda e: e.document_count),
        ]

    def get_queryset(self, filters):
        return selectors.external_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        user = self.request.user
        agency = current_agency(self.request)
        can_create = agency is not None and (
            rules.can_keep_external(user, agency, shared=False)
            or rules.can_keep_external(user, agency, shared=True)
        )
        return super().get_context_data(can_create=can_create, today=timezone.localdate(), **kwargs)


class ExternalCreateView(LoginRequiredMixin, TemplateView):
    template_name = "documents/external_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agency = require_agency(request)
        self.may_share = rules.can_keep_external(request.user, self.agency, shared=True)
        if not (self.may_share or rules.can_keep_external(request.user, self.agency, shared=False)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        initial = {"is_shared": not rules.can_draft(self.request.user, self.agency)}
        return ExternalForm(
            data,
            initial=initial,
            user=self.request.user,
            agency=self.agency,
            may_share=self.may_share,
        )

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            external = apply_service(
                request,
                form,
                lambda: services.external_document_create(
                    actor=request.user, agency=self.agency, **form.service_data()
                ),
                success_message=_("The text was registered."),
            )
            if external:
                return redirect("documents:external_detail", pk=external.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ExternalUpdateView(LoginRequiredMixin, TemplateView):
    template_name = "documents/external_form.html"

    def load(self, request, pk):
        external = selectors.external_get_editable(user=request.user, pk=pk)
        if not rules.can_keep_external(request.user, external.agency, shared=external.is_shared):
            raise Http404
        return external

    def form(self, external, data=None):
        return ExternalForm(
            data,
            user=self.request.user,
            agency=external.agency,
            may_share=rules.can_keep_external(self.request.user, external.agency, shared=True),
            external=external,
        )

    def get(self, request, pk):
        external = self.load(request, pk)
        return self.render_to_response(
            self.get_context_data(form=self.form(external), external=external)
        )

    def post(self, request, pk):
        external = self.load(request, pk)
        form = self.form(external, request.POST)
        if form.is_valid():
            done = apply_service(
                request,
                form,
                lambda: services.external_document_update(
                    actor=request.user, external=external, data=form.service_data()
                ),
                success_message=_("The text was saved."),
            )
            if done:
                return redirect("documents:external_detail", pk=external.pk)
        return self.render_to_response(self.get_context_data(form=form, external=external))


class ExternalDetailView(LoginRequiredMixin, TemplateView):
    template_name = "documents/external_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        external = selectors.external_get(user=user, pk=kwargs["pk"])
        today = timezone.localdate()
        return super().get_context_data(
            external=external,
            in_force=_in_force(external, today),
            replaced=list(selectors.external_replaced(user=user, external=external)),
            documents=list(selectors.external_linked_documents(user=user, external=external)),
            tasks=list(selectors.external_tasks(user=user, external=external)),
            can_edit=rules.can_keep_external(user, external.agency, shared=external.is_shared)
            and user_may(
                user,
                Action.KEEP_CATALOGUES if external.is_shared else Action.CHANGE,
                external.agency,
            ),
            today=today,
            **kwargs,
        )
