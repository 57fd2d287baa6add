"""The blueprint "Text, then call if not delivered", driven by sandbox delivery statuses."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
)

from custom_components.textboost.const import DOMAIN, EVENT_MESSAGE_STATUS
from sandbox import Sandbox
from tests.helpers import NUMBER, OTHER, bodies

BLUEPRINT = (
    Path(__file__).parents[2]
    / "blueprints"
    / "automation"
    / DOMAIN
    / "text_then_call.yaml"
)
AUTOMATION = "automation.leak_escalation"
TEXT = "Water leak in the basement"


async def _until(condition: Callable[[], bool]) -> None:
    """Let the loop run (the clock is frozen) until ``condition`` holds."""
    for _ in range(20_000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never became true")


def _running(hass: HomeAssistant) -> bool:
    entity = hass.data["automation"].get_entity(AUTOMATION)
    return bool(entity.action_script.is_running)


def _waiting_for_status(hass: HomeAssistant) -> bool:
    return hass.bus.async_listeners().get(EVENT_MESSAGE_STATUS, 0) > 0


async def _set_up(
    hass: HomeAssistant, tmp_path: Path, account: Sandbox, **inputs: Any
) -> None:
    """An automation from the blueprint, fired by a water_leak event."""
    hass.config.config_dir = str(tmp_path)
    folder = tmp_path / "blueprints" / "automation" / DOMAIN
    await hass.async_add_executor_job(lambda: folder.mkdir(parents=True))
    await hass.async_add_executor_job(shutil.copy, BLUEPRINT, folder)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "leak_escalation",
                "alias": "Leak escalation",
                "use_blueprint": {
                    "path": f"{DOMAIN}/text_then_call.yaml",
                    "input": {
                        "trigger": [{"trigger": "event", "event_type": "water_leak"}],
                        "phone": "+31 6 1234 5678",
                        "message": TEXT,
                        "wait": 5,
                        **inputs,
                    },
                },
            }
        },
    )
    await hass.async_block_till_done()
    account.clear_requests()
    hass.bus.async_fire("water_leak")
    await _until(lambda: _waiting_for_status(hass))


async def _poll_statuses(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the outbox poll the message's status (its first poll is after 10 s)."""
    freezer.tick(timedelta(seconds=15))
    async_fire_time_changed(hass)
    await _until(lambda: not _running(hass))
    await hass.async_block_till_done()


@pytest.mark.usefixtures("init_integration")
async def test_a_delivered_text_is_not_followed_by_a_call(
    hass: HomeAssistant,
    account: Sandbox,
    tmp_path: Path,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _set_up(hass, tmp_path, account, second_phone=OTHER)
    (sms,) = account.sent_messages()
    assert sms.status == "Enroute"

    account.complete_deliveries()
    await _poll_statuses(hass, freezer)

    assert bodies(account) == [{"recipient": NUMBER, "type": "plain", "message": TEXT}]


@pytest.mark.parametrize("status", ["Undelivered", "Rejected", "Expired"])
@pytest.mark.usefixtures("init_integration")
async def test_a_failed_text_is_followed_by_a_call_and_a_second_text(
    hass: HomeAssistant,
    account: Sandbox,
    tmp_path: Path,
    freezer: FrozenDateTimeFactory,
    status: str,
) -> None:
    """A final status other than Delivered calls at once, then texts the second."""
    await _set_up(hass, tmp_path, account, second_phone=OTHER)
    account.state.final_status[NUMBER] = status

    account.complete_deliveries()
    await _poll_statuses(hass, freezer)

    assert bodies(account) == [
        {"recipient": NUMBER, "type": "plain", "message": TEXT},
        {
            "recipient": NUMBER,
            "type": "voice",
            "message": TEXT,
            "language": "en-gb",
            "gender": "female",
        },
        {"recipient": OTHER, "type": "plain", "message": TEXT},
    ]


@pytest.mark.usefixtures("init_integration")
async def test_a_text_still_on_its_way_after_the_wait_is_followed_by_a_call(
    hass: HomeAssistant,
    account: Sandbox,
    tmp_path: Path,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Enroute for 5 minutes: the call goes out; no second person is set."""
    await _set_up(hass, tmp_path, account)

    freezer.tick(timedelta(minutes=5, seconds=1))
    async_fire_time_changed(hass)
    await _until(lambda: not _running(hass))
    await hass.async_block_till_done()

    assert [(b["recipient"], b["type"]) for b in bodies(account)] == [
        (NUMBER, "plain"),
        (NUMBER, "voice"),
    ]
    assert [m.status for m in account.sent_messages()] == ["Enroute", "Enroute"]
