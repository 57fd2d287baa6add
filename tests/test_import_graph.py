"""scripts/import_graph.py: the integration's imports, and whether they form a circle."""

from __future__ import annotations

import importlib.util
from pathlib import Path
import subprocess
import sys
from types import ModuleType

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "import_graph.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _package(root: Path, files: dict[str, str]) -> Path:
    package = root / "custom_components" / "demo"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


def test_a_circle_through_a_type_checking_import_is_found(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "__init__.py": "",
            "data.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from .outbox import Outbox\n",
            "outbox.py": "from .data import Data\n",
            "const.py": "",
        },
    )
    script = _script()

    graph = script.import_graph(package)

    assert graph == {".": set(), "const": set(), "data": {"outbox"}, "outbox": {"data"}}
    assert script.cycles(graph) == [["data", "outbox"]]


def test_subpackages_parents_and_absolute_imports_resolve(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "__init__.py": "from .services import setup\n",
            "const.py": "",
            "api/__init__.py": "from .client import Client\n",
            "api/client.py": "",
            "services/__init__.py": "from . import messages\n",
            "services/messages.py": "from ..api import Client\n"
            "from ..const import DOMAIN\n"
            "import custom_components.demo.api.client\n",
        },
    )
    script = _script()

    graph = script.import_graph(package)

    assert graph["."] == {"services"}
    assert graph["services"] == {"services.messages"}
    assert graph["services.messages"] == {"api", "const", "api.client"}
    assert script.cycles(graph) == []


def test_the_integration_imports_form_no_circle() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, check=False
    )
    assert result.stdout.splitlines()[-1] == "acyclic", result.stdout
    assert result.returncode == 0
