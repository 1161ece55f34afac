"""The house drawn the same way in ARCHITECTURE.md, README and the code: every module of
``eiso/`` imports only its own layer and those below (``eiso/core/layers.py``), and no module
imports another that (directly or not) imports it back at import time."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

from eiso.core.layers import EXCEPTIONS, LAYERS, layer_of, render_layers

# On one pytest-xdist worker (make test), so the modules are parsed once (``parsed``), not once
# per worker: about 2.5 s of CPU each time.
pytestmark = pytest.mark.xdist_group("layers")

EISO = Path(__file__).resolve().parents[2]
PROJECT = EISO.parent


def app_folders() -> set[str]:
    return {p.name for p in EISO.iterdir() if p.is_dir() and (p / "__init__.py").exists()}


def source_modules():
    """``(path, module name)`` of every module of eiso outside tests and migrations."""
    for path in sorted(EISO.rglob("*.py")):
        parts = path.relative_to(PROJECT).with_suffix("").parts
        if "tests" in parts or "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield path, ".".join(parts)


@functools.cache
def parsed(path: Path) -> ast.AST:
    """Each module read once per test process (three tests walk them all)."""
    return ast.parse(path.read_text())


def imported(tree: ast.AST, *, module_scope_only: bool = False) -> list[tuple[int, str]]:
    """``(line, dotted name)`` of every ``eiso`` import: everywhere in the module, or only
    those run when the module is imported (top level, top-level ``try``/``if`` blocks except
    ``if TYPE_CHECKING``)."""
    if module_scope_only:
        nodes = []
        pending = list(tree.body)
        while pending:
            node = pending.pop()
            if isinstance(node, ast.If):
                if "TYPE_CHECKING" in ast.unparse(node.test):
                    pending.extend(node.orelse)
                    continue
                pending.extend(node.body + node.orelse)
            elif isinstance(node, ast.Try):
                pending.extend(node.body + node.orelse + node.finalbody)
                for handler in node.handlers:
                    pending.extend(handler.body)
            else:
                nodes.append(node)
    else:
        nodes = list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("eiso.")]
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").split(".")[0] == "eiso"
        ):
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def app_of(dotted: str) -> str:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_app_has_its_place_in_the_layers():
    placed = [app for layer in LAYERS for app in layer.apps]
    assert len(placed) == len(set(placed)), "an app is in two layers"
    unplaced = sorted(app_folders() - set(placed))
    assert unplaced == [], f"put these apps in a layer of eiso/core/layers.py: {unplaced}"


def test_no_module_imports_a_higher_layer():
    offenders = []
    modules = list(source_modules())
    assert len(modules) > 50, "the scan found too few modules to prove anything"
    for path, name in modules:
        relative = str(path.relative_to(PROJECT))
        if relative in EXCEPTIONS:
            continue
        own = layer_of(app_of(name))
        for line, target in imported(parsed(path)):
            other = layer_of(app_of(target))
            if other is not None and own is not None and other > own:
                offenders.append(f"{relative}:{line}: imports {target} (a higher layer)")
    assert offenders == [], "\n".join(offenders)


def test_apps_of_one_layer_never_import_each_other_both_ways():
    uses: dict[str, set[str]] = {}
    for path, name in source_modules():
        if str(path.relative_to(PROJECT)) in EXCEPTIONS:
            continue
        for _line, target in imported(parsed(path)):
            if app_of(target) != app_of(name):
                uses.setdefault(app_of(name), set()).add(app_of(target))
    for layer in LAYERS:
        apps = [a for a in layer.apps if a in uses]
        for a in apps:
            for b in apps:
                if a < b:
                    both = b in uses[a] and a in uses[b]
                    assert not both, f"{a} and {b} import each other: one must sit above"


def _module_graph() -> dict[str, set[str]]:
    modules = dict((name, path) for path, name in source_modules())

    def resolve(dotted: str) -> str:
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted

    graph = {}
    for name, path in modules.items():
        targets = {resolve(t) for _l, t in imported(parsed(path), module_scope_only=True)}
        graph[name] = {t for t in targets if t and t != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_import_cycle_between_modules():
    cycles = _cycles(_module_graph())
    assert cycles == [], f"modules that import each other when loaded: {cycles}"


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize(
    "source, target, higher",
    [
        ("eiso.organizations.views", "eiso.accounts.selectors", True),
        ("eiso.qms.selectors", "eiso.oversight.selectors", True),
        ("eiso.oversight.selectors", "eiso.qms.selectors", False),
        ("eiso.api.views.oversight", "eiso.oversight.summary", False),
    ],
)
def test_the_layer_rule_reads_as_intended(source, target, higher):
    assert (layer_of(app_of(target)) > layer_of(app_of(source))) is higher


def test_readme_draws_the_layers_as_the_code_does():
    readme = (PROJECT / "README.md").read_text()
    found = re.search(r"<!-- layers:start -->\n(.*?)\n<!-- layers:end -->", readme, re.S)
    assert found, "README lacks the <!-- layers:start --> … <!-- layers:end --> block"
    assert found.group(1) == render_layers(), (
        "README's layers differ from eiso/core/layers.py; paste:\n" + render_layers()
    )
