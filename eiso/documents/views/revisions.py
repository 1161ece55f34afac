"""Steps of a revision: edit the draft, files, submit, return, approve, start the next one,
acknowledge having read it, download its files. Every change is one service call; the
revision is loaded for CHANGE, so those who only read (overseers) get 404."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View

from eiso.core.errors import ValidationFailed
from eiso.core.files import file_response
from eiso.core.generic import ServiceActionView, ServiceFormView
from eiso.core.roles import Action
from eiso.documents import selectors, services
from eiso.documents.forms import RevisionForm, UploadForm
from eiso.documents.views.documents import document_url


class _RevisionMixin:
    def load(self):
        return selectors.revision_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_success_url(self, result):
        return document_url(self.object.document_id, "pending")


class RevisionEditView(_RevisionMixin, ServiceFormView):
    template_name = "documents/revision_form.html"
    form_class = RevisionForm
    success_message = gettext_lazy("The draft was saved.")

    def get_form_kwargs(self):
        return {"revision": self.object} if self.request.method == "GET" else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(revision=self.object, **kwargs)

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return services.revision_update(
            actor=self.request.user, revision=self.object, data=data, expected_version=version
        )


class RevisionUploadView(_RevisionMixin, ServiceActionView):
    success_message = gettext_lazy("The file was attached.")

    def perform(self):
        form = UploadForm(self.request.POST, self.request.FILES)
        if not form.is_valid():
            raise ValidationFailed(gettext_lazy("Choose the file to attach."))
        return services.revision_attach_file(
            actor=self.request.user, revision=self.object, upload=form.cleaned_data["file"]
        )


class FileRemoveView(ServiceActionView):
    success_message = gettext_lazy("The file was removed.")

    def load(self):
        return selectors.revision_file_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def perform(self):
        return services.revision_remove_file(actor=self.request.user, attached=self.object)

    def get_success_url(self, result):
        return document_url(self.object.revision.document_id, "pending")


class FileDownloadView(LoginRequiredMixin, View):
    """A file of a revision the user may read (staff: revisions in force or about to be)."""

    def get(self, request, pk):
        attached = selectors.revision_file_get(user=request.user, pk=pk)
        return file_response(attached.file, name=attached.original_name)


class RevisionSubmitView(_RevisionMixin, ServiceActionView):
    success_message = gettext_lazy("The revision was sent to the head for review.")

    def perform(self):
        return services.revision_submit(
            actor=self.request.user,
            revision=self.object,
            comment=self.request.POST.get("comment", ""),
        )


class RevisionReturnView(_RevisionMixin, ServiceActionView):
    success_message = gettext_lazy("The revision was returned to its drafter with your comment.")

    def perform(self):
        return services.revision_return(
            actor=self.request.user,
            revision=self.object,
            comment=self.request.POST.get("comment", ""),
        )


class RevisionApproveView(_RevisionMixin, ServiceActionView):
    success_message = gettext_lazy("The revision was approved. It can now be issued by a decision.")

    def perform(self):
        return services.revision_approve(
            actor=self.request.user,
            revision=self.object,
            comment=self.request.POST.get("comment", ""),
        )


class RevisionStartView(ServiceActionView):
    success_message = gettext_lazy("A new revision was opened as a draft.")

    def load(self):
        return selectors.document_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def perform(self):
        return services.revision_start(
            actor=self.request.user,
            document=self.object,
            change_summary=self.request.POST.get("change_summary", ""),
        )

    def get_success_url(self, revision):
        return reverse("documents:revision_edit", args=[revision.pk])

    def get_failure_url(self):
        return document_url(self.object.pk)


class AcknowledgeView(_RevisionMixin, ServiceActionView):
    success_message = gettext_lazy("Thank you: your reading was recorded.")

    def perform(self):
        return services.revision_acknowledge(actor=self.request.user, revision=self.object)

    def get_success_url(self, result):
        return document_url(self.object.document_id)
