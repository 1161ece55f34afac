"""The number of an official document in its one shape: "45/QĐ-STP" (Nghị định 30/2020/NĐ-CP,
Phụ lục I: the number, then the symbol — the abbreviation of the kind of document and of the
issuing body). Every decision the system records (issuing decisions, announcements of
conformity, steering committee decisions) goes through ``official_number``, so a list never
mixes "45", "45/QĐ" and "45/QĐ-STP".

- The person types the number only ("45"): the kind and the agency's symbol are filled in.
- A number typed in full is accepted in any case or spacing and written canonically
  ("45 / qđ - stp" → "45/QĐ-STP"; "QD" typed without its đ is "QĐ"); "Số: 45/QĐ-STP" copied
  from the document's header loses its "Số:".
- Numbers start at 01 each year and those below 10 take a leading zero ("5" → "05").
- Anything else is refused with a message saying what the number should look like: letters in
  the number, another kind of document ("45/CV-STP"), the year-bearing shape of legal texts
  ("45/2025/QĐ-UBND"), another body's symbol ("45/QĐ-SYT" typed in the Sở Tư pháp) — unless
  ``other_symbols`` (historic records imported from paper: the agency may have been renamed
  since).

The agency's symbol is ``agency_symbol(agency)``: "UBND" for a People's Committee, else the
agency's code ("STP" for the Sở Tư pháp whose code is STP).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed
from eiso.core.text import vn_fold

DECISION = "QĐ"

# People's Committees (Ủy ban nhân dân) name themselves in full and sign "UBND".
COMMITTEE_PREFIXES = ("uy ban nhan dan", "ubnd")


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


_SEGMENT = r"[^\W_]+"  # letters (Vietnamese ones included) and digits
_SHAPE = re.compile(
    rf"^(?P<number>\d+)(?:/(?P<kind>{_SEGMENT})(?:-(?P<symbol>{_SEGMENT}(?:-{_SEGMENT})*))?)?$"
)
_PREFIX = re.compile(r"^s[oố]\s*:?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class OfficialNumber:
    """A number read from its text: ``number`` (an int), ``kind`` ("QĐ") and ``symbol``
    ("STP"); ``kind`` and ``symbol`` are empty when the text left them out."""

    number: int
    kind: str = ""
    symbol: str = ""

    def text(self, *, kind: str, symbol: str) -> str:
        """Written canonically: the kind as given (the text's own matched it), the text's
        symbol or else ``symbol``."""
        return f"{self.number:02d}/{kind}-{self.symbol or symbol}"


def parse_official_number(text: str) -> OfficialNumber | None:
    """``text`` read as "45", "45/QĐ" or "45/QĐ-STP" (spacing and case free), or None when it
    has none of these shapes."""
    value = unicodedata.normalize("NFC", str(text or "")).strip()
    value = _PREFIX.sub("", value)
    value = re.sub(r"\s*([/-])\s*", r"\1", value)
    match = _SHAPE.match(value)
    if match is None:
        return None
    return OfficialNumber(
        number=int(match["number"]),
        kind=(match["kind"] or "").upper(),
        symbol=(match["symbol"] or "").upper(),
    )


def _example(kind: str, symbol: str) -> str:
    return f"45/{kind}-{symbol}" if symbol else f"45/{kind}-…"


def official_number(
    number: str,
    *,
    kind: str = DECISION,
    symbol: str,
    field: str = "number",
    other_symbols: bool = False,
) -> str:
    """The number in its official shape ("45" → "45/QĐ-STP" for ``symbol`` "STP"), or
    ``ValidationFailed`` on ``field`` saying why not. A number typed in full must carry
    ``symbol`` (in any case, with or without its diacritics) unless ``other_symbols``: then
    another symbol is kept, in capitals."""
    symbol = "".join(str(symbol or "").split()).upper()
    example = _example(kind, symbol)
    if not str(number or "").strip():
        message = _("Type the decision's number (e.g. 45): it is recorded as %(example)s.") % {
            "example": example
        }
        raise ValidationFailed(message, fields={field: [message]})
    parsed = parse_official_number(number)
    if parsed is None:
        message = _(
            "“%(value)s” is not a decision number: type the number only (e.g. 45) or in "
            "full, as %(example)s."
        ) % {"value": str(number).strip(), "example": example}
        raise ValidationFailed(message, fields={field: [message]})
    if parsed.number < 1:
        message = _("Decision numbers start at 01.")
        raise ValidationFailed(message, fields={field: [message]})
    if parsed.kind and vn_fold(parsed.kind) != vn_fold(kind):
        message = _("The number of a decision reads %(example)s, not “%(value)s”.") % {
            "example": example,
            "value": str(number).strip(),
        }
        raise ValidationFailed(message, fields={field: [message]})
    if not parsed.symbol and not symbol:
        message = _("Type the number in full, as %(example)s.") % {"example": example}
        raise ValidationFailed(message, fields={field: [message]})
    if parsed.symbol and symbol and not other_symbols:
        if vn_fold(parsed.symbol) != vn_fold(symbol):
            message = _(
                "“%(value)s” is not a number of this agency: its decisions are numbered "
                "%(example)s."
            ) % {"value": str(number).strip(), "example": example}
            raise ValidationFailed(message, fields={field: [message]})
        parsed = OfficialNumber(parsed.number, parsed.kind, "")  # written with ``symbol``
    return parsed.text(kind=kind, symbol=symbol)


def validate_official_number(
    value: str, *, kind: str = DECISION, symbol: str, other_symbols: bool = False
) -> None:
    """The same rule as a Django validator (forms, serializers): raises ``ValidationError``."""
    try:
        official_number(value, kind=kind, symbol=symbol, other_symbols=other_symbols)
    except ValidationFailed as refused:
        raise ValidationError(refused.message, code="official_number") from None


def official_number_help(*, kind: str = DECISION, symbol: str) -> str:
    """The help text of a number field: what to type and what it becomes."""
    return _("Type the number only (e.g. 45): it is recorded as %(example)s.") % {
        "example": _example(kind, symbol)
    }
