"""How the audit trail names a new version of the league table's score formula
(eiso.core.audit_display)."""

from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.dashboard.models import ScoreFormula

declare(
    groups={"score_formula": pgettext_lazy("audit group", "Score formula")},
    actions={
        "score_formula.create": pgettext_lazy("audit action", "New version of the score formula"),
    },
    object_types=[ScoreFormula],
)
