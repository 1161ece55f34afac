"""Writes of records and dossiers: the record types the agency keeps (one by one, or the forms
its procedures name in one step), and the dossier imports (a file, a stream from disk, or a
system's push) — keyword-only, one transaction each, audited."""

from __future__ import annotations

from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.organizations.models import Agency
from eiso.records import rules
from eiso.records.choices import Disposal, RecordLocation
from eiso.records.importing.engine import DossierLoad, LoadResult
from eiso.records.importing.jobs import dossier_import_start
from eiso.records.importing.parsing import columns
from eiso.records.importing.sources import content_rows, path_rows, record_rows
from eiso.records.models import RecordType

RECORD_FIELDS = (
    "document",
    "name",
    "form_code",
    "keeper",
    "location",
    "retention_years",
    "permanent",
    "disposal",
    "note",
)
DEFAULT_RETENTION_YEARS = 5
PUSH_MAX_ROWS = 5000

__all__ = [
    "dossier_import_start",
    "dossiers_import_file",
    "dossiers_import_path",
    "dossiers_push",
    "record_type_create",
    "record_type_update",
    "record_type_delete",
    "record_types_adopt",
]


def _refuse(field: str, message: str):
    raise ValidationFailed(message, fields={field: [message]})


def _require_keeper(actor, agency) -> None:
    if not rules.can_keep(actor, agency):
        raise NotPermitted(_("Only the ISO secretary or the head keep the list of records."))


def _clean(agency: Agency, data: dict) -> dict:
    cleaned = {k: data[k] for k in RECORD_FIELDS if k in data}
    errors: dict[str, list[str]] = {}
    if "name" in cleaned:
        cleaned["name"] = " ".join(str(cleaned["name"] or "").split())
        if not cleaned["name"]:
            errors["name"] = [_("Name the record.")]
    if "keeper" in cleaned:
        cleaned["keeper"] = str(cleaned["keeper"] or "").strip()
        if not cleaned["keeper"]:
            errors["keeper"] = [_("Say who keeps it.")]
    document = cleaned.get("document")
    if document is not None and document.agency_id != agency.pk:
        errors["document"] = [_("Choose a procedure of the agency.")]
    if cleaned.get("location") and cleaned["location"] not in RecordLocation.values:
        errors["location"] = [_("Choose where it is kept.")]
    if cleaned.get("disposal") and cleaned["disposal"] not in Disposal.values:
        errors["disposal"] = [_("Choose how it is disposed of.")]
    years = cleaned.get("retention_years")
    if years is not None and not 1 <= int(years) <= 100:
        errors["retention_years"] = [_("Between 1 and 100 years, or kept permanently.")]
    if cleaned.get("permanent"):
        cleaned["retention_years"] = None
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return cleaned


def _check_retention(record_type: RecordType) -> None:
    if not record_type.permanent and record_type.retention_years is None:
        _refuse("retention_years", _("Give the retention in years, or keep it permanently."))


def _save(record_type: RecordType) -> None:
    try:
        with transaction.atomic():
            record_type.save()
    except IntegrityError:
        _refuse("name", _("The agency already keeps a record of this name for this procedure."))


@transaction.atomic
def record_type_create(*, actor, agency: Agency, data: dict) -> RecordType:
    """Add a kind of record the agency keeps."""
    _require_keeper(actor, agency)
    cleaned = _clean(agency, {"location": RecordLocation.PAPER, **data})
    record_type = RecordType(agency=agency, **cleaned)
    _check_retention(record_type)
    _save(record_type)
    audit_record(
        actor=actor,
        action="record_type.create",
        obj=record_type,
        changes=changes_between({}, snapshot(record_type, RECORD_FIELDS)),
    )
    return record_type


@transaction.atomic
def record_type_update(*, actor, record_type: RecordType, data: dict) -> RecordType:
    locked = RecordType.objects.select_for_update().get(pk=record_type.pk)
    _require_keeper(actor, locked.agency)
    before = snapshot(locked, RECORD_FIELDS)
    for name, value in _clean(locked.agency, data).items():
        setattr(locked, name, value)
    _check_retention(locked)
    _save(locked)
    changes = changes_between(before, snapshot(locked, RECORD_FIELDS))
    if changes:
        audit_record(actor=actor, action="record_type.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def record_type_delete(*, actor, record_type: RecordType) -> None:
    """Stop keeping a kind of record (it stays in the history, no longer listed)."""
    locked = RecordType.objects.select_for_update().get(pk=record_type.pk)
    _require_keeper(actor, locked.agency)
    if not locked.is_active:
        return
    locked.is_active = False
    locked.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=actor, action="record_type.delete", obj=locked)


@transaction.atomic
def record_types_adopt(*, actor, agency: Agency, rows) -> list[RecordType]:
    """Add, in one step, the forms and results the procedures in force name and no record
    type covers yet (``rows``: the "missing" lines of ``selectors.records_to_keep``), kept by
    the procedure's department for five years, destroyed afterwards — to be adjusted."""
    _require_keeper(actor, agency)
    created = []
    for row in rows:
        if row.state != "missing" or row.document is None or row.document.agency_id != agency.pk:
            continue
        department = getattr(row.document, "department", None)
        record_type = RecordType(
            agency=agency,
            document=row.document,
            name=row.name[:300],
            form_code=row.form_code[:60],
            keeper=str(department) if department else str(agency),
            location=RecordLocation.PAPER,
            retention_years=DEFAULT_RETENTION_YEARS,
            disposal=Disposal.DESTROY,
        )
        _save(record_type)
        created.append(record_type)
    if created:
        audit_record(
            actor=actor,
            action="record_type.adopt",
            agency=agency,
            object_type="records.recordtype",
            changes={"record_types": [r.name for r in created]},
        )
    return created


# --- dossiers -----------------------------------------------------------------------------------


def dossiers_import_file(
    *, actor, agency: Agency | None, filename: str, content: bytes, apply: bool = True
) -> LoadResult:
    """Import an uploaded dossier file now (the API's small files): all rows or none."""
    load = DossierLoad(actor=actor, agency=agency, filename=filename)
    return load.run(content_rows(filename, content), apply=apply)


def dossiers_import_path(
    *, actor, agency: Agency | None, path: Path, apply: bool = True, progress=None
) -> LoadResult:
    """Import a dossier file from disk (``manage.py import_dossiers``): a CSV is streamed,
    whatever its size. All rows or none."""
    load = DossierLoad(actor=actor, agency=agency, filename=path.name)
    return load.run(path_rows(path), apply=apply, progress=progress)


def dossiers_push(*, actor, agency: Agency | None, records: list[dict]) -> LoadResult:
    """A one-stop system's push: dossiers as JSON objects keyed by column name (``code``,
    ``procedure_code``, ``received_at`` …, ISO 8601 moments with their offset accepted). All
    or none, like a file."""
    if not isinstance(records, list) or not records:
        _refuse("dossiers", _("Send at least one dossier."))
    if len(records) > PUSH_MAX_ROWS:
        _refuse(
            "dossiers",
            _("At most %(n)s dossiers per request: send the rest in another.")
            % {"n": PUSH_MAX_ROWS},
        )
    names = [c.name for c in columns()]
    load = DossierLoad(actor=actor, agency=agency, filename="api")
    return load.run(record_rows(records, names), apply=True)
