"""Vietnamese text folding for diacritic-insensitive search (see RECIPES.md)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

_D = str.maketrans({"đ": "d", "Đ": "D"})


class _WithoutMarks(dict):
    """A ``str.translate`` table dropping every combining mark (category Mn), each character
    looked up once per process: folding runs on every imported row and search."""

    def __missing__(self, code: int):
        kept = None if unicodedata.category(chr(code)) == "Mn" else code
        self[code] = kept
        return kept


_NO_MARKS = _WithoutMarks()


def vn_fold(text: str | None) -> str:
    """Fold Vietnamese text for search: đ→d, strip every combining mark, lowercase,
    collapse white space. ``vn_fold("Quy trình Đăng ký")`` is ``"quy trinh dang ky"``."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    return " ".join(decomposed.translate(_NO_MARKS).lower().split())


def search_text_of(*parts: object) -> str:
    """The folded text of several fields, joined, for a ``search_text`` column."""
    return vn_fold(" ".join(str(p) for p in parts if p not in (None, "")))


# A ``search_text`` whose first fields rank a match (``core.search.field_rank``): the code and
# then each name, every one folded, separated by FIELD_MARK; what is only searched (an
# address) after REST_MARK. Neither mark is a letter nor white space, so a search (folded, the
# marks taken out) finds words inside one field and the rank can tell which field they are in
# without folding anything in SQL.
FIELD_MARK = "\x01"
REST_MARK = "\x02"
_MARKS = str.maketrans("", "", FIELD_MARK + REST_MARK)


def search_fold(text: str | None) -> str:
    """``vn_fold`` without the field marks: a search's words, or one field of a ranked text."""
    return vn_fold((text or "").translate(_MARKS))


def ranked_search_text(code: object, names: Sequence, rest: Sequence = ()) -> str:
    """``search_text`` for ``field_rank``: "code␁name␁short name␂address", each part folded."""
    fields = FIELD_MARK.join(search_fold(str(p or "")) for p in [code, *names])
    return fields + REST_MARK + search_fold(" ".join(str(p) for p in rest if p))


def clashes(candidate: str, existing) -> bool:
    """Whether ``candidate`` equals one of ``existing`` ignoring case, for every letter
    (SQLite's ``iexact`` folds ASCII only: "NĐ-CP" and "nđ-cp" would differ there)."""
    folded = candidate.strip().casefold()
    return any(folded == str(value).strip().casefold() for value in existing)
