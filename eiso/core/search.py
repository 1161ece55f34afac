"""Search in SQL, Vietnamese-aware: ``VnFold`` is ``vn_fold`` computed by the database (so a
column can be compared folded without storing a folded copy), and ``match_rank`` orders the
matches of a search best first — an exact name, then a name that starts with the words, then
the words at the start of a word, then anywhere. Both databases: SQLite runs ``vn_fold``
itself (registered on the connection), PostgreSQL translates the Vietnamese letters."""

from __future__ import annotations

import unicodedata
from functools import reduce
from operator import or_

from django.db.models import Case, F, Func, IntegerField, Q, TextField, Value, When
from django.db.models.lookups import Contains, Exact, StartsWith

from eiso.core.text import vn_fold

# Every precomposed Latin letter with marks (Vietnamese's among them) and its bare letter.
_LETTERS = [
    chr(code)
    for start, end in ((0x00C0, 0x024F), (0x1E00, 0x1EFF))
    for code in range(start, end + 1)
]


def _bare(letter: str) -> str:
    if letter in "đĐ":
        return "d" if letter == "đ" else "D"
    return "".join(
        c for c in unicodedata.normalize("NFD", letter) if unicodedata.category(c) != "Mn"
    )


_PAIRS = [(c, _bare(c)) for c in _LETTERS if len(_bare(c)) == 1 and _bare(c).isascii()]
_PAIRS = [(c, b) for c, b in _PAIRS if c != b]
TRANSLATE_FROM = "".join(c for c, _ in _PAIRS)
TRANSLATE_TO = "".join(b for _, b in _PAIRS)
SQLITE_FUNCTION = "eiso_vn_fold"


class VnFold(Func):
    """``vn_fold(expression)`` in SQL: đ→d, marks stripped, lower case (white space is not
    collapsed: the columns compared are single-spaced)."""

    function = "LOWER"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        connection.ensure_connection()
        # Registering again is cheap and keeps every (re)opened connection able to run it.
        connection.connection.create_function(SQLITE_FUNCTION, 1, vn_fold, deterministic=True)
        return self.as_sql(compiler, connection, function=SQLITE_FUNCTION.upper(), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = f"LOWER(TRANSLATE(%(expressions)s, '{TRANSLATE_FROM}', '{TRANSLATE_TO}'))"
        return self.as_sql(compiler, connection, template=template, **extra)


def match_rank(q: str, *fields: str, codes: tuple[str, ...] = ()) -> Case:
    """0 when a field (folded) or a code (lower case) is exactly ``q`` (folded), 1 when one
    starts with it, 2 when it starts a word of a field, 3 otherwise (it matched elsewhere,
    e.g. the address)."""
    folded = vn_fold(q)
    texts = [VnFold(F(name)) for name in fields] + [VnFold(F(name)) for name in codes]

    def any_of(lookup, value) -> Q:
        return reduce(or_, (Q(lookup(text, Value(value))) for text in texts))

    words = reduce(or_, (Q(Contains(text, Value(f" {folded}"))) for text in texts[: len(fields)]))
    return Case(
        When(any_of(Exact, folded), then=Value(0)),
        When(any_of(StartsWith, folded), then=Value(1)),
        When(words, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
