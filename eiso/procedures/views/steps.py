"""The ISO procedure of an administrative procedure: which TTHC a document implements, and
its step table checked against the statutory time limit."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from eiso.core.roles import Action
from eiso.core.views import apply_service
from eiso.documents import rules as document_rules
from eiso.documents import selectors as document_selectors
from eiso.documents.choices import DocumentKind
from eiso.procedures import selectors, services
from eiso.procedures.forms import LinkForm, step_formset, steps_from


def load_for_drafting(request, pk):
    """The document, for those who draft in its agency (anyone else: 404)."""
    document = document_selectors.document_get(user=request.user, pk=pk, action=Action.CHANGE)
    if not document_rules.can_draft(request.user, document.agency):
        raise Http404
    return document


class StepsView(LoginRequiredMixin, TemplateView):
    """The TTHC a document implements (or a form to link one) and its step table."""

    template_name = "procedures/steps.html"

    def get(self, request, pk):
        document = document_selectors.document_get(user=request.user, pk=pk)
        return self.render_page(document)

    def render_page(self, document, link_form=None):
        user = self.request.user
        can_draft = document_rules.can_draft(user, document.agency)
        table = selectors.step_table(document=document)
        is_tthc = document.kind == DocumentKind.TTHC_PROCEDURE
        if link_form is None and can_draft and is_tthc and table.procedure is None:
            link_form = LinkForm(user=user, agency=document.agency)
        return self.render_to_response(
            self.get_context_data(
                document=document,
                table=table,
                is_tthc=is_tthc,
                can_draft=can_draft,
                link_form=link_form,
            )
        )


class StepsEditView(LoginRequiredMixin, TemplateView):
    """The whole step table in one form; “add a row” re-renders with one more empty row."""

    template_name = "procedures/steps_edit.html"

    def get(self, request, pk):
        document = load_for_drafting(request, pk)
        table = selectors.step_table(document=document)
        return self.render_page(document, table, step_formset(steps=table.steps))

    def post(self, request, pk):
        document = load_for_drafting(request, pk)
        add_row = "add_row" in request.POST
        formset = step_formset(request.POST, add_row=add_row)
        table = selectors.step_table(document=document)
        if add_row or not formset.is_valid():
            return self.render_page(document, table, formset)
        done = apply_service(
            request,
            None,
            lambda: services.steps_replace(
                actor=request.user, document=document, steps=steps_from(formset)
            ),
            success_message=_("The step table was saved."),
        )
        if done is not None:
            return redirect("procedures:steps", pk=document.pk)
        return self.render_page(document, table, formset)

    def render_page(self, document, table, formset):
        return self.render_to_response(
            self.get_context_data(document=document, table=table, formset=formset)
        )


class LinkView(StepsView):
    """Say which of the agency's handled procedures the document implements."""

    http_method_names = ["post"]

    def post(self, request, pk):
        document = load_for_drafting(request, pk)
        form = LinkForm(request.POST, user=request.user, agency=document.agency)
        if form.is_valid():
            link = apply_service(
                request,
                form,
                lambda: services.iso_procedure_link(
                    actor=request.user, document=document, procedure=form.cleaned_data["procedure"]
                ),
                success_message=_("The document is linked to the administrative procedure."),
            )
            if link is not None:
                return redirect("procedures:steps", pk=document.pk)
        return self.render_page(document, link_form=form)


class UnlinkView(LoginRequiredMixin, View):
    def post(self, request, pk):
        document = load_for_drafting(request, pk)
        link = selectors.iso_link_of(user=request.user, document=document)
        if link is None:
            raise Http404
        apply_service(
            request,
            None,
            lambda: services.iso_procedure_unlink(actor=request.user, link=link),
            success_message=_("The link to the administrative procedure was removed."),
        )
        return redirect("procedures:steps", pk=document.pk)
