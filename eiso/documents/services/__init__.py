"""Every write of document control. See the modules for each area."""

from eiso.documents.services._common import revision_edited
from eiso.documents.services.documents import (
    document_create,
    document_update,
    document_withdraw,
    revision_approve,
    revision_attach_file,
    revision_remove_file,
    revision_return,
    revision_start,
    revision_submit,
    revision_update,
    template_adopt,
)
from eiso.documents.services.issuing import (
    decision_attach_scan,
    decision_create,
    decision_discard,
    decision_sign,
    decision_update,
)
from eiso.documents.services.legal import external_document_create, external_document_update
from eiso.documents.services.reading import master_list_review_record, revision_acknowledge

__all__ = [
    "decision_attach_scan",
    "decision_create",
    "decision_discard",
    "decision_sign",
    "decision_update",
    "document_create",
    "document_update",
    "document_withdraw",
    "external_document_create",
    "external_document_update",
    "master_list_review_record",
    "revision_acknowledge",
    "revision_approve",
    "revision_edited",
    "revision_attach_file",
    "revision_remove_file",
    "revision_return",
    "revision_start",
    "revision_submit",
    "revision_update",
    "template_adopt",
]
