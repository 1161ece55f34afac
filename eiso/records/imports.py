"""Importers of the records app, registered with the import kernel (found at start-up)."""

from eiso.core.imports import register
from eiso.records.importing.importer import DossierImporter

register(DossierImporter)
