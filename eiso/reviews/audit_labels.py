"""How the audit trail names what happens to management reviews (eiso.core.audit_display)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.reviews.models import ManagementReview

declare(
    groups={"management_review": pgettext_lazy("audit group", "Management reviews")},
    actions={
        "management_review.create": pgettext_lazy("audit action", "Management review planned"),
        "management_review.update": pgettext_lazy("audit action", "Management review changed"),
        "management_review.edit": pgettext_lazy("audit action", "Management review changed"),
        "management_review.assemble": pgettext_lazy("audit action", "Input pack assembled"),
        "management_review.edit_input": pgettext_lazy(
            "audit action", "Section of the input pack changed"
        ),
        "management_review.hold": pgettext_lazy("audit action", "Management review held"),
        "management_review.record": pgettext_lazy(
            "audit action", "Conclusions of the review recorded"
        ),
        "management_review.add_output": pgettext_lazy(
            "audit action", "Decision of the review recorded"
        ),
        "management_review.change_output": pgettext_lazy(
            "audit action", "Decision of the review changed"
        ),
        "management_review.remove_output": pgettext_lazy(
            "audit action", "Decision of the review removed"
        ),
        "management_review.output_done": pgettext_lazy(
            "audit action", "Decision of the review carried out"
        ),
        "management_review.issue_minutes": pgettext_lazy(
            "audit action", "Minutes of the review issued"
        ),
        "management_review.follow_up": pgettext_lazy(
            "audit action", "Decision of the review carried out"
        ),
        "management_review.attach_scan": pgettext_lazy("audit action", "Signed minutes attached"),
    },
    object_fields={
        "reviews.managementreview": {
            "sections": _("Sections"),
            "section": _("Section"),
            "content": _("Content"),
            "output": _("Decision"),
            "description": _("Decision"),
            "kind": _("Kind"),
            "owner": _("Owner"),
            "due_date": _("Due date"),
            "done_on": _("Done on"),
            "result": _("Result"),
        }
    },
    object_types=[ManagementReview],
)
