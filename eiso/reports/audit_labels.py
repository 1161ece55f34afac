"""How the audit trail names what happens to the annual reports and the province's summary
reports (eiso.core.audit_display); their workflow steps are labelled by their tables."""

from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.reports.models import AnnualReport, ProvincialReport

declare(
    groups={
        "annual_report": pgettext_lazy("audit group", "Annual reports"),
        "provincial_report": pgettext_lazy("audit group", "Summary reports"),
    },
    actions={
        "annual_report.create": pgettext_lazy("audit action", "Annual report generated"),
        "annual_report.regenerate": pgettext_lazy(
            "audit action", "Figures of the annual report read again"
        ),
        "annual_report.update": pgettext_lazy("audit action", "Annual report written"),
        "provincial_report.create": pgettext_lazy("audit action", "Summary report prepared"),
        "provincial_report.update": pgettext_lazy("audit action", "Summary report written"),
    },
    object_types=[AnnualReport, ProvincialReport],
)
