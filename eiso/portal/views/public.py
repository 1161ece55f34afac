"""The public portal's pages (no sign-in): the agencies that announced conformity (searchable,
accents ignored; by tier and kind), an agency's page (its announcement and history, its
published procedures and forms, its figures), a published procedure with its ISO procedure's
revision in force, the downloads (the signed decision, the files of what is public), the
statistics, the sitemap. Every page reads ``eiso.portal.selectors`` only."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from eiso.core.files import file_response
from eiso.portal import selectors
from eiso.portal.forms import AgencySearchForm, ProcedureSearchForm
from eiso.portal.views.base import public_page

PER_PAGE = 20


@public_page
def home(request):
    form = AgencySearchForm(request.GET or None, kinds=selectors.agency_kinds_announced())
    filters = {"q": "", "tier": "", "kind": ""}
    if form.is_valid():
        filters.update({k: v or "" for k, v in form.cleaned_data.items()})
    agencies = selectors.announced_agencies(**filters)
    page = Paginator(agencies, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/home.html",
        {
            "form": form,
            "page_obj": page,
            "agencies": page.object_list,
            "searching": any(filters.values()),
            "tiers": selectors.tier_counts(),
        },
    )


@public_page
def agency(request, code: str):
    found = selectors.public_agency(code)
    announcements = selectors.agency_announcements(found)
    search = ProcedureSearchForm(request.GET or None)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    procedures = list(selectors.published_procedures(found, q=q))
    figures = selectors.agency_figures([found])[0]
    return render(
        request,
        "portal/agency.html",
        {
            "agency": found,
            "current": announcements[0] if announcements else None,
            "announcements": announcements,
            "procedures": procedures,
            "search": search,
            "q": q,
            "documents": selectors.published_documents(found),
            "figures": figures,
            "period": selectors.last_twelve_months(),
        },
    )


@public_page
def procedure(request, code: str, procedure_code: str):
    found = selectors.public_agency(code)
    history = request.GET.get("lich-su") == "1"
    shown = selectors.public_procedure(found, procedure_code, history=history)
    return render(
        request,
        "portal/procedure.html",
        {"agency": found, "shown": shown, "history": history, "today": timezone.localdate()},
    )


@public_page(scope="file", cached=False)
def announcement_file(request, pk: int):
    announcement = selectors.announcement_file(pk)
    name = f"Quyet dinh cong bo {announcement.number or announcement.pk}.pdf"
    return file_response(announcement.signed_file, name=announcement.signed_file_name or name)


@public_page(scope="file", cached=False)
def revision_file(request, pk: int):
    found = selectors.public_file(pk)
    return file_response(found.file, name=found.original_name, content_type=found.content_type)


@public_page
def statistics(request):
    agencies = list(selectors.announced_agencies())
    return render(
        request,
        "portal/statistics.html",
        {
            "tiers": selectors.tier_counts(),
            "rows": selectors.agency_figures(agencies),
            "period": selectors.last_twelve_months(),
        },
    )


@public_page
def sitemap(request):
    base = request.build_absolute_uri("/").rstrip("/")
    urls = [reverse("portal:home"), reverse("portal:statistics"), reverse("portal:tracking")]
    urls += [reverse("portal:agency", args=[a.code]) for a in selectors.sitemap_agencies()]
    urls += [
        reverse("portal:procedure", args=[p.agency.code, p.procedure.code])
        for p in selectors.sitemap_procedures()
    ]
    return render(
        request,
        "portal/sitemap.xml",
        {"urls": [base + u for u in urls]},
        content_type="application/xml; charset=utf-8",
    )
