"""The receiving blueprints, run by Home Assistant's own blueprint code."""

from __future__ import annotations

from pathlib import Path
import shutil
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.textboost.const import DOMAIN
from sandbox import Sandbox

from .receiving import HOUSE, SENDER, WEBHOOK_ID, receiving_options

BLUEPRINTS = Path(__file__).parents[2] / "blueprints" / "automation" / DOMAIN
INCOMING = "event.ada_lovelace_incoming_message"
STRANGER = "+44 7700 900123"


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Receiving by webhook; unverified, so that a post fires at once."""
    return receiving_options("webhook", verify=False)


async def run_blueprint(
    hass: HomeAssistant, tmp_path: Path, name: str, inputs: dict[str, Any]
) -> None:
    """Set up an automation from the blueprint, as a user's configuration would."""
    hass.config.config_dir = str(tmp_path)
    folder = tmp_path / "blueprints" / "automation" / DOMAIN
    await hass.async_add_executor_job(lambda: folder.mkdir(parents=True))
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
    state = hass.states.get(f"automation.{name}")
    assert state is not None
    assert state.state == "on"


async def text(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    message: str,
    sender: str = SENDER,
) -> None:
    """A text reaches the webhook and its automations run."""
    client = await hass_client_no_auth()
    await client.post(
        f"/api/webhook/{WEBHOOK_ID}",
        json={"to": HOUSE, "from": sender, "content": message},
    )
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    ("message", "sender", "acknowledged"),
    [
        ("ok", SENDER, True),
        ("OK! on my way", SENDER, True),
        ("okay", SENDER, False),
        ("not ok", SENDER, False),
        ("OK", STRANGER, False),
    ],
)
async def test_a_reply_with_the_word_acknowledges_the_alert(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    hass_client_no_auth: ClientSessionGenerator,
    tmp_path: Path,
    message: str,
    sender: str,
    acknowledged: bool,
) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"alarm": {"name": "Alarm"}}}
    )
    await hass.services.async_call(
        "input_boolean", "turn_on", {"entity_id": "input_boolean.alarm"}, blocking=True
    )
    await run_blueprint(
        hass,
        tmp_path,
        "acknowledge_by_reply",
        {
            "incoming": INCOMING,
            "target": "input_boolean.alarm",
            "people": ["+31 6 1234 5678"],
            "verified_only": False,
        },
    )

    await text(hass, hass_client_no_auth, message, sender)

    state = hass.states.get("input_boolean.alarm")
    assert state is not None
    assert state.state == ("off" if acknowledged else "on")
    replies = [r.body for r in account.requests_to("sms/send")]
    assert replies == (
        [
            {
                "recipient": "31612345678",
                "message": "Acknowledged: Alarm is off.",
                "type": "plain",
                "sender_id": "3197010203040",
            }
        ]
        if acknowledged
        else []
    )


async def test_an_unverified_reply_does_not_acknowledge_by_default(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    tmp_path: Path,
) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"alarm": {"initial": True}}}
    )
    await run_blueprint(
        hass,
        tmp_path,
        "acknowledge_by_reply",
        {
            "incoming": INCOMING,
            "target": "input_boolean.alarm",
            "people": [SENDER],
        },
    )

    await text(hass, hass_client_no_auth, "OK")

    state = hass.states.get("input_boolean.alarm")
    assert state is not None
    assert state.state == "on"


@pytest.mark.parametrize(
    ("message", "sender", "variables"),
    [
        ("HEAT on", SENDER, {"keyword": "HEAT", "rest": "on"}),
        ("heat, 21 degrees", SENDER, {"keyword": "HEAT", "rest": "21 degrees"}),
        ("Heating on", SENDER, None),
        ("HEAT on", STRANGER, None),
    ],
)
async def test_a_keyword_from_an_allowed_sender_runs_the_script(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    tmp_path: Path,
    message: str,
    sender: str,
    variables: dict[str, str] | None,
) -> None:
    started = async_mock_service(hass, "script", "turn_on")
    await run_blueprint(
        hass,
        tmp_path,
        "keyword_runs_script",
        {
            "incoming": INCOMING,
            "keyword": "HEAT",
            "senders": ["0031 6 1234 5678"],
            "script": "script.heating",
            "verified_only": False,
        },
    )

    await text(hass, hass_client_no_auth, message, sender)

    if variables is None:
        assert started == []
        return
    [call] = started
    assert call.data["entity_id"] == ["script.heating"]
    passed = call.data["variables"]
    assert {k: passed[k] for k in variables} == variables
    assert str(passed["sender"]) == "31612345678"
    assert passed["message_id"].startswith("local-")
