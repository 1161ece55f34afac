"""How the audit trail names what happens to training records (eiso.core.audit_display)."""

from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.training.models import Certificate, Course, TrainingSession

declare(
    groups={
        "course": pgettext_lazy("audit group", "Training courses"),
        "training_session": pgettext_lazy("audit group", "Training sessions"),
        "certificate": pgettext_lazy("audit group", "Certificates"),
    },
    actions={
        "course.create": pgettext_lazy("audit action", "Course added"),
        "course.update": pgettext_lazy("audit action", "Course changed"),
        "training_session.create": pgettext_lazy("audit action", "Training session recorded"),
        "training_session.update": pgettext_lazy("audit action", "Training session changed"),
        "training_session.attendance": pgettext_lazy("audit action", "Attendance recorded"),
        "certificate.create": pgettext_lazy("audit action", "Certificate recorded"),
        "certificate.update": pgettext_lazy("audit action", "Certificate changed"),
        "certificate.delete": pgettext_lazy("audit action", "Certificate removed"),
    },
    object_fields={
        "training.trainingsession": {
            "attendance": pgettext_lazy("audit field", "Attendance (people)")
        }
    },
    object_types=[Course, TrainingSession, Certificate],
)
