"""Pages of documents: the list, a new document, the document page, its description and
links, withdrawal, and adopting the framework-model templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from eiso.core.generic import ServiceActionView, ServiceFormView, require_acting_agency
from eiso.core.roles import Action
from eiso.core.views import ScopedListView
from eiso.documents import rules, selectors, services
from eiso.documents.choices import (
    OPEN_STATUSES,
    DocumentAction,
    DocumentStatus,
    RevisionAction,
    RevisionStatus,
    Validity,
)
from eiso.documents.forms import (
    DocumentCreateForm,
    DocumentFilterForm,
    DocumentUpdateForm,
    TemplateAdoptForm,
)
from eiso.documents.workflows import DOCUMENT, REVISION, editors_of


def document_url(pk, anchor: str = "") -> str:
    url = reverse("documents:detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


def _in_force_number(document) -> str:
    return f"{document.in_force.number:02d}" if document.in_force else ""


def _in_force_effective(document):
    return document.in_force.effective_date if document.in_force else None


def _upcoming(document) -> str:
    upcoming = document.upcoming
    if upcoming is None:
        return ""
    return f"{upcoming.number:02d} ({upcoming.effective_date:%d/%m/%Y})"


def _open_label(document) -> str:
    return RevisionStatus(document.open_status).label if document.open_status else ""


class DocumentListView(ScopedListView):
    template_name = "documents/document_list.html"
    filter_form_class = DocumentFilterForm
    export_name = "danh-sach-tai-lieu"
    export_title = gettext_lazy("Documents")

    @property
    def export_columns(self):
        return [
            (gettext_lazy("Code"), lambda d: d.code),
            (gettext_lazy("Title"), lambda d: d.title),
            (gettext_lazy("Kind"), lambda d: d.get_kind_display()),
            (gettext_lazy("Revision in force"), _in_force_number),
            (gettext_lazy("Effective date"), _in_force_effective),
            (gettext_lazy("Issued, not yet in force"), _upcoming),
            (gettext_lazy("Department"), lambda d: d.department or ""),
            (gettext_lazy("Agency"), lambda d: d.agency),
            (gettext_lazy("Status"), lambda d: d.get_status_display()),
            (gettext_lazy("Revision in preparation"), _open_label),
        ]

    def get_queryset(self, filters):
        return selectors.document_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        membership = getattr(self.request, "membership", None)
        return super().get_context_data(
            can_create=membership is not None
            and rules.can_draft(self.request.user, membership.agency),
            today=timezone.localdate(),
            **kwargs,
        )


class DraftingMixin:
    """Pages that draft in the acting agency: 404 for those who may not draft there."""

    def load(self):
        agency = require_acting_agency(self.request)
        if not rules.can_draft(self.request.user, agency):
            raise Http404
        self.agency = agency
        return agency


class DocumentCreateView(DraftingMixin, ServiceFormView):
    template_name = "documents/document_form.html"
    form_class = DocumentCreateForm
    success_message = gettext_lazy("The document was created with its first draft.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.agency}

    def perform(self, form):
        """The document and its file in one go: a refused file leaves no document behind."""
        data = form.service_data()
        upload = data.pop("file", None)
        user = self.request.user
        with transaction.atomic():
            document = services.document_create(actor=user, agency=self.agency, **data)
            if upload is not None:
                revision = document.revisions.get()
                services.revision_attach_file(actor=user, revision=revision, upload=upload)
        return document

    def get_success_url(self, document):
        return document_url(document.pk)


class DocumentDetailView(LoginRequiredMixin, TemplateView):
    """The document: the revision in force today, one issued to take effect later, the one
    in preparation (for those who may read drafts) and the earlier ones."""

    template_name = "documents/document_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        document = selectors.document_get(user=user, pk=kwargs["pk"])
        agency = document.agency
        revisions = list(selectors.revisions_of(user=user, document=document, on=today))
        current = next((r for r in revisions if r.validity == Validity.IN_FORCE), None)
        upcoming = sorted(
            (r for r in revisions if r.validity == Validity.PENDING), key=lambda r: r.number
        )
        pending = next((r for r in revisions if r.status in OPEN_STATUSES), None)
        earlier = [r for r in revisions if r.validity == Validity.EXPIRED]
        sees_drafts = rules.can_see_drafts(user, agency)
        in_use = document.status == DocumentStatus.ACTIVE
        shown = current or (upcoming[0] if upcoming else None)
        acknowledgements = list(selectors.acknowledgements_of(revision=shown)) if shown else []
        mine = next((a for a in acknowledgements if a.user_id == user.pk), None)
        actions = REVISION.available(user, pending) if pending else []
        is_editor = pending is not None and user.pk in editors_of(pending)
        return super().get_context_data(
            document=document,
            current=current,
            upcoming=upcoming,
            shown=shown,
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
            can_edit_document=rules.can_draft(user, agency) and in_use,
            can_edit=RevisionAction.EDIT in actions,
            can_submit=RevisionAction.SUBMIT in actions,
            can_review=RevisionAction.RETURN in actions,
            can_approve=RevisionAction.APPROVE in actions and not is_editor,
            is_drafter=pending is not None and pending.drafted_by_id == user.pk,
            is_editor=is_editor,
            can_prepare_decision=(
                pending is not None
                and REVISION.may(user, pending, RevisionAction.ISSUE)
                and not pending.decision_id
            ),
            can_start=pending is None and DOCUMENT.may(user, document, DocumentAction.REVISE),
            can_withdraw=pending is None and DOCUMENT.may(user, document, DocumentAction.WITHDRAW),
            today=today,
            **kwargs,
        )


class DocumentUpdateView(ServiceFormView):
    """The description and links of a document (its content changes through revisions)."""

    template_name = "documents/document_form.html"
    form_class = DocumentUpdateForm
    success_message = gettext_lazy("The document was saved.")

    def load(self):
        user = self.request.user
        document = selectors.document_get(user=user, pk=self.kwargs["pk"], action=Action.CHANGE)
        if not rules.can_draft(user, document.agency):
            raise Http404
        return document

    def get_form_kwargs(self):
        kwargs = {"user": self.request.user, "agency": self.object.agency, "document": self.object}
        if self.request.method == "GET":
            kwargs["links"] = selectors.document_links(user=self.request.user, document=self.object)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(document=self.object, **kwargs)

    def perform(self, form):
        return services.document_update(
            actor=self.request.user, document=self.object, data=form.service_data()
        )

    def get_success_url(self, result):
        return document_url(self.object.pk)


class DocumentWithdrawView(ServiceActionView):
    success_message = gettext_lazy("The document was withdrawn. Its history is kept.")

    def load(self):
        return selectors.document_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def perform(self):
        return services.document_withdraw(
            actor=self.request.user,
            document=self.object,
            reason=self.request.POST.get("reason", ""),
        )

    def get_success_url(self, result):
        return document_url(self.object.pk)


class TemplateAdoptView(DraftingMixin, ServiceFormView):
    """The framework-model templates, adopted as the agency's own drafts in one step."""

    template_name = "documents/templates.html"
    form_class = TemplateAdoptForm

    def get_context_data(self, **kwargs):
        templates = list(selectors.template_list())
        adopted = selectors.adopted_template_codes(user=self.request.user, agency=self.agency)
        return super().get_context_data(
            templates=templates,
            adopted=adopted,
            all_adopted=all(t.code in adopted for t in templates),
            agency=self.agency,
            **kwargs,
        )

    def perform(self, form):
        return services.template_adopt(
            actor=self.request.user,
            agency=self.agency,
            templates=list(form.cleaned_data["templates"]),
        )

    def get_success_url(self, created):
        count = len(created)
        if count:
            messages.success(
                self.request,
                ngettext(
                    "%(count)d draft document was created from the templates.",
                    "%(count)d draft documents were created from the templates.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(self.request, _("The agency already has these documents."))
        return reverse("documents:list")
