"""The house, as data: the apps of ``eiso/`` in layers, lowest first (ARCHITECTURE.md, "Layout":
``core`` <- ``organizations`` <- ``accounts`` <- domain apps <- the apps that read across them
<- ``api``, ``demo``). A module may import its own layer and the layers below, never one above
— even inside a function; apps of one layer may use each other as long as no two of them
import each other. ``eiso/core/tests/test_layers.py`` checks every module against this and
README's "How it is built" against ``render_layers()``.

Apps planned by ARCHITECTURE.md are placed already, so a new app starts in its layer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layer:
    name: str
    apps: tuple[str, ...]
    role: str


LAYERS: tuple[Layer, ...] = (
    Layer("kernel", ("core",), "base models, scoping, audit, workflow, inbox, generic pages"),
    Layer("agencies", ("organizations",), "the agency tree, departments, mergers and splits"),
    Layer("people", ("accounts",), "users, roles, memberships, sign-in"),
    Layer(
        "domain",
        (
            "documents",
            "procedures",
            "qms",
            "objectives",
            "risks",
            "records",
            "audits",
            "improvements",
            "reviews",
            "training",
            "feedback",
        ),
        "one app per area of an agency's QMS",
    ),
    Layer(
        "across",
        ("oversight", "cycle", "reports", "dashboard", "inspections", "portal"),
        "read the domain apps from above: the overseer's registry and summary, reports",
    ),
    Layer("edges", ("api", "demo"), "the REST API of every domain, the demo province"),
)

# Modules allowed to reach above their layer, with the reason. Tests (``tests/`` folders) are
# not checked: they build worlds with the apps above the one they test.
EXCEPTIONS: dict[str, str] = {
    "eiso/core/testing.py": "the personas' world for every app's tests: built with the "
    "organizations and accounts factories",
}


def layer_of(app: str) -> int | None:
    for number, layer in enumerate(LAYERS):
        if app in layer.apps:
            return number
    return None


def render_layers() -> str:
    """The layers as README shows them (planned apps included)."""
    return "\n".join(
        f"{number}. **{layer.name}** — {', '.join(f'`{a}`' for a in layer.apps)}: {layer.role}"
        for number, layer in enumerate(LAYERS)
    )
