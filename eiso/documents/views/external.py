"""External documents and legal texts (văn bản QPPL): the list (the province's shared
catalogue and the agency's own), registering and editing a text, and its page."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from eiso.core.generic import ServiceFormView, acting_agency, require_acting_agency
from eiso.core.roles import Action
from eiso.core.scoping import user_may
from eiso.core.views import ScopedListView
from eiso.documents import rules, selectors, services
from eiso.documents.forms import ExternalFilterForm, ExternalForm


def _in_force(external, today) -> bool:
    return external.replaced_by_id is None and not (
        external.expiry_date and external.expiry_date < today
    )


class ExternalListView(ScopedListView):
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
        agency = acting_agency(self.request)
        can_create = agency is not None and (
            rules.can_keep_external(user, agency, shared=False)
            or rules.can_keep_external(user, agency, shared=True)
        )
        return super().get_context_data(can_create=can_create, today=timezone.localdate(), **kwargs)


def external_url(pk) -> str:
    return reverse("documents:external_detail", args=[pk])


class ExternalCreateView(ServiceFormView):
    template_name = "documents/external_form.html"
    form_class = ExternalForm
    success_message = gettext_lazy("The text was registered.")

    def load(self):
        user = self.request.user
        self.agency = require_acting_agency(self.request)
        self.may_share = rules.can_keep_external(user, self.agency, shared=True)
        if not (self.may_share or rules.can_keep_external(user, self.agency, shared=False)):
            raise Http404
        return None

    def get_initial(self):
        return {"is_shared": not rules.can_draft(self.request.user, self.agency)}

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.agency, "may_share": self.may_share}

    def perform(self, form):
        return services.external_document_create(
            actor=self.request.user, agency=self.agency, **form.service_data()
        )

    def get_success_url(self, external):
        return external_url(external.pk)


class ExternalUpdateView(ServiceFormView):
    template_name = "documents/external_form.html"
    form_class = ExternalForm
    success_message = gettext_lazy("The text was saved.")

    def load(self):
        user = self.request.user
        external = selectors.external_get_editable(user=user, pk=self.kwargs["pk"])
        if not rules.can_keep_external(user, external.agency, shared=external.is_shared):
            raise Http404
        return external

    def get_form_kwargs(self):
        external = self.object
        return {
            "user": self.request.user,
            "agency": external.agency,
            "may_share": rules.can_keep_external(self.request.user, external.agency, shared=True),
            "external": external,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(external=self.object, **kwargs)

    def perform(self, form):
        return services.external_document_update(
            actor=self.request.user, external=self.object, data=form.service_data()
        )

    def get_success_url(self, result):
        return external_url(self.object.pk)


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
