"""How the audit trail names what happens to desks and complaints (eiso.core.audit_display).
Ratings are anonymous and not audited one by one (see services)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.feedback.choices import Outcome
from eiso.feedback.models import Complaint, Desk

declare(
    groups={
        "complaint": pgettext_lazy("audit group", "Complaints and petitions"),
        "desk": pgettext_lazy("audit group", "Desks"),
    },
    actions={
        "complaint.create": pgettext_lazy("audit action", "Complaint registered"),
        "complaint.update": pgettext_lazy("audit action", "Complaint corrected"),
        "complaint.assign": pgettext_lazy("audit action", "Complaint assigned"),
        "complaint.answer": pgettext_lazy("audit action", "Complaint answered"),
        "complaint.close": pgettext_lazy("audit action", "Complaint closed"),
        "complaint.decline": pgettext_lazy("audit action", "Complaint not accepted"),
        "complaint.reopen": pgettext_lazy("audit action", "Complaint reopened"),
        "complaint.edit": pgettext_lazy("audit action", "Complaint corrected"),
        "complaint.nonconformity": pgettext_lazy(
            "audit action", "Nonconformity opened from a complaint"
        ),
        "desk.create": pgettext_lazy("audit action", "Desk added"),
        "desk.update": pgettext_lazy("audit action", "Desk changed"),
    },
    object_fields={
        "feedback.complaint": {
            "late": _("Answered after the due date"),
            "nonconformity": _("Nonconformity"),
            "previous_answer": _("Previous answer"),
            "previous_outcome": _("Previous outcome"),
        },
    },
    choices={"previous_outcome": Outcome},
    object_types=[Complaint, Desk],
)
