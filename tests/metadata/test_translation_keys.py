"""Every translation key and placeholder the code uses exists, and each is used."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
import importlib
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigFlow,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, section
from homeassistant.helpers import (
    entity_registry as er,
    selector as ha_selector,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.textboost import config_flow as textboost_config_flow
from custom_components.textboost.const import DOMAIN
from sandbox import Sandbox
from tests.metadata.repository import (
    INTEGRATION,
    SERVICES_YAML,
    STRINGS,
    dig,
    placeholders,
    select_options,
)

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
        elif name == "warn_in_repairs" and len(node.args) == 4:
            # errors.warn_in_repairs(hass, issue_id, translation_key, placeholders)
            key, values = node.args[2], node.args[3]
            for branch in (
                (key.body, key.orelse) if isinstance(key, ast.IfExp) else (key,)
            ):
                self._add("issues", branch, _dict_keys(values))
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


#: Where Home Assistant 2026.x keeps the tools platforms of integrations.
LLM_PLATFORMS = "homeassistant.components.llm"


def _used_keys() -> list[UsedKey]:
    found: list[UsedKey] = []
    for path in sorted(INTEGRATION.rglob("*.py")):
        relative = path.relative_to(INTEGRATION)
        parts = relative.with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(("custom_components", DOMAIN, *parts))
        if parts == ("llm",) and importlib.util.find_spec(LLM_PLATFORMS) is None:
            # The Assist tools platform imports what only Home Assistant 2026.x
            # has; its keys are literals, so its text is scanned all the same.
            module = ModuleType(name)
        else:
            module = importlib.import_module(name)
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
    node = dig(STRINGS, f"{used.section}.{used.key}")
    assert node is not None, f"{used.where}: {used.section}.{used.key} is missing"
    if used.section == "exceptions":
        text = node["message"]
    elif used.section == "issues":
        text = node["title"] + node["description"]
    else:
        return
    if used.placeholders is not None:
        missing = placeholders(text) - used.placeholders
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
        assert dig(STRINGS, f"entity.{entry.domain}.{entry.translation_key}.name"), (
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
            assert set(select_options(name, key)) <= set(labels), f"{name}.{key}"


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
    step = dig(STRINGS, f"{base}.step.{result['step_id']}")
    assert step is not None, f"{base}.step.{result['step_id']}"
    assert step.get("title"), result["step_id"]
    given = set((result.get("description_placeholders") or {}).keys())
    for text in (step.get("title", ""), step.get("description", "")):
        assert placeholders(text) <= given, result["step_id"]
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
