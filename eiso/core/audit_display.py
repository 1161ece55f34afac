"""The audit trail as people read it (issue 7 A5): actions, object types, field names and
choice values in the interface language, values shown by their type, dates dd/mm/yyyy.

Field names and choice values come from the models themselves (verbose names, ``choices``);
each app adds what the models cannot say in its own ``audit_labels.py`` (autodiscovered)::

    from eiso.core.audit_display import declare

    declare(
        actions={"revision.submit": pgettext_lazy("audit action", "Revision submitted")},
        fields={"added": _("Procedures added")},      # keys that are not model fields
        choices={"role": Role},                         # their choice sets
        object_types=[Revision, Document],              # offered in the audit filter
    )

Events hold ``changes`` in two shapes, written by services: ``{field: [old, new]}`` (from
``eiso.core.audit.changes_between``) and ``{field: value}``. They are told apart explicitly:

- a value that is not a list is a value (``{"number": 45}``);
- for a model field that holds one value (not a list), ``[old, new]`` is a change
  (``{"status": ["draft", "in_review"]}``);
- for a list-valued key (many-to-many, JSON list, or a key an app declares in ``fields`` that
  is not a model field), a pair of lists (or ``None`` and a list) is a change
  (``{"legal_bases": [["a"], ["a", "b"]]}``) and any other list is the value itself (a list of
  two codes is two codes, never "A → B").
"""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.utils import formats, timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

EMPTY = "—"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$"
)


@dataclass
class _Registry:
    actions: dict[str, object] = field(default_factory=dict)
    fields: dict[str, object] = field(default_factory=dict)
    choices: dict[str, dict[str, object]] = field(default_factory=dict)
    object_choices: dict[tuple[str, str], dict[str, object]] = field(default_factory=dict)
    object_types: dict[str, type[models.Model]] = field(default_factory=dict)
    object_fields: dict[tuple[str, str], object] = field(default_factory=dict)
    groups: dict[str, object] = field(default_factory=dict)
    version: int = 0  # moves on every declaration: the audit filter's choices are kept by it


_registry = _Registry()
_discovered = False
_lock = threading.Lock()


def _choices_of(choice_set) -> dict[str, object]:
    if isinstance(choice_set, dict):
        return {str(k): v for k, v in choice_set.items()}
    if hasattr(choice_set, "choices"):
        return {str(value): label for value, label in choice_set.choices}
    return {str(value): label for value, label in choice_set}


def declare(
    *,
    actions: dict[str, object] | None = None,
    fields: dict[str, object] | None = None,
    choices: dict[str, object] | None = None,
    object_types: Iterable[type[models.Model]] = (),
    object_fields: dict[str, dict[str, object]] | None = None,
    object_choices: dict[str, dict[str, object]] | None = None,
    groups: dict[str, object] | None = None,
) -> None:
    """Add an app's labels. ``fields``: keys services write that are not model fields (their
    values are lists when they are lists); ``object_fields``: per object type
    (``"app.model"``), labels that differ from the model's verbose names; ``choices``: choice
    sets (TextChoices, pairs or dicts) of such keys, shared by every app: a key another app
    already gives other choices is refused (two apps' "role" are not the same thing), declare
    it in ``object_choices`` (per object type, like ``object_fields``) instead; ``groups``: the name of each action
    prefix ("revision" → "Revisions") in the audit filter."""
    _registry.version += 1
    _registry.actions.update(actions or {})
    _registry.groups.update(groups or {})
    _registry.fields.update(fields or {})
    for key, choice_set in (choices or {}).items():
        mapped = _choices_of(choice_set)
        known = _registry.choices.get(key)
        if known is not None and set(known) != set(mapped):
            raise ImproperlyConfigured(
                f"audit labels: the key {key!r} already has other choices; "
                "declare these in object_choices for their object type"
            )
        _registry.choices[key] = mapped
    for object_type, sets in (object_choices or {}).items():
        for key, choice_set in sets.items():
            _registry.object_choices[(object_type, key)] = _choices_of(choice_set)
    for model in object_types:
        _registry.object_types[model._meta.label_lower] = model
    for object_type, labels in (object_fields or {}).items():
        for key, label in labels.items():
            _registry.object_fields[(object_type, key)] = label


def workflow_audit_actions() -> dict[str, object]:
    """The audit action of every transition of every app's ``workflows.py``
    (``transition.audit`` or ``<workflow>.<action>``), with the workflow's own label of the
    action: what a workflow writes is named even when no app declares it."""
    from eiso.core.workflow import Workflow

    found: dict[str, object] = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.workflows")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.workflows":
                raise
            continue
        for workflow in vars(module).values():
            if not isinstance(workflow, Workflow):
                continue
            for transition in workflow.transitions:
                action = str(transition.action)
                name = transition.audit or f"{workflow.name}.{action}"
                found.setdefault(name, workflow.action_labels.get(action, action))
    return found


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    with _lock:
        if not _discovered:
            autodiscover_modules("audit_labels")
            for name, label in workflow_audit_actions().items():
                _registry.actions.setdefault(name, label)
            _registry.version += 1
            _discovered = True


def registry() -> _Registry:
    _discover()
    return _registry


# --- labels ------------------------------------------------------------------------------------


def _model(object_type: str) -> type[models.Model] | None:
    if not object_type or "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _model_field(object_type: str, key: str) -> models.Field | None:
    """The model's own field named ``key`` (or its ``attname``); reverse relations are not
    fields of the model (a list of related objects written under their name is a value)."""
    model = _model(object_type)
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:
        found = next((f for f in model._meta.concrete_fields if f.attname == key), None)
    return found if isinstance(found, models.Field) else None


def action_label(action: str) -> str:
    """The action in words ("revision.submit" → "Trình duyệt lần ban hành"); an undeclared
    action is shown as its code."""
    label = registry().actions.get(action)
    return str(label) if label is not None else action


def object_type_label(object_type: str) -> str:
    model = _model(object_type)
    if model is not None:
        return capfirst(str(model._meta.verbose_name))
    return object_type


def field_label(object_type: str, key: str) -> str:
    reg = registry()
    label = reg.object_fields.get((object_type, key))
    if label is None:
        model_field = _model_field(object_type, key)
        label = getattr(model_field, "verbose_name", None) if model_field is not None else None
    if label is None:
        label = reg.fields.get(key)
    if label is None:
        return capfirst(key.replace("_", " "))
    return capfirst(str(label))


def _choice_map(object_type: str, key: str) -> dict[str, object]:
    model_field = _model_field(object_type, key)
    if model_field is not None and getattr(model_field, "choices", None):
        return _choices_of(model_field.flatchoices)
    reg = registry()
    own = reg.object_choices.get((object_type, key))
    return own if own is not None else reg.choices.get(key, {})


def _holds_one_value(object_type: str, key: str) -> bool:
    """A model field that holds one value (not many-to-many, not JSON). Other keys may hold
    lists: declared keys, and unknown ones."""
    model_field = _model_field(object_type, key)
    if model_field is None:
        return False
    return not (model_field.many_to_many or isinstance(model_field, models.JSONField))


# --- values ------------------------------------------------------------------------------------


def _date_text(text: str) -> str | None:
    if _ISO_DATE.match(text):
        try:
            return datetime.date.fromisoformat(text).strftime("%d/%m/%Y")
        except ValueError:
            return None
    if _ISO_DATETIME.match(text):
        try:
            moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%d/%m/%Y %H:%M")
    return None


def render_value(value, *, choices: dict[str, object] | None = None) -> str:
    """One value as text, by its type: empty as "—", yes/no, numbers in the local format,
    ISO dates dd/mm/yyyy, choice values by their label, lists joined, mappings as
    "key: value"."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float):
        return formats.number_format(value)
    if isinstance(value, list | tuple):
        return ", ".join(render_value(v, choices=choices) for v in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{capfirst(str(k).replace('_', ' '))}: {render_value(v)}" for k, v in value.items()
        )
    text = str(value)
    if choices and text in choices:
        return str(choices[text])
    return _date_text(text) or text


@dataclass(frozen=True)
class ChangeLine:
    """One line of an event's changes: ``old → new`` for a change, ``value`` otherwise."""

    field: str
    is_change: bool
    old: str = ""
    new: str = ""
    value: str = ""

    def __str__(self) -> str:
        if self.is_change:
            return f"{self.field}: {self.old} → {self.new}"
        return f"{self.field}: {self.value}"


def _is_container_or_none(value) -> bool:
    return value is None or isinstance(value, list | dict)


def is_change(object_type: str, key: str, value) -> bool:
    """Whether ``changes[key]`` is an ``[old, new]`` pair (see the module's docstring)."""
    if not isinstance(value, list) or len(value) != 2:
        return False
    if _holds_one_value(object_type, key):
        return True
    return all(_is_container_or_none(v) for v in value) and value != [None, None]


def change_lines(object_type: str, changes) -> list[ChangeLine]:
    if not isinstance(changes, dict):
        value = render_value(changes)
        return [ChangeLine(field=pgettext("audit", "Changes"), is_change=False, value=value)]
    lines = []
    for key, value in changes.items():
        label = field_label(object_type, str(key))
        choices = _choice_map(object_type, str(key))
        if is_change(object_type, str(key), value):
            old, new = value
            lines.append(
                ChangeLine(
                    field=label,
                    is_change=True,
                    old=render_value(old, choices=choices),
                    new=render_value(new, choices=choices),
                )
            )
        else:
            lines.append(
                ChangeLine(field=label, is_change=False, value=render_value(value, choices=choices))
            )
    return lines


@dataclass(frozen=True)
class EventDisplay:
    action: str
    object_type: str
    lines: list[ChangeLine]

    @property
    def changes_text(self) -> str:
        return "\n".join(str(line) for line in self.lines)


def describe(event) -> EventDisplay:
    """What the audit page and its export show of one event."""
    return EventDisplay(
        action=action_label(event.action),
        object_type=object_type_label(event.object_type),
        lines=change_lines(event.object_type, event.changes),
    )


# --- filter choices ----------------------------------------------------------------------------


def action_choices() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Declared actions grouped by their prefix ("revision.…"), each group led by the prefix
    itself ("every action on …"), sorted by label."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for action, label in registry().actions.items():
        prefix = action.split(".", 1)[0]
        groups.setdefault(prefix, []).append((action, str(label)))
    result = []
    for prefix, items in groups.items():
        items.sort(key=lambda item: item[1])
        title = str(registry().groups.get(prefix, prefix))
        every = (f"{prefix}.", _("%(group)s: every action") % {"group": title})
        result.append((title, tuple([every, *items] if len(items) > 1 else items)))
    result.sort(key=lambda group: group[0])
    return tuple(result)


def object_type_choices() -> tuple[tuple[str, str], ...]:
    """Every declared object type with its label, sorted by label."""
    choices = {label: object_type_label(label) for label in registry().object_types}
    return tuple(sorted(choices.items(), key=lambda item: item[1]))
