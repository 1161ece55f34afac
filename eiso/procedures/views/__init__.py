"""Pages of administrative procedures (TTHC). Thin: load through a scoped selector, call one
service, render."""

from eiso.procedures.views.catalogue import (
    CatalogueCreateView,
    CatalogueImportView,
    CatalogueListView,
    CatalogueUpdateView,
)
from eiso.procedures.views.handled import (
    CoverageView,
    HandledAddView,
    HandledImportView,
    HandledListView,
    HandledRemoveView,
)
from eiso.procedures.views.steps import LinkView, StepsEditView, StepsView, UnlinkView

__all__ = [
    "CatalogueCreateView",
    "CatalogueImportView",
    "CatalogueListView",
    "CatalogueUpdateView",
    "CoverageView",
    "HandledAddView",
    "HandledImportView",
    "HandledListView",
    "HandledRemoveView",
    "LinkView",
    "StepsEditView",
    "StepsView",
    "UnlinkView",
]
