from eiso.core.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import agencies' QMS status and historic announcements of conformity from an XLSX/CSV "
        "file (all rows or none)."
    )
    import_kind = "announcements"
