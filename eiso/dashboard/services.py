"""The dashboard's one write: a new version of the composite score's formula (administrators;
the versions before it are kept and still give the scores of their days)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.dashboard import indicators
from eiso.dashboard.models import ScoreFormula


def can_keep_formula(user) -> bool:
    return user_scope(user, Action.KEEP_CATALOGUES).everything


@transaction.atomic
def score_formula_create(
    *, actor, name: str, effective_from: datetime.date, weights: dict, basis: str = ""
) -> ScoreFormula:
    if not can_keep_formula(actor):
        raise NotPermitted(_("Only an administrator changes the formula of the score."))
    unknown = set(weights) - set(indicators.LABELS)
    if unknown:
        raise ValidationFailed(_("Unknown indicators: %(keys)s.") % {"keys": ", ".join(unknown)})
    clean = {k: int(v) for k, v in weights.items() if int(v or 0) > 0}
    if not clean:
        message = _("Give at least one indicator a weight.")
        raise ValidationFailed(message, fields={"name": [message]})
    formula = ScoreFormula.objects.create(
        name=name.strip(),
        effective_from=effective_from,
        weights=clean,
        basis=basis.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="score_formula.create",
        obj=formula,
        changes={"weights": [None, clean], "effective_from": [None, effective_from]},
    )
    return formula
