"""Spreadsheet import: read XLSX/CSV (streaming, bounded), check every row and show each bad
cell with its reason, and save nothing unless every row is good (all-or-nothing, one
transaction). Files of more than IMPORT_SYNC_ROWS rows run as a background job with progress.

An app declares an ``Importer`` subclass — its ``Column`` list (parser, required, unique, help),
its database checks and the row → service mapping — and registers it; the pages
(``ImportView``), the API and the management commands all go through the flows here."""

from eiso.core.imports.base import (
    Column,
    ImportColumn,
    Importer,
    ImportReport,
    PreviewRow,
    Row,
    RowError,
    fetch_in,
    importer_for,
    register,
    registered_kinds,
)
from eiso.core.imports.parsers import (
    CellError,
    boolean,
    choice,
    date,
    email,
    parse_bool,
    parse_date,
    text,
)
from eiso.core.imports.reading import count_rows, decode_csv, open_table
from eiso.core.imports.samples import sample_xlsx
from eiso.core.imports.services import (
    import_apply,
    import_file,
    import_job_start,
    import_preview,
    report_of,
    result_of,
    run_import_job,
    validate_file,
)

__all__ = [
    "CellError",
    "Column",
    "ImportColumn",
    "ImportReport",
    "Importer",
    "PreviewRow",
    "Row",
    "RowError",
    "boolean",
    "choice",
    "count_rows",
    "date",
    "decode_csv",
    "email",
    "fetch_in",
    "import_apply",
    "import_file",
    "import_job_start",
    "import_preview",
    "importer_for",
    "open_table",
    "parse_bool",
    "parse_date",
    "register",
    "registered_kinds",
    "report_of",
    "result_of",
    "run_import_job",
    "sample_xlsx",
    "text",
    "validate_file",
]
