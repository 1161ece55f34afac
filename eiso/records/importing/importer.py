"""The dossier import as the import kernel knows it (``eiso.core.imports``): its declared
columns, who may use it, its sample file — and its check and write, which hand the rows to
the streaming engine (``engine.DossierLoad``) instead of holding them: the kernel's pages,
API and jobs work for dossier files as for any import, and the dossier pages, command and API
stream files of any size through the same engine."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import ValidationFailed
from eiso.core.imports import Importer, ImportReport
from eiso.records.importing.parsing import columns


class DossierImporter(Importer):
    kind = "dossiers"
    title = gettext_lazy("Import one-stop dossiers")
    # One agency + dossier code once per file (checked by the database: files are streamed).
    unique_together = (("agency", "code"),)
    url_name = "records:dossier_import"
    sample_filename = "mau-nhap-ho-so-mot-cua.xlsx"
    sample_rows = [
        {
            "code": "000.00.27.H66-250310-0001",
            "procedure_code": "1.004851.000.00.00.H66",
            "received_at": "10/03/2025 08:15",
            "due_at": "20/03/2025 17:00",
            "finished_at": "19/03/2025 10:30",
            "returned_at": "20/03/2025 09:00",
            "status": "Đã giải quyết",
            "channel": "Trực tuyến",
            "agency": "STP",
            "department": "",
        },
        {
            "code": "000.00.27.H66-250311-0002",
            "procedure_code": "1.004851.000.00.00.H66",
            "received_at": "11/03/2025 14:40",
            "due_at": "21/03/2025 17:00",
            "finished_at": "",
            "returned_at": "",
            "status": "Đang xử lý",
            "channel": "Trực tiếp",
            "agency": "STP",
            "department": "",
        },
    ]

    def __init__(self) -> None:
        self.columns = columns()

    def _load(self, *, actor, agency):
        from eiso.records.importing.engine import DossierLoad

        return DossierLoad(actor=actor, agency=agency, importer=self)

    def check_permission(self, *, actor, agency) -> None:
        self._load(actor=actor, agency=agency).check_permission()

    def validate(
        self, table, *, actor, agency, progress: Callable[[int], None] | None = None
    ) -> ImportReport:
        """Check every row (nothing written); the checked rows are kept for ``apply`` — the
        kernel's files are small (IMPORT_MAX_ROWS)."""
        result = self._load(actor=actor, agency=agency).run(
            table.rows, apply=False, keep=True, progress=progress
        )
        return ImportReport(rows=result.kept_cells, errors=result.errors, cleaned=result.kept_rows)

    def apply(self, cleaned, *, actor, agency, progress=None) -> int:
        result = self._load(actor=actor, agency=agency).run_rows(list(cleaned))
        if not result.ok:
            raise ValidationFailed(
                _("The file has %(n)s error(s); nothing was saved.") % {"n": result.error_count}
            )
        return result.imported
