"""How the audit trail names what happens to records and dossiers (eiso.core.audit_display)."""

from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.records.models import Dossier, RecordType

declare(
    groups={
        "record_type": pgettext_lazy("audit group", "Record types"),
        "dossier": pgettext_lazy("audit group", "One-stop dossiers"),
    },
    actions={
        "record_type.create": pgettext_lazy("audit action", "Record type added"),
        "record_type.update": pgettext_lazy("audit action", "Record type changed"),
        "record_type.delete": pgettext_lazy("audit action", "Record type no longer kept"),
        "record_type.adopt": pgettext_lazy(
            "audit action", "Forms of the procedures added to the records kept"
        ),
        "dossier.import": pgettext_lazy("audit action", "One-stop dossiers imported"),
        "import.dossiers": pgettext_lazy("audit action", "One-stop dossiers imported"),
    },
    object_fields={
        "records.dossier": {
            "created": pgettext_lazy("audit field", "New dossiers"),
            "updated": pgettext_lazy("audit field", "Dossiers updated"),
        },
        "records.recordtype": {"record_types": pgettext_lazy("audit field", "Record types")},
    },
    object_types=[RecordType, Dossier],
)
