"""scripts/audit_dependencies.py decides plainly: a known vulnerability fails CI unless it is
accepted with a reason, and an unreachable database passes but says nothing was checked."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "audit_dependencies.py"


@pytest.fixture
def audit(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "IGNORE_FILE", tmp_path / "audit-ignore.txt")
    return module


def answers(audit, monkeypatch, by_service):
    calls = []

    def fake(service, accepted):
        calls.append((service, dict(accepted)))
        return by_service[service]

    monkeypatch.setattr(audit, "run_audit", fake)
    return calls


OK = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.19",
    "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["5.2.20"]}],
}
NOT_FOUND = {"name": "django", "skip_reason": "Dependency not found on PyPI"}


def test_a_known_vulnerability_fails(audit, monkeypatch, capsys):
    answers(audit, monkeypatch, {"pypi": (1, [VULNERABLE, OK], "")})
    assert audit.main() == 1
    assert "GHSA-xxxx" in capsys.readouterr().out


def test_no_vulnerability_passes_and_says_how_many_were_checked(audit, monkeypatch, capsys):
    answers(audit, monkeypatch, {"pypi": (0, [OK, OK], "")})
    assert audit.main() == 0
    assert "2 pinned packages checked" in capsys.readouterr().out


def test_an_unreachable_database_passes_but_says_nothing_was_checked(audit, monkeypatch, capsys):
    calls = answers(
        audit,
        monkeypatch,
        {
            "pypi": (0, [NOT_FOUND, NOT_FOUND], ""),
            "osv": (1, [], "requests.exceptions.ConnectionError: Max retries exceeded"),
        },
    )
    assert audit.main() == 0
    out = capsys.readouterr().out
    assert "NOT checked" in out and "could be reached" in out
    assert [service for service, _ in calls] == ["pypi", "osv"]


def test_another_failure_of_the_tool_fails(audit, monkeypatch):
    answers(audit, monkeypatch, {"pypi": (2, [], "error: unrecognized arguments")})
    assert audit.main() == 1


def test_accepted_vulnerabilities_need_a_reason(audit, monkeypatch):
    audit.IGNORE_FILE.write_text("# comment\nGHSA-aaaa not reachable: we never parse X\n")
    calls = answers(audit, monkeypatch, {"pypi": (0, [OK], "")})
    assert audit.main() == 0
    assert calls[0][1] == {"GHSA-aaaa": "not reachable: we never parse X"}
    audit.IGNORE_FILE.write_text("GHSA-bbbb\n")
    with pytest.raises(SystemExit, match="needs a reason"):
        audit.main()
