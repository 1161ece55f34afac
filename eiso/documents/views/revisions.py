"""Steps of a revision: edit the draft, files, submit, return, approve, start the next one,
acknowledge having read it, download its files. Every change is one service call; the
revision is loaded for CHANGE, so those who only read (overseers) get 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.roles import Action
from eiso.core.views import apply_service
from eiso.documents import selectors, services
from eiso.documents.forms import RevisionForm, UploadForm
from eiso.documents.views._common import file_response, to_document


def _load(request, pk):
    return selectors.revision_get(user=request.user, pk=pk, action=Action.CHANGE)


class RevisionEditView(LoginRequiredMixin, TemplateView):
    template_name = "documents/revision_form.html"

    def get(self, request, pk):
        revision = _load(request, pk)
        form = RevisionForm(revision=revision)
        return self.render_to_response(self.get_context_data(form=form, revision=revision))

    def post(self, request, pk):
        revision = _load(request, pk)
        form = RevisionForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            done = apply_service(
                request,
                form,
                lambda: services.revision_update(
                    actor=request.user, revision=revision, data=data, expected_version=version
                ),
                success_message=_("The draft was saved."),
            )
            if done:
                return to_document(revision.document_id, "pending")
        return self.render_to_response(self.get_context_data(form=form, revision=revision))


class RevisionUploadView(LoginRequiredMixin, View):
    def post(self, request, pk):
        revision = _load(request, pk)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose the file to attach."))
        else:
            apply_service(
                request,
                None,
                lambda: services.revision_attach_file(
                    actor=request.user, revision=revision, upload=form.cleaned_data["file"]
                ),
                success_message=_("The file was attached."),
            )
        return to_document(revision.document_id, "pending")


class FileRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        attached = selectors.revision_file_get(user=request.user, pk=pk, action=Action.CHANGE)
        apply_service(
            request,
            None,
            lambda: services.revision_remove_file(actor=request.user, attached=attached),
            success_message=_("The file was removed."),
        )
        return to_document(attached.revision.document_id, "pending")


class FileDownloadView(LoginRequiredMixin, View):
    """A file of a revision the user may read (staff: only the current revision's)."""

    def get(self, request, pk):
        attached = selectors.revision_file_get(user=request.user, pk=pk)
        return file_response(attached.file, attached.original_name)


class _StepView(LoginRequiredMixin, View):
    """One transition of the workflow, posted from the document page."""

    success_message = ""

    def call(self, request, revision, comment: str):
        raise NotImplementedError

    def post(self, request, pk):
        revision = _load(request, pk)
        comment = request.POST.get("comment", "")
        apply_service(
            request,
            None,
            lambda: self.call(request, revision, comment),
            success_message=str(self.success_message),
        )
        return to_document(revision.document_id, "pending")


class RevisionSubmitView(_StepView):
    success_message = gettext_lazy("The revision was sent to the head for review.")

    def call(self, request, revision, comment):
        return services.revision_submit(actor=request.user, revision=revision, comment=comment)


class RevisionReturnView(_StepView):
    success_message = gettext_lazy("The revision was returned to its drafter with your comment.")

    def call(self, request, revision, comment):
        return services.revision_return(actor=request.user, revision=revision, comment=comment)


class RevisionApproveView(_StepView):
    success_message = gettext_lazy("The revision was approved. It can now be issued by a decision.")

    def call(self, request, revision, comment):
        return services.revision_approve(actor=request.user, revision=revision, comment=comment)


class RevisionStartView(LoginRequiredMixin, View):
    def post(self, request, pk):
        document = selectors.document_get(user=request.user, pk=pk, action=Action.CHANGE)
        revision = apply_service(
            request,
            None,
            lambda: services.revision_start(
                actor=request.user,
                document=document,
                change_summary=request.POST.get("change_summary", ""),
            ),
            success_message=_("A new revision was opened as a draft."),
        )
        if revision:
            return redirect("documents:revision_edit", pk=revision.pk)
        return to_document(document.pk)


class AcknowledgeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        revision = _load(request, pk)
        apply_service(
            request,
            None,
            lambda: services.revision_acknowledge(actor=request.user, revision=revision),
            success_message=_("Thank you: your reading was recorded."),
        )
        return to_document(revision.document_id)
