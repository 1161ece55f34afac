"""A column's identity without ``inspect.signature`` (issue 15).

Every ordered query hashes each column it selects: Django's compiler keys a dict by the
``Col`` expressions of the SELECT to spot an ORDER BY term that repeats one of them
(``SQLCompiler._order_by_pairs``, Django 5.2 and 6.0). A ``Col``'s hash is its ``identity``,
which ``Expression`` derives generically by binding the constructor's arguments with
``inspect.Signature.bind_partial`` — about 7 µs a column, and a page selects hundreds of
columns (the document page 300: 2 ms of its ~25 ms of CPU).

``install()`` gives ``Col`` the same identity computed directly from the constructor's
arguments, ``(Col, ("alias", …), ("target", …), ("output_field", …))``, equal to the generic
one tuple for tuple. It applies only where it is sure to: to ``Col`` itself (not a subclass),
built with its two or three arguments given by position, and only while ``Col.__init__`` keeps
the signature ``(self, alias, target, output_field=None)``; anything else goes the generic way.
``eiso/core/tests/test_columns.py`` compares both on the columns of real queries.
"""

from __future__ import annotations

import inspect

from django.db.models.expressions import Col, Expression
from django.utils.functional import cached_property

SIGNATURE = ["self", "alias", "target", "output_field"]

_generic = Expression.__dict__["identity"].func


def _col_identity(self):
    args, kwargs = self._constructor_args
    if type(self) is not Col or kwargs or not 2 <= len(args) <= 3:
        return _generic(self)
    identity = Col._identity
    output_field = args[2] if len(args) == 3 else None
    return (
        Col,
        ("alias", identity(args[0])),
        ("target", identity(args[1])),
        ("output_field", identity(output_field)),
    )


def applies(cls=Col) -> bool:
    """Whether ``cls`` (Django's ``Col``) is still built as this module expects."""
    parameters = inspect.signature(cls.__init__).parameters
    return (
        list(parameters) == SIGNATURE
        and parameters["output_field"].default is None
        and "identity" not in cls.__dict__
    )


def install() -> bool:
    if getattr(Col.__dict__.get("identity"), "func", None) is _col_identity:
        return True
    if not applies():
        return False
    prop = cached_property(_col_identity)
    prop.__set_name__(Col, "identity")
    Col.identity = prop
    return True
