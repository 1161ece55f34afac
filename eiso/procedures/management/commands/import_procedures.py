from eiso.core.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = "Import the administrative-procedure (TTHC) catalogue from an XLSX/CSV file (all rows or none)."
    import_kind = "procedures"
