from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "eiso.procedures"
    label = "procedures"
    verbose_name = _("Administrative procedures")

    def ready(self) -> None:
        from eiso.documents import revision_parts
        from eiso.organizations.reorganization import register_merge_hook
        from eiso.procedures import (
            imports,  # noqa: F401  (registers the importer)
            imports_handled,  # noqa: F401  (registers the importer)
        )
        from eiso.procedures.reorganization import carry_over_handled_procedures
        from eiso.procedures.services import copy_steps

        register_merge_hook(carry_over_handled_procedures)
        # A new revision of an ISO procedure starts from the previous revision's step table.
        revision_parts.register("procedures.steps", copy_steps)
