"""The message status event entity."""

from __future__ import annotations

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

from tests.helpers import advance

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
