from eiso.core.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = "Import users and their roles from an XLSX/CSV file (all rows or none)."
    import_kind = "users"
