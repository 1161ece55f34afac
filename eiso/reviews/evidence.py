"""Management review's evidence for the annual cycle (eiso.core.evidence): the year's review
held (its minutes may follow). One query, for any number of agencies."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eiso.core import evidence
from eiso.reviews.choices import ReviewStatus
from eiso.reviews.models import ManagementReview

HELD = (ReviewStatus.HELD, ReviewStatus.MINUTES_ISSUED)


@evidence.kind(
    "reviews.held",
    _("Management review held"),
    per=evidence.YEAR,
    description=_("A management review meeting of the year recorded as held."),
)
def reviews_held(agency_ids, start, end):
    rows = (
        ManagementReview.objects.filter(
            agency_id__in=agency_ids, status__in=HELD, meeting_date__range=(start, end)
        )
        .order_by()
        .values_list("pk", "agency_id", "year", "sequence", "meeting_date")
    )
    detail = evidence.link("reviews:detail")
    return evidence.group(
        (
            agency_id,
            evidence.Evidence(
                date=day,
                title=str(_("Management review %(n)s/%(year)s") % {"n": n, "year": year}),
                url=detail(pk),
                period=str(year),
            ),
        )
        for pk, agency_id, year, n, day in rows
    )
