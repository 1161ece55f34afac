"""Pieces shared by the pages of document control."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse

from eiso.core import files
from eiso.core.views import ScopedListView


def current_agency(request):
    """The agency the user acts in now (chosen in the header), or None."""
    membership = getattr(request, "membership", None)
    return membership.agency if membership is not None else None


def require_agency(request):
    agency = current_agency(request)
    if agency is None:
        raise Http404
    return agency


def to_document(document_pk: int, anchor: str = ""):
    url = reverse("documents:detail", args=[document_pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def file_response(field, filename: str) -> FileResponse:
    """A stored upload as an attachment of its checked type (see ``eiso.core.files``)."""
    return files.file_response(field, name=filename)


class AgencyListView(ScopedListView):
    """A list whose filter form also gets the acting agency (to scope its choices)."""

    def get_filters(self) -> dict:
        if self.filter_form_class is None:
            return {}
        self.filter_form = self.filter_form_class(
            self.request.GET or None, user=self.request.user, agency=current_agency(self.request)
        )
        if self.filter_form.is_valid():
            return {k: v for k, v in self.filter_form.cleaned_data.items() if v not in (None, "")}
        return {}
