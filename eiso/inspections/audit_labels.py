"""How the audit trail names what happens to inspections (eiso.core.audit_display)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.inspections.choices import Mode, Result, TeamRole
from eiso.inspections.models import Inspection, InspectionPlan

declare(
    groups={
        "inspection_plan": pgettext_lazy("audit group", "Inspection plans"),
        "inspection": pgettext_lazy("audit group", "Inspections"),
    },
    actions={
        "inspection_plan.create": pgettext_lazy("audit action", "Inspection plan drafted"),
        "inspection_plan.edit": pgettext_lazy("audit action", "Inspection plan changed"),
        "inspection_plan.approve": pgettext_lazy(
            "audit action", "Decision approving the inspection plan recorded"
        ),
        "inspection_plan.schedule": pgettext_lazy("audit action", "Visit rescheduled"),
        "inspection_plan.team": pgettext_lazy("audit action", "Inspection team changed"),
        "inspection_plan.attach": pgettext_lazy("audit action", "Signed decision attached"),
        "inspection_plan.summarize": pgettext_lazy(
            "audit action", "Summary of the inspections written"
        ),
        "inspection_plan.complete": pgettext_lazy("audit action", "Inspection plan completed"),
        "inspection.start": pgettext_lazy("audit action", "Inspection checklist started"),
        "inspection.refresh": pgettext_lazy("audit action", "What the platform knows read again"),
        "inspection.answer": pgettext_lazy("audit action", "Inspection item given its result"),
        "inspection.record_finding": pgettext_lazy("audit action", "Inspection finding recorded"),
        "inspection.write": pgettext_lazy("audit action", "Inspection conclusion written"),
        "inspection.conclude": pgettext_lazy("audit action", "Inspection record made"),
        "inspection.attach_record": pgettext_lazy(
            "audit action", "Signed inspection record attached"
        ),
        "inspection.report_remediation": pgettext_lazy("audit action", "Remediation reported"),
        "inspection.return": pgettext_lazy("audit action", "Remediation report returned"),
        "inspection.close": pgettext_lazy("audit action", "Inspection closed"),
        "import.inspection_agencies": pgettext_lazy(
            "audit action", "Agencies of an inspection plan imported"
        ),
    },
    object_fields={
        "inspections.inspectionplan": {
            "agency_added": _("Agency added"),
            "agencies_added": _("Agencies added"),
            "agency_removed": _("Agency removed"),
            "agency": _("Agency"),
            "mode": _("Mode"),
            "date": _("Date"),
            "place": _("Place"),
            "member_added": _("Member added"),
            "member_removed": _("Member removed"),
            "role": _("Task in the team"),
            "organisation": _("Works at"),
            "file": _("File"),
            "which": _("Decision"),
        },
        "inspections.inspection": {
            "items": _("Items"),
            "item": _("Item"),
            "corrected": _("Corrected from the platform's data"),
            "finding": _("Finding"),
            "nonconformity": _("Nonconformity"),
            "due_date": _("To remedy by"),
            "file": _("File"),
        },
    },
    choices={"mode": Mode, "result": Result},
    object_choices={"inspections.inspectionplan": {"role": TeamRole}},
    object_types=[InspectionPlan, Inspection],
)
