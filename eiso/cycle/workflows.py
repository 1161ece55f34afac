"""The life of a rule set, as a declared table (eiso.core.workflow): prepared as a draft (copied
from the set in force, dates changed), then adopted — from then on never edited: a change is a
new set, and adopting it ends the one it replaces the day before."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eiso.core.workflow import Transition, Workflow
from eiso.cycle import rules
from eiso.cycle.choices import RuleSetAction, RuleSetStatus

KEEPER_ONLY = _(
    "Only an administrator (for every agency) or the overseer of the province (for its own "
    "set) keeps the annual obligations."
)


def has_rules(rule_set, actor):
    if not rule_set.rules.exists():
        return _("A set needs at least one obligation.")
    return None


def known_evidence(rule_set, actor):
    from eiso.core import evidence

    for rule in rule_set.rules.all():
        for key in (rule.evidence_key, rule.anchor_key, rule.trigger_key):
            if key and evidence.get(key) is None:
                return _("%(rule)s: no module provides the evidence “%(key)s”.") % {
                    "rule": rule.title,
                    "key": key,
                }
    return None


RULE_SET = Workflow(
    "rule_set",
    transitions=[
        Transition(
            RuleSetStatus.DRAFT,
            RuleSetAction.EDIT,
            RuleSetStatus.DRAFT,
            who=rules.keeps,
            refusal=KEEPER_ONLY,
        ),
        Transition(
            RuleSetStatus.DRAFT,
            RuleSetAction.ADOPT,
            RuleSetStatus.ADOPTED,
            who=rules.keeps,
            guards=[has_rules, known_evidence],
            refusal=KEEPER_ONLY,
        ),
    ],
    action_labels=dict(RuleSetAction.choices),
    status_labels=dict(RuleSetStatus.choices),
)
