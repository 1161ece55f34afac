from eiso.core.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = "Import agencies from an XLSX/CSV file (all rows or none)."
    import_kind = "agencies"
