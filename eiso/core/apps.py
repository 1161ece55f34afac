from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "eiso.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app contributes to the work inbox from its own inbox.py.
        from eiso.core import columns, evidence, inbox, prepared, timestamps

        inbox.autodiscover()
        # ... and the evidence the annual cycle reads from its own evidence.py.
        evidence.autodiscover()
        # PostgreSQL's timestamps parsed by psycopg's compiled loader (eiso/core/timestamps.py).
        timestamps.install()
        # Columns hashed without inspect.signature (eiso/core/columns.py).
        columns.install()
        # Prepared statements on PostgreSQL, but not LIKE's (eiso/core/prepared.py).
        prepared.install()
