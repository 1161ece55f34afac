"""What other apps keep per revision of a document (a procedure's step table, …) and copy
into the next revision when it is opened — so a draft starts from the issued text *and* its
parts, and an issued revision's parts never change.

An app registers a copier once, from its ``AppConfig.ready``::

    revision_parts.register("procedures.steps", copy_steps)

``copy_steps(source, target)`` copies its rows of revision ``source`` to the new draft
``target`` inside the transaction that opens it. Document control does not import the apps
that register (they build on it, not the other way round)."""

from __future__ import annotations

from collections.abc import Callable

Copier = Callable[..., None]
_copiers: dict[str, Copier] = {}


def register(key: str, copier: Copier) -> None:
    _copiers[key] = copier


def copy(*, source, target) -> None:
    for _key, copier in sorted(_copiers.items()):
        copier(source=source, target=target)
