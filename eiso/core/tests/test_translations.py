"""One English string, one Vietnamese meaning (issue 7, A10).

Django merges every app's catalogue into one: when two catalogues translate the same msgid
differently, one of them silently wins on every page ("Open" shown as "Chưa hoàn thành" on a
link). The checks read every catalogue (``eiso/*/locale`` and ``locale/``):

- the same msgid (in the same context) must have the same translation everywhere;
- an English word known to carry two meanings in this product must be given a context
  (``pgettext`` / ``{% translate "…" context "…" %}``) wherever it is used.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# English words with more than one Vietnamese meaning here: a status ("Open": chưa hoàn thành)
# and an action or link ("Open": xem); the master list vs the steering committee ("Up to date");
# a revision in force vs the present ("Current": hiện hành / hiện tại); a status vs a verb.
AMBIGUOUS = ("Open", "Up to date", "Current", "Closed", "Returned", "New")

# Uses without a context waiting for their owner to add one (remove a line once done):
# document control (eiso/documents) — revision task status "Open", master list "Up to date",
# revision "Current".
PENDING = {
    ("documents", "Open"),
    ("documents", "Up to date"),
    ("documents", "Current"),
}


def catalogues() -> dict[str, Path]:
    found = {"project": ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"}
    for po in sorted(ROOT.glob("eiso/*/locale/vi/LC_MESSAGES/django.po")):
        found[po.parts[-5]] = po
    return {name: path for name, path in found.items() if path.exists()}


_LINE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$")


def entries(path: Path) -> list[tuple[str, str, str]]:
    """``(context, msgid, translation)`` of every entry the compiled catalogue keeps: translated
    and not fuzzy (for a plural, its first form)."""
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        fuzzy = False
        key = None
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            match = _LINE.match(line)
            if match:
                key = match.group(1)
                if key.startswith("msgstr["):
                    key = "msgstr" if match.group(2) == "0" else key
                fields[key] = ast.literal_eval(match.group(3))
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
        msgid, msgstr = fields.get("msgid", ""), fields.get("msgstr", "")
        if msgid and msgstr and not fuzzy:
            found.append((fields.get("msgctxt", ""), msgid, msgstr))
    return found


def collisions(books: dict[str, Path]) -> list[str]:
    """Every (context, msgid) translated differently in two catalogues."""
    seen: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for name, path in books.items():
        for context, msgid, msgstr in entries(path):
            seen[(context, msgid)][name] = msgstr
    problems = []
    for (context, msgid), by_catalogue in sorted(seen.items()):
        if len(set(by_catalogue.values())) > 1:
            where = "; ".join(f"{name}: {text!r}" for name, text in sorted(by_catalogue.items()))
            label = f"{context}|{msgid}" if context else msgid
            problems.append(f"{label!r} → {where}")
    return problems


def ambiguous_without_context(books: dict[str, Path], pending=frozenset()) -> list[str]:
    """Known-ambiguous English words used without a context (outside ``pending``)."""
    problems = []
    for name, path in books.items():
        for context, msgid, msgstr in entries(path):
            if msgid in AMBIGUOUS and not context and (name, msgid) not in pending:
                problems.append(f"{name}: {msgid!r} (→ {msgstr!r}) needs a context")
    return problems


# --- the checks on the real catalogues ----------------------------------------------------------


def test_every_app_catalogue_is_read():
    books = catalogues()
    assert {"project", "core", "qms", "documents"} <= set(books), sorted(books)
    assert all(entries(path) for path in books.values())


def test_one_msgid_has_one_translation_in_every_catalogue():
    problems = collisions(catalogues())
    assert not problems, "Same English, different Vietnamese:\n" + "\n".join(problems)


def test_ambiguous_english_words_carry_a_context():
    problems = ambiguous_without_context(catalogues(), PENDING)
    assert not problems, "Give these a pgettext context:\n" + "\n".join(problems)


def test_the_qms_page_words_have_their_own_meaning():
    """The collisions found on the QMS page: the link "Open" and the committee's "Up to
    date" are translated in their own sense, not as a task status or the master list."""
    qms = {(c, m): s for c, m, s in entries(catalogues()["qms"])}
    assert qms[("go to the page", "Open")] != "Chưa hoàn thành"
    assert qms[("steering committee", "Up to date")] != "Danh mục đã cập nhật đầy đủ"
    assert ("", "Open") not in qms and ("", "Up to date") not in qms


# --- the checks can fail ------------------------------------------------------------------------


def _po(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: vi\\n"\n\n' + body, encoding="utf-8")
    return path


def test_a_collision_between_two_catalogues_is_caught(tmp_path):
    books = {
        "documents": _po(tmp_path, "d", 'msgid "Open"\nmsgstr "Chưa hoàn thành"\n'),
        "qms": _po(tmp_path, "q", 'msgid "Open"\nmsgstr "Xem"\n'),
        "other": _po(tmp_path, "o", 'msgctxt "go"\nmsgid "Open"\nmsgstr "Xem"\n'),
    }
    found = collisions(books)
    assert len(found) == 1 and "Chưa hoàn thành" in found[0] and "Xem" in found[0]


def test_fuzzy_and_empty_translations_are_not_collisions(tmp_path):
    books = {
        "a": _po(tmp_path, "a", 'msgid "Due"\nmsgstr "Hạn"\n'),
        "b": _po(tmp_path, "b", '#, fuzzy\nmsgid "Due"\nmsgstr "Cơ quan"\n'),
        "c": _po(tmp_path, "c", 'msgid "Due"\nmsgstr ""\n'),
    }
    assert collisions(books) == []


def test_a_plural_and_a_wrapped_msgid_are_read(tmp_path):
    path = _po(
        tmp_path,
        "p",
        'msgid ""\n"Up "\n"to date"\nmsgstr "Đã cập nhật"\n\n'
        'msgid "%(n)s row"\nmsgid_plural "%(n)s rows"\nmsgstr[0] "%(n)s dòng"\n',
    )
    assert entries(path) == [("", "Up to date", "Đã cập nhật"), ("", "%(n)s row", "%(n)s dòng")]
    assert ambiguous_without_context({"x": path}) == [
        "x: 'Up to date' (→ 'Đã cập nhật') needs a context"
    ]
    assert ambiguous_without_context({"x": path}, {("x", "Up to date")}) == []
