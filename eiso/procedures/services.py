"""Writes of the TTHC catalogue, the agencies' handled procedures, the links from ISO
procedures and their step tables. Keyword-only, one transaction, audited."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core import workflow
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from eiso.core.text import search_text_of
from eiso.documents import rules as document_rules
from eiso.documents import services as document_services
from eiso.documents.choices import DocumentKind, RevisionStatus
from eiso.organizations.choices import Tier
from eiso.procedures import rules
from eiso.procedures.models import (
    AdministrativeProcedure,
    HandledProcedure,
    IsoProcedure,
    ProcedureStep,
)

PROCEDURE_FIELDS = (
    "code",
    "name",
    "field",
    "level",
    "time_limit_days",
    "within_the_day",
    "time_limit_text",
    "fee",
    "published_by",
    "is_active",
)


def _require_catalogue_keeper(actor) -> None:
    if not rules.can_keep_catalogue(actor):
        raise NotPermitted(_("Only administrators and overseers keep the procedure catalogue."))


def _require_scope_manager(actor, agency) -> None:
    if not rules.can_manage_scope(actor, agency):
        raise NotPermitted(_("You cannot change the procedures this agency handles."))


def _validate(data: dict) -> None:
    if data.get("level") not in Tier.values:
        raise ValidationFailed(_("Unknown level."), fields={"level": [_("Unknown level.")]})
    days = data.get("time_limit_days")
    if days is not None and Decimal(days) < 0:
        message = _("The time limit cannot be negative.")
        raise ValidationFailed(message, fields={"time_limit_days": [message]})


def _search(procedure: AdministrativeProcedure) -> str:
    return search_text_of(procedure.code, procedure.name, procedure.field)


@transaction.atomic
def procedure_create(
    *,
    actor,
    code: str,
    name: str,
    level: str,
    field: str = "",
    time_limit_days: Decimal | None = None,
    within_the_day: bool = False,
    time_limit_text: str = "",
    fee: str = "",
    published_by: str = "",
    is_active: bool = True,
) -> AdministrativeProcedure:
    """Add a procedure to the province's catalogue; the code is kept exactly as given."""
    _require_catalogue_keeper(actor)
    code = code.strip()
    if not code:
        raise ValidationFailed(_("The code is required."), fields={"code": [_("Required.")]})
    if AdministrativeProcedure.objects.filter(code=code).exists():
        message = _("The code %(code)s is already in the catalogue.") % {"code": code}
        raise ValidationFailed(message, fields={"code": [message]})
    data = {"level": level, "time_limit_days": time_limit_days}
    _validate(data)
    procedure = AdministrativeProcedure(
        code=code,
        name=name.strip(),
        field=field.strip(),
        level=level,
        time_limit_days=time_limit_days,
        within_the_day=within_the_day,
        time_limit_text=time_limit_text.strip(),
        fee=fee.strip(),
        published_by=published_by.strip(),
        is_active=is_active,
    )
    procedure.search_text = _search(procedure)
    procedure.save()
    audit_record(
        actor=actor,
        action="procedure.create",
        obj=procedure,
        object_type="procedures.administrativeprocedure",
        changes=snapshot(procedure, PROCEDURE_FIELDS),
    )
    return procedure


@transaction.atomic
def procedure_update(
    *, actor, procedure: AdministrativeProcedure, data: dict
) -> AdministrativeProcedure:
    """Change a catalogue entry (the code stays as the national database gave it)."""
    _require_catalogue_keeper(actor)
    locked = AdministrativeProcedure.objects.select_for_update().get(pk=procedure.pk)
    before = snapshot(locked, PROCEDURE_FIELDS)
    for name in PROCEDURE_FIELDS:
        if name in data and name != "code":
            value = data[name]
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _validate({"level": locked.level, "time_limit_days": locked.time_limit_days})
    locked.search_text = _search(locked)
    locked.save()
    changes = changes_between(before, snapshot(locked, PROCEDURE_FIELDS))
    if changes:
        audit_record(actor=actor, action="procedure.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def handled_assign(*, actor, agency, procedures, since: datetime.date | None = None) -> int:
    """Add procedures to those an agency handles (in bulk); returns how many were added."""
    _require_scope_manager(actor, agency)
    added = []
    for procedure in procedures:
        if not procedure.is_active:
            raise ValidationFailed(
                _("%(code)s is abolished and cannot be handled.") % {"code": procedure.code}
            )
        row, created = HandledProcedure.objects.get_or_create(
            agency=agency, procedure=procedure, defaults={"since": since}
        )
        if created or not row.is_active:
            row.is_active, row.since = True, since or row.since
            row.save()
            added.append(procedure.code)
    if added:
        audit_record(
            actor=actor,
            action="scope.add_procedures",
            agency=agency,
            object_type="procedures.handledprocedure",
            changes={"added": added},
        )
    return len(added)


@transaction.atomic
def handled_remove(*, actor, agency, procedures, reason: str = "") -> int:
    """Stop handling procedures (the rows stay, for history)."""
    _require_scope_manager(actor, agency)
    codes = [p.code for p in procedures]
    count = HandledProcedure.objects.filter(
        agency=agency, procedure__in=list(procedures), is_active=True
    ).update(is_active=False)
    if count:
        audit_record(
            actor=actor,
            action="scope.remove_procedures",
            agency=agency,
            object_type="procedures.handledprocedure",
            changes={"removed": codes},
            reason=reason,
        )
    return count


@transaction.atomic
def iso_procedure_link(*, actor, document, procedure: AdministrativeProcedure) -> IsoProcedure:
    """Say which TTHC an agency's ISO procedure implements (one ISO procedure per TTHC)."""
    if not document_rules.can_draft(actor, document.agency):
        raise NotPermitted(_("Only the ISO secretary or the head can link procedures."))
    if document.kind != DocumentKind.TTHC_PROCEDURE:
        message = _("Only a procedure of an administrative procedure can be linked to a TTHC.")
        raise ValidationFailed(message, fields={"document": [message]})
    if not HandledProcedure.objects.filter(
        agency=document.agency, procedure=procedure, is_active=True
    ).exists():
        message = _("%(code)s is not among the procedures this agency handles.") % {
            "code": procedure.code
        }
        raise ValidationFailed(message, fields={"procedure": [message]})
    existing = IsoProcedure.objects.filter(agency=document.agency, procedure=procedure).first()
    if existing and existing.document_id != document.pk:
        message = _("%(code)s is already implemented by %(document)s.") % {
            "code": procedure.code,
            "document": existing.document.code,
        }
        raise ValidationFailed(message, fields={"procedure": [message]})
    link, created = IsoProcedure.objects.get_or_create(
        agency=document.agency, procedure=procedure, defaults={"document": document}
    )
    if created:
        audit_record(
            actor=actor,
            action="procedure.link",
            obj=document,
            changes={"procedure": procedure.code},
        )
    return link


@transaction.atomic
def iso_procedure_unlink(*, actor, link: IsoProcedure) -> None:
    if not document_rules.can_draft(actor, link.agency):
        raise NotPermitted(_("Only the ISO secretary or the head can link procedures."))
    document, code = link.document, link.procedure.code
    link.delete()
    audit_record(actor=actor, action="procedure.unlink", obj=document, changes={"procedure": code})


def _step_rows(steps: list[dict]) -> list[dict]:
    """The rows of a step table, checked: each needs what is done and who is responsible; a
    time is a number of days, not negative."""
    errors: list[str] = []
    rows = []
    for index, step in enumerate(steps, start=1):
        name = str(step.get("name", "") or "").strip()
        responsible = str(step.get("responsible", "") or "").strip()
        if not name or not responsible:
            errors.append(_("Step %(n)s needs what is done and who is responsible.") % {"n": index})
        days = step.get("time_days")
        days = Decimal(str(days)) if days not in (None, "") else None
        if days is not None and days < 0:
            errors.append(_("Step %(n)s has a negative time.") % {"n": index})
        rows.append(
            {
                "number": index,
                "name": name,
                "responsible": responsible,
                "time_days": days,
                "forms_results": str(step.get("forms_results", "") or "").strip(),
            }
        )
    if errors:
        raise ValidationFailed(" ".join(errors), fields={"steps": errors})
    return rows


@transaction.atomic
def steps_replace(*, actor, revision, steps: list[dict]) -> list[ProcedureStep]:
    """Replace the step table of a revision in preparation of an ISO procedure (draft or
    returned). Each step: name, responsible, time_days (optional), forms_results (optional);
    numbered in the order given. The table of an issued revision never changes: a new
    revision of the procedure starts from a copy of it (document control)."""
    locked = workflow.lock(revision, related=("document", "agency"))
    if not document_rules.can_draft(actor, locked.agency):
        raise NotPermitted(_("Only the ISO secretary or the head can edit the step table."))
    if locked.document.kind != DocumentKind.TTHC_PROCEDURE:
        message = _("Only a procedure of an administrative procedure has a step table.")
        raise ValidationFailed(message, fields={"document": [message]})
    if not locked.is_editable:
        raise InvalidTransition(STEPS_THROUGH_A_REVISION)
    rows = _step_rows(steps)
    before = list(locked.steps.order_by("number").values_list("name", flat=True))
    document_services.revision_edited(actor=actor, revision=locked, what=_("step table"))
    locked.steps.all().delete()
    created = ProcedureStep.objects.bulk_create(
        [ProcedureStep(agency=locked.agency, revision=locked, **row) for row in rows]
    )
    audit_record(
        actor=actor,
        action="procedure.steps",
        obj=locked,
        changes={"steps": [before, [s.name for s in created]]},
    )
    return created


@transaction.atomic
def steps_replace_in_preparation(*, actor, document, steps: list[dict]) -> list[ProcedureStep]:
    """Replace the step table of the document's revision in preparation; refused when there
    is none (an issued table never changes in place)."""
    from eiso.documents.models import Revision

    if not document_rules.can_draft(actor, document.agency):
        raise NotPermitted(_("Only the ISO secretary or the head can edit the step table."))
    draft = Revision.objects.filter(
        document=document, status__in=(RevisionStatus.DRAFT, RevisionStatus.RETURNED)
    ).first()
    if draft is None:
        raise InvalidTransition(STEPS_THROUGH_A_REVISION)
    return steps_replace(actor=actor, revision=draft, steps=steps)


STEPS_THROUGH_A_REVISION = gettext_lazy(
    "The step table of an issued procedure changes only through a new revision of the "
    "procedure: start a new revision on the document's page, then edit its step table."
)


def copy_steps(*, source, target) -> None:
    """A new revision starts from the step table of the revision it follows (registered with
    ``eiso.documents.revision_parts``; runs inside the transaction that opens the revision)."""
    ProcedureStep.objects.bulk_create(
        [
            ProcedureStep(
                agency=target.agency,
                revision=target,
                number=step.number,
                name=step.name,
                responsible=step.responsible,
                time_days=step.time_days,
                forms_results=step.forms_results,
            )
            for step in source.steps.order_by("number")
        ]
    )
