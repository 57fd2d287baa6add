"""The balance's unit: the account's currency when the server shows one, else the user's.

The low-balance repair shows amounts as the balance sensor does: two decimals
and the unit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.textboost.api.parsing import parse_currency
from custom_components.textboost.const import DOMAIN
from sandbox import Sandbox

BALANCE = "sensor.ada_lovelace_balance"
CREDITS = {"spending": {"spend_unit": "credits"}}


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    ("display", "entry_options", "state", "unit"),
    [
        ("EUR 1,234.50", {}, "1234.50", "EUR"),
        ("1.234,50 BDT", CREDITS, "1234.50", "BDT"),
        ("€1.234,50", {}, "1234.50", "EUR"),
        ("1,234.50", CREDITS, "1234.50", "credits"),
        ("$1,234.50", CREDITS, "1234.50", "credits"),
        ("$1,234.50", {}, "1234.50", None),
    ],
    ids=["code", "code-beats-option", "sign", "option", "ambiguous-sign", "none"],
)
async def test_balance_unit_is_the_currency_else_the_chosen_unit(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    display: str,
    state: str,
    unit: str | None,
) -> None:
    account.state.balance_display = display
    await _setup(hass, mock_config_entry)

    sensor = hass.states.get(BALANCE)
    assert sensor.state == state
    assert sensor.attributes.get("unit_of_measurement") == unit


@pytest.mark.parametrize("entry_options", [{"low_balance_threshold": 10, **CREDITS}])
async def test_low_balance_repair_formats_amounts_as_the_sensor(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
    entry_options: dict[str, Any],
) -> None:
    account.state.balance = Decimal("9.5")
    await _setup(hass, mock_config_entry)

    issue = issue_registry.async_get_issue(
        DOMAIN, f"low_balance_{mock_config_entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_placeholders == {
        "account": "Ada Lovelace",
        "balance": "9.50 credits",
        "threshold": "10.00 credits",
    }
    assert hass.states.get(BALANCE).attributes["unit_of_measurement"] == "credits"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("EUR 12.50", "EUR"),
        ("12,50 EUR", "EUR"),
        ("£3.10", "GBP"),
        ("₹ 9,99,999", "INR"),
        ("৳ 500", "BDT"),
        ("$12", None),
        ("Rs. 1,000", None),
        ("Unlimited", None),
        ("1234.50", None),
        (1234, None),
    ],
)
def test_parse_currency(raw: object, code: str | None) -> None:
    assert parse_currency(raw) == code
