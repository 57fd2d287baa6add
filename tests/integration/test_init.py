"""Setting the account up, watching it, and unloading it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.textboost.const import (
    CONF_LOW_BALANCE,
    DOMAIN,
    MANUFACTURER,
    MODEL,
)
from sandbox import Fault, Sandbox
from tests.helpers import ACCOUNT_UID, advance

ROTATED_TOKEN = "49|RotatedToken0123456789abcdefghijklmnop"
BALANCE = "sensor.ada_lovelace_balance"
LOW_BALANCE = "binary_sensor.ada_lovelace_low_balance"
FAMILY = "sensor.ada_lovelace_family_contacts"
#: Entities fed by the account's coordinators: they follow the server's health.
POLLED = (
    BALANCE,
    "sensor.ada_lovelace_plan_expiry",
    "sensor.ada_lovelace_account_name",
    LOW_BALANCE,
    FAMILY,
)
INTEGRATION_LOGGER = "custom_components.textboost"


@pytest.fixture
def family(account: Sandbox) -> str:
    """A contact group that exists before the account is set up."""
    return account.add_group("Family", contacts=3)


def _reauth_flows(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    return [
        flow["context"]["entry_id"]
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_REAUTH
    ]


async def _refuse(sandbox: Sandbox) -> None:
    await sandbox.refuse_connections()


async def _html_500(sandbox: Sandbox) -> None:
    sandbox.inject(Fault.HTTP_500_HTML, count=10, path="me")


async def _throttled(sandbox: Sandbox) -> None:
    sandbox.inject(Fault.HTTP_429, count=10, path="me")


FAULTS = pytest.mark.parametrize(
    ("fault", "message"),
    [
        (_refuse, "Cannot reach TextBoost."),
        (_html_500, "TextBoost is unavailable at the moment"),
        (_throttled, "TextBoost is limiting requests right now."),
    ],
    ids=["connection_refused", "html_500", "http_429"],
)


# Setting up


@FAULTS
async def test_setup_retries_while_the_server_fails(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    fault: Callable[[Sandbox], Awaitable[None]],
    message: str,
) -> None:
    await fault(account)
    mock_config_entry.add_to_hass(hass)

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    assert mock_config_entry.reason is not None
    assert mock_config_entry.reason.startswith(message)
    assert hass.states.get(BALANCE) is None
    assert _reauth_flows(hass, mock_config_entry) == []

    # Home Assistant tries again by itself, and the account loads.
    await account.accept_connections()
    account.clear_faults()
    await advance(hass, freezer, 1 * 60, background=True)

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert hass.states.get(BALANCE).state == "1234.50"


async def test_setup_asks_for_a_new_token_when_it_is_refused(
    hass: HomeAssistant, account: Sandbox, mock_config_entry: MockConfigEntry
) -> None:
    account.token = ROTATED_TOKEN  # the stored token was revoked
    mock_config_entry.add_to_hass(hass)

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    assert mock_config_entry.reason is not None
    assert "refused the API token" in mock_config_entry.reason
    assert _reauth_flows(hass, mock_config_entry) == [mock_config_entry.entry_id]
    # The server answered "Unauthenticated." to the first request; nothing else was tried.
    assert [(r.method, r.path) for r in account.requests] == [("GET", "me")]


async def test_token_refused_during_a_refresh_asks_for_a_new_one(
    hass: HomeAssistant,
    account: Sandbox,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    assert _reauth_flows(hass, init_integration) == []
    account.token = ROTATED_TOKEN

    await advance(hass, freezer, 15 * 60, background=True)

    assert _reauth_flows(hass, init_integration) == [init_integration.entry_id]
    assert init_integration.state is ConfigEntryState.LOADED
    assert hass.states.get(BALANCE).state == STATE_UNAVAILABLE


async def test_contact_group_refresh_refused_asks_for_a_new_token(
    hass: HomeAssistant,
    account: Sandbox,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    # The account reads fine, then the groups read is refused.
    account.inject(Fault.UNAUTHENTICATED, path="contacts")

    await advance(hass, freezer, 24 * 3600, background=True)

    assert _reauth_flows(hass, init_integration) == [init_integration.entry_id]


@pytest.mark.parametrize("entry_options", [{CONF_LOW_BALANCE: 5000}])
async def test_unload_removes_what_the_account_added(
    hass: HomeAssistant,
    account: Sandbox,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    entry = init_integration
    issue_id = f"low_balance_{entry.entry_id}"
    assert hass.services.has_service("notify", "textboost_sms")
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.NOT_LOADED
    assert not hass.services.has_service("notify", "textboost_sms")
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert hass.states.get(BALANCE).state == STATE_UNAVAILABLE
    # The actions stay: they belong to the integration, not to one account.
    assert hass.services.has_service(DOMAIN, "send_sms")


async def test_account_is_one_service_device(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    [device] = dr.async_entries_for_config_entry(
        device_registry, init_integration.entry_id
    )

    assert device.identifiers == {(DOMAIN, ACCOUNT_UID)}
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert device.manufacturer == MANUFACTURER
    assert device.model == MODEL
    assert device.name == "Ada Lovelace"
    assert device.configuration_url == f"{account.root_url}/"
    entities = er.async_entries_for_config_entry(
        entity_registry, init_integration.entry_id
    )
    assert entities
    for entity in entities:
        assert entity.device_id == device.id
        assert entity.has_entity_name
        assert entity.unique_id.startswith(f"{ACCOUNT_UID}_")


# Watching the account


@FAULTS
async def test_outage_makes_entities_unavailable_and_is_logged_once(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    fault: Callable[[Sandbox], Awaitable[None]],
    message: str,
) -> None:
    for entity_id in POLLED:
        assert hass.states.get(entity_id).state != STATE_UNAVAILABLE
    caplog.clear()
    await fault(account)

    # Four failed refreshes of the account, past the time the groups are due.
    for _ in range(4):
        await advance(hass, freezer, 15 * 60, background=True)
        for entity_id in POLLED:
            assert hass.states.get(entity_id).state == STATE_UNAVAILABLE, entity_id

    await account.accept_connections()
    account.clear_faults()
    await advance(hass, freezer, 15 * 60, background=True)

    for entity_id in POLLED:
        assert hass.states.get(entity_id).state != STATE_UNAVAILABLE, entity_id
    assert hass.states.get(BALANCE).state == "1234.50"
    assert hass.states.get(FAMILY).state == "3"
    records = [r for r in caplog.records if r.name.startswith(INTEGRATION_LOGGER)]
    [outage] = [r for r in records if r.levelno >= logging.WARNING]
    assert message in outage.getMessage()
    [recovered] = [r for r in records if "recovered" in r.getMessage()]
    assert recovered.levelno == logging.INFO
    assert records.index(outage) < records.index(recovered)
    assert _reauth_flows(hass, init_integration) == []


async def test_groups_are_read_with_the_account_once_a_day(
    hass: HomeAssistant,
    account: Sandbox,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    account.clear_requests()

    await advance(hass, freezer, 15 * 60, background=True)
    assert [(r.method, r.path) for r in account.requests] == [
        ("GET", "me"),
        ("GET", "balance"),
    ]

    account.clear_requests()
    await advance(hass, freezer, 24 * 3600 - 15 * 60, background=True)
    assert [(r.method, r.path) for r in account.requests] == [
        ("GET", "me"),
        ("GET", "balance"),
        ("GET", "contacts"),
    ]


async def test_failed_groups_read_is_retried_at_the_next_account_read(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The account answers; only the groups read fails, once.
    account.inject(Fault.HTTP_500_HTML, path="contacts")

    await advance(hass, freezer, 24 * 3600, background=True)

    assert hass.states.get(FAMILY).state == STATE_UNAVAILABLE
    assert hass.states.get(BALANCE).state == "1234.50"
    [failure] = [
        r
        for r in caplog.records
        if r.name.startswith(INTEGRATION_LOGGER) and r.levelno >= logging.WARNING
    ]
    assert "contact groups" in failure.getMessage()

    account.clear_requests()
    await advance(hass, freezer, 15 * 60, background=True)

    assert [(r.method, r.path) for r in account.requests] == [
        ("GET", "me"),
        ("GET", "balance"),
        ("GET", "contacts"),
        ("POST", f"contacts/{family}/all"),
    ]
    assert hass.states.get(FAMILY).state == "3"
