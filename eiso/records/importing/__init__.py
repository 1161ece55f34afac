"""The one-stop dossier import: declared columns (``parsing``), the streaming check and
set-based write (``engine``, ``storage``), the kernel's importer (``importer``) and the file
sources and background jobs (``sources``, ``jobs``)."""
