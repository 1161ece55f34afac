"""Reading the statutory time limit as the national database writes it."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from eiso.core.text import vn_fold

_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)")


def parse_time_limit(text: str) -> tuple[Decimal | None, bool]:
    """``"05 ngày làm việc"`` → (5, False); ``"0,5"`` → (0.5, False); ``"Trong ngày"`` →
    (None, True); ``""`` → (None, False). Raises ValueError on anything else."""
    folded = vn_fold(text)
    if not folded:
        return None, False
    if "trong ngay" in folded:
        return None, True
    match = _NUMBER.match(folded)
    if not match:
        raise ValueError(text)
    try:
        value = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if value < 0 or value > 9999:
        raise ValueError(text)
    return value, False
