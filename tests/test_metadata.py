"""The integration's metadata holds together, checked with Home Assistant's own code.

Each test guards one promise the repository makes to Home Assistant, to HACS,
to reviewers or to users:

* manifest.json and hacs.json follow Home Assistant's and HACS's rules;
* services.yaml describes exactly the actions that are registered;
* strings.json, translations/en.json and every other translation agree;
* every translation key and placeholder the code uses exists;
* icons.json covers every entity and every action;
* every blueprint loads, instantiates, validates and works end to end;
* quality_scale.yaml names every rule, and what it claims holds;
* the README documents what exists.
"""

from __future__ import annotations

import ast
import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
import importlib
import json
from pathlib import Path
import re
import shutil
import tomllib
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.components.automation.config import (
    AUTOMATION_BLUEPRINT_SCHEMA,
    async_validate_config_item,
)
from homeassistant.components.blueprint.models import Blueprint, BlueprintInputs
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigFlow,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.const import __version__ as HA_VERSION
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, section
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    selector as ha_selector,
)
from homeassistant.helpers.icon import async_get_icons
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)
import voluptuous as vol

from custom_components.textboost import config_flow as textboost_config_flow
from custom_components.textboost.api import VOICE_LANGUAGES, VoiceGender
from custom_components.textboost.const import (
    DOMAIN,
    EVENT_MESSAGE_DROPPED,
    EVENT_MESSAGE_STATUS,
    EVENT_OUTCOME_UNKNOWN,
    GROUPS_SCAN_INTERVAL,
)
from custom_components.textboost.services.messages import ENCODINGS
from sandbox import Sandbox
from sandbox.faults import Fault

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / DOMAIN
BLUEPRINTS = ROOT / "blueprints" / "automation" / DOMAIN
BRAND = INTEGRATION / "brand"
GITHUB_REPO = "textboost-homeassistant/textboost"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


MANIFEST: dict[str, Any] = _json(INTEGRATION / "manifest.json")
HACS: dict[str, Any] = _json(ROOT / "hacs.json")
STRINGS: dict[str, Any] = _json(INTEGRATION / "strings.json")
ICONS: dict[str, Any] = _json(INTEGRATION / "icons.json")
TRANSLATIONS: dict[str, dict[str, Any]] = {
    path.stem: _json(path)
    for path in sorted((INTEGRATION / "translations").glob("*.json"))
}
SERVICES_YAML: dict[str, Any] = load_yaml_dict(str(INTEGRATION / "services.yaml"))
QUALITY_SCALE: dict[str, Any] = load_yaml_dict(str(INTEGRATION / "quality_scale.yaml"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLUEPRINT_FILES = sorted(BLUEPRINTS.glob("*.yaml"))

PHONE = "+31 6 1234 5678"
PHONE_DIGITS = "31612345678"


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": "x"}}`` as ``{"a.b": "x"}``."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def _dig(tree: dict[str, Any], dotted: str) -> Any:
    node: Any = tree
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


# manifest.json ---------------------------------------------------------------

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
#: The tiers of the Integration Quality Scale, lowest first.
TIERS = ("bronze", "silver", "gold", "platinum")
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
    """Every ``homeassistant.components.X`` the integration imports."""
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


# services.yaml ---------------------------------------------------------------


def _schema_fields(schema: vol.Schema) -> dict[str, vol.Marker]:
    return {str(marker): marker for marker in schema.schema}


async def test_services_yaml_matches_registered_actions(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """services.yaml names exactly the registered actions and their fields."""
    registered = hass.services.async_services_for_domain(DOMAIN)
    assert set(registered) == set(SERVICES_YAML)
    for name, service in registered.items():
        described = SERVICES_YAML[name].get("fields", {})
        assert isinstance(service.schema, vol.Schema), name
        fields = _schema_fields(service.schema)
        assert set(fields) == set(described), name
        for key, marker in fields.items():
            required = described[key].get("required", False)
            assert isinstance(marker, vol.Required) == required, f"{name}.{key}"
            if "default" in described[key]:
                assert marker.default() == described[key]["default"], f"{name}.{key}"


def test_every_service_field_has_a_valid_selector() -> None:
    """Every field has a selector that Home Assistant's selector code accepts."""
    for name, service in SERVICES_YAML.items():
        for key, spec in service.get("fields", {}).items():
            assert "selector" in spec, f"{name}.{key}"
            ha_selector.validate_selector(spec["selector"])


def _select_options(service: str, key: str) -> list[str]:
    options = SERVICES_YAML[service]["fields"][key]["selector"]["select"]["options"]
    return [o["value"] if isinstance(o, dict) else o for o in options]


def test_select_options_match_the_code() -> None:
    """The choices a selector offers are the ones the action accepts."""
    assert _select_options("send_sms", "encoding") == list(ENCODINGS)
    assert _select_options("send_voice", "language") == list(VOICE_LANGUAGES)
    assert set(_select_options("send_voice", "gender")) == {
        g.value for g in VoiceGender
    }


async def test_home_assistant_describes_every_action(hass: HomeAssistant) -> None:
    """Home Assistant builds a description, with translated names, for each action.

    The actions are registered by ``async_setup``, without an account; that
    also keeps other integrations' descriptions (notify's) out of the way.
    """
    assert await async_setup_component(hass, DOMAIN, {})
    descriptions = (await async_get_all_descriptions(hass))[DOMAIN]
    assert set(descriptions) == set(SERVICES_YAML)
    for name, description in descriptions.items():
        if "name" in description:  # Home Assistant 2026 leaves names to the frontend
            assert description["name"] == STRINGS["services"][name]["name"]
        assert set(description["fields"]) == set(SERVICES_YAML[name].get("fields", {}))


# strings.json and translations -----------------------------------------------

#: hassfest's rule for a translation key.
TRANSLATION_KEY = re.compile(r"^(?!.+[_-]{2})(?![_-])[a-z0-9-_]+(?<![_-])$")


def test_en_json_equals_strings_json() -> None:
    """translations/en.json is strings.json, exactly."""
    assert TRANSLATIONS["en"] == STRINGS


def test_translation_keys_follow_hassfest_rules() -> None:
    for dotted in _flatten(STRINGS):
        for part in dotted.split("."):
            assert TRANSLATION_KEY.match(part), dotted


@pytest.mark.parametrize("language", sorted(TRANSLATIONS))
def test_translation_is_complete(language: str) -> None:
    """The same keys as strings.json, no empty text, the same placeholders."""
    english = _flatten(STRINGS)
    translated = _flatten(TRANSLATIONS[language])
    assert sorted(set(english) - set(translated)) == [], "missing keys"
    assert sorted(set(translated) - set(english)) == [], "keys strings.json lacks"
    for key, text in translated.items():
        assert isinstance(text, str), key
        assert text.strip(), f"{key} is empty"
        assert _placeholders(text) == _placeholders(english[key]), key


def test_strings_have_no_empty_text() -> None:
    for key, text in _flatten(STRINGS).items():
        assert isinstance(text, str), key
        assert text.strip(), key


@pytest.mark.parametrize("language", sorted(TRANSLATIONS))
async def test_home_assistant_loads_the_translation(
    hass: HomeAssistant, language: str
) -> None:
    """Home Assistant's translation loader reads each file of the integration."""
    exceptions = await async_get_translations(hass, language, "exceptions", [DOMAIN])
    prefix = f"component.{DOMAIN}.exceptions."
    loaded = {k.removeprefix(prefix) for k in exceptions if k.startswith(prefix)}
    expected = {f"{k}.message" for k in TRANSLATIONS[language]["exceptions"]}
    assert loaded == expected


# Translation keys used by the code ---------------------------------------------

_EXCEPTION_CLASSES = {
    "ServiceValidationError",
    "HomeAssistantError",
    "ConfigEntryAuthFailed",
    "ConfigEntryNotReady",
    "ConfigEntryError",
    "UpdateFailed",
}
_ABORT_HELPERS = {
    "async_abort": "reason",
    "_abort_if_unique_id_mismatch": "reason",
    "async_update_reload_and_abort": "reason",
    "async_update_and_abort": "reason",
}


@dataclass
class UsedKey:
    """A translation key the code uses, and where strings.json must hold it."""

    section: str
    key: str
    where: str
    placeholders: set[str] | None = None


@dataclass
class _KeyCollector(ast.NodeVisitor):
    """Walks one module and records every translation key it uses."""

    module: Any
    filename: str
    found: list[UsedKey] = field(default_factory=list)
    _flow_section: str | None = None
    _reason_args: dict[str, int] = field(default_factory=dict)
    _function: str = ""

    def _value(self, node: ast.expr) -> str | None:
        """A string constant, or a name the module can resolve to a string."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name | ast.Attribute):
            try:
                value = eval(ast.unparse(node), vars(self.module))
            except (NameError, AttributeError):
                return None
            return str(value) if isinstance(value, str) else None
        return None

    def _add(
        self, section: str, node: ast.expr, placeholders: set[str] | None = None
    ) -> None:
        if (key := self._value(node)) is not None:
            where = f"{self.filename}:{node.lineno}"
            self.found.append(UsedKey(section, key, where, placeholders))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        cls = getattr(self.module, node.name, None)
        previous = self._flow_section, self._reason_args
        self._flow_section = None
        if isinstance(cls, type):
            if issubclass(cls, ConfigFlow):
                self._flow_section = "config"
            elif issubclass(cls, OptionsFlow):
                self._flow_section = "options"
            elif issubclass(cls, ConfigSubentryFlow):
                self._flow_section = f"config_subentries.{_subentry_type(cls)}"
            else:
                self._entity_class(node, cls)
        self._reason_args = {
            item.name: [a.arg for a in item.args.args].index("reason")
            for item in node.body
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            and "reason" in [a.arg for a in item.args.args]
        }
        self.generic_visit(node)
        self._flow_section, self._reason_args = previous

    def _entity_class(self, node: ast.ClassDef, cls: type) -> None:
        platform = Path(self.filename).stem
        for item in node.body:
            if (
                isinstance(item, ast.Assign | ast.AnnAssign)
                and ast.unparse(
                    item.targets[0] if isinstance(item, ast.Assign) else item.target
                )
                == "_attr_translation_key"
                and item.value is not None
            ):
                self._add(f"entity.{platform}", item.value)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        previous, self._function = self._function, node.name
        if self.filename == "errors.py" and node.name == "error_key":
            # error_key picks from a table of (exception class, key) pairs,
            # falling back to a default: every string constant returned is a key.
            for child in ast.walk(node):
                if isinstance(child, ast.Return) and child.value is not None:
                    for const in ast.walk(child.value):
                        if isinstance(const, ast.Constant) and isinstance(
                            const.value, str
                        ):
                            self._add("exceptions", const, {"error"})
        self.generic_visit(node)

        self._function = previous

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if (
            self.filename == "errors.py"
            and ast.unparse(node.target) == "_READ_ERROR_KEYS"
            and node.value is not None
        ):
            for child in ast.walk(node.value):
                if isinstance(child, ast.Constant) and isinstance(child.value, str):
                    self._add("exceptions", child, {"error"})
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Assign(self, node: ast.Assign) -> None:
        target = node.targets[0]
        if (
            self.filename == "errors.py"
            and isinstance(target, ast.Name)
            and target.id == "key"
        ):
            self._add("exceptions", node.value, {"error"})
        if (
            isinstance(target, ast.Subscript)
            and ast.unparse(target.value) == "errors"
            and self._flow_section
        ):
            self._add(f"{self._flow_section}.error", node.value)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = ast.unparse(node.func)
        name = func.rpartition(".")[2]
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        if name == "invalid" and node.args:
            names = {k.arg for k in node.keywords if k.arg}
            self._add("exceptions", node.args[0], names)
        elif name in _EXCEPTION_CLASSES and "translation_key" in keywords:
            self._add(
                "exceptions",
                keywords["translation_key"],
                _dict_keys(keywords.get("translation_placeholders")),
            )
        elif name == "async_create_issue" and "translation_key" in keywords:
            self._add(
                "issues",
                keywords["translation_key"],
                _dict_keys(keywords.get("translation_placeholders")),
            )
        elif name == "SelectSelectorConfig" and "translation_key" in keywords:
            self._add("selector", keywords["translation_key"])
        elif name.endswith("Description") and "translation_key" in keywords:
            self._add(f"entity.{Path(self.filename).stem}", keywords["translation_key"])
        if self._flow_section:
            if name in _ABORT_HELPERS and _ABORT_HELPERS[name] in keywords:
                self._add(f"{self._flow_section}.abort", keywords["reason"])
            elif name == "_abort_if_unique_id_configured":
                self.found.append(
                    UsedKey(
                        f"{self._flow_section}.abort",
                        "already_configured",
                        f"{self.filename}:{node.lineno}",
                    )
                )
            elif func.startswith("self.") and name in self._reason_args:
                index = self._reason_args[name] - 1  # without self
                if "reason" in keywords:
                    self._add(f"{self._flow_section}.abort", keywords["reason"])
                elif len(node.args) > index:
                    self._add(f"{self._flow_section}.abort", node.args[index])
        self.generic_visit(node)


def _dict_keys(node: ast.expr | None) -> set[str] | None:
    """The keys of a dict literal (None when they cannot be known)."""
    if isinstance(node, ast.Dict) and all(
        isinstance(k, ast.Constant) for k in node.keys
    ):
        return {str(k.value) for k in node.keys if isinstance(k, ast.Constant)}
    if node is None:
        return set()
    return None


def _subentry_type(flow: type) -> str:
    types = (
        textboost_config_flow.TextBoostConfigFlow.async_get_supported_subentry_types(
            None  # type: ignore[arg-type]
        )
    )
    return next(name for name, cls in types.items() if cls is flow)


def _used_keys() -> list[UsedKey]:
    found: list[UsedKey] = []
    for path in sorted(INTEGRATION.rglob("*.py")):
        relative = path.relative_to(INTEGRATION)
        parts = relative.with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        module = importlib.import_module(
            ".".join(("custom_components", DOMAIN, *parts))
        )
        collector = _KeyCollector(module, relative.as_posix())
        collector.visit(ast.parse(path.read_text(encoding="utf-8")))
        found.extend(collector.found)
    return found


USED_KEYS = _used_keys()


def test_the_key_scanner_finds_keys_of_every_kind() -> None:
    """A scanner that finds nothing would let every other check pass."""
    sections = {used.section.split(".")[0] for used in USED_KEYS}
    assert {
        "exceptions",
        "issues",
        "selector",
        "entity",
        "config",
        "options",
    } <= sections
    assert {"config_subentries"} <= sections
    assert len([u for u in USED_KEYS if u.section == "exceptions"]) >= 20


@pytest.mark.parametrize(
    "used", USED_KEYS, ids=[f"{u.section}:{u.key}" for u in USED_KEYS]
)
def test_translation_key_used_in_code_exists(used: UsedKey) -> None:
    """Each key the code raises, shows or aborts with is in strings.json."""
    node = _dig(STRINGS, f"{used.section}.{used.key}")
    assert node is not None, f"{used.where}: {used.section}.{used.key} is missing"
    if used.section == "exceptions":
        text = node["message"]
    elif used.section == "issues":
        text = node["title"] + node["description"]
    else:
        return
    if used.placeholders is not None:
        missing = _placeholders(text) - used.placeholders
        assert not missing, f"{used.where}: no value for {missing}"


def test_every_exception_in_strings_is_used() -> None:
    """No stale exception texts: each one is raised somewhere."""
    used = {u.key for u in USED_KEYS if u.section == "exceptions"}
    assert set(STRINGS["exceptions"]) == used


async def test_every_entity_has_a_translated_name(
    hass: HomeAssistant, init_integration: MockConfigEntry, account: Sandbox
) -> None:
    """Each registered entity's translation key has a name; no raw placeholder shows."""
    account.add_group("Family", contacts=2)
    await init_integration.runtime_data.groups.async_refresh()
    await hass.async_block_till_done()
    entries = er.async_entries_for_config_entry(
        er.async_get(hass), init_integration.entry_id
    )
    platforms = {entry.domain for entry in entries}
    assert {"sensor", "binary_sensor", "event"} <= platforms
    for entry in entries:
        if entry.domain == "notify":
            continue  # named by the user
        assert entry.has_entity_name, entry.entity_id
        assert entry.translation_key, entry.entity_id
        assert _dig(STRINGS, f"entity.{entry.domain}.{entry.translation_key}.name"), (
            entry.entity_id
        )
        state = hass.states.get(entry.entity_id)
        if state is not None:
            assert "{" not in state.name, state.name


def test_every_action_field_is_translated() -> None:
    """Each action and field of services.yaml has a name and a description."""
    assert set(STRINGS["services"]) == set(SERVICES_YAML)
    for name, service in SERVICES_YAML.items():
        text = STRINGS["services"][name]
        assert text["name"], name
        assert text["description"], name
        fields = service.get("fields", {})
        assert set(text.get("fields", {})) == set(fields), name
        for key in fields:
            assert text["fields"][key]["name"], f"{name}.{key}"
            assert text["fields"][key]["description"], f"{name}.{key}"


def test_every_selector_translation_covers_its_options() -> None:
    """Selectors with a translation key have a label for every option."""
    for name, service in SERVICES_YAML.items():
        for key, spec in service.get("fields", {}).items():
            select = spec["selector"].get("select")
            if not select or "translation_key" not in select:
                continue
            labels = STRINGS["selector"][select["translation_key"]]["options"]
            assert set(_select_options(name, key)) <= set(labels), f"{name}.{key}"


def _form_fields(schema: vol.Schema) -> Iterator[tuple[str | None, str, Any]]:
    """(section, field, validator) for every field of a form, sections opened."""
    for marker, value in schema.schema.items():
        if isinstance(value, section):
            for inner, inner_value in value.schema.schema.items():
                yield str(marker), str(inner), inner_value
        else:
            yield None, str(marker), value


def _assert_form_translated(result: dict[str, Any], base: str) -> None:
    assert result["type"] is FlowResultType.FORM, result
    step = _dig(STRINGS, f"{base}.step.{result['step_id']}")
    assert step is not None, f"{base}.step.{result['step_id']}"
    assert step.get("title"), result["step_id"]
    given = set((result.get("description_placeholders") or {}).keys())
    for text in (step.get("title", ""), step.get("description", "")):
        assert _placeholders(text) <= given, result["step_id"]
    for section_name, key, validator in _form_fields(result["data_schema"]):
        texts = step if section_name is None else step["sections"][section_name]
        if section_name is not None:
            assert texts.get("name"), section_name
        assert texts["data"].get(key), f"{result['step_id']}.{key}"
        assert texts["data_description"].get(key), f"{result['step_id']}.{key}"
        if isinstance(validator, ha_selector.SelectSelector):
            config = validator.config
            if key_ := config.get("translation_key"):
                labels = STRINGS["selector"][key_]["options"]
                options = [
                    o["value"] if isinstance(o, dict) else o for o in config["options"]
                ]
                assert set(options) <= set(labels), key


async def test_every_flow_form_is_translated(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Every form the flows show: title, field labels and field descriptions."""
    flows = hass.config_entries.flow
    user = await flows.async_init(DOMAIN, context={"source": SOURCE_USER})
    _assert_form_translated(user, "config")
    flows.async_abort(user["flow_id"])

    reauth = await flows.async_init(
        DOMAIN,
        context={"source": SOURCE_REAUTH, "entry_id": init_integration.entry_id},
        data=dict(init_integration.data),
    )
    _assert_form_translated(reauth, "config")
    flows.async_abort(reauth["flow_id"])

    reconfigure = await flows.async_init(
        DOMAIN,
        context={"source": SOURCE_RECONFIGURE, "entry_id": init_integration.entry_id},
    )
    _assert_form_translated(reconfigure, "config")
    flows.async_abort(reconfigure["flow_id"])

    options = await hass.config_entries.options.async_init(init_integration.entry_id)
    _assert_form_translated(options, "options")
    hass.config_entries.options.async_abort(options["flow_id"])

    subentries = hass.config_entries.subentries
    for subentry_type in STRINGS["config_subentries"]:
        sub = await subentries.async_init(
            (init_integration.entry_id, subentry_type), context={"source": SOURCE_USER}
        )
        _assert_form_translated(sub, f"config_subentries.{subentry_type}")
        subentries.async_abort(sub["flow_id"])


# icons.json ------------------------------------------------------------------

ICON = re.compile(r"^mdi:[a-z0-9]+(-[a-z0-9]+)*$")


def test_icons_cover_every_entity_and_action() -> None:
    """An icon for each entity translation key and each action, and nothing stale."""
    for platform, keys in STRINGS["entity"].items():
        assert set(ICONS["entity"].get(platform, {})) == set(keys), platform
    assert set(ICONS["entity"]) == set(STRINGS["entity"])
    assert set(ICONS["services"]) == set(SERVICES_YAML)
    for path, icon in _flatten(ICONS).items():
        assert ICON.match(icon), path


async def test_home_assistant_loads_the_icons(hass: HomeAssistant) -> None:
    """Home Assistant's icon loader reads icons.json for entities and actions."""
    entity = await async_get_icons(hass, "entity", [DOMAIN])
    services = await async_get_icons(hass, "services", [DOMAIN])
    assert entity[DOMAIN] == ICONS["entity"]
    assert set(services[DOMAIN]) == set(SERVICES_YAML)


# Blueprints ------------------------------------------------------------------

#: Example inputs that instantiate each blueprint.
EXAMPLE_INPUTS: dict[str, dict[str, Any]] = {
    "sensor_threshold_sms": {
        "sensor": "sensor.freezer",
        "direction": "above",
        "threshold": -15,
        "recipients": [PHONE],
    },
    "alarm_call_sms_fallback": {
        "alarm": "alarm_control_panel.house",
        "phone": PHONE,
    },
    "low_balance_warning": {
        "low_balance": "binary_sensor.ada_lovelace_low_balance",
        "recipients": [PHONE],
    },
}


def test_every_blueprint_has_example_inputs() -> None:
    assert {path.stem for path in BLUEPRINT_FILES} == set(EXAMPLE_INPUTS)


def _load_blueprint(path: Path) -> Blueprint:
    return Blueprint(
        load_yaml_dict(str(path)),
        path=f"{DOMAIN}/{path.name}",
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )


def _instantiate(path: Path) -> dict[str, Any]:
    inputs = BlueprintInputs(
        _load_blueprint(path),
        {
            "use_blueprint": {
                "path": f"{DOMAIN}/{path.name}",
                "input": EXAMPLE_INPUTS[path.stem],
            }
        },
    )
    inputs.validate()
    return inputs.async_substitute()


@pytest.mark.parametrize("path", BLUEPRINT_FILES, ids=lambda p: p.stem)
async def test_blueprint_instantiates_to_a_valid_automation(
    hass: HomeAssistant, path: Path
) -> None:
    """Home Assistant's blueprint code loads it; the automation it makes validates."""
    blueprint = _load_blueprint(path)
    assert blueprint.domain == "automation"
    metadata = blueprint.metadata
    assert metadata["source_url"] == (
        f"https://github.com/{GITHUB_REPO}/blob/main/"
        f"{path.relative_to(ROOT).as_posix()}"
    )
    assert await async_setup_component(hass, "automation", {})
    config = _instantiate(path)
    validated = await async_validate_config_item(hass, path.stem, config)
    assert validated is not None


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


@pytest.mark.parametrize("path", BLUEPRINT_FILES, ids=lambda p: p.stem)
async def test_blueprint_uses_only_real_actions_fields_and_events(
    hass: HomeAssistant, init_integration: MockConfigEntry, path: Path
) -> None:
    """Every action is registered, every field exists, every event is ours."""
    for component in ("persistent_notification", "notify"):
        assert await async_setup_component(hass, component, {})
    config = _instantiate(path)
    actions = [node for node in _walk(config) if isinstance(node.get("action"), str)]
    assert actions
    events = {EVENT_MESSAGE_STATUS, EVENT_MESSAGE_DROPPED, EVENT_OUTCOME_UNKNOWN}
    for node in actions:
        domain, _, service = node["action"].partition(".")
        assert hass.services.has_service(domain, service), node["action"]
        if domain == DOMAIN:
            assert set(node.get("data", {})) <= set(SERVICES_YAML[service]["fields"]), (
                node["action"]
            )
    for node in _walk(config):
        if node.get("trigger") == "event":
            assert node["event_type"] in events


def test_blueprint_entity_filters_match_our_entities() -> None:
    """A filter naming this integration names a platform and class it provides."""
    provided = {
        ("binary_sensor", "problem"),
        ("sensor", None),
        ("event", None),
        ("notify", None),
    }
    for path in BLUEPRINT_FILES:
        data = load_yaml_dict(str(path))
        for spec in data["blueprint"]["input"].values():
            entity = spec.get("selector", {}).get("entity") or {}
            for entity_filter in entity.get("filter", []):
                if entity_filter.get("integration") == DOMAIN:
                    pair = (entity_filter["domain"], entity_filter.get("device_class"))
                    assert pair in provided, path.name


def test_readme_links_every_blueprint_for_one_click_import() -> None:
    """A my.home-assistant.io import link, with the URL-encoded raw URL, per blueprint."""
    links = re.findall(
        r"https://my\.home-assistant\.io/redirect/blueprint_import/\?blueprint_url=[^)\s\"']+",
        README,
    )
    linked: set[str] = set()
    for link in links:
        raw = parse_qs(urlsplit(link).query)["blueprint_url"][0]
        assert quote(raw, safe="") in link, "the blueprint URL must be URL-encoded"
        prefix = f"https://raw.githubusercontent.com/{GITHUB_REPO}/main/"
        assert raw.startswith(prefix), raw
        assert (ROOT / unquote(raw.removeprefix(prefix))).is_file(), raw
        linked.add(Path(raw).stem)
    assert linked == {path.stem for path in BLUEPRINT_FILES}


async def _run_blueprint(
    hass: HomeAssistant, tmp_path: Path, name: str, inputs: dict[str, Any]
) -> str:
    """Set up an automation from the blueprint, as a user's configuration would."""
    hass.config.config_dir = str(tmp_path)
    folder = tmp_path / "blueprints" / "automation" / DOMAIN
    await hass.async_add_executor_job(lambda: folder.mkdir(parents=True, exist_ok=True))
    await hass.async_add_executor_job(shutil.copy, BLUEPRINTS / f"{name}.yaml", folder)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "id": name,
                    "alias": name,
                    "use_blueprint": {
                        "path": f"{DOMAIN}/{name}.yaml",
                        "input": inputs,
                    },
                }
            ]
        },
    )
    await hass.async_block_till_done()
    entity_id = f"automation.{name}"
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "on", state
    return entity_id


def _sends(account: Sandbox) -> list[dict[str, Any]]:
    return [req.body for req in account.requests_to("sms/send", "POST")]


async def test_threshold_blueprint_texts_once_per_crossing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    tmp_path: Path,
) -> None:
    hass.states.async_set(
        "sensor.freezer",
        "-20",
        {"unit_of_measurement": "°C", "friendly_name": "Freezer"},
    )
    await _run_blueprint(
        hass, tmp_path, "sensor_threshold_sms", EXAMPLE_INPUTS["sensor_threshold_sms"]
    )
    account.clear_requests()
    hass.states.async_set(
        "sensor.freezer",
        "-12.5",
        {"unit_of_measurement": "°C", "friendly_name": "Freezer"},
    )
    await hass.async_block_till_done()
    hass.states.async_set(
        "sensor.freezer",
        "-11",
        {"unit_of_measurement": "°C", "friendly_name": "Freezer"},
    )
    await hass.async_block_till_done()

    sends = _sends(account)
    assert len(sends) == 1
    assert sends[0]["recipient"] == PHONE_DIGITS
    assert sends[0]["message"] == ("Freezer is -12.5 °C, above the threshold of -15.")


ALARM_AUTOMATION = "automation.alarm_call_sms_fallback"


async def _until(condition: Callable[[], bool]) -> None:
    """Let the loop run until the sandbox has answered what the test waits for.

    A blueprint that waits for a trigger keeps its run going, so
    ``async_block_till_done`` would wait for the (real) timeout instead. Time
    is frozen, so this yields to the loop rather than sleeping; the sandbox
    answers on the same loop.
    """
    for _ in range(20_000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never became true")


def _running(hass: HomeAssistant) -> bool:
    """Whether the alarm automation is still running (waiting for its trigger)."""
    entity = hass.data["automation"].get_entity(ALARM_AUTOMATION)
    return bool(entity.action_script.is_running)


def _waiting_for_delivery(hass: HomeAssistant) -> bool:
    """Whether the run listens for the call's status event (its wait step)."""
    return hass.bus.async_listeners().get(EVENT_MESSAGE_STATUS, 0) > 0


async def _set_up_alarm(
    hass: HomeAssistant, account: Sandbox, tmp_path: Path, wait: int
) -> None:
    hass.states.async_set(
        "alarm_control_panel.house", "armed_away", {"friendly_name": "House"}
    )
    await _run_blueprint(
        hass,
        tmp_path,
        "alarm_call_sms_fallback",
        {**EXAMPLE_INPUTS["alarm_call_sms_fallback"], "wait": wait},
    )
    account.clear_requests()
    hass.states.async_set(
        "alarm_control_panel.house", "triggered", {"friendly_name": "House"}
    )


async def test_alarm_blueprint_calls_and_stays_quiet_when_delivered(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    tmp_path: Path,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _set_up_alarm(hass, account, tmp_path, wait=3)
    await _until(lambda: _waiting_for_delivery(hass))
    account.complete_deliveries()
    # The outbox polls the call's status, which fires the event the run waits for.
    freezer.tick(timedelta(seconds=15))
    async_fire_time_changed(hass)
    await _until(lambda: not _running(hass))
    await hass.async_block_till_done()

    sends = _sends(account)
    assert [s["type"] for s in sends] == ["voice"]
    assert sends[0]["message"] == "Alarm. House has been triggered."
    assert sends[0]["recipient"] == PHONE_DIGITS


async def test_alarm_blueprint_texts_when_the_call_fails(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    tmp_path: Path,
) -> None:
    account.inject(Fault.INSUFFICIENT_BALANCE, path="sms/send")
    await _set_up_alarm(hass, account, tmp_path, wait=3)
    await hass.async_block_till_done()

    sends = _sends(account)
    assert [s["type"] for s in sends] == ["voice", "plain"]
    assert sends[1]["recipient"] == PHONE_DIGITS
    assert sends[1]["message"] == (
        "Alarm: House has been triggered. The TextBoost call did not get through."
    )


async def test_alarm_blueprint_texts_when_the_call_is_not_delivered_in_time(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    tmp_path: Path,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _set_up_alarm(hass, account, tmp_path, wait=1)
    await _until(lambda: _waiting_for_delivery(hass))
    freezer.tick(timedelta(seconds=61))
    async_fire_time_changed(hass)
    await _until(lambda: not _running(hass))
    await hass.async_block_till_done()

    assert [s["type"] for s in _sends(account)] == ["voice", "plain"]


async def test_low_balance_blueprint_warns_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    tmp_path: Path,
) -> None:
    notifications = async_mock_service(hass, "persistent_notification", "create")
    sensor = "binary_sensor.ada_lovelace_low_balance"
    assert hass.states.get(sensor).state == "off"
    await _run_blueprint(
        hass, tmp_path, "low_balance_warning", EXAMPLE_INPUTS["low_balance_warning"]
    )
    account.clear_requests()

    account.state.balance = Decimal("4.5")
    await init_integration.runtime_data.account.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(sensor).state == "on"
    await init_integration.runtime_data.account.async_refresh()
    await hass.async_block_till_done()

    expected = (
        "The TextBoost balance of Ada Lovelace is below 10.0. "
        "Top up the account so that alerts keep going out."
    )
    assert [call.data["message"] for call in notifications] == [expected]
    sends = _sends(account)
    assert [(s["recipient"], s["message"]) for s in sends] == [(PHONE_DIGITS, expected)]


async def test_low_balance_blueprint_reaches_a_recipient_notify_entity(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    tmp_path: Path,
) -> None:
    """The warning goes to a saved recipient through notify.send_message."""
    subentries = hass.config_entries.subentries
    flow = await subentries.async_init(
        (init_integration.entry_id, "recipient"), context={"source": SOURCE_USER}
    )
    await subentries.async_configure(
        flow["flow_id"], {"name": "Grace", "phone": "+44 7700 900123"}
    )
    await hass.async_block_till_done()
    notify_entity = next(
        entry.entity_id
        for entry in er.async_entries_for_config_entry(
            er.async_get(hass), init_integration.entry_id
        )
        if entry.domain == "notify"
    )
    await _run_blueprint(
        hass,
        tmp_path,
        "low_balance_warning",
        {
            "low_balance": "binary_sensor.ada_lovelace_low_balance",
            "persistent": False,
            "notify_entities": [notify_entity],
        },
    )
    account.clear_requests()

    account.state.balance = Decimal("1")
    await hass.config_entries.async_get_entry(
        init_integration.entry_id
    ).runtime_data.account.async_refresh()
    await hass.async_block_till_done()

    sends = _sends(account)
    assert len(sends) == 1
    assert sends[0]["recipient"] == "447700900123"
    assert sends[0]["message"].startswith("TextBoost balance is low\n")


# quality_scale.yaml -----------------------------------------------------------

#: ALL_RULES of script/hassfest/quality_scale.py in Home Assistant 2025.4.
ALL_RULES: dict[str, str] = {
    # Bronze
    "action-setup": "bronze",
    "appropriate-polling": "bronze",
    "brands": "bronze",
    "common-modules": "bronze",
    "config-flow": "bronze",
    "config-flow-test-coverage": "bronze",
    "dependency-transparency": "bronze",
    "docs-actions": "bronze",
    "docs-high-level-description": "bronze",
    "docs-installation-instructions": "bronze",
    "docs-removal-instructions": "bronze",
    "entity-event-setup": "bronze",
    "entity-unique-id": "bronze",
    "has-entity-name": "bronze",
    "runtime-data": "bronze",
    "test-before-configure": "bronze",
    "test-before-setup": "bronze",
    "unique-config-entry": "bronze",
    # Silver
    "action-exceptions": "silver",
    "config-entry-unloading": "silver",
    "docs-configuration-parameters": "silver",
    "docs-installation-parameters": "silver",
    "entity-unavailable": "silver",
    "integration-owner": "silver",
    "log-when-unavailable": "silver",
    "parallel-updates": "silver",
    "reauthentication-flow": "silver",
    "test-coverage": "silver",
    # Gold
    "devices": "gold",
    "diagnostics": "gold",
    "discovery": "gold",
    "discovery-update-info": "gold",
    "docs-data-update": "gold",
    "docs-examples": "gold",
    "docs-known-limitations": "gold",
    "docs-supported-devices": "gold",
    "docs-supported-functions": "gold",
    "docs-troubleshooting": "gold",
    "docs-use-cases": "gold",
    "dynamic-devices": "gold",
    "entity-category": "gold",
    "entity-device-class": "gold",
    "entity-disabled-by-default": "gold",
    "entity-translations": "gold",
    "exception-translations": "gold",
    "icon-translations": "gold",
    "reconfiguration-flow": "gold",
    "repair-issues": "gold",
    "stale-devices": "gold",
    # Platinum
    "async-dependency": "platinum",
    "inject-websession": "platinum",
    "strict-typing": "platinum",
}
#: Bronze rules added to hassfest after 2025.4 (with triggers and conditions).
LATER_RULES: dict[str, str] = {"docs-conditions": "bronze", "docs-triggers": "bronze"}

#: hassfest's schema of quality_scale.yaml.
QUALITY_SCALE_SCHEMA = vol.Schema(
    {
        vol.Required("rules"): vol.Schema(
            {
                vol.Optional(rule): vol.Any(
                    vol.In(["todo", "done"]),
                    vol.Schema(
                        {
                            vol.Required("status"): vol.In(["todo", "done"]),
                            vol.Required("comment"): str,
                        }
                    ),
                    vol.Schema(
                        {vol.Required("status"): "exempt", vol.Required("comment"): str}
                    ),
                )
                for rule in {**ALL_RULES, **LATER_RULES}
            }
        )
    }
)


def _status(rule: str) -> str:
    value = QUALITY_SCALE["rules"][rule]
    return str(value["status"] if isinstance(value, dict) else value)


def test_quality_scale_names_every_rule() -> None:
    """Every rule of the scale, nothing else, in hassfest's format."""
    QUALITY_SCALE_SCHEMA(QUALITY_SCALE)
    assert set(QUALITY_SCALE["rules"]) == set(ALL_RULES) | set(LATER_RULES)


def test_quality_scale_rules_are_all_met() -> None:
    """Each rule is done, or exempt with a reason; none is left to do."""
    for rule, value in QUALITY_SCALE["rules"].items():
        assert _status(rule) in {"done", "exempt"}, rule
        if _status(rule) == "exempt":
            assert value["comment"].strip(), rule


def test_manifest_quality_scale_is_the_highest_tier_met() -> None:
    """The manifest claims exactly the highest tier whose rules (and below) are met."""
    met = {r for r in QUALITY_SCALE["rules"] if _status(r) in {"done", "exempt"}}
    highest = None
    for tier in TIERS:
        needed = {r for r, t in {**ALL_RULES, **LATER_RULES}.items() if t == tier}
        if not needed <= met:
            break
        highest = tier
    assert MANIFEST.get("quality_scale") == highest


def _source(name: str) -> str:
    return (INTEGRATION / name).read_text(encoding="utf-8")


def _readme_headings() -> set[str]:
    return {m.strip().lower() for m in re.findall(r"^#{2,3} (.+)$", README, re.M)}


type Check = Callable[[HomeAssistant, MockConfigEntry], Awaitable[None]]


async def _action_setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await hass.config_entries.async_unload(entry.entry_id)
    assert hass.services.has_service(DOMAIN, "send_sms"), "registered in async_setup"


async def _appropriate_polling(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    data = entry.runtime_data
    assert data.account.update_interval is not None
    assert data.account.update_interval >= timedelta(minutes=5)
    # The groups are read along with the account, at most every 30 minutes.
    assert data.groups.update_interval is None
    assert timedelta(minutes=5) <= GROUPS_SCAN_INTERVAL


async def _parallel_updates(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    for platform in ("sensor", "binary_sensor", "event", "notify"):
        module = importlib.import_module(f"custom_components.{DOMAIN}.{platform}")
        assert hasattr(module, "PARALLEL_UPDATES"), platform


async def _registry_entries(
    hass: HomeAssistant, entry: MockConfigEntry
) -> list[er.RegistryEntry]:
    return er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)


async def _has_entity_name(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert all(e.has_entity_name for e in await _registry_entries(hass, entry))


async def _entity_category(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert any(e.entity_category for e in await _registry_entries(hass, entry))


async def _device_class(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert any(e.original_device_class for e in await _registry_entries(hass, entry))


async def _disabled(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert any(
        e.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        for e in await _registry_entries(hass, entry)
    )


async def _devices(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    account = next(
        device
        for device in dr.async_entries_for_config_entry(
            dr.async_get(hass), entry.entry_id
        )
        if (DOMAIN, str(entry.unique_id)) in device.identifiers
    )
    assert account.entry_type is dr.DeviceEntryType.SERVICE
    assert account.manufacturer
    assert account.model
    assert account.configuration_url


async def _recipient_devices_come_and_go(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """A recipient added in the UI is a device at once; deleting it removes it."""
    registry = dr.async_get(hass)

    def devices() -> set[str]:
        return {
            d.id for d in dr.async_entries_for_config_entry(registry, entry.entry_id)
        }

    before = devices()
    subentries = hass.config_entries.subentries
    flow = await subentries.async_init(
        (entry.entry_id, "recipient"), context={"source": SOURCE_USER}
    )
    await subentries.async_configure(
        flow["flow_id"], {"name": "Grace", "phone": "+44 7700 900123"}
    )
    await hass.async_block_till_done()
    assert len(devices() - before) == 1, "no device for the new recipient"
    current = hass.config_entries.async_get_entry(entry.entry_id)
    assert current is not None
    subentry_id = next(iter(current.subentries))
    assert hass.config_entries.async_remove_subentry(current, subentry_id)
    await hass.async_block_till_done()
    assert devices() == before, "the deleted recipient's device stayed"


def _pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def _coverage_enforced() -> bool:
    coverage = _pyproject()["tool"]["coverage"]
    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    return (
        coverage["report"]["fail_under"] >= 95
        and f"custom_components/{DOMAIN}" in coverage["run"]["source"]
        and "--cov" in script
    )


def _headings(*names: str) -> Callable[[], bool]:
    return lambda: {n.lower() for n in names} <= _readme_headings()


STATIC_CLAIMS: dict[str, Callable[[], bool]] = {
    "brands": lambda: (BRAND / "icon.png").is_file() and (BRAND / "logo.png").is_file(),
    "common-modules": lambda: (
        (INTEGRATION / "coordinator.py").is_file()
        and (INTEGRATION / "entity.py").is_file()
    ),
    "config-flow": lambda: (
        MANIFEST["config_flow"] and "data_description" in _source("strings.json")
    ),
    "config-flow-test-coverage": _coverage_enforced,
    "test-coverage": _coverage_enforced,
    "docs-actions": _headings("Actions"),
    "docs-high-level-description": lambda: README.startswith("# TextBoost"),
    "docs-installation-instructions": _headings("Installation"),
    "docs-removal-instructions": _headings("Removal"),
    "docs-configuration-parameters": _headings("Configuration"),
    "docs-installation-parameters": _headings("Configuration"),
    "docs-data-update": _headings("How data is updated"),
    "docs-examples": _headings("Automation examples", "Blueprints"),
    "docs-known-limitations": _headings("Known limitations"),
    "docs-supported-functions": _headings("Entities", "Actions", "Events"),
    "docs-troubleshooting": _headings("Troubleshooting"),
    "docs-use-cases": _headings("Use cases"),
    "runtime-data": lambda: (
        "entry.runtime_data =" in _source("__init__.py")
        and "hass.data[DOMAIN]"
        not in "".join(p.read_text(encoding="utf-8") for p in INTEGRATION.glob("*.py"))
    ),
    "unique-config-entry": lambda: (
        "_abort_if_unique_id_configured" in _source("config_flow.py")
    ),
    "config-entry-unloading": lambda: (
        "async def async_unload_entry" in _source("__init__.py")
    ),
    "reauthentication-flow": lambda: hasattr(
        textboost_config_flow.TextBoostConfigFlow, "async_step_reauth"
    ),
    "reconfiguration-flow": lambda: hasattr(
        textboost_config_flow.TextBoostConfigFlow, "async_step_reconfigure"
    ),
    "diagnostics": lambda: (
        "async_get_config_entry_diagnostics" in _source("diagnostics.py")
    ),
    "icon-translations": lambda: bool(ICONS["entity"]) and bool(ICONS["services"]),
    "repair-issues": lambda: bool(STRINGS.get("issues")),
    "integration-owner": lambda: bool(MANIFEST["codeowners"]),
    "inject-websession": lambda: (
        "async_get_clientsession(hass)" in _source("__init__.py")
    ),
    "async-dependency": lambda: all(
        "import requests" not in p.read_text(encoding="utf-8")
        for p in INTEGRATION.rglob("*.py")
    ),
    "strict-typing": lambda: (
        "mypy --strict custom_components"
        in (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    ),
}
RUNTIME_CLAIMS: dict[str, Check] = {
    "action-setup": _action_setup,
    "appropriate-polling": _appropriate_polling,
    "parallel-updates": _parallel_updates,
    "has-entity-name": _has_entity_name,
    "entity-category": _entity_category,
    "entity-device-class": _device_class,
    "entity-disabled-by-default": _disabled,
    "devices": _devices,
    "dynamic-devices": _recipient_devices_come_and_go,
    "stale-devices": _recipient_devices_come_and_go,
}


@pytest.mark.parametrize("rule", sorted(STATIC_CLAIMS))
def test_quality_scale_claim_holds(rule: str) -> None:
    """What a rule marked done claims can be seen in the repository."""
    if _status(rule) != "done":
        pytest.skip(f"{rule} is {_status(rule)}")
    assert STATIC_CLAIMS[rule](), rule


@pytest.mark.parametrize("rule", sorted(RUNTIME_CLAIMS))
async def test_quality_scale_claim_holds_at_runtime(
    hass: HomeAssistant, init_integration: MockConfigEntry, rule: str
) -> None:
    """What a rule marked done claims can be seen in a running Home Assistant."""
    if _status(rule) != "done":
        pytest.skip(f"{rule} is {_status(rule)}")
    await RUNTIME_CLAIMS[rule](hass, init_integration)


# README ----------------------------------------------------------------------


def test_readme_starts_with_the_two_developer_commands() -> None:
    top = "\n".join(README.splitlines()[:40])
    assert "scripts/develop" in top
    assert "scripts/setup && scripts/test" in top


def test_readme_documents_every_action_event_and_option() -> None:
    for name in SERVICES_YAML:
        assert f"textboost.{name}" in README, name
    for event in (EVENT_MESSAGE_STATUS, EVENT_MESSAGE_DROPPED, EVENT_OUTCOME_UNKNOWN):
        assert event in README, event
    for label in STRINGS["options"]["step"]["init"]["data"].values():
        assert label in README, label
    for label in STRINGS["config"]["step"]["user"]["data"].values():
        assert label in README, label
