#!/usr/bin/env python3
"""Known vulnerabilities of the pinned packages (requirements/dev.txt, which includes base.txt's).

- No known vulnerability: says how many pinned packages were checked, exits 0.
- A known vulnerability not listed in requirements/audit-ignore.txt: lists it, exits 1.
- The vulnerability database cannot be reached: says plainly that nothing was checked, exits 0
  (a CI run without network must not fail for that, nor pretend it checked).

requirements/audit-ignore.txt: one vulnerability id per line, followed by the reason it is
accepted (a line without a reason is refused); ``#`` starts a comment."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements" / "dev.txt"
IGNORE_FILE = ROOT / "requirements" / "audit-ignore.txt"
UNREACHABLE = re.compile(
    r"ConnectionError|ConnectTimeout|ReadTimeout|Max retries exceeded|NameResolutionError|"
    r"Temporary failure in name resolution|Name or service not known|Network is unreachable|"
    r"Connection refused|timed out|SSLError|ProxyError|ServiceError",
    re.IGNORECASE,
)


def ignored() -> dict[str, str]:
    entries: dict[str, str] = {}
    if not IGNORE_FILE.exists():
        return entries
    for number, raw in enumerate(IGNORE_FILE.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        vuln_id, _, reason = line.partition(" ")
        if not reason.strip():
            sys.exit(f"audit: {IGNORE_FILE.name}:{number}: {vuln_id} needs a reason after the id")
        entries[vuln_id] = reason.strip()
    return entries


def run_audit(service: str, accepted: dict[str, str]) -> tuple[int, list[dict], str]:
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "audit.json"
        command = [
            sys.executable, "-m", "pip_audit",
            "--requirement", str(REQUIREMENTS),
            "--require-hashes", "--disable-pip",
            "--vulnerability-service", service,
            "--progress-spinner", "off", "--timeout", "20",
            "--format", "json", "--output", str(report),
        ]  # fmt: skip
        for vuln_id in accepted:
            command += ["--ignore-vuln", vuln_id]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        data = json.loads(report.read_text()) if report.exists() and report.stat().st_size else {}
    return result.returncode, data.get("dependencies", []), (result.stderr or result.stdout)


def main() -> int:
    accepted = ignored()
    not_reached: list[str] = []
    for service, name in (("pypi", "PyPI advisory database"), ("osv", "OSV database")):
        returncode, dependencies, error = run_audit(service, accepted)
        vulnerable = [d for d in dependencies if d.get("vulns")]
        if vulnerable:
            print(
                f"audit: {len(vulnerable)} pinned package(s) with known vulnerabilities ({name}):"
            )
            for dep in vulnerable:
                for vuln in dep["vulns"]:
                    fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
                    print(f"  {dep['name']} {dep['version']}: {vuln['id']} (fixed in: {fixes})")
            print(f"Upgrade them (make lock) or list each id with a reason in {IGNORE_FILE.name}.")
            return 1
        checked = [d for d in dependencies if not d.get("skip_reason")]
        if returncode == 0 and checked:
            skipped = len(dependencies) - len(checked)
            print(
                f"audit: {len(checked)} pinned packages checked against the {name}: "
                "no known vulnerability"
                + (f" ({len(accepted)} accepted in {IGNORE_FILE.name})" if accepted else "")
                + (f"; {skipped} not found there" if skipped else "")
                + "."
            )
            return 0
        if dependencies and not checked:  # the index answers, but without advisory data
            not_reached.append(f"{name}: none of the {len(dependencies)} packages was found there")
            continue
        last = error.strip().splitlines()[-1] if error.strip() else f"exit {returncode}"
        if UNREACHABLE.search(error):
            not_reached.append(f"{name}: {last[:200]}")
            continue
        print(f"audit: pip-audit failed against the {name} (exit {returncode}):\n{error[-3000:]}")
        return 1
    print(
        "audit: NO vulnerability database could be reached — the pinned packages were NOT "
        "checked for known vulnerabilities. " + "; ".join(not_reached)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
