"""Search ranked best match first, in SQL on both databases: an exact name, then a name that
starts with the words, then the words at the start of a word, then anywhere.

``field_rank`` reads a ``search_text`` written by ``core.text.ranked_search_text`` (the code
and the names folded in Python, each after a field mark, the address after another): every
test is a ``LIKE`` on that stored text. Folding the fields in SQL instead (``TRANSLATE`` of
every accented letter, ~40 µs a field on PostgreSQL, eleven a row) cost 0.7 s for a national
overseer typing "xa" in an agency box (5,000 matches)."""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Concat, Greatest, StrIndex, Substr
from django.db.models.lookups import Contains

from eiso.core.text import FIELD_MARK, REST_MARK, search_fold


def field_rank(q: str, column: str = "search_text") -> Case:
    """0 when the code or a name is exactly ``q`` (folded), 1 when one starts with it, 2 when
    it starts a word of a name, 3 otherwise (inside a word, in the address)."""
    folded = search_fold(q)
    text = F(column)
    # with a mark in front, every ranked field (the code too) starts after a mark
    fields = Concat(Value(FIELD_MARK), text, output_field=TextField())
    first_mark = StrIndex(text, Value(FIELD_MARK))  # the end of the code
    rest_mark = StrIndex(text, Value(REST_MARK))  # the end of the names
    names = Substr(text, first_mark + 1, Greatest(rest_mark - first_mark - 1, Value(0)))
    exact = Q(Contains(fields, Value(FIELD_MARK + folded + FIELD_MARK))) | Q(
        Contains(fields, Value(FIELD_MARK + folded + REST_MARK))
    )
    return Case(
        When(exact, then=Value(0)),
        When(Q(Contains(fields, Value(FIELD_MARK + folded))), then=Value(1)),
        When(Q(Contains(names, Value(" " + folded))), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
