"""Pages of document control."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from eiso.documents import rules, selectors


class DocumentDetailView(LoginRequiredMixin, TemplateView):
    template_name = "documents/document_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        document = selectors.document_get(user=user, pk=kwargs["pk"])
        return super().get_context_data(
            document=document,
            revisions=selectors.revisions_of(user=user, document=document),
            can_draft=rules.can_draft(user, document.agency),
            **kwargs,
        )
