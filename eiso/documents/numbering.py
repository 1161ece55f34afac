"""Official document numbers ("số, ký hiệu", Nghị định 30/2020/NĐ-CP, Phụ lục I): the
number, a slash, the type of document and the agency's symbol — "45/QĐ-STP". Numbers below
10 are written with a leading zero ("05/QĐ-STP").

The agency's symbol is derived, deterministically, from the agency: a People's Committee signs
"UBND", any other agency its code ("STP" for the Sở Tư pháp whose code is STP). The person types
the number; "45" is completed, the full symbol is accepted in any case and with or without
diacritics, anything else is refused with the shape expected."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed
from eiso.core.text import vn_fold

DECISION = "QĐ"

# People's Committees (Ủy ban nhân dân) name themselves in full and sign "UBND".
COMMITTEE_PREFIXES = ("uy ban nhan dan", "ubnd")

# On the folded text: "45", "so: 45", "45/qd", "45/qd-stp" (type and symbol optional).
_SHAPE = re.compile(r"(?:so\s*:?\s*)?0*(\d{1,6})(?:\s*/\s*([a-z0-9]+)(?:\s*-\s*([^\s/]+))?\s*-?)?")


def strip_prefix(name: str, prefixes) -> str | None:
    """``name`` without the first of ``prefixes`` (folded, whole words) it starts with, or None
    when it starts with none of them: ``"Ủy ban nhân dân tỉnh Phú An"`` → ``"tỉnh Phú An"``."""
    words, folded = name.split(), vn_fold(name).split()
    for prefix in prefixes:
        steps = prefix.split()
        if folded[: len(steps)] == steps and len(words) > len(steps):
            return " ".join(words[len(steps) :])
    return None


def is_peoples_committee(agency) -> bool:
    return strip_prefix(agency.name, COMMITTEE_PREFIXES) is not None


def agency_symbol(agency) -> str:
    """The agency's part of a document symbol: "STP" in "45/QĐ-STP"; "UBND" for a People's
    Committee."""
    if is_peoples_committee(agency):
        return "UBND"
    return "".join(agency.code.split()).upper()


def official_number(typed: str, *, agency, kind: str = DECISION, field: str = "number") -> str:
    """``typed`` in the official shape "NN/<kind>-<symbol>", or "" when nothing was typed.
    Refuses (``ValidationFailed`` on ``field``) a shape that is not the agency's."""
    text = (typed or "").strip()
    if not text:
        return ""
    symbol = agency_symbol(agency)
    found = _SHAPE.fullmatch(vn_fold(text).strip())
    number = int(found.group(1)) if found else 0
    typed_kind, typed_symbol = (found.group(2), found.group(3)) if found else (None, None)
    if (
        number < 1
        or (typed_kind is not None and typed_kind != vn_fold(kind))
        or (typed_symbol is not None and typed_symbol != vn_fold(symbol))
    ):
        message = _(
            "Type the number (e.g. 45) or the full number and symbol %(expected)s; "
            "“%(typed)s” is not a number of this agency."
        ) % {"expected": f"45/{kind}-{symbol}", "typed": text}
        raise ValidationFailed(message, fields={field: [message]})
    return f"{number:02d}/{kind}-{symbol}"


def sequence_of(number: str) -> int | None:
    """The number part of an official number ("45/QĐ-STP" → 45), None if there is none."""
    found = re.match(r"^\s*0*(\d+)", number or "")
    return int(found.group(1)) if found else None
