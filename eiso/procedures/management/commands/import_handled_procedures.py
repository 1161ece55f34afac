from eiso.core.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the procedures agencies handle (agency code, procedure code, since) from an "
        "XLSX/CSV file (all rows or none)."
    )
    import_kind = "handled_procedures"
