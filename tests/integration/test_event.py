"""The message status event entity."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

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
