"""The low-balance binary sensor and its repair issue."""

from __future__ import annotations

from decimal import Decimal

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.textboost.const import CONF_LOW_BALANCE, DOMAIN
from sandbox import Sandbox
from tests.helpers import advance

LOW_BALANCE = "binary_sensor.ada_lovelace_low_balance"
THRESHOLD = {CONF_LOW_BALANCE: 100}
#: Seconds between two reads of the balance.
BALANCE_REFRESH = 15 * 60


def _issue_id(entry: MockConfigEntry) -> str:
    return f"low_balance_{entry.entry_id}"


@pytest.mark.platforms(Platform.BINARY_SENSOR)
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_binary_sensors(
    hass: HomeAssistant,
    account: Sandbox,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


async def test_default_threshold_is_ten(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    sensor = hass.states.get(LOW_BALANCE)

    assert sensor.state == STATE_OFF
    assert sensor.attributes["threshold"] == 10.0
    assert sensor.attributes["device_class"] == "problem"


@pytest.mark.parametrize("entry_options", [THRESHOLD])
async def test_low_balance_turns_on_and_raises_a_repair(
    hass: HomeAssistant,
    account: Sandbox,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    assert hass.states.get(LOW_BALANCE).state == STATE_OFF
    assert issue_registry.async_get_issue(DOMAIN, _issue_id(init_integration)) is None

    account.state.balance = Decimal("99.99")
    await advance(hass, freezer, BALANCE_REFRESH, background=True)

    sensor = hass.states.get(LOW_BALANCE)
    assert sensor.state == STATE_ON
    assert sensor.attributes["threshold"] == 100
    issue = issue_registry.async_get_issue(DOMAIN, _issue_id(init_integration))
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
    assert not issue.is_fixable
    assert issue.translation_key == "low_balance"
    assert issue.translation_placeholders == {
        "account": "Ada Lovelace",
        "balance": "99.99",
        "threshold": "100.00",
    }
    texts = await async_get_translations(hass, "en", "issues", [DOMAIN])
    description = texts[f"component.{DOMAIN}.issues.low_balance.description"]
    assert description.format(**issue.translation_placeholders).startswith(
        "The balance of Ada Lovelace is 99.99, below your threshold of 100.00."
    )


@pytest.mark.parametrize("entry_options", [THRESHOLD])
async def test_topped_up_balance_clears_the_repair(
    hass: HomeAssistant,
    account: Sandbox,
    issue_registry: ir.IssueRegistry,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    account.state.balance = Decimal("12.50")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(LOW_BALANCE).state == STATE_ON
    assert issue_registry.async_get_issue(DOMAIN, _issue_id(mock_config_entry))

    account.state.balance = Decimal(500)
    await advance(hass, freezer, BALANCE_REFRESH, background=True)

    assert hass.states.get(LOW_BALANCE).state == STATE_OFF
    assert issue_registry.async_get_issue(DOMAIN, _issue_id(mock_config_entry)) is None


@pytest.mark.parametrize("entry_options", [THRESHOLD])
@pytest.mark.parametrize(
    ("balance", "unlimited"),
    [(Decimal(100), False), (Decimal(0), True)],
    ids=["balance-equal-to-the-threshold", "unlimited-plan"],
)
async def test_not_low(
    hass: HomeAssistant,
    account: Sandbox,
    issue_registry: ir.IssueRegistry,
    mock_config_entry: MockConfigEntry,
    balance: Decimal,
    unlimited: bool,
) -> None:
    """A balance equal to the threshold is not low; an unlimited plan never is."""
    account.state.balance = balance
    account.state.unlimited = unlimited
    mock_config_entry.add_to_hass(hass)

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert hass.states.get(LOW_BALANCE).state == STATE_OFF
    assert issue_registry.async_get_issue(DOMAIN, _issue_id(mock_config_entry)) is None


@pytest.mark.parametrize("entry_options", [THRESHOLD])
async def test_low_balance_is_unavailable_while_the_server_is(
    hass: HomeAssistant,
    account: Sandbox,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await account.refuse_connections()
    await advance(hass, freezer, BALANCE_REFRESH, background=True)

    assert hass.states.get(LOW_BALANCE).state == STATE_UNAVAILABLE

    account.state.balance = Decimal(5)
    await account.accept_connections()
    await advance(hass, freezer, BALANCE_REFRESH, background=True)

    assert hass.states.get(LOW_BALANCE).state == STATE_ON
