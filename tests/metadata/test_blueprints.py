"""Every blueprint loads, instantiates, validates and works end to end."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
import re
import shutil
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation.config import (
    AUTOMATION_BLUEPRINT_SCHEMA,
    async_validate_config_item,
)
from homeassistant.components.blueprint.models import Blueprint, BlueprintInputs
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.textboost.const import (
    DOMAIN,
    EVENT_MESSAGE_DROPPED,
    EVENT_MESSAGE_RECEIVED,
    EVENT_MESSAGE_STATUS,
    EVENT_OUTCOME_UNKNOWN,
)
from sandbox import Sandbox
from sandbox.faults import Fault
from tests.helpers import NUMBER, TYPED_NUMBER
from tests.metadata.repository import (
    BLUEPRINT_FILES,
    BLUEPRINTS,
    GITHUB_REPO,
    README,
    ROOT,
    SERVICES_YAML,
)

#: Example inputs that instantiate each blueprint.
EXAMPLE_INPUTS: dict[str, dict[str, Any]] = {
    "sensor_threshold_sms": {
        "sensor": "sensor.freezer",
        "direction": "above",
        "threshold": -15,
        "recipients": [TYPED_NUMBER],
    },
    "alarm_call_sms_fallback": {
        "alarm": "alarm_control_panel.house",
        "phone": TYPED_NUMBER,
    },
    "low_balance_warning": {
        "low_balance": "binary_sensor.ada_lovelace_low_balance",
        "recipients": [TYPED_NUMBER],
    },
    "text_then_call": {
        "trigger": [
            {"trigger": "state", "entity_id": "binary_sensor.leak", "to": "on"}
        ],
        "phone": TYPED_NUMBER,
        "message": "Water leak in the basement",
    },
    "acknowledge_by_reply": {
        "incoming": "event.ada_lovelace_incoming_message",
        "target": "alert.water_leak",
        "people": [TYPED_NUMBER],
    },
    "keyword_runs_script": {
        "incoming": "event.ada_lovelace_incoming_message",
        "keyword": "HEAT",
        "senders": [TYPED_NUMBER],
        "script": "script.heating",
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
    for component in ("persistent_notification", "notify", "homeassistant", "script"):
        assert await async_setup_component(hass, component, {})
    config = _instantiate(path)
    actions = [node for node in _walk(config) if isinstance(node.get("action"), str)]
    assert actions
    events = {
        EVENT_MESSAGE_STATUS,
        EVENT_MESSAGE_DROPPED,
        EVENT_OUTCOME_UNKNOWN,
        EVENT_MESSAGE_RECEIVED,
    }
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
    assert sends[0]["recipient"] == NUMBER
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
    assert sends[0]["recipient"] == NUMBER


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
    assert sends[1]["recipient"] == NUMBER
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
    assert [(s["recipient"], s["message"]) for s in sends] == [(NUMBER, expected)]


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
