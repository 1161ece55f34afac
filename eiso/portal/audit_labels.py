"""How the audit trail names what is published on the portal (eiso.core.audit_display)."""

from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.portal.models import Publication

declare(
    groups={"publication": pgettext_lazy("audit group", "Public portal")},
    actions={
        "publication.publish": pgettext_lazy("audit action", "Shown on the public portal"),
        "publication.withdraw": pgettext_lazy("audit action", "Removed from the public portal"),
    },
    object_types=[Publication],
)
