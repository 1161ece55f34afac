"""The public forms: the satisfaction rating a QR code at the desk leads to, a complaint or
petition, and following one with its tracking code. Each form is guarded (``guards``: rate
limit per address, honeypot, signed short-lived single-use token, duplicates kept once) before
the feedback services are called; nothing about the person is kept but what they chose to give
as a contact for a complaint."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from eiso.core.generic import run_service
from eiso.feedback import selectors as feedback_selectors
from eiso.feedback import services as feedback
from eiso.feedback.choices import RatingSource
from eiso.portal import guards, selectors
from eiso.portal.forms import ComplaintForm, RatingForm, TrackingForm
from eiso.portal.views.base import public_page, too_many


def _token_problem(error: guards.TokenError) -> str:
    if error.reason == "too_fast":
        return _("The form was sent too quickly. Please check your answers and send it again.")
    return _("This form has expired. Please check your answers and send it again.")


def _private(response):
    """A page that shows what one person sent: never kept by a cache, never indexed."""
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex"
    return response


def _fresh_token(form, purpose: str, target: str) -> None:
    """A new token in the form shown (again): the one sent back is spent or refused."""
    value = guards.form_token(purpose, target)
    if form.is_bound:
        form.data = form.data.copy()
        form.data[guards.TOKEN_FIELD] = value
    else:
        form.initial[guards.TOKEN_FIELD] = value


# --- rating ------------------------------------------------------------------------------------


def _rating_target(agency, desk) -> str:
    return f"{agency.pk}:{desk.pk if desk else ''}"


@public_page(cached=False)
def rating(request, code: str, desk: int | None = None):
    agency = selectors.public_agency(code)
    desk_obj = None
    if desk is not None:
        desk_obj = feedback_selectors.public_desk(agency, desk)
        if desk_obj is None:
            raise Http404
    procedures = feedback_selectors.procedure_choices(agency)
    target = _rating_target(agency, desk_obj)
    thanks = reverse("portal:rating_thanks", args=[agency.code])
    if request.method == "POST":
        wait = guards.throttle(request, "rating")
        if wait is not None:
            return too_many(request, wait)
        if guards.honeypot_filled(request.POST):
            return redirect(thanks)  # a robot: thanked, nothing kept
        form = RatingForm(request.POST, procedures=procedures)
        try:
            token = guards.check_token(request.POST.get(guards.TOKEN_FIELD, ""), "rating", target)
        except guards.TokenError as error:
            form.is_valid()
            form.add_error(None, _token_problem(error))
        else:
            if form.is_valid():
                data = form.cleaned_data
                fresh = guards.spend(token) and guards.first_time(
                    request,
                    "rating",
                    target,
                    sorted(form.scores().items()),
                    data.get("procedure") and data["procedure"].pk,
                    data.get("dossier_code"),
                    data.get("comment"),
                )
                if not fresh:
                    return redirect(thanks)  # sent already: kept once
                ok, _result = run_service(
                    request,
                    form,
                    lambda: feedback.rating_submit(
                        agency=agency,
                        desk=desk_obj,
                        scores=form.scores(),
                        procedure=data.get("procedure"),
                        dossier_code=data.get("dossier_code") or "",
                        comment=data.get("comment") or "",
                        source=RatingSource.QR
                        if desk_obj or request.GET.get("qr")
                        else RatingSource.PORTAL,
                    ),
                )
                if ok:
                    return redirect(thanks)
    else:
        initial = {"procedure": desk_obj.procedure_id} if desk_obj and desk_obj.procedure_id else {}
        form = RatingForm(initial=initial, procedures=procedures)
    _fresh_token(form, "rating", target)
    response = render(
        request,
        "portal/rating.html",
        {"agency": agency, "desk": desk_obj, "form": form, "honeypot": form[guards.HONEYPOT]},
        status=400 if form.is_bound else 200,
    )
    return _private(response)


@public_page
def rating_thanks(request, code: str):
    agency = selectors.public_agency(code)
    return render(request, "portal/rating_thanks.html", {"agency": agency})


# --- complaints ------------------------------------------------------------------------------


@public_page(cached=False)
def complaint(request, code: str):
    agency = selectors.public_agency(code)
    procedures = feedback_selectors.procedure_choices(agency)
    target = str(agency.pk)
    if request.method == "POST":
        wait = guards.throttle(request, "complaint")
        if wait is not None:
            return too_many(request, wait)
        if guards.honeypot_filled(request.POST):
            return _private(render(request, "portal/complaint_sent.html", {"agency": agency}))
        form = ComplaintForm(request.POST, procedures=procedures)
        try:
            token = guards.check_token(
                request.POST.get(guards.TOKEN_FIELD, ""), "complaint", target
            )
        except guards.TokenError as error:
            form.is_valid()
            form.add_error(None, _token_problem(error))
        else:
            if form.is_valid():
                data = form.cleaned_data
                fresh = guards.spend(token) and guards.first_time(
                    request, "complaint", target, data["subject"], data["content"]
                )
                if not fresh:
                    return _private(
                        render(request, "portal/complaint_sent.html", {"agency": agency})
                    )
                ok, sent = run_service(
                    request,
                    form,
                    lambda: feedback.complaint_submit(
                        agency=agency,
                        data={
                            k: data.get(k)
                            for k in (
                                "kind",
                                "subject",
                                "content",
                                "procedure",
                                "dossier_code",
                                "contact_name",
                                "contact_phone",
                                "contact_email",
                            )
                        },
                    ),
                )
                if ok:
                    return _private(
                        render(
                            request,
                            "portal/complaint_sent.html",
                            {"agency": agency, "complaint": sent},
                        )
                    )
    else:
        form = ComplaintForm(procedures=procedures)
    _fresh_token(form, "complaint", target)
    response = render(
        request,
        "portal/complaint.html",
        {"agency": agency, "form": form, "honeypot": form[guards.HONEYPOT]},
        status=400 if form.is_bound else 200,
    )
    return _private(response)


@public_page(scope="lookup", cached=False)
def tracking(request):
    form = TrackingForm(request.GET or None)
    if form.is_valid():
        code = feedback.normalize_tracking_code(form.cleaned_data["ma"])
        if code and feedback_selectors.complaint_by_tracking_code(code) is not None:
            return redirect("portal:tracking_detail", code=code)
        form.add_error("ma", _("No complaint has this tracking code. Check the code you typed."))
    return _private(render(request, "portal/tracking.html", {"form": form}))


@public_page(scope="lookup", cached=False)
def tracking_detail(request, code: str):
    normalized = feedback.normalize_tracking_code(code)
    found = feedback_selectors.complaint_by_tracking_code(normalized)
    if found is None:
        raise Http404
    response = _private(render(request, "portal/tracking_detail.html", {"complaint": found}))
    response["Referrer-Policy"] = "no-referrer"
    return response
