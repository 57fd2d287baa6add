"""The repository's metadata files, read once, and small ways to look into them.

Each test module of this package guards one promise the repository makes to
Home Assistant, to HACS, to reviewers or to users:

* ``test_manifest``: manifest.json and hacs.json follow Home Assistant's and
  HACS's rules;
* ``test_services_yaml``: services.yaml describes exactly the registered actions;
* ``test_translations``: strings.json, translations/en.json and every other
  translation agree;
* ``test_translation_keys``: every translation key and placeholder the code
  uses exists, and each exception text is used;
* ``test_icons``: icons.json covers every entity and every action;
* ``test_blueprints``: every blueprint loads, instantiates, validates and works
  end to end;
* ``test_quality_scale``: quality_scale.yaml names every rule, and what it
  claims holds;
* ``test_readme``: the README documents what exists.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any, Final

from homeassistant.util.yaml import load_yaml_dict

from custom_components.textboost.const import DOMAIN

ROOT: Final = Path(__file__).resolve().parent.parent.parent
INTEGRATION: Final = ROOT / "custom_components" / DOMAIN
BLUEPRINTS: Final = ROOT / "blueprints" / "automation" / DOMAIN
BRAND: Final = INTEGRATION / "brand"
GITHUB_REPO: Final = "textboost-homeassistant/textboost"
#: The tiers of the Integration Quality Scale, lowest first.
TIERS: Final = ("bronze", "silver", "gold", "platinum")


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


MANIFEST: Final[dict[str, Any]] = _json(INTEGRATION / "manifest.json")
HACS: Final[dict[str, Any]] = _json(ROOT / "hacs.json")
STRINGS: Final[dict[str, Any]] = _json(INTEGRATION / "strings.json")
ICONS: Final[dict[str, Any]] = _json(INTEGRATION / "icons.json")
#: Each translation file by language code ("en", "zh-Hans", ...).
TRANSLATIONS: Final[dict[str, dict[str, Any]]] = {
    path.stem: _json(path)
    for path in sorted((INTEGRATION / "translations").glob("*.json"))
}
SERVICES_YAML: Final[dict[str, Any]] = load_yaml_dict(
    str(INTEGRATION / "services.yaml")
)
QUALITY_SCALE: Final[dict[str, Any]] = load_yaml_dict(
    str(INTEGRATION / "quality_scale.yaml")
)
README: Final = (ROOT / "README.md").read_text(encoding="utf-8")
BLUEPRINT_FILES: Final = sorted(BLUEPRINTS.glob("*.yaml"))


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": "x"}}`` as ``{"a.b": "x"}``."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a translated text."""
    return set(re.findall(r"\{(\w+)\}", text))


def dig(tree: dict[str, Any], dotted: str) -> Any:
    """The value at ``"a.b.c"`` in nested dicts, or None where a part is missing."""
    node: Any = tree
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def select_options(service: str, key: str) -> list[str]:
    """The values a select selector of services.yaml offers for a field."""
    options = SERVICES_YAML[service]["fields"][key]["selector"]["select"]["options"]
    return [o["value"] if isinstance(o, dict) else o for o in options]
