"""Pages of documents: the list, a new document, the document page, its description and
links, withdrawal, and adopting the framework-model templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from eiso.core.roles import Action
from eiso.core.views import apply_service
from eiso.documents import rules, selectors, services, workflows
from eiso.documents.choices import (
    OPEN_STATUSES,
    DocumentStatus,
    RevisionAction,
    RevisionStatus,
)
from eiso.documents.forms import (
    DocumentCreateForm,
    DocumentFilterForm,
    DocumentUpdateForm,
    TemplateAdoptForm,
)
from eiso.documents.views._common import (
    AgencyListView,
    current_agency,
    require_agency,
    to_document,
)


def _revision_number(document) -> str:
    return f"{document.current_revision.number:02d}" if document.current_revision else ""


def _effective(document):
    return document.current_revision.effective_date if document.current_revision else None


def _open_label(document) -> str:
    return RevisionStatus(document.open_status).label if document.open_status else ""


class DocumentListView(AgencyListView):
    template_name = "documents/document_list.html"
    filter_form_class = DocumentFilterForm
    export_name = "danh-sach-tai-lieu"

    @property
    def export_columns(self):
        columns = [
            (gettext_lazy("Code"), lambda d: d.code),
            (gettext_lazy("Title"), lambda d: d.title),
            (gettext_lazy("Kind"), lambda d: d.get_kind_display()),
            (gettext_lazy("Current revision"), _revision_number),
    export_title = gettext_lazy("Documents")
            (gettext_lazy("Effective date"), _effective),
            (gettext_lazy("Department"), lambda d: d.department or ""),
            (gettext_lazy("Agency"), lambda d: d.agency),
            (gettext_lazy("Status"), lambda d: d.get_status_display()),
        ]
        if not rules.staff_only_agency_ids(self.request.user):
            columns.append((gettext_lazy("Revision in preparation"), _open_label))
        return columns

    def get_queryset(self, filters):
        return selectors.document_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        user = self.request.user
        agency = current_agency(self.request)
        can_draft = agency is not None and rules.can_draft(user, agency)
        return super().get_context_data(
            can_create=can_draft,
            staff_only=set(rules.staff_only_agency_ids(user)),
            **kwargs,
        )


class DraftingMixin(LoginRequiredMixin):
    """Pages that draft in the acting agency: 404 for those who may not draft there."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agency = require_agency(request)
        if not rules.can_draft(request.user, self.agency):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class DocumentCreateView(DraftingMixin, TemplateView):
    template_name = "documents/document_form.html"

    def form(self, data=None, files=None):
        return DocumentCreateForm(data, files, user=self.request.user, agency=self.agency)

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request):
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            document = apply_service(
                request,
                form,
                lambda: self._create(form.service_data()),
                success_message=_("The document was created with its first draft."),
            )
            if document:
                return to_document(document.pk)
        return self.render_to_response(self.get_context_data(form=form))

    def _create(self, data: dict):
        """The document and its file in one go: a refused file leaves no document behind."""
        user = self.request.user
        upload = data.pop("file", None)
        with transaction.atomic():
            document = services.document_create(actor=user, agency=self.agency, **data)
            if upload is not None:
                revision = selectors.revisions_of(user=user, document=document).first()
                services.revision_attach_file(actor=user, revision=revision, upload=upload)
        return document


class DocumentDetailView(LoginRequiredMixin, TemplateView):
    template_name = "documents/document_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        document = selectors.document_get(user=user, pk=kwargs["pk"])
        agency = document.agency
        revisions = list(selectors.revisions_of(user=user, document=document))
        current = next((r for r in revisions if r.status == RevisionStatus.ISSUED), None)
        pending = next((r for r in revisions if r.status in OPEN_STATUSES), None)
        earlier = [r for r in revisions if r.status == RevisionStatus.SUPERSEDED]
        sees_drafts = rules.can_see_drafts(user, agency)
        can_draft = rules.can_draft(user, agency)
        can_review = rules.can_review(user, agency)
        can_issue = rules.can_issue(user, agency)
        in_use = document.status == DocumentStatus.ACTIVE
        acknowledgements = list(selectors.acknowledgements_of(revision=current)) if current else []
        mine = next((a for a in acknowledgements if a.user_id == user.pk), None)
        steps = workflows.allowed_actions(pending.status) if pending else []
        return super().get_context_data(
            document=document,
            current=current,
            pending=pending,
            earlier=earlier,
            pending_events=list(selectors.revision_events(revision=pending)) if pending else [],
            current_events=(
                list(selectors.revision_events(revision=current)) if current and sees_drafts else []
            ),
            links=selectors.document_links(user=user, document=document),
            tasks=list(selectors.document_tasks(user=user, document=document)),
            acknowledgements=acknowledgements if sees_drafts else [],
            read_count=sum(1 for a in acknowledgements if a.acknowledged_at),
            must_read=mine is not None and mine.acknowledged_at is None,
            read_on=mine.acknowledged_at if mine else None,
            sees_drafts=sees_drafts,
            can_edit_document=can_draft and in_use,
            can_edit=can_draft and RevisionAction.EDIT in steps,
            can_submit=can_draft and RevisionAction.SUBMIT in steps,
            can_review=can_review and RevisionAction.RETURN in steps,
            is_drafter=pending is not None and pending.drafted_by_id == user.pk,
            can_prepare_decision=(
                can_issue and RevisionAction.ISSUE in steps and not pending.decision_id
            ),
            can_start=can_draft and in_use and pending is None,
            can_withdraw=can_issue and in_use and pending is None,
            today=timezone.localdate(),
            **kwargs,
        )


class DocumentUpdateView(LoginRequiredMixin, TemplateView):
    """The description and links of a document (its content changes through revisions)."""

    template_name = "documents/document_form.html"

    def load(self, request, pk):
        document = selectors.document_get(user=request.user, pk=pk, action=Action.CHANGE)
        if not rules.can_draft(request.user, document.agency):
            raise Http404
        return document

    def get(self, request, pk):
        document = self.load(request, pk)
        form = DocumentUpdateForm(
            user=request.user,
            agency=document.agency,
            document=document,
            links=selectors.document_links(user=request.user, document=document),
        )
        return self.render_to_response(self.get_context_data(form=form, document=document))

    def post(self, request, pk):
        document = self.load(request, pk)
        form = DocumentUpdateForm(
            request.POST, user=request.user, agency=document.agency, document=document
        )
        if form.is_valid():
            done = apply_service(
                request,
                form,
                lambda: services.document_update(
                    actor=request.user, document=document, data=form.service_data()
                ),
                success_message=_("The document was saved."),
            )
            if done:
                return to_document(document.pk)
        return self.render_to_response(self.get_context_data(form=form, document=document))


class DocumentWithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk):
        document = selectors.document_get(user=request.user, pk=pk, action=Action.CHANGE)
        reason = request.POST.get("reason", "")
        apply_service(
            request,
            None,
            lambda: services.document_withdraw(
                actor=request.user, document=document, reason=reason
            ),
            success_message=_("The document was withdrawn. Its history is kept."),
        )
        return to_document(document.pk)


class TemplateAdoptView(DraftingMixin, TemplateView):
    """The framework-model templates, adopted as the agency's own drafts in one step."""

    template_name = "documents/templates.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", TemplateAdoptForm())
        templates = list(selectors.template_list())
        adopted = selectors.adopted_template_codes(user=self.request.user, agency=self.agency)
        return super().get_context_data(
            templates=templates,
            adopted=adopted,
            all_adopted=all(t.code in adopted for t in templates),
            agency=self.agency,
            **kwargs,
        )

    def post(self, request):
        form = TemplateAdoptForm(request.POST)
        if form.is_valid():
            created = apply_service(
                request,
                form,
                lambda: services.template_adopt(
                    actor=request.user,
                    agency=self.agency,
                    templates=list(form.cleaned_data["templates"]),
                ),
            )
            if created is not None:
                count = len(created)
                if count:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d draft document was created from the templates.",
                            "%(count)d draft documents were created from the templates.",
                            count,
                        )
                        % {"count": count},
                    )
                else:
                    messages.info(request, _("The agency already has these documents."))
                return redirect("documents:list")
        return self.render_to_response(self.get_context_data(form=form))
