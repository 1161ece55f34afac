"""Cell parsers for declared import columns. A parser takes the cell's text (never empty: the
kernel handles blank cells) and returns the value, or raises ``CellError`` with a message the
person can act on (a plain ``ValueError`` gets a generic "unreadable" message). Given a raw
cell value instead (a number, a date from a workbook), a parser reads it as its text."""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable, Mapping

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from eiso.core.imports.reading import cell_text
from eiso.core.text import vn_fold


class CellError(ValueError):
    """A cell that cannot be read, with the reason in words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


Parser = Callable[[str], object]

# --- text --------------------------------------------------------------------------------------


def text(max_length: int | None = None) -> Parser:
    """The text as written (trimmed); longer than ``max_length`` is refused."""

    def parse(value: str) -> str:
        value = cell_text(value)
        if max_length is not None and len(value) > max_length:
            raise CellError(
                _("Too long: %(n)s characters, at most %(max)s.")
                % {"n": len(value), "max": max_length}
            )
        return value

    return parse


def email(value: str) -> str:
    """An e-mail address, checked like the forms check it."""
    value = cell_text(value)
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(_("%(value)s is not a valid e-mail address.") % {"value": value}) from None
    return value


# --- dates -------------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(value: str) -> datetime.date | None:
    """dd/mm/yyyy (also dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd) → date; '' → None. A date of the
    right shape that is not in the calendar ("31/02/2025") says so; anything else says how
    to write a date. Raises ``CellError`` (a ``ValueError``)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    value = cell_text(value)
    if not value:
        return None
    match = _DMY.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _YMD.match(value)
        if not match:
            raise CellError(
                _("%(value)s is not a date: write it as dd/mm/yyyy, e.g. 15/03/2025.")
                % {"value": value}
            )
        year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        raise CellError(
            _("The date %(value)s does not exist: there is no month %(month)s.")
            % {"value": value, "month": month}
        )
    if year < 1:
        raise CellError(_("The date %(value)s does not exist.") % {"value": value})
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise CellError(
            _("The date %(value)s does not exist: %(month)02d/%(year)s has %(days)s days.")
            % {"value": value, "month": month, "year": year, "days": days}
        )
    return datetime.date(year, month, day)


def date(value: str) -> datetime.date | None:
    return parse_date(value)


# --- yes / no, choices -------------------------------------------------------------------------

_TRUE_WORDS = {"x", "1", "co", "yes", "true", "c", "y", "dung"}
_FALSE_WORDS = {"0", "khong", "no", "false", "k", "n", "sai"}


def parse_bool(value: str) -> bool | None:
    """'x', 'có', 'yes', '1' → True; 'không', 'no', '0' → False; '' → None. Raises
    ``CellError``."""
    value = cell_text(value)
    folded = vn_fold(value)
    if not folded:
        return None
    if folded in _TRUE_WORDS:
        return True
    if folded in _FALSE_WORDS:
        return False
    raise CellError(
        _("%(value)s is neither yes nor no: write x or “có”, or leave the cell blank.")
        % {"value": value}
    )


def boolean(value: str) -> bool | None:
    return parse_bool(value)


def choice(words: Mapping[str, object], *, accepted: str, what: str = "") -> Parser:
    """A value picked by words (folded: case and diacritics ignored, "-" as a space).
    ``accepted`` lists them for the error message; ``what`` names the thing ("kind")."""
    lookup = {vn_fold(str(k)).replace("-", " ").strip(): v for k, v in words.items()}

    def parse(value: str):
        value = cell_text(value)
        key = vn_fold(value).replace("-", " ").strip()
        if key in lookup:
            return lookup[key]
        if what:
            raise CellError(
                _("Unknown %(what)s: %(value)s (accepted: %(accepted)s).")
                % {"what": what, "value": value, "accepted": accepted}
            )
        raise CellError(
            _("Unknown value: %(value)s (accepted: %(accepted)s).")
            % {"value": value, "accepted": accepted}
        )

    return parse
