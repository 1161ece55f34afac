"""How the audit trail names what happens to the annual obligations' rule sets
(eiso.core.audit_display); adopting a set is a workflow transition, labelled by its table."""

from django.utils.translation import pgettext_lazy

from eiso.core.audit_display import declare
from eiso.cycle.models import Rule, RuleSet

declare(
    groups={
        "rule_set": pgettext_lazy("audit group", "Sets of annual obligations"),
        "rule": pgettext_lazy("audit group", "Annual obligations"),
    },
    actions={
        "rule_set.copy": pgettext_lazy("audit action", "Set of obligations copied as a draft"),
        "rule_set.update": pgettext_lazy("audit action", "Set of obligations changed"),
        "rule_set.end": pgettext_lazy("audit action", "Set of obligations ended"),
        "rule.create": pgettext_lazy("audit action", "Obligation added to a set"),
        "rule.update": pgettext_lazy("audit action", "Obligation changed"),
        "rule.delete": pgettext_lazy("audit action", "Obligation removed from a set"),
    },
    object_types=[RuleSet, Rule],
)
