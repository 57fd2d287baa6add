"""Print the requirements of the integrations a configuration.yaml loads.

Walks each integration's manifest (dependencies included) in the installed
Home Assistant, so that `scripts/develop` starts without installing anything.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import sys

from homeassistant import components

ALWAYS = ("frontend", "config", "onboarding", "auth", "person", "camera", "notify")
TOP_LEVEL = re.compile(r"^([a-z_]+):", re.MULTILINE)


def main(config_file: str) -> None:
    root = Path(components.__path__[0])
    custom = Path(__file__).resolve().parent.parent / "custom_components"
    wanted = set(ALWAYS) | set(TOP_LEVEL.findall(Path(config_file).read_text()))
    wanted |= set(
        json.loads((custom / "textboost" / "manifest.json").read_text())["dependencies"]
    )
    seen: set[str] = set()
    requirements: set[str] = set()
    while wanted:
        domain = wanted.pop()
        manifest_file = root / domain / "manifest.json"
        if domain in seen or not manifest_file.exists():
            continue
        seen.add(domain)
        manifest = json.loads(manifest_file.read_text())
        requirements.update(manifest.get("requirements", []))
        wanted.update(manifest.get("dependencies", []))
        wanted.update(manifest.get("after_dependencies", []))
    print("\n".join(sorted(requirements)))


if __name__ == "__main__":
    main(sys.argv[1])
