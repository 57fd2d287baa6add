"""Sensors: balance, plan expiry, profile, queued messages and contact groups."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    EntityCategory,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.textboost.const import CONF_LOW_BALANCE, DOMAIN
from sandbox import BalanceShape, Sandbox
from sandbox.state import Group
from tests.helpers import ACCOUNT_UID, advance

BALANCE = "sensor.ada_lovelace_balance"
PLAN_EXPIRY = "sensor.ada_lovelace_plan_expiry"
LOW_BALANCE = "binary_sensor.ada_lovelace_low_balance"
FAMILY_UID = "5f2b1c3d4e5a6"
PROFILE_SENSORS = {
    "sensor.ada_lovelace_account_name": True,
    "sensor.ada_lovelace_email": False,
    "sensor.ada_lovelace_time_zone": False,
    "sensor.ada_lovelace_locale": False,
}


@pytest.fixture
def family(account: Sandbox) -> str:
    """A contact group of three, with a fixed uid so that snapshots are stable."""
    account.state.groups[FAMILY_UID] = Group(FAMILY_UID, "Family")
    for index in range(3):
        account.add_contact(FAMILY_UID, f"3161000000{index}")
    return FAMILY_UID


@pytest.mark.platforms(Platform.SENSOR)
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_sensors(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


@pytest.mark.parametrize(
    ("shape", "balance", "display", "state"),
    [
        (BalanceShape.REMAINING_BALANCE, Decimal("1234.50"), None, "1234.50"),
        (BalanceShape.REMAINING_UNIT, Decimal("1234.50"), None, "1234.50"),
        (BalanceShape.REMAINING_BALANCE, Decimal(0), "9,99,999", "999999"),
        (BalanceShape.REMAINING_BALANCE, Decimal(0), "1.234,50", "1234.50"),
        (BalanceShape.REMAINING_BALANCE, Decimal(0), "Tk. 1,234.50", "1234.50"),
        (BalanceShape.SMS_CREDIT_BALANCE, Decimal(1234), None, "1234"),
    ],
    ids=[
        "remaining_balance",
        "remaining_unit",
        "indian_grouping",
        "decimal_comma",
        "currency_word",
        "sms_credit_balance",
    ],
)
async def test_balance_is_a_number_whatever_its_shape(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    shape: BalanceShape,
    balance: Decimal,
    display: str | None,
    state: str,
) -> None:
    account.balance_shape = shape
    account.state.balance = balance
    account.state.balance_display = display
    mock_config_entry.add_to_hass(hass)

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    sensor = hass.states.get(BALANCE)
    assert sensor.state == state
    assert sensor.attributes["unlimited"] is False
    assert sensor.attributes["state_class"] == "measurement"


@pytest.mark.parametrize("entry_options", [{CONF_LOW_BALANCE: 1_000_000}])
async def test_unlimited_plan_has_no_numeric_balance(
    hass: HomeAssistant, account: Sandbox, mock_config_entry: MockConfigEntry
) -> None:
    account.state.unlimited = True
    mock_config_entry.add_to_hass(hass)

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    sensor = hass.states.get(BALANCE)
    assert sensor.state == STATE_UNKNOWN
    assert sensor.attributes["unlimited"] is True
    # However high the threshold, an unlimited plan never runs low.
    assert hass.states.get(LOW_BALANCE).state == "off"


async def test_plan_expiry_is_read_in_the_account_time_zone(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    # The server shows "31 Dec 2026 11:59 PM", wall time in Asia/Dhaka (UTC+6).
    assert account.requests_to("balance")
    sensor = hass.states.get(PLAN_EXPIRY)

    assert sensor.state == "2026-12-31T17:59:00+00:00"
    assert sensor.attributes["device_class"] == "timestamp"


async def test_plan_expiry_follows_the_profile_time_zone(
    hass: HomeAssistant, account: Sandbox, mock_config_entry: MockConfigEntry
) -> None:
    account.state.profile.timezone = "America/New_York"
    account.state.expires_on = datetime(2026, 7, 1, 9, 30)
    mock_config_entry.add_to_hass(hass)

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert hass.states.get(PLAN_EXPIRY).state == "2026-07-01T13:30:00+00:00"


async def test_plan_without_expiry_is_unknown(
    hass: HomeAssistant, account: Sandbox, mock_config_entry: MockConfigEntry
) -> None:
    account.state.expires_on = None
    mock_config_entry.add_to_hass(hass)

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert hass.states.get(PLAN_EXPIRY).state == STATE_UNKNOWN


async def test_profile_sensors_are_diagnostic_and_mostly_disabled(
    hass: HomeAssistant,
    account: Sandbox,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    for entity_id, enabled in PROFILE_SENSORS.items():
        entry = entity_registry.async_get(entity_id)
        assert entry is not None, entity_id
        assert entry.entity_category is EntityCategory.DIAGNOSTIC
        assert (entry.disabled_by is None) is enabled, entity_id
        assert (hass.states.get(entity_id) is not None) is enabled, entity_id
    assert hass.states.get("sensor.ada_lovelace_account_name").state == "Ada Lovelace"


async def test_new_contact_group_appears_at_the_daily_groups_read(
    hass: HomeAssistant,
    account: Sandbox,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
) -> None:
    uid = account.add_group("Neighbours", contacts=2)

    await advance(hass, freezer, 15 * 60, background=True)
    assert hass.states.get("sensor.ada_lovelace_neighbours_contacts") is None

    # The list of groups is read once a day (actions update it at once).
    await advance(hass, freezer, 24 * 3600 - 15 * 60, background=True)
    sensor = hass.states.get("sensor.ada_lovelace_neighbours_contacts")
    assert sensor is not None
    assert sensor.state == "2"
    assert sensor.attributes["group_uid"] == uid
    assert sensor.attributes["group_name"] == "Neighbours"
    assert sensor.attributes["unit_of_measurement"] == "contacts"
    assert sensor.attributes["friendly_name"] == "Ada Lovelace Neighbours contacts"
    registry_entry = entity_registry.async_get(
        "sensor.ada_lovelace_neighbours_contacts"
    )
    assert registry_entry.unique_id == f"{ACCOUNT_UID}_group_{uid}"

    # A contact added elsewhere is counted at the next daily count.
    account.add_contact(uid, "31610009999")
    await advance(hass, freezer, 12 * 3600, background=True)
    assert hass.states.get("sensor.ada_lovelace_neighbours_contacts").state == "2"
    await advance(hass, freezer, 12 * 3600, background=True)
    assert hass.states.get("sensor.ada_lovelace_neighbours_contacts").state == "3"


async def test_deleted_contact_group_loses_its_sensor(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
) -> None:
    family_sensor = "sensor.ada_lovelace_family_contacts"
    assert hass.states.get(family_sensor).state == "3"

    del account.state.groups[family]
    await advance(hass, freezer, 24 * 3600, background=True)

    assert entity_registry.async_get(family_sensor) is None
    assert hass.states.get(family_sensor) is None


async def test_group_deleted_while_stopped_loses_its_sensor_at_start(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    mock_config_entry.add_to_hass(hass)
    gone = entity_registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{ACCOUNT_UID}_group_0badc0ffee000",
        config_entry=mock_config_entry,
        suggested_object_id="ada_lovelace_old_group_contacts",
    )
    kept = entity_registry.async_get_or_create(
        "sensor", DOMAIN, f"{ACCOUNT_UID}_balance", config_entry=mock_config_entry
    )

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert entity_registry.async_get(gone.entity_id) is None
    assert entity_registry.async_get(kept.entity_id) is not None
    assert hass.states.get("sensor.ada_lovelace_family_contacts").state == "3"


async def test_queued_messages_starts_empty(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    sensor = hass.states.get("sensor.ada_lovelace_queued_messages")

    assert sensor.state == "0"
    assert sensor.attributes["retrying"] == 0
    assert sensor.attributes["scheduled"] == 0


async def test_sensors_go_unavailable_and_recover(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await account.refuse_connections()
    await advance(hass, freezer, 15 * 60, background=True)

    assert hass.states.get(BALANCE).state == STATE_UNAVAILABLE
    assert hass.states.get("sensor.ada_lovelace_family_contacts").state == (
        STATE_UNAVAILABLE
    )
    # The outbox is local: its count stays readable.
    assert hass.states.get("sensor.ada_lovelace_queued_messages").state == "0"

    account.state.balance = Decimal("99.00")
    await account.accept_connections()
    await advance(hass, freezer, 15 * 60, background=True)

    assert hass.states.get(BALANCE).state == "99.00"
    assert hass.states.get("sensor.ada_lovelace_family_contacts").state == "3"
