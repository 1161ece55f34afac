"""The page of a file prepared in the background (``eiso/core/jobs.py``): its progress, polled
with htmx while it is built, then the download. Only the person who asked for it sees it."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views import View
from django.views.generic import TemplateView

from eiso.core import jobs
from eiso.core.files import file_response


class JobView(LoginRequiredMixin, TemplateView):
    template_name = "core/job.html"

    def get(self, request, pk):
        job = jobs.job_get(user=request.user, pk=pk)
        return self.render_to_response(self.get_context_data(job=job))


class JobProgressView(JobView):
    """The progress box, polled by the job page; once the job has ended the page reloads
    itself to show the download (``HX-Refresh``)."""

    template_name = "core/includes/job_progress.html"

    def get(self, request, pk):
        response = super().get(request, pk)
        if not response.context_data["job"].running:
            response["HX-Refresh"] = "true"
        return response


class JobDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = jobs.job_get(user=request.user, pk=pk)
        if job.running or not job.file:
            raise Http404
        # the one safe response: an attachment of the type the job made, ``nosniff``
        return file_response(job.file, name=job.filename, content_type=job.content_type)
