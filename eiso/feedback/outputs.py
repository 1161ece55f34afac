"""The QR codes of the rating form and the A4 poster for the one-stop desk (PDF, WeasyPrint,
fonts of the machine — nothing fetched). A code leads to the agency's form, or a desk's (its
ratings then say where)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe


def rating_path(agency, desk=None) -> str:
    if desk is not None:
        return reverse("portal:rating_desk", args=[agency.code, desk.pk])
    return reverse("portal:rating", args=[agency.code]) + "?qr=1"


def absolute(request, path: str) -> str:
    """``path`` as people reach it: under ``SITE_URL`` when set, else this request's address."""
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return base + path if base else request.build_absolute_uri(path)


def rating_url(request, agency, desk=None) -> str:
    """The address a code holds."""
    return absolute(request, rating_path(agency, desk))


def qr_svg(url: str, *, scale: int = 4) -> str:
    """The code as inline SVG markup (segno writes no script and no style attribute)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, dark="#000", light="#fff"))  # noqa: S308


def poster_pdf(request, agency, desk=None) -> bytes:
    """The A4 poster: the agency (and desk), what to do, the code large, its address in
    letters for those who type it."""
    from weasyprint import HTML

    url = rating_url(request, agency, desk)
    qr = segno.make(url, error="m")
    with translation.override("vi"):
        html = render_to_string(
            "feedback/official/poster.html",
            {
                "agency": agency,
                "desk": desk,
                "url": url,
                "qr": qr.svg_data_uri(scale=10, border=2),
                "complaint_url": absolute(request, reverse("portal:complaint", args=[agency.code])),
            },
        )
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
