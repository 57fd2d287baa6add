"""The message status event entity."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.textboost.const import DOMAIN
from sandbox import Sandbox
from tests.helpers import advance

NUMBER = "31612345678"
REFUSED = "31612345670"

EVENT_ENTITY = "event.ada_lovelace_message_status"


@pytest.mark.usefixtures("init_integration")
async def test_message_status_is_not_polled(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The entity is written when a status changes, never on a timer."""
    state = hass.states.get(EVENT_ENTITY)
    assert state is not None
    reported = state.last_reported

    await advance(hass, freezer, 5 * 60)

    state = hass.states.get(EVENT_ENTITY)
    assert state is not None
    assert state.last_reported == reported


@pytest.mark.platforms(Platform.EVENT)
async def test_event_entity(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


@pytest.mark.usefixtures("init_integration")
async def test_a_routine_answer_leaves_the_entity_alone(hass: HomeAssistant) -> None:
    """Enroute, the answer to every send, is in the response: no state write."""
    before = hass.states.get(EVENT_ENTITY)
    assert before is not None

    response = await send(hass, NUMBER)

    assert [r["status"] for r in response["recipients"]] == ["Enroute"]
    assert hass.states.get(EVENT_ENTITY) == before


@pytest.mark.usefixtures("init_integration")
async def test_a_refusal_in_the_answer_fires_the_entity(
    hass: HomeAssistant, account: Sandbox
) -> None:
    """Only the refused recipient of a send fires: its status is already final."""
    account.state.blacklist.add(REFUSED)

    await send(hass, NUMBER, REFUSED)

    state = hass.states.get(EVENT_ENTITY)
    assert state is not None
    assert state.attributes["event_type"] == "rejected"
    assert state.attributes["to"] == REFUSED
    assert state.attributes["status"] == "Rejected"
    assert state.attributes["uid"] is None


async def send(hass: HomeAssistant, *numbers: str) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"recipients": list(numbers), "message": "Water leak"},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return dict(response)
