"""The ISO procedure of an administrative procedure: which TTHC a document implements, and
its step table checked against the statutory time limit. The table belongs to a revision of
the procedure (document control): the page shows the table in force and, to those who draft,
the table of the revision in preparation — the only one that can be edited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from eiso.core.generic import run_service
from eiso.core.roles import Action
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
    """The TTHC a document implements (or a form to link one), the step table in force and,
    for those who draft, the step table of the revision in preparation."""

    template_name = "procedures/steps.html"

    def get(self, request, pk):
        document = document_selectors.document_get(user=request.user, pk=pk)
        return self.render_page(document)

    def render_page(self, document, link_form=None):
        user = self.request.user
        can_draft = document_rules.can_draft(user, document.agency)
        tables = selectors.step_tables(document=document, user=user, on=timezone.localdate())
        table = tables.shown
        is_tthc = document.kind == DocumentKind.TTHC_PROCEDURE
        if link_form is None and can_draft and is_tthc and table.procedure is None:
            link_form = LinkForm(user=user, agency=document.agency)
        return self.render_to_response(
            self.get_context_data(
                document=document,
                table=table,
                validity=getattr(table.revision, "validity", ""),
                draft=tables.editable,
                draft_table=tables.draft,
                table_is_draft=tables.editable is not None and table.revision == tables.editable,
                is_tthc=is_tthc,
                can_draft=can_draft,
                link_form=link_form,
            )
        )


class StepsEditView(LoginRequiredMixin, TemplateView):
    """The whole step table of the revision in preparation in one form; "add a row"
    re-renders with one more empty row. Without a revision in preparation there is nothing to
    edit: an issued table changes only through a new revision."""

    template_name = "procedures/steps_edit.html"

    def load(self, request, pk):
        document = load_for_drafting(request, pk)
        draft = selectors.steps_draft(user=request.user, document=document)
        return document, draft

    def refuse(self, document):
        messages.error(self.request, str(services.STEPS_THROUGH_A_REVISION))
        return redirect("procedures:steps", pk=document.pk)

    def get(self, request, pk):
        document, draft = self.load(request, pk)
        if draft is None:
            return self.refuse(document)
        table = selectors.step_table(document=document, revision=draft)
        return self.render_page(document, draft, table, step_formset(steps=table.steps))

    def post(self, request, pk):
        document, draft = self.load(request, pk)
        if draft is None:
            return self.refuse(document)
        add_row = "add_row" in request.POST
        formset = step_formset(request.POST, add_row=add_row)
        table = selectors.step_table(document=document, revision=draft)
        if add_row or not formset.is_valid():
            return self.render_page(document, draft, table, formset)
        ok, _result = run_service(
            request,
            None,
            lambda: services.steps_replace(
                actor=request.user, revision=draft, steps=steps_from(formset)
            ),
            success_message=_("The step table of the draft revision was saved."),
        )
        if ok:
            return redirect("procedures:steps", pk=document.pk)
        return self.render_page(document, draft, table, formset)

    def render_page(self, document, draft, table, formset):
        return self.render_to_response(
            self.get_context_data(document=document, draft=draft, table=table, formset=formset)
        )


class LinkView(StepsView):
    """Say which of the agency's handled procedures the document implements."""

    http_method_names = ["post"]

    def post(self, request, pk):
        document = load_for_drafting(request, pk)
        form = LinkForm(request.POST, user=request.user, agency=document.agency)
        if form.is_valid():
            ok, _link = run_service(
                request,
                form,
                lambda: services.iso_procedure_link(
                    actor=request.user, document=document, procedure=form.cleaned_data["procedure"]
                ),
                success_message=_("The document is linked to the administrative procedure."),
            )
            if ok:
                return redirect("procedures:steps", pk=document.pk)
        return self.render_page(document, link_form=form)


class UnlinkView(LoginRequiredMixin, View):
    def post(self, request, pk):
        document = load_for_drafting(request, pk)
        link = selectors.iso_link_of(user=request.user, document=document)
        if link is None:
            raise Http404
        run_service(
            request,
            None,
            lambda: services.iso_procedure_unlink(actor=request.user, link=link),
            success_message=_("The link to the administrative procedure was removed."),
        )
        return redirect("procedures:steps", pk=document.pk)
