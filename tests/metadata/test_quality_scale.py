"""quality_scale.yaml names every rule, and what it claims holds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
import importlib
import re
import tomllib
from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.textboost import config_flow as textboost_config_flow
from custom_components.textboost.const import (
    DOMAIN,
    GROUPS_SCAN_INTERVAL,
)
from tests.metadata.repository import (
    BRAND,
    ICONS,
    INTEGRATION,
    MANIFEST,
    QUALITY_SCALE,
    README,
    ROOT,
    STRINGS,
    TIERS,
)

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
