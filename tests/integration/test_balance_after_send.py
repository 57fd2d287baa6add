"""The balance follows a send at once, not at the next poll (15 minutes)."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from sandbox import Sandbox
from tests.helpers import NUMBER, OTHER, advance, send_sms

BALANCE = "sensor.ada_lovelace_balance"


@pytest.mark.usefixtures("init_integration")
async def test_balance_drops_by_the_cost_right_after_a_send(
    hass: HomeAssistant, account: Sandbox
) -> None:
    assert hass.states.get(BALANCE).state == "1234.50"

    await send_sms(hass, recipients=[NUMBER], message="Hi")
    await hass.async_block_till_done()

    assert hass.states.get(BALANCE).state == "1234.45"


@pytest.mark.usefixtures("init_integration")
async def test_balance_reads_after_many_sends_are_debounced(
    hass: HomeAssistant, account: Sandbox, freezer: FrozenDateTimeFactory
) -> None:
    before = len(account.requests_to("balance"))
    for _ in range(5):
        await send_sms(hass, recipients=[NUMBER, OTHER], message="Hi")
    await hass.async_block_till_done()
    await advance(hass, freezer, 11, background=True)

    # ten messages: a read at once and after each 10 s cool-down, not ten
    assert len(account.requests_to("balance")) - before <= 3
    assert hass.states.get(BALANCE).state == "1234.00"
