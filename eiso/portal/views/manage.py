"""The agency's side of the portal (signed in): which of its procedures and documents are
public, switched on and off by its ISO secretary or head; the announcements are published from
their own page (qms)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from eiso.core.generic import ServiceActionView, agency_for, with_agency_query
from eiso.core.roles import Action
from eiso.core.text import vn_fold
from eiso.core.views import ScopedListView
from eiso.portal import rules, selectors, services
from eiso.portal.forms import PublicationFilterForm


class _AgencyList(ScopedListView):
    filter_form_class = PublicationFilterForm
    paginate_by = 50
    tab = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            agency=self.agency,
            tab=self.tab,
            can_publish=rules.can_publish(self.request.user, self.agency),
            **kwargs,
        )


class ProcedurePublicationsView(_AgencyList):
    template_name = "portal/manage_procedures.html"
    tab = "procedures"
    export_name = "thu-tuc-cong-khai"
    export_columns = [
        (gettext_lazy("Code"), lambda h: h.procedure.code),
        (gettext_lazy("Administrative procedure"), lambda h: h.procedure.name),
        (gettext_lazy("Field"), lambda h: h.procedure.field),
        (gettext_lazy("ISO procedure"), lambda h: h.iso_code or ""),
        (gettext_lazy("Public"), lambda h: h.published),
    ]

    def get_queryset(self, filters):
        self.agency = agency_for(self.request)
        return selectors.publishable_procedures(
            user=self.request.user, agency=self.agency, q=filters.get("q", "")
        )


class DocumentPublicationsView(_AgencyList):
    template_name = "portal/manage_documents.html"
    tab = "documents"
    export_name = "bieu-mau-cong-khai"
    export_columns = [
        (gettext_lazy("Code"), lambda d: d.code),
        (gettext_lazy("Title"), lambda d: d.title),
        (gettext_lazy("Kind"), lambda d: d.get_kind_display()),
        (gettext_lazy("Revision in force"), lambda d: d.in_force_number),
        (gettext_lazy("Public"), lambda d: d.published),
    ]

    def get_queryset(self, filters):
        self.agency = agency_for(self.request)
        qs = selectors.publishable_documents(user=self.request.user, agency=self.agency)
        q = filters.get("q", "")
        if q:
            qs = qs.filter(search_text__contains=vn_fold(q))
        return qs


class _Toggle(ServiceActionView):
    def published(self) -> bool:
        return self.request.POST.get("published") != "0"

    @property
    def success_message(self):
        if self.published():
            return gettext_lazy("Shown on the public portal.")
        return gettext_lazy("No longer shown on the public portal.")


class ProcedurePublishView(_Toggle):
    def load(self):
        return selectors.handled_procedure_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def perform(self):
        return services.procedure_publish(
            actor=self.request.user, handled=self.object, published=self.published()
        )

    def get_success_url(self, result):
        url = reverse("publications:procedures")
        return with_agency_query(url, self.request, self.object.agency)


class DocumentPublishView(_Toggle):
    def load(self):
        return selectors.document_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def perform(self):
        return services.document_publish(
            actor=self.request.user, document=self.object, published=self.published()
        )

    def get_success_url(self, result):
        url = reverse("publications:documents")
        return with_agency_query(url, self.request, self.object.agency)
