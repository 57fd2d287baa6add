"""manifest.json and hacs.json follow Home Assistant's and HACS's rules."""

from __future__ import annotations

import ast
import re
import tomllib
from urllib.parse import urlsplit

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant import loader
from homeassistant.const import __version__ as HA_VERSION
from homeassistant.core import HomeAssistant
from homeassistant.util.yaml import load_yaml_dict

from custom_components.textboost.const import DOMAIN
from tests.metadata.repository import (
    BLUEPRINT_FILES,
    GITHUB_REPO,
    HACS,
    INTEGRATION,
    MANIFEST,
    ROOT,
    TIERS,
)

#: hassfest: the integration types and IoT classes Home Assistant knows.
INTEGRATION_TYPES = {
    "device",
    "entity",
    "hardware",
    "helper",
    "hub",
    "service",
    "system",
    "virtual",
}
IOT_CLASSES = {
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
}
#: Version strategies Home Assistant's loader accepts for a custom integration.
VERSION_STRATEGIES = [
    AwesomeVersionStrategy.CALVER,
    AwesomeVersionStrategy.SEMVER,
    AwesomeVersionStrategy.SIMPLEVER,
    AwesomeVersionStrategy.BUILDVER,
    AwesomeVersionStrategy.PEP440,
]


async def test_manifest_is_loaded_by_home_assistant(hass: HomeAssistant) -> None:
    """Home Assistant's loader accepts the manifest as a custom integration."""
    custom = await loader.async_get_custom_components(hass)
    assert DOMAIN in custom, "the loader refused the custom integration"
    integration = await loader.async_get_integration(hass, DOMAIN)
    assert not integration.is_built_in
    assert integration.domain == INTEGRATION.name == DOMAIN
    assert AwesomeVersion(str(integration.version), ensure_strategy=VERSION_STRATEGIES)
    # Every key is one that Home Assistant's manifest type knows.
    assert set(MANIFEST) <= set(loader.Manifest.__annotations__)
    assert integration.config_flow is True
    assert integration.iot_class == "cloud_polling"
    assert integration.integration_type == "service"
    assert integration.documentation == MANIFEST["documentation"]
    assert integration.issue_tracker == MANIFEST["issue_tracker"]
    for dependency in [*integration.dependencies, *integration.after_dependencies]:
        await loader.async_get_integration(hass, dependency)


def test_manifest_follows_hassfest_rules() -> None:
    """The rules hassfest applies to a custom integration's manifest."""
    assert list(MANIFEST)[:2] == ["domain", "name"]
    assert list(MANIFEST)[2:] == sorted(list(MANIFEST)[2:]), "keys must be sorted"
    assert MANIFEST["name"].strip()
    for key in ("documentation", "issue_tracker"):
        url = urlsplit(MANIFEST[key])
        assert url.scheme == "https", key
        assert url.netloc, key
        assert GITHUB_REPO in url.path, key
    assert MANIFEST["codeowners"]
    assert all(re.fullmatch(r"@[\w.-]+(/[\w.-]+)?", c) for c in MANIFEST["codeowners"])
    assert MANIFEST["iot_class"] in IOT_CLASSES
    assert MANIFEST["integration_type"] in INTEGRATION_TYPES
    assert MANIFEST["config_flow"] is True
    assert MANIFEST["quality_scale"] in TIERS
    assert MANIFEST.get("requirements", []) == [], "the client ships in api/"
    assert MANIFEST["version"] == _project_version()


def _project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def test_manifest_loggers_cover_every_logger() -> None:
    """The loggers key names a prefix of every logger the package creates."""
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in INTEGRATION.rglob("*.py")
        if "getLogger(__name__)" in path.read_text(encoding="utf-8")
    ]
    assert modules
    for module in modules:
        assert any(
            module == prefix or module.startswith(f"{prefix}.")
            for prefix in MANIFEST["loggers"]
        ), module


def _component_imports() -> set[str]:
    """Every ``homeassistant.components.X`` the integration imports.

    As in hassfest, a platform for another integration (``llm.py``) may
    import that integration.
    """
    used: set[str] = set()
    for path in INTEGRATION.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[:2] == ["homeassistant", "components"] and len(parts) > 2:
                    if path.parent == INTEGRATION and path.stem == parts[2]:
                        continue
                    used.add(parts[2])
    return used


def test_manifest_declares_the_components_it_uses() -> None:
    """hassfest: a component that is imported must be a (after-)dependency.

    Entity platforms and a few components every installation has are exempt,
    as in hassfest's dependency check.
    """
    from homeassistant.const import Platform  # noqa: PLC0415

    always_there = {platform.value for platform in Platform} | {
        "diagnostics",
        "repairs",
        "system_health",
    }
    declared = set(MANIFEST.get("dependencies", [])) | set(
        MANIFEST.get("after_dependencies", [])
    )
    assert _component_imports() - always_there <= declared
    sources = "".join(p.read_text(encoding="utf-8") for p in INTEGRATION.rglob("*.py"))
    if "register_view" in sources:
        assert "http" in MANIFEST["dependencies"]


# hacs.json -------------------------------------------------------------------

#: https://hacs.xyz/docs/publish/start#hacsjson
HACS_KEYS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "content_in_root": bool,
    "zip_release": bool,
    "filename": str,
    "hide_default_branch": bool,
    "country": (str, list),
    "homeassistant": str,
    "hacs": str,
    "persistent_directory": str,
    "render_readme": bool,
}


def test_hacs_json_follows_hacs_rules() -> None:
    """HACS's keys and types; a name; one integration; a readable minimum version."""
    assert set(HACS) <= set(HACS_KEYS)
    for key, value in HACS.items():
        assert isinstance(value, HACS_KEYS[key]), key
    assert HACS["name"].strip()
    assert HACS.get("render_readme") is True
    assert (ROOT / "README.md").is_file()
    assert not HACS.get("content_in_root", False)
    assert not HACS.get("zip_release", False) or HACS.get("filename")
    integrations = [p for p in (ROOT / "custom_components").iterdir() if p.is_dir()]
    integrations = [p for p in integrations if (p / "manifest.json").is_file()]
    assert integrations == [INTEGRATION], "HACS wants exactly one integration"
    # HACS reads these manifest keys for an integration.
    for key in ("domain", "documentation", "issue_tracker", "codeowners", "name"):
        assert MANIFEST.get(key), key


def test_hacs_minimum_version_is_consistent() -> None:
    """The minimum Home Assistant version is valid and no newer than the one tested."""
    minimum = AwesomeVersion(HACS["homeassistant"])
    assert minimum.strategy == AwesomeVersionStrategy.CALVER
    assert minimum <= AwesomeVersion(HA_VERSION)
    for path in BLUEPRINT_FILES:
        data = load_yaml_dict(str(path))
        assert data["blueprint"]["homeassistant"]["min_version"] == str(minimum)
