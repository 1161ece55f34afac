"""How the audit trail names what happens to administrative procedures (eiso.core.audit_display)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.procedures.models import AdministrativeProcedure, HandledProcedure, IsoProcedure

declare(
    groups={
        "procedure": pgettext_lazy("audit group", "Administrative procedures"),
        "scope": pgettext_lazy("audit group", "Handled procedures"),
    },
    actions={
        "procedure.create": pgettext_lazy("audit action", "Procedure added to the catalogue"),
        "procedure.update": pgettext_lazy("audit action", "Procedure of the catalogue changed"),
        "procedure.link": pgettext_lazy("audit action", "ISO procedure linked to a TTHC"),
        "procedure.unlink": pgettext_lazy("audit action", "ISO procedure unlinked from its TTHC"),
        "procedure.steps": pgettext_lazy("audit action", "Step table changed"),
        "scope.add_procedures": pgettext_lazy("audit action", "Handled procedures added"),
        "scope.remove_procedures": pgettext_lazy("audit action", "Handled procedures removed"),
        "import.procedures": pgettext_lazy(
            "audit action", "Procedure catalogue imported from a spreadsheet"
        ),
        "import.handled_procedures": pgettext_lazy(
            "audit action", "Handled procedures imported from a spreadsheet"
        ),
    },
    fields={
        "added": _("Procedures added"),
        "removed": _("Procedures removed"),
        "procedure": _("Administrative procedure"),
        "steps": _("Steps"),
    },
    object_types=[AdministrativeProcedure, HandledProcedure, IsoProcedure],
)
