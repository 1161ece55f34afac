"""How the audit trail names the kernel's own events (eiso.core.audit_display)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare

declare(
    groups={"import": pgettext_lazy("audit group", "Imports")},
    fields={"file": _("File"), "rows": _("Rows")},
)
