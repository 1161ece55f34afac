"""Generic page pieces every module builds on, so no module writes them again:

- which agency a request is about (``acting_agency``, ``agency_for``, ``oversees``);
- ``ServiceFormView``: load the object in scope → form → ONE service → redirect, or the same
  page again with what was typed kept and the service's refusal on the form;
- ``ServiceActionView``: a button (POST) that calls one service and goes back with a message —
  the workflow actions (submit, approve, return, …);
- ``official_response``: a DOCX or PDF of an official document (Nghị định 30/2020 layout).

Views stay thin: authenticate, load through a scoped selector, call one service, render.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from eiso.core.errors import ApplicationError
from eiso.core.roles import Action
from eiso.core.scoping import user_scope

# --- which agency is this request about ---------------------------------------------------------


def acting_agency(request):
    """The agency the person acts in now (the header's switch), or None."""
    membership = getattr(request, "membership", None)
    return membership.agency if membership is not None else None


def require_acting_agency(request):
    """The acting agency, or 404 (a page that only makes sense inside one agency)."""
    agency = acting_agency(request)
    if agency is None:
        raise Http404
    return agency


def oversees(user) -> bool:
    """Whether the person reads more than their own agencies now (an overseer or an admin)."""
    scope = user_scope(user)
    return scope.everything or bool(scope.subtree_paths)


def _agency_in_scope(user, pk, action: Action):
    agency_model = apps.get_model("organizations", "Agency")
    try:
        found = agency_model.objects.visible_to(user, action=action).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Http404
    return found


def agency_for(request, *, action: Action = Action.VIEW, param: str = "agency"):
    """The agency a page is about: ``?agency=<pk>`` (query string or form field) when the
    person may reach it for ``action``, else the acting agency if they may, else 404 — never
    a 403 that tells an agency exists."""
    pk = request.GET.get(param) or (request.POST.get(param) if request.method == "POST" else "")
    if pk:
        return _agency_in_scope(request.user, pk, action)
    agency = require_acting_agency(request)
    if action != Action.VIEW and not user_scope(request.user, action).covers(agency):
        raise Http404
    return agency


def with_agency_query(url: str, request, agency) -> str:
    """``url`` keeping ``?agency=<pk>`` when the page was opened for another agency."""
    if request.GET.get("agency"):
        separator = "&" if "?" in url else "?"
        return f"{url}{separator}agency={agency.pk}"
    return url


def safe_next(request, default: str) -> str:
    """``?next=`` / ``next`` field when it points inside this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


# --- calling one service from a page ---------------------------------------------------------------


def run_service(request, form, call, *, success_message: str = "") -> tuple[bool, object]:
    """Run ``call()``; an ``ApplicationError`` becomes errors on ``form`` (on the fields it
    names, else the whole form) or, without a form, an error message. Returns
    ``(succeeded, result)`` — a service may legitimately return None."""
    try:
        result = call()
    except ApplicationError as exc:
        if form is None:
            messages.error(request, exc.message)
            return False, None
        placed = False
        for field, errors in (exc.fields or {}).items():
            if field in form.fields:
                for error in errors:
                    form.add_error(field, error)
                placed = True
        if not placed:
            form.add_error(None, exc.message)
        return False, None
    if success_message:
        messages.success(request, str(success_message))
    return True, result


class ServiceFormView(LoginRequiredMixin, TemplateView):
    """load → form → one service → redirect; on refusal the same page with the typed values.

    Subclasses set ``form_class`` and ``template_name`` (or use the generic
    ``core/service_form.html`` with ``title``), and write:

    - ``load()``: the object(s) acted on, through a scoped selector (404 outside the scope);
      stored as ``self.object``;
    - ``perform(form)``: calls ONE service with ``actor=self.request.user`` and the cleaned
      data, returns its result;
    - ``get_success_url(result)``.

    Optional: ``get_form_kwargs()`` (extra keyword arguments of the form, e.g. ``user``),
    ``get_initial()``, ``success_message``, ``extra_context`` / ``get_context_data``.
    """

    form_class = None
    template_name = "core/service_form.html"
    title = ""
    submit_label = _("Save")
    success_message = ""
    cancel_url: str | None = None
    multipart = False

    object = None

    def load(self):
        return None

    def get_initial(self) -> dict:
        return {}

    def get_form_kwargs(self) -> dict:
        return {}

    def make_form(self, data=None, files=None):
        kwargs = {"initial": self.get_initial(), **self.get_form_kwargs()}
        if data is not None:
            kwargs["data"] = data
            kwargs["files"] = files
        return self.form_class(**kwargs)

    def perform(self, form):
        raise NotImplementedError

    def get_success_url(self, result) -> str:
        raise NotImplementedError

    def get_cancel_url(self) -> str | None:
        return self.cancel_url

    def render_form(self, form, **extra):
        context = self.get_context_data(
            form=form,
            object=self.object,
            title=self.title,
            submit_label=self.submit_label,
            cancel_url=self.get_cancel_url(),
            multipart=self.multipart or (form.is_multipart() if form is not None else False),
            **extra,
        )
        return self.render_to_response(context)

    def get(self, request, *args, **kwargs):
        self.object = self.load()
        return self.render_form(self.make_form())

    def post(self, request, *args, **kwargs):
        self.object = self.load()
        form = self.make_form(request.POST, request.FILES)
        if form.is_valid():
            ok, result = run_service(
                request, form, lambda: self.perform(form), success_message=self.success_message
            )
            if ok:
                return HttpResponseRedirect(self.get_success_url(result))
        return self.render_form(form)


class ServiceActionView(LoginRequiredMixin, View):
    """A button that changes something: POST only; load → one service → back to the page
    with a success or error message (the refusal's reason is shown, nothing is lost).

    Subclasses write ``load()``, ``perform()`` and ``get_success_url(result)``; optionally
    ``success_message``. A ``next`` field inside the site overrides the target."""

    http_method_names = ["post"]
    success_message = ""
    object = None

    def load(self):
        return None

    def perform(self):
        raise NotImplementedError

    def get_success_url(self, result) -> str:
        raise NotImplementedError

    def get_failure_url(self) -> str:
        return self.get_success_url(None)

    def post(self, request, *args, **kwargs):
        self.object = self.load()
        ok, result = run_service(request, None, self.perform, success_message=self.success_message)
        target = self.get_success_url(result) if ok else self.get_failure_url()
        return HttpResponseRedirect(safe_next(request, target))


# --- official documents -------------------------------------------------------------------------------


def official_response(document, filename: str, file_format: str):
    """The DOCX or PDF download of an official document (``eiso.core.official``);
    ``filename`` without its extension. Anything but "docx"/"pdf" is a 404."""
    from eiso.core.official import docx_response, pdf_response, render_docx, render_pdf

    if file_format == "docx":
        return docx_response(render_docx(document), f"{filename}.docx")
    if file_format == "pdf":
        return pdf_response(render_pdf(document), f"{filename}.pdf")
    raise Http404


# --- the year a page is about -----------------------------------------------------------------


def year_of(request, name: str = "year") -> int:
    """``?year=`` when it is a plausible year, else this year."""
    raw = request.GET.get(name) or request.POST.get(name) or ""
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


class ThisYearByDefault:
    """A list that shows this year until the person filters (the filter row says so)."""

    def get_filters(self):
        if self.request.GET or self.filter_form_class is None:
            return super().get_filters()
        year = timezone.localdate().year
        self.filter_form = self.filter_form_class(
            None, user=self.request.user, initial={"year": year}
        )
        return {"year": year}
