"""The summary's files prepared in the background (``eiso/core/jobs.py``) when the subtree is
large (more than OUTPUT_SYNC_AGENCIES agencies: the national overseer's 5,000): the same report,
read with the same scope as the page, built in a worker instead of a request."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from eiso.core import jobs
from eiso.core.exports import XLSX_TYPE
from eiso.core.official import DOCX_TYPE, render_docx
from eiso.core.routers import using_replica
from eiso.organizations import selectors as org_selectors
from eiso.oversight import outputs, selectors
from eiso.oversight.summary import summary_report


def _report(user, params, progress):
    progress(5, _("Counting the agencies"))
    root = selectors.overseen_root(user=user, pk=params.get("root"))
    on = datetime.date.fromisoformat(params["date"])
    return summary_report(user=user, root=root, on=on)


@jobs.output("oversight.summary_docx")
@using_replica()  # the reads from the read replica when there is one
def summary_docx(*, user, params, progress) -> jobs.File:
    report = _report(user, params, progress)
    issuer = report.root or org_selectors.agency_get(user=user, pk=params["issuer"])
    progress(20, _("Listing the agencies of the annex"))
    document = outputs.summary_document(report, issuer=issuer)
    progress(50, _("Laying out the report"))
    content = render_docx(document)
    return jobs.File(f"{outputs.summary_basename(report.on)}.docx", content, DOCX_TYPE)


@jobs.output("oversight.summary_xlsx")
@using_replica()
def summary_xlsx(*, user, params, progress) -> jobs.File:
    report = _report(user, params, progress)
    progress(20, _("Writing the workbook"))
    content = outputs.summary_xlsx(report)
    return jobs.File(f"{outputs.summary_basename(report.on)}.xlsx", content, XLSX_TYPE)
