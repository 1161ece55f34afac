"""How the audit trail names what happens to agencies and departments (eiso.core.audit_display)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.organizations.models import Agency, Department

declare(
    groups={
        "agency": pgettext_lazy("audit group", "Agencies"),
        "department": pgettext_lazy("audit group", "Departments"),
    },
    actions={
        "agency.create": pgettext_lazy("audit action", "Agency created"),
        "agency.update": pgettext_lazy("audit action", "Agency details changed"),
        "agency.deactivate": pgettext_lazy("audit action", "Agency deactivated"),
        "agency.reactivate": pgettext_lazy("audit action", "Agency reactivated"),
        "agency.merge": pgettext_lazy("audit action", "Agency merged into another"),
        "agency.merge_into": pgettext_lazy("audit action", "Agencies merged into this one"),
        "agency.split": pgettext_lazy("audit action", "Agency split"),
        "agency.split_from": pgettext_lazy("audit action", "Agency formed by a split"),
        "department.create": pgettext_lazy("audit action", "Department created"),
        "department.update": pgettext_lazy("audit action", "Department changed"),
        "import.agencies": pgettext_lazy("audit action", "Agencies imported from a spreadsheet"),
    },
    fields={
        "sub_agencies_moved": _("Sub-agencies moved"),
        "sources": _("Merged agencies"),
        "parts": _("Agencies formed"),
        "source": _("Agency split"),
        "new": _("New agency formed"),
    },
    object_fields={"organizations.agency": {"on": _("Effective on")}},
    object_types=[Agency, Department],
)
