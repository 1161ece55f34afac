"""Issuing decisions' numbers: the one official shape of ``eiso.core.numbers`` ("45/QĐ-STP",
the agency's symbol from ``agency_symbol``), with a draft decision allowed to have none yet."""

from __future__ import annotations

import re

from eiso.core import numbers
from eiso.core.numbers import (
    COMMITTEE_PREFIXES,
    DECISION,
    agency_symbol,
    is_peoples_committee,
    strip_prefix,
)

__all__ = [
    "COMMITTEE_PREFIXES",
    "DECISION",
    "agency_symbol",
    "is_peoples_committee",
    "official_number",
    "sequence_of",
    "strip_prefix",
]


def official_number(typed: str, *, agency, kind: str = DECISION, field: str = "number") -> str:
    """``typed`` in the official shape "NN/<kind>-<symbol>" (``eiso.core.numbers``), or ""
    when nothing was typed (a draft decision has no number yet); a shape that is not the
    agency's is refused (``ValidationFailed`` on ``field``)."""
    if not (typed or "").strip():
        return ""
    return numbers.official_number(typed, kind=kind, symbol=agency_symbol(agency), field=field)


def sequence_of(number: str) -> int | None:
    """The number part of an official number ("45/QĐ-STP" → 45), None if there is none."""
    found = re.match(r"^\s*0*(\d+)", number or "")
    return int(found.group(1)) if found else None
