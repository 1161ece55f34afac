"""Pages of document control. Thin: load through a scoped selector, call one service,
render."""

from eiso.documents.views.decisions import (
    DecisionCreateView,
    DecisionDetailView,
    DecisionDiscardView,
    DecisionFileView,
    DecisionListView,
    DecisionScanDownloadView,
    DecisionScanUploadView,
    DecisionSignView,
    DecisionUpdateView,
)
from eiso.documents.views.documents import (
    DocumentCreateView,
    DocumentDetailView,
    DocumentListView,
    DocumentUpdateView,
    DocumentWithdrawView,
    TemplateAdoptView,
)
from eiso.documents.views.external import (
    ExternalCreateView,
    ExternalDetailView,
    ExternalListView,
    ExternalUpdateView,
)
from eiso.documents.views.master_list import MasterListFileView, MasterListView
from eiso.documents.views.revisions import (
    AcknowledgeView,
    FileDownloadView,
    FileRemoveView,
    RevisionApproveView,
    RevisionEditView,
    RevisionReturnView,
    RevisionStartView,
    RevisionSubmitView,
    RevisionUploadView,
)
from eiso.documents.views.tasks import TaskListView

__all__ = [
    "AcknowledgeView",
    "DecisionCreateView",
    "DecisionDetailView",
    "DecisionDiscardView",
    "DecisionFileView",
    "DecisionListView",
    "DecisionScanDownloadView",
    "DecisionScanUploadView",
    "DecisionSignView",
    "DecisionUpdateView",
    "DocumentCreateView",
    "DocumentDetailView",
    "DocumentListView",
    "DocumentUpdateView",
    "DocumentWithdrawView",
    "ExternalCreateView",
    "ExternalDetailView",
    "ExternalListView",
    "ExternalUpdateView",
    "FileDownloadView",
    "FileRemoveView",
    "MasterListFileView",
    "MasterListView",
    "RevisionApproveView",
    "RevisionEditView",
    "RevisionReturnView",
    "RevisionStartView",
    "RevisionSubmitView",
    "RevisionUploadView",
    "TaskListView",
    "TemplateAdoptView",
]
