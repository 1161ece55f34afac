"""How the audit trail names what happens in document control (eiso.core.audit_display)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.documents.models import (
    Document,
    ExternalDocument,
    IssuingDecision,
    MasterListReview,
    Revision,
)

declare(
    groups={
        "document": pgettext_lazy("audit group", "Documents"),
        "revision": pgettext_lazy("audit group", "Revisions"),
        "decision": pgettext_lazy("audit group", "Issuing decisions"),
        "external": pgettext_lazy("audit group", "External documents"),
        "master_list": pgettext_lazy("audit group", "Master list"),
    },
    actions={
        "document.create": pgettext_lazy("audit action", "Document created"),
        "document.update": pgettext_lazy("audit action", "Document details changed"),
        "document.withdraw": pgettext_lazy("audit action", "Document withdrawn"),
        "revision.create": pgettext_lazy("audit action", "New revision drafted"),
        "revision.update": pgettext_lazy("audit action", "Draft revision edited"),
        "revision.attach_file": pgettext_lazy("audit action", "File attached to a revision"),
        "revision.remove_file": pgettext_lazy("audit action", "File removed from a revision"),
        "revision.submit": pgettext_lazy("audit action", "Revision submitted for review"),
        "revision.return": pgettext_lazy("audit action", "Revision returned for changes"),
        "revision.approve": pgettext_lazy("audit action", "Revision approved"),
        "revision.issue": pgettext_lazy("audit action", "Revision issued"),
        "revision.supersede": pgettext_lazy("audit action", "Revision superseded"),
        "revision.acknowledge": pgettext_lazy("audit action", "Revision read and acknowledged"),
        "decision.create": pgettext_lazy("audit action", "Issuing decision drafted"),
        "decision.update": pgettext_lazy("audit action", "Draft issuing decision edited"),
        "decision.discard": pgettext_lazy("audit action", "Draft issuing decision discarded"),
        "decision.sign": pgettext_lazy("audit action", "Issuing decision signed"),
        "decision.attach_scan": pgettext_lazy(
            "audit action", "Signed scan of the issuing decision attached"
        ),
        "external.create": pgettext_lazy("audit action", "External document added"),
        "external.update": pgettext_lazy("audit action", "External document changed"),
        "master_list.review": pgettext_lazy("audit action", "Master list reviewed"),
    },
    fields={
        "revision": _("Revision number"),
        "revisions": _("Revisions"),
        "issued": _("Revisions issued"),
        "file": _("File"),
        "size": _("Size (bytes)"),
        "replaces": _("Replaces"),
        "tasks": _("Revision tasks raised"),
        "quarter": _("Quarter"),
        "result": _("Result"),
    },
    object_types=[Document, Revision, IssuingDecision, ExternalDocument, MasterListReview],
)
