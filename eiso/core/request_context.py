"""Per-request facts that services need without taking the request (remote address, the
actor's active membership). Set by middleware; empty in commands and tasks."""

from __future__ import annotations

from contextvars import ContextVar

_remote_addr: ContextVar[str | None] = ContextVar("eiso_remote_addr", default=None)


def set_remote_addr(value: str | None):
    return _remote_addr.set(value)


def reset_remote_addr(token) -> None:
    _remote_addr.reset(token)


def current_remote_addr() -> str | None:
    return _remote_addr.get()
