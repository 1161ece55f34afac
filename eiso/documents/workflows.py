"""The revision workflow as an explicit transition table: (from status, action) → to status.
Each transition is one service in services.py."""

from eiso.documents.choices import RevisionAction as A
from eiso.documents.choices import RevisionStatus as S

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, A.EDIT): S.DRAFT,
    (S.RETURNED, A.EDIT): S.RETURNED,
    (S.DRAFT, A.SUBMIT): S.IN_REVIEW,
    (S.RETURNED, A.SUBMIT): S.IN_REVIEW,
    (S.IN_REVIEW, A.RETURN): S.RETURNED,
    (S.IN_REVIEW, A.APPROVE): S.APPROVED,
    (S.APPROVED, A.ISSUE): S.ISSUED,
    (S.ISSUED, A.SUPERSEDE): S.SUPERSEDED,
}


def target(status: str, action: str) -> str | None:
    return TRANSITIONS.get((status, action))


def allowed_actions(status: str) -> list[str]:
    return [action for (source, action) in TRANSITIONS if source == status]
