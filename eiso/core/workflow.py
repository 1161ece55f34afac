"""One workflow mechanism for every life cycle (STYLE.md, "Workflows").

A module declares its life cycle once, as data, in its ``workflows.py``::

    REVISION = Workflow(
        "revision",
        status_field="status",
        transitions=[
            Transition(S.DRAFT, A.SUBMIT, S.IN_REVIEW, who=rules.can_draft,
                       guards=[has_content], audit="revision.submit"),
            ...
        ],
    )

and each transition is one service that locks the row, calls ``REVISION.apply(...)`` (which
checks the transition exists, that the actor may take it and that every guard passes, then sets
the new status and writes the audit event) and does the rest of its work. Pages and the API ask
the same table which actions a person may take now (``available``), so a button is shown exactly
when the service would accept it. There is no engine beyond this table: no generic foreign keys,
no status strings compared by hand in services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import InvalidTransition, NotPermitted

# who(actor, obj) -> bool: may this person take the action on this object?
Who = Callable[[object, models.Model], bool]
# guard(obj, actor) -> str | None: None when the action may go ahead, else why not (shown to
# the person). A guard may also raise an ApplicationError itself to point at form fields.
Guard = Callable[[models.Model, object], "str | None"]


@dataclass(frozen=True)
class Transition:
    """From ``source`` (one status or several), ``action`` leads to ``target``. ``who`` says
    who may take it, ``guards`` what must hold first, ``audit`` names the audit action
    (default ``<workflow>.<action>``), ``refusal`` is the message when ``who`` says no."""

    source: str | Sequence[str]
    action: str
    target: str
    who: Who | None = None
    guards: Sequence[Guard] = ()
    audit: str = ""
    refusal: str = ""

    @property
    def sources(self) -> tuple[str, ...]:
        if isinstance(self.source, str):
            return (self.source,)
        return tuple(self.source)


@dataclass
class Workflow:
    """A declared transition table over ``status_field`` of one model."""

    name: str
    transitions: Iterable[Transition]
    status_field: str = "status"
    action_labels: dict[str, str] = field(default_factory=dict)
    status_labels: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.transitions = tuple(self.transitions)
        self._table: dict[tuple[str, str], Transition] = {}
        for transition in self.transitions:
            for source in transition.sources:
                key = (str(source), str(transition.action))
                if key in self._table:
                    raise ValueError(f"{self.name}: two transitions for {key}")
                self._table[key] = transition

    # --- reading the table ----------------------------------------------------------------
    def status_of(self, obj: models.Model) -> str:
        return str(getattr(obj, self.status_field))

    def find(self, status: str, action: str) -> Transition | None:
        return self._table.get((str(status), str(action)))

    def target(self, status: str, action: str) -> str | None:
        transition = self.find(status, action)
        return transition.target if transition else None

    def actions_from(self, status: str) -> list[str]:
        return [action for (source, action) in self._table if source == str(status)]

    def states(self) -> list[str]:
        seen: dict[str, None] = {}
        for transition in self.transitions:
            for source in transition.sources:
                seen.setdefault(str(source), None)
            seen.setdefault(str(transition.target), None)
        return list(seen)

    def _label(self, value: str, labels: dict[str, str], obj=None) -> str:
        if value in labels:
            return str(labels[value])
        if obj is not None and self.status_field and value == self.status_of(obj):
            display = getattr(obj, f"get_{self.status_field}_display", None)
            if display:
                return str(display())
        return value

    def may(self, actor, obj: models.Model, action: str) -> bool:
        """Whether ``actor`` may take ``action`` now: the transition exists and ``who`` allows
        it (guards are not run: a button stays visible and the service explains what is
        missing)."""
        transition = self.find(self.status_of(obj), action)
        if transition is None:
            return False
        return transition.who is None or bool(transition.who(actor, obj))

    def available(self, actor, obj: models.Model) -> list[str]:
        """The actions ``actor`` may take on ``obj`` in its current status."""
        return [a for a in self.actions_from(self.status_of(obj)) if self.may(actor, obj, a)]

    # --- applying it ----------------------------------------------------------------------
    def check(self, *, actor, obj: models.Model, action: str) -> Transition:
        """Refuse the action unless the table allows it now: ``InvalidTransition`` (409) for a
        wrong status, ``NotPermitted`` for the wrong person, ``InvalidTransition`` with the
        guard's message when a guard says no."""
        status = self.status_of(obj)
        transition = self.find(status, action)
        if transition is None:
            raise InvalidTransition(
                _("“%(action)s” is not possible while the status is “%(status)s”.")
                % {
                    "action": self._label(action, self.action_labels),
                    "status": self._label(status, self.status_labels, obj),
                }
            )
        if transition.who is not None and not transition.who(actor, obj):
            raise NotPermitted(transition.refusal or None)
        for guard in transition.guards:
            problem = guard(obj, actor)
            if problem:
                raise InvalidTransition(str(problem))
        return transition

    def apply(
        self,
        *,
        actor,
        obj: models.Model,
        action: str,
        changes: dict | None = None,
        reason: str = "",
        save: bool = True,
        update_fields: Sequence[str] | None = None,
    ) -> Transition:
        """Check the action, set the new status, save the row (with ``update_fields`` when
        given: the status is added to them) and write the audit event with the status change
        and ``changes``. The caller holds the row lock and the transaction."""
        transition = self.check(actor=actor, obj=obj, action=action)
        before = self.status_of(obj)
        setattr(obj, self.status_field, transition.target)
        if save:
            if update_fields is not None:
                fields = {*update_fields, self.status_field}
                if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
                    fields.add("updated_at")
                obj.save(update_fields=sorted(fields))
            else:
                obj.save()
        audit_record(
            actor=actor,
            action=transition.audit or f"{self.name}.{action}",
            obj=obj,
            changes={self.status_field: [before, str(transition.target)], **(changes or {})},
            reason=reason,
        )
        return transition


def lock(obj: models.Model, *, related: Sequence[str] = ()) -> models.Model:
    """The row of ``obj`` again, locked for the rest of the transaction (``SELECT … FOR UPDATE
    OF`` the row itself: PostgreSQL refuses locks across nullable joins, and locking the
    agency would serialise every edit in it). ``related`` are ``select_related`` paths."""
    manager = type(obj)._base_manager
    query = manager.select_for_update(of=("self",))
    if related:
        query = query.select_related(*related)
    return query.get(pk=obj.pk)


def require(condition: bool, message: str) -> None:
    """Refuse with ``NotPermitted(message)`` unless ``condition``."""
    if not condition:
        raise NotPermitted(message)
