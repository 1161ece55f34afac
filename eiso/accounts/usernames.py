"""User names: a safe ASCII set, normalised (NFKC, lower case), and never a look-alike of an
existing name ("аn" with a Cyrillic а against "an").

``clean_username`` is what the user service calls for one name; ``username_errors`` checks a
batch (an import) in one query, duplicates inside the batch included."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed

MAX_LENGTH = 150
ALLOWED = re.compile(r"^[a-z0-9](?:[a-z0-9._@-]*[a-z0-9])?$")

# Letters of other scripts (and ASCII characters) that look like another ASCII letter, from
# Unicode's confusables list (UTS #39) restricted to what can pass for a user name. "rn" and
# "m" (two letters for one) are deliberately not folded.
_LOOK_ALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
    "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j",
    # Latin look-alikes and digits
    "ı": "i", "ł": "l", "ø": "o", "0": "o", "1": "l", "|": "l",
}  # fmt: skip
_LOOK_ALIKE_TABLE = str.maketrans(_LOOK_ALIKES)


def normalize_username(raw: str) -> str:
    """NFKC, lower case, surrounding white space removed (full-width letters become ASCII)."""
    return unicodedata.normalize("NFKC", raw or "").strip().lower()


def username_skeleton(name: str) -> str:
    """What a name looks like: invisible characters dropped, marks stripped, look-alikes
    folded. Two names with the same skeleton are refused as confusable."""
    text = normalize_username(name).casefold()
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc", "Zs"))
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return text.translate(_LOOK_ALIKE_TABLE)


def format_problem(name: str) -> str | None:
    """Why ``name`` (already normalised) is not an acceptable user name, or None."""
    if not name:
        return _("The user name is empty.")
    if len(name) > MAX_LENGTH:
        return _("A user name has at most %(n)s characters.") % {"n": MAX_LENGTH}
    if not ALLOWED.match(name):
        return _(
            "A user name uses only unaccented letters a–z, digits and . _ - @, and starts and "
            "ends with a letter or digit."
        )
    return None


def _clash_message(name: str, existing: str) -> str:
    if name == existing.lower():
        return _("The user name %(u)s is already taken.") % {"u": name}
    return _("The user name %(u)s looks like the existing user name %(other)s.") % {
        "u": name,
        "other": existing,
    }


def username_errors(candidates: Sequence[str], *, exclude_pk: int | None = None) -> list:
    """For each candidate (raw), ``(normalised name, problem or None)``: bad characters, taken,
    a look-alike of an existing name or of an earlier candidate. One query."""
    from eiso.accounts.models import User

    normalised = [normalize_username(c) for c in candidates]
    skeletons = [username_skeleton(n) for n in normalised]
    existing = User.objects.filter(username_skeleton__in=[s for s in skeletons if s])
    if exclude_pk:
        existing = existing.exclude(pk=exclude_pk)
    by_skeleton = {s: u for u, s in existing.values_list("username", "username_skeleton")}
    seen: dict[str, str] = {}
    results = []
    for name, skeleton in zip(normalised, skeletons, strict=True):
        problem = format_problem(name)
        if problem is None and skeleton in by_skeleton:
            problem = _clash_message(name, by_skeleton[skeleton])
        if problem is None and skeleton in seen:
            problem = _("The user name %(u)s looks like %(other)s, given earlier.") % {
                "u": name,
                "other": seen[skeleton],
            }
        if problem is None:
            seen[skeleton] = name
        results.append((name, problem))
    return results


def clean_username(raw: str, *, exclude_pk: int | None = None) -> str:
    """The normalised user name, or ``ValidationFailed`` (field ``username``) saying why not."""
    [(name, problem)] = username_errors([raw], exclude_pk=exclude_pk)
    if problem:
        raise ValidationFailed(problem, fields={"username": [problem]})
    return name
