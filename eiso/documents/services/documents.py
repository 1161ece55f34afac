"""Documents and their revisions: create, edit drafts, files, submit, return, approve,
withdraw; templates adopted in one step."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.accounts.models import Membership
from eiso.core import workflow
from eiso.core.audit import audit_record, changes_between, snapshot
from eiso.core.errors import ConcurrentEdit, InvalidTransition, ValidationFailed
from eiso.core.files import DOCX, PDF, XLSX, check_upload
from eiso.core.notifications import notify
from eiso.core.roles import Role
from eiso.documents import revision_parts
from eiso.documents.choices import DocumentAction, DocumentKind, RevisionAction
from eiso.documents.models import Document, DocumentTemplate, Revision, RevisionFile
from eiso.documents.services._common import (
    check_editable,
    document_search_text,
    document_url,
    latest_issued,
    lock_revision,
    record,
    require_drafter,
    revision_edited,
)
from eiso.documents.services.legal import raise_tasks_for_new_links
from eiso.documents.workflows import DOCUMENT, REVISION, check_effective_date

DOCUMENT_FIELDS = ("code", "title", "kind", "department")
REVISION_FIELDS = ("effective_date", "change_summary", "content")
ALLOWED_FILES = (DOCX, PDF, XLSX)


def _check_same_agency(
    agency, *, department=None, documents=(), forms=(), externals=(), distribution=()
) -> None:
    """Every linked row must belong to the document's agency (shared legal texts: to an
    agency above it); forms must be documents of kind "form"."""
    if department is not None and department.agency_id != agency.pk:
        message = _("Choose a department of this agency.")
        raise ValidationFailed(message, fields={"department": [message]})
    if any(d.agency_id != agency.pk for d in distribution):
        message = _("Choose departments of this agency.")
        raise ValidationFailed(message, fields={"distribution": [message]})
    if any(d.agency_id != agency.pk for d in [*documents, *forms]):
        message = _("Related documents must belong to the same agency.")
        raise ValidationFailed(message, fields={"references": [message]})
    if any(f.kind != DocumentKind.FORM for f in forms):
        message = _("Only documents of the kind “form” can be listed as forms.")
        raise ValidationFailed(message, fields={"forms": [message]})
    for external in externals:
        if external.agency_id != agency.pk and not (
            external.is_shared and agency.path.startswith(external.agency.path)
        ):
            message = _("This legal text is not available to this agency.")
            raise ValidationFailed(message, fields={"legal_bases": [message]})


def _check_code_free(agency, code: str, exclude_pk: int | None = None) -> None:
    qs = Document.objects.filter(agency=agency, code__iexact=code)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        message = _("The code %(code)s is already used in this agency.") % {"code": code}
        raise ValidationFailed(message, fields={"code": [message]})


@transaction.atomic
def document_create(
    *,
    actor,
    agency,
    code: str,
    title: str,
    kind: str,
    department=None,
    change_summary: str = "",
    effective_date: datetime.date | None = None,
    content: str = "",
    references=(),
    forms=(),
    legal_bases=(),
    distribution=(),
) -> Document:
    """A new document with its first draft (revision 01)."""
    require_drafter(actor, agency)
    code = code.strip().upper()
    if not code:
        raise ValidationFailed(_("The code is required."), fields={"code": [_("Required.")]})
    if kind not in DocumentKind.values:
        raise ValidationFailed(_("Unknown kind."), fields={"kind": [_("Unknown kind.")]})
    _check_code_free(agency, code)
    _check_same_agency(
        agency,
        department=department,
        documents=references,
        forms=forms,
        externals=legal_bases,
        distribution=distribution,
    )
    document = Document.objects.create(
        agency=agency,
        code=code,
        title=title.strip(),
        kind=kind,
        department=department,
        created_by=actor,
    )
    document.references.set(references)
    document.forms.set(forms)
    document.distribution.set(distribution)
    revision = Revision.objects.create(
        agency=agency,
        document=document,
        number=1,
        effective_date=effective_date,
        change_summary=change_summary or _("First issue"),
        content=content,
        drafted_by=actor,
    )
    document.search_text = document_search_text(document)
    document.save(update_fields=["search_text"])
    record(revision, RevisionAction.CREATE, actor)
    if legal_bases:
        document.legal_bases.set(legal_bases, through_defaults={"agency_id": document.agency_id})
        raise_tasks_for_new_links(document=document, externals=legal_bases)
    audit_record(
        actor=actor,
        action="document.create",
        obj=document,
        changes={**snapshot(document, DOCUMENT_FIELDS), "revision": 1},
    )
    return document


@transaction.atomic
def document_update(*, actor, document: Document, data: dict) -> Document:
    """Change a document's description and links (not its content: that is a revision). The
    code can change only while nothing has been issued."""
    locked = workflow.lock(document, related=("agency",))
    require_drafter(actor, locked.agency)
    before = snapshot(locked, DOCUMENT_FIELDS)
    if "code" in data:
        code = data["code"].strip().upper()
        if code != locked.code:
            if locked.revisions.issued().exists():
                raise ValidationFailed(
                    _("The code of an issued document cannot change."),
                    fields={"code": [_("Issued documents keep their code.")]},
                )
            _check_code_free(locked.agency, code, exclude_pk=locked.pk)
            locked.code = code
    _check_same_agency(
        locked.agency,
        department=data.get("department"),
        documents=data.get("references", ()),
        forms=data.get("forms", ()),
        externals=data.get("legal_bases", ()),
        distribution=data.get("distribution", ()),
    )
    for name in ("title", "kind", "department"):
        if name in data:
            setattr(locked, name, data[name])
    locked.search_text = document_search_text(locked)
    locked.save()
    for name in ("references", "forms", "distribution"):
        if name in data:
            getattr(locked, name).set(data[name])
    changes = changes_between(before, snapshot(locked, DOCUMENT_FIELDS))
    if "legal_bases" in data:
        linked = {e.pk: e.number for e in locked.legal_bases.all()}
        wanted = {e.pk: e.number for e in data["legal_bases"]}
        locked.legal_bases.set(
            data["legal_bases"], through_defaults={"agency_id": locked.agency_id}
        )
        new = [e for e in data["legal_bases"] if e.pk not in linked]
        raise_tasks_for_new_links(document=locked, externals=new)
        if set(linked) != set(wanted):
            changes["legal_bases"] = [sorted(linked.values()), sorted(wanted.values())]
    if changes:
        audit_record(actor=actor, action="document.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def revision_start(*, actor, document: Document, change_summary: str = "") -> Revision:
    """Open the next revision as a draft, copying the latest issued revision (its content and
    whatever other apps keep per revision, such as a procedure's step table). One at a time."""
    locked = workflow.lock(document, related=("agency",))
    DOCUMENT.check(actor=actor, obj=locked, action=DocumentAction.REVISE)
    last = locked.revisions.aggregate(n=Max("number"))["n"] or 0
    base = latest_issued(locked)
    try:
        with transaction.atomic():
            revision = Revision.objects.create(
                agency=locked.agency,
                document=locked,
                number=last + 1,
                change_summary=change_summary,
                content=base.content if base else "",
                drafted_by=actor,
            )
    except IntegrityError as exc:  # a concurrent request opened one first
        raise InvalidTransition(
            _("This document already has a revision in preparation; finish it first.")
        ) from exc
    if base is not None:
        revision_parts.copy(source=base, target=revision)
    record(revision, RevisionAction.CREATE, actor)
    audit_record(
        actor=actor, action="revision.create", obj=revision, changes={"number": revision.number}
    )
    return revision


@transaction.atomic
def revision_update(
    *, actor, revision: Revision, data: dict, expected_version: int | None = None
) -> Revision:
    """Edit a draft (or a returned one). A stale form is refused, not silently applied."""
    locked = lock_revision(revision)
    check_editable(actor, locked)
    if expected_version is not None and expected_version != locked.version:
        raise ConcurrentEdit()
    if "effective_date" in data:
        check_effective_date(locked, data["effective_date"])
    before = snapshot(locked, REVISION_FIELDS)
    for name in REVISION_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    locked.version = F("version") + 1  # every save: a form read before it is stale
    locked.save(update_fields=[*REVISION_FIELDS, "version", "updated_at"])
    locked.refresh_from_db(fields=["version"])
    changes = changes_between(before, snapshot(locked, REVISION_FIELDS))
    if changes:
        revision_edited(actor=actor, revision=locked, what=", ".join(sorted(changes)))
        audit_record(actor=actor, action="revision.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def revision_attach_file(*, actor, revision: Revision, upload) -> RevisionFile:
    """Attach a DOCX/PDF/XLSX file to a draft (type checked by content, size limited)."""
    locked = lock_revision(revision)
    check_editable(actor, locked)
    checked = check_upload(upload, allowed=ALLOWED_FILES)
    attached = RevisionFile.objects.create(
        agency=locked.agency,
        revision=locked,
        file=checked.content,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    revision_edited(actor=actor, revision=locked, what=checked.original_name)
    audit_record(
        actor=actor,
        action="revision.attach_file",
        obj=locked,
        changes={"file": checked.original_name, "size": checked.size},
    )
    return attached


@transaction.atomic
def revision_remove_file(*, actor, attached: RevisionFile) -> None:
    locked = lock_revision(attached.revision)
    check_editable(actor, locked)
    name = attached.original_name
    attached.file.delete(save=False)
    attached.delete()
    revision_edited(actor=actor, revision=locked, what=name)
    audit_record(actor=actor, action="revision.remove_file", obj=locked, changes={"file": name})


def _heads(agency) -> list:
    members = Membership.objects.filter(agency=agency, role=Role.HEAD, is_active=True)
    return [m.user for m in members.select_related("user")]


def _title(revision: Revision) -> str:
    document = revision.document
    return f"{document.code} {document.title}, {_('revision')} {revision.number:02d}"


@transaction.atomic
def revision_submit(*, actor, revision: Revision, comment: str = "") -> Revision:
    """Send a draft to the head for review; the head is told."""
    locked = lock_revision(revision)
    REVISION.apply(actor=actor, obj=locked, action=RevisionAction.SUBMIT, reason=comment)
    record(locked, RevisionAction.SUBMIT, actor, comment)
    notify(
        users=[u for u in _heads(locked.agency) if u.pk != actor.pk],
        agency=locked.agency,
        message=_("%(who)s submitted %(revision)s for your review.")
        % {"who": actor.get_full_name(), "revision": _title(locked)},
        url=document_url(locked.document_id),
    )
    return locked


@transaction.atomic
def revision_return(*, actor, revision: Revision, comment: str) -> Revision:
    """Send a revision back to its drafter with what to change; the drafter is told."""
    locked = lock_revision(revision)
    if not comment.strip():
        REVISION.check(actor=actor, obj=locked, action=RevisionAction.RETURN)
        message = _("Say what must be changed.")
        raise ValidationFailed(message, fields={"comment": [message]})
    locked.return_comment = comment.strip()
    locked.reviewed_by = actor
    REVISION.apply(
        actor=actor,
        obj=locked,
        action=RevisionAction.RETURN,
        reason=comment,
        update_fields=["return_comment", "reviewed_by"],
    )
    record(locked, RevisionAction.RETURN, actor, comment)
    notify(
        users=[locked.drafted_by],
        agency=locked.agency,
        message=_("%(who)s returned %(revision)s for changes: %(comment)s")
        % {"who": actor.get_full_name(), "revision": _title(locked), "comment": comment.strip()},
        url=document_url(locked.document_id),
    )
    return locked


@transaction.atomic
def revision_approve(*, actor, revision: Revision, comment: str = "") -> Revision:
    """Approve a revision in review. Nobody who wrote its content or files may approve it
    (four eyes); the drafter is told."""
    locked = lock_revision(revision)
    locked.reviewed_by = locked.reviewed_by or actor
    locked.approved_by = actor
    REVISION.apply(
        actor=actor,
        obj=locked,
        action=RevisionAction.APPROVE,
        reason=comment,
        update_fields=["reviewed_by", "approved_by"],
    )
    record(locked, RevisionAction.APPROVE, actor, comment)
    notify(
        users=[locked.drafted_by],
        agency=locked.agency,
        message=_("%(who)s approved %(revision)s: it can now be issued by a decision.")
        % {"who": actor.get_full_name(), "revision": _title(locked)},
        url=document_url(locked.document_id),
    )
    return locked


@transaction.atomic
def document_withdraw(
    *, actor, document: Document, reason: str, on: datetime.date | None = None
) -> Document:
    """Withdraw a document that is no longer used; every revision stays in its history."""
    locked = workflow.lock(document, related=("agency",))
    if not reason.strip():
        DOCUMENT.check(actor=actor, obj=locked, action=DocumentAction.WITHDRAW)
        message = _("Give the reason for withdrawal.")
        raise ValidationFailed(message, fields={"reason": [message]})
    locked.withdrawn_on = on or timezone.localdate()
    locked.withdrawn_reason = reason.strip()
    DOCUMENT.apply(
        actor=actor,
        obj=locked,
        action=DocumentAction.WITHDRAW,
        reason=reason,
        update_fields=["withdrawn_on", "withdrawn_reason"],
    )
    in_force = Revision.objects.in_force(on=locked.withdrawn_on).filter(document=locked).first()
    if in_force is not None:
        record(in_force, RevisionAction.WITHDRAW, actor, reason)
    return locked


@transaction.atomic
def template_adopt(*, actor, agency, templates) -> list[Document]:
    """Give an agency its own draft documents from framework-model templates (skipping codes
    it already has)."""
    require_drafter(actor, agency)
    existing = set(Document.objects.filter(agency=agency).values_list("code", flat=True))
    created = []
    for template in templates:
        if not isinstance(template, DocumentTemplate) or template.code in existing:
            continue
        created.append(
            document_create(
                actor=actor,
                agency=agency,
                code=template.code,
                title=template.title,
                kind=template.kind,
                content=template.content,
                change_summary=_("Adopted from the framework model"),
            )
        )
    return created
