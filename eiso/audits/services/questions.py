"""The question bank (data): an administrator adds, changes and withdraws questions per clause
and per process. A question withdrawn stays in the checklists it was copied into."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from eiso.audits.models import AuditQuestion
from eiso.audits.services._common import refuse
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.core.workflow import lock

FIELDS = ("clause", "process", "text", "guidance", "is_active")


def can_keep_bank(user) -> bool:
    return user_scope(user, Action.KEEP_CATALOGUES).everything


def _require(actor) -> None:
    if not can_keep_bank(actor):
        raise NotPermitted(_("Only an administrator keeps the question bank."))


def _clean(data: dict) -> dict:
    cleaned = {name: data[name] for name in FIELDS if name in data}
    for name in ("process", "text", "guidance"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if "clause" in cleaned and cleaned["clause"] is None:
        refuse("clause", _("Choose the clause."))
    if "text" in cleaned and not cleaned["text"]:
        refuse("text", _("Write the question."))
    return cleaned


@transaction.atomic
def question_create(*, actor, data: dict) -> AuditQuestion:
    _require(actor)
    cleaned = _clean({"process": "", "guidance": "", **data})
    if "clause" not in cleaned:
        refuse("clause", _("Choose the clause."))
    order = (
        AuditQuestion.objects.filter(clause=cleaned["clause"]).aggregate(n=Max("order"))["n"] or 0
    ) + 1
    question = AuditQuestion.objects.create(order=order, **cleaned)
    audit_record(
        actor=actor,
        action="audit_question.create",
        obj=question,
        changes=snapshot(question, FIELDS),
    )
    return question


@transaction.atomic
def question_update(*, actor, question: AuditQuestion, data: dict) -> AuditQuestion:
    _require(actor)
    locked = lock(question)
    cleaned = _clean(data)
    before = snapshot(locked, FIELDS)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    changes = changes_between(before, snapshot(locked, FIELDS))
    if changes:
        audit_record(actor=actor, action="audit_question.update", obj=locked, changes=changes)
    return locked
