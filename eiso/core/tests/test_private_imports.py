"""An app never imports another app's views or private names (``_common``, ``_authority``…):
what two apps share lives in eiso/core (e.g. ``generic.year_of``) or in a public module."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _offences(path: Path) -> list[str]:
    own = path.relative_to(ROOT).parts[0]
    text = path.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"^from eiso\.(\w+)\.([\w.]+) import (\([^)]*\)|[^\n]*)", text, re.M):
        app, module, names = match.groups()
        if app in (own, "core") or "tests" in path.parts:
            continue
        private = [n.strip() for n in re.split(r"[,()\s]+", names) if n.strip().startswith("_")]
        if module.split(".")[0] == "views" or any(p.startswith("_") for p in module.split(".")):
            found.append(f"{path.relative_to(ROOT)}: eiso.{app}.{module}")
        elif private:
            found.append(f"{path.relative_to(ROOT)}: {', '.join(private)} from eiso.{app}.{module}")
    return found


def test_no_app_imports_another_apps_views_or_private_names():
    offences = [o for path in sorted(ROOT.rglob("*.py")) for o in _offences(path)]
    assert offences == []


def test_the_check_sees_both_kinds_of_offence():
    app = ROOT / "audits" / "views"
    sample = app / "zz_sample_for_the_guard.py"
    sample.write_text(
        "from eiso.objectives.views._common import year_of\n"
        "from eiso.documents.outputs import (\n    agency_name,\n    _authority,\n)\n",
        encoding="utf-8",
    )
    try:
        assert len(_offences(sample)) == 2
    finally:
        sample.unlink()
