"""Every config entry the flows receive is the typed entry (hassfest's runtime-data check).

hassfest flags a flow handler or options flow that takes ``config_entry`` as a
plain ``ConfigEntry`` when the integration stores runtime data.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "custom_components" / "textboost"
#: The config flow and the options flow (its own module), read as one.
TREE = ast.Module(
    body=[
        node
        for name in ("config_flow.py", "options_flow.py")
        for node in ast.parse((PACKAGE / name).read_text(encoding="utf-8")).body
    ],
    type_ignores=[],
)


def _annotations(name: str) -> list[tuple[str, str]]:
    """(function, annotation) for each parameter called ``name``."""
    found = []
    for node in ast.walk(TREE):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for arg in node.args.args + node.args.kwonlyargs:
                if arg.arg == name:
                    found.append(
                        (node.name, ast.unparse(arg.annotation or ast.Name("")))
                    )
    return found


@pytest.mark.parametrize("name", ["config_entry", "entry"])
def test_flows_take_the_typed_entry(name: str) -> None:
    annotations = _annotations(name)
    assert annotations
    assert {annotation for _, annotation in annotations} == {"TextBoostConfigEntry"}


def test_options_flow_entry_is_typed() -> None:
    classes = {n.name: n for n in TREE.body if isinstance(n, ast.ClassDef)}
    options_flow = classes["TextBoostOptionsFlow"]
    typed = {
        node.target.id: ast.unparse(node.annotation)
        for node in options_flow.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }
    assert typed == {"config_entry": "TextBoostConfigEntry"}
    assert "async_get_options_flow" in dict(_annotations("config_entry"))
