"""The checklist: copied from the question bank (clauses and processes), edited, filled by the
auditors — at a desk or on a phone — with their answer, evidence notes and files. The first
answer starts the audit."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.audits.choices import Answer, AuditAction
from eiso.audits.models import (
    AuditQuestion,
    AuditSession,
    ChecklistFile,
    ChecklistItem,
    InternalAudit,
)
from eiso.audits.services._common import EVIDENCE_TYPES, refuse
from eiso.audits.workflows import AUDIT
from eiso.core.audit import audit_record
from eiso.core.files import check_upload
from eiso.core.workflow import lock


def _next_number(audit, session) -> int:
    return (
        ChecklistItem.objects.filter(audit=audit, session=session).aggregate(n=Max("number"))["n"]
        or 0
    ) + 1


def _session_of(audit: InternalAudit, session) -> AuditSession | None:
    if session is not None and session.audit_id != audit.pk:
        refuse("session", _("Choose a line of this audit's schedule."))
    return session


@transaction.atomic
def checklist_copy(*, actor, audit: InternalAudit, session=None, clauses=(), processes=()) -> int:
    """Copy the bank's questions of ``clauses`` (general ones and those of ``processes``) into
    the checklist of ``session``; a question already there is not copied twice. Returns how
    many were added."""
    locked = lock(audit, related=("agency",))
    AUDIT.check(actor=actor, obj=locked, action=AuditAction.PREPARE)
    session = _session_of(locked, session)
    clauses = list(clauses)
    if not clauses:
        refuse("clauses", _("Choose at least one clause."))
    processes = [p for p in processes if p]
    questions = (
        AuditQuestion.objects.filter(is_active=True, clause__in=clauses)
        .filter(Q(process="") | Q(process__in=processes))
        .select_related("clause")
        .order_by("clause__order", "process", "order", "pk")
    )
    present = set(
        ChecklistItem.objects.filter(audit=locked, session=session).values_list(
            "question", flat=True
        )
    )
    number = _next_number(locked, session)
    rows = []
    for q in questions:
        if q.text in present:
            continue
        rows.append(
            ChecklistItem(
                agency=locked.agency,
                audit=locked,
                session=session,
                clause=q.clause,
                number=number,
                question=q.text,
                guidance=q.guidance,
            )
        )
        present.add(q.text)
        number += 1
    ChecklistItem.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="internal_audit.copy_questions",
        obj=locked,
        changes={
            "session": str(session) if session else "",
            "clauses": [c.code for c in clauses],
            "processes": processes,
            "questions": len(rows),
        },
    )
    return len(rows)


@transaction.atomic
def checklist_item_add(
    *, actor, audit: InternalAudit, question: str, session=None, clause=None, guidance: str = ""
) -> ChecklistItem:
    locked = lock(audit, related=("agency",))
    AUDIT.check(actor=actor, obj=locked, action=AuditAction.PREPARE)
    session = _session_of(locked, session)
    question = (question or "").strip()
    if not question:
        refuse("question", _("Write the question."))
    item = ChecklistItem.objects.create(
        agency=locked.agency,
        audit=locked,
        session=session,
        clause=clause,
        number=_next_number(locked, session),
        question=question,
        guidance=(guidance or "").strip(),
    )
    audit_record(
        actor=actor,
        action="internal_audit.add_question",
        obj=locked,
        changes={"question": question, "clause": clause.code if clause else ""},
    )
    return item


@transaction.atomic
def checklist_item_update(
    *, actor, item: ChecklistItem, question: str, guidance: str = "", clause=None
) -> ChecklistItem:
    locked = lock(item, related=("audit",))
    AUDIT.check(actor=actor, obj=locked.audit, action=AuditAction.PREPARE)
    question = (question or "").strip()
    if not question:
        refuse("question", _("Write the question."))
    before = {"question": locked.question, "guidance": locked.guidance}
    locked.question, locked.guidance = question, (guidance or "").strip()
    if clause is not None:
        locked.clause = clause
    locked.save()
    audit_record(
        actor=actor,
        action="internal_audit.change_question",
        obj=locked.audit,
        changes={
            k: [before[k], getattr(locked, k)] for k in before if before[k] != getattr(locked, k)
        },
    )
    return locked


@transaction.atomic
def checklist_item_delete(*, actor, item: ChecklistItem) -> None:
    locked = lock(item, related=("audit",))
    AUDIT.check(actor=actor, obj=locked.audit, action=AuditAction.PREPARE)
    if locked.answer:
        refuse("", _("This question is answered: it is kept."))
    audit_record(
        actor=actor,
        action="internal_audit.remove_question",
        obj=locked.audit,
        changes={"question": locked.question},
    )
    locked.delete()


def begin(actor, audit: InternalAudit) -> None:
    """The audit starts with its first answer (or finding): approved → in progress. Then the
    person must be allowed to audit (on the team)."""
    if AUDIT.target(audit.status, AuditAction.START) is not None:
        AUDIT.apply(actor=actor, obj=audit, action=AuditAction.START)
    AUDIT.check(actor=actor, obj=audit, action=AuditAction.AUDIT)


@transaction.atomic
def checklist_answer(
    *, actor, item: ChecklistItem, answer: str, note: str = "", files=()
) -> ChecklistItem:
    """Record what the auditor found for one question: the answer, the evidence notes and
    files (photos, scans). Answering again corrects it until the report is issued."""
    locked = lock(item, related=("audit", "agency"))
    audit = lock(locked.audit, related=("agency",))
    if answer not in Answer.values:
        refuse("answer", _("Choose what was found."))
    note = (note or "").strip()
    if answer == Answer.NONCONFORM and not note:
        refuse("note", _("Write what was seen: a nonconformity needs its evidence."))
    begin(actor, audit)
    checked = [check_upload(f, allowed=EVIDENCE_TYPES, field="files") for f in files if f]
    before = locked.answer
    locked.answer = answer
    locked.note = note
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.save()
    for upload in checked:
        ChecklistFile.objects.create(
            agency=locked.agency,
            item=locked,
            file=upload.content,
            name=upload.original_name,
            uploaded_by=actor,
        )
    audit_record(
        actor=actor,
        action="internal_audit.answer",
        obj=audit,
        changes={
            "question": f"{locked.number}. {locked.question[:200]}",
            "answer": [before, answer],
            "note": note,
            "files": [u.original_name for u in checked],
        },
    )
    return locked
