"""The config flow: adding an account, reauth, reconfigure, options, recipients."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import (
    SOURCE_USER,
    ConfigEntryState,
    ConfigSubentry,
)
from homeassistant.const import CONF_API_TOKEN, CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType, InvalidData
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
import voluptuous as vol

from custom_components.textboost.const import (
    CONF_ADVANCED,
    CONF_BASE_URL,
    CONF_LOW_BALANCE,
    CONF_MAX_SEGMENTS,
    CONF_NOTIFY_SERVICE,
    CONF_PHONE,
    CONF_QUEUE_TTL,
    CONF_SCAN_INTERVAL,
    CONF_SENDER_ID,
    CONF_VOICE_GENDER,
    CONF_VOICE_LANGUAGE,
    DOMAIN,
    SUBENTRY_RECIPIENT,
)
from sandbox import DEFAULT_TOKEN, Fault, Sandbox
from tests.conftest import ACCOUNT_UID

OTHER_TOKEN = "49|OtherAccountToken0123456789abcdefghij"
ROTATED_TOKEN = "49|RotatedToken0123456789abcdefghijklmnop"
OTHER_UID = "0a1b2c3d4e5f6"


def _user_input(token: str, base_url: str) -> dict[str, Any]:
    return {CONF_API_TOKEN: token, CONF_ADVANCED: {CONF_BASE_URL: base_url}}


def _calls(sandbox: Sandbox) -> list[tuple[str, str]]:
    return [(request.method, request.path) for request in sandbox.requests]


async def _text(hass: HomeAssistant, category: str, key: str) -> str:
    """The English text shown for ``key`` of the integration's ``category``."""
    texts = await async_get_translations(hass, "en", category, [DOMAIN])
    return texts[f"component.{DOMAIN}.{category}.{key}"]


def _suggested(schema: vol.Schema, field: str, in_section: str | None = None) -> Any:
    """The value a form suggests for ``field`` (None when it suggests none)."""
    if in_section is not None:
        schema = schema.schema[in_section].schema
    for marker in schema.schema:
        if marker == field:
            return (marker.description or {}).get("suggested_value")
    raise AssertionError(f"{field} is not in the form")


async def _start_user_flow(hass: HomeAssistant) -> FlowResult:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return result


# Adding an account


async def test_user_step_creates_the_account(
    hass: HomeAssistant, account: Sandbox
) -> None:
    result = await _start_user_flow(hass)

    # What a user pastes: the token with stray blanks, the host without the API path.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(f"  {DEFAULT_TOKEN} ", account.root_url)
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Ada Lovelace"
    assert result["data"] == {
        CONF_API_TOKEN: DEFAULT_TOKEN,
        CONF_BASE_URL: account.base_url,
        CONF_NOTIFY_SERVICE: "textboost_sms",
    }
    assert result["result"].unique_id == ACCOUNT_UID
    # The flow checked the token and read the balance before creating the entry.
    assert _calls(account)[:2] == [("GET", "me"), ("GET", "balance")]
    # The entry is set up and the balance shows.
    assert result["result"].state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.ada_lovelace_balance").state == "1234.50"
    assert hass.services.has_service("notify", "textboost_sms")


async def test_form_defaults_to_the_textboost_api(
    hass: HomeAssistant, account: Sandbox
) -> None:
    result = await _start_user_flow(hass)

    schema = result["data_schema"]({CONF_API_TOKEN: DEFAULT_TOKEN, CONF_ADVANCED: {}})

    assert schema[CONF_ADVANCED] == {
        CONF_BASE_URL: "https://www.textboostsms.com/api/v3/"
    }
    assert account.requests == []


async def test_title_falls_back_to_the_email(
    hass: HomeAssistant, account: Sandbox
) -> None:
    account.state.profile.first_name = ""
    account.state.profile.last_name = ""
    result = await _start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(DEFAULT_TOKEN, account.base_url)
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "ada@example.com"


async def test_second_account_gets_its_own_notify_service(
    hass: HomeAssistant, account: Sandbox
) -> None:
    MockConfigEntry(
        domain=DOMAIN,
        title="Charles Babbage",
        unique_id=OTHER_UID,
        data={
            CONF_API_TOKEN: OTHER_TOKEN,
            CONF_BASE_URL: account.base_url,
            CONF_NOTIFY_SERVICE: "textboost_sms",
        },
    ).add_to_hass(hass)
    result = await _start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(DEFAULT_TOKEN, account.base_url)
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_NOTIFY_SERVICE] == "textboost_sms_ada_lovelace"
    assert hass.services.has_service("notify", "textboost_sms_ada_lovelace")


async def test_namesakes_get_distinct_notify_services(
    hass: HomeAssistant, account: Sandbox
) -> None:
    for uid, service in (
        (OTHER_UID, "textboost_sms"),
        ("0f0f0f0f0f0f0", "textboost_sms_ada_lovelace"),
    ):
        MockConfigEntry(
            domain=DOMAIN,
            title="Ada Lovelace",
            unique_id=uid,
            data={
                CONF_API_TOKEN: OTHER_TOKEN,
                CONF_BASE_URL: account.base_url,
                CONF_NOTIFY_SERVICE: service,
            },
        ).add_to_hass(hass)
    result = await _start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(DEFAULT_TOKEN, account.base_url)
    )
    await hass.async_block_till_done()

    assert result["data"][CONF_NOTIFY_SERVICE] == f"textboost_sms_{ACCOUNT_UID}"


async def _wrong_token(sandbox: Sandbox) -> str:
    return OTHER_TOKEN


async def _refused(sandbox: Sandbox) -> str:
    await sandbox.refuse_connections()
    return DEFAULT_TOKEN


async def _html_500(sandbox: Sandbox) -> str:
    sandbox.inject(Fault.HTTP_500_HTML, path="me")
    return DEFAULT_TOKEN


@pytest.mark.parametrize(
    ("fault", "error", "text", "calls"),
    [
        (
            _wrong_token,
            "invalid_auth",
            "TextBoost refused the API token.",
            [("GET", "me")],
        ),
        (
            _refused,
            "cannot_connect",
            "Could not connect to this address, or it did not answer in time.",
            [],
        ),
        (
            # an outage, not a wrong address (issue 12)
            _html_500,
            "service_unavailable",
            "TextBoost is unavailable at the moment",
            [("GET", "me")],
        ),
    ],
    ids=["wrong_token", "connection_refused", "html_500"],
)
async def test_user_step_error_then_recovery(
    hass: HomeAssistant,
    account: Sandbox,
    fault: Any,
    error: str,
    text: str,
    calls: list[tuple[str, str]],
) -> None:
    token = await fault(account)
    result = await _start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(token, account.base_url)
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    assert (await _text(hass, "config", f"error.{error}")).startswith(text)
    assert _calls(account) == calls
    # The address the user typed stays in the form; a new form starts afresh.
    assert (
        _suggested(result["data_schema"], CONF_BASE_URL, CONF_ADVANCED)
        == account.base_url
    )
    fresh = await _start_user_flow(hass)
    assert _suggested(fresh["data_schema"], CONF_BASE_URL, CONF_ADVANCED) is None
    hass.config_entries.flow.async_abort(fresh["flow_id"])

    # The user fixes the problem and submits again.
    await account.accept_connections()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(DEFAULT_TOKEN, account.base_url)
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == ACCOUNT_UID


@pytest.mark.parametrize(
    "base_url",
    [
        "http://example.com/api/v3/",
        "ftp://127.0.0.1/api/v3/",
        "https://user:secret@www.textboostsms.com/api/v3/",
    ],
    ids=["plain_http_to_a_remote_host", "ftp", "credentials_in_the_url"],
)
async def test_user_step_refuses_an_unusable_url(
    hass: HomeAssistant, account: Sandbox, base_url: str
) -> None:
    result = await _start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(DEFAULT_TOKEN, base_url)
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_url"}
    assert "https://" in await _text(hass, "config", "error.invalid_url")
    assert account.requests == []  # nothing was sent anywhere

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(DEFAULT_TOKEN, account.base_url)
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_step_unexpected_error_is_logged_without_the_token(
    hass: HomeAssistant, account: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    result = await _start_user_flow(hass)

    with patch(
        "custom_components.textboost.config_flow.TextBoostClient.me",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _user_input(DEFAULT_TOKEN, account.base_url)
        )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
    assert "Home Assistant log" in await _text(hass, "config", "error.unknown")
    [record] = [
        r for r in caplog.records if r.name == "custom_components.textboost.config_flow"
    ]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert record.exc_info[0] is RuntimeError
    assert "RuntimeError: boom" in caplog.text
    assert DEFAULT_TOKEN not in caplog.text

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(DEFAULT_TOKEN, account.base_url)
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_step_aborts_for_an_account_already_set_up(
    hass: HomeAssistant, account: Sandbox, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    original = dict(mock_config_entry.data)
    result = await _start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(DEFAULT_TOKEN, account.root_url)
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert "already set up" in await _text(hass, "config", "abort.already_configured")
    assert dict(mock_config_entry.data) == original
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


# Reauth


async def test_reauth_takes_a_new_token_and_reloads(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    account.token = ROTATED_TOKEN  # the old token was revoked
    result = await entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["account"] == "Ada Lovelace"
    account.clear_requests()

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_TOKEN: ROTATED_TOKEN}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_TOKEN] == ROTATED_TOKEN
    assert entry.data[CONF_BASE_URL] == account.base_url
    assert entry.state is ConfigEntryState.LOADED
    # Checked by the flow, then read again by the reloaded entry.
    assert _calls(account).count(("GET", "me")) == 2
    assert hass.states.get("sensor.ada_lovelace_balance").state == "1234.50"


async def test_reauth_refuses_a_token_of_another_account(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    account.state.profile.uid = OTHER_UID
    result = await entry.start_reauth_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_TOKEN: DEFAULT_TOKEN}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "account_mismatch"
    assert "another TextBoost account" in await _text(
        hass, "config", "abort.account_mismatch"
    )
    assert entry.unique_id == ACCOUNT_UID


async def test_reauth_shows_an_error_and_recovers(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    account.token = ROTATED_TOKEN
    result = await entry.start_reauth_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_TOKEN: OTHER_TOKEN}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {"base": "invalid_auth"}
    assert entry.data[CONF_API_TOKEN] == DEFAULT_TOKEN

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_TOKEN: ROTATED_TOKEN}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_TOKEN] == ROTATED_TOKEN


async def test_reauth_with_the_same_token_restarts_the_refreshes(
    hass: HomeAssistant,
    account: Sandbox,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = init_integration
    account.token = ROTATED_TOKEN  # the token is refused for a while
    freezer.tick(timedelta(minutes=15))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get("sensor.ada_lovelace_balance").state == "unavailable"
    [flow] = entry.async_get_active_flows(hass, {"reauth"})
    account.token = DEFAULT_TOKEN  # and accepted again

    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_API_TOKEN: DEFAULT_TOKEN}
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    # Refreshes stop after an authentication failure: the entry was reloaded.
    assert hass.states.get("sensor.ada_lovelace_balance").state == "1234.50"


async def test_reauth_of_an_entry_that_failed_to_set_up_loads_it(
    hass: HomeAssistant, account: Sandbox, mock_config_entry: MockConfigEntry
) -> None:
    account.token = ROTATED_TOKEN
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    [flow] = mock_config_entry.async_get_active_flows(hass, {"reauth"})

    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_API_TOKEN: ROTATED_TOKEN}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.ada_lovelace_balance").state == "1234.50"


# Reconfigure


async def test_reconfigure_moves_to_a_new_address(
    hass: HomeAssistant,
    account: Sandbox,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    entry = init_integration
    # The provider moved: the same account answers at another address.
    moved = Sandbox()
    moved.state = account.state
    await moved.start(host="127.0.0.1", port=0)
    try:
        result = await entry.start_reconfigure_flow(hass)
        assert result["type"] is FlowResultType.FORM
        assert result["step_id"] == "reconfigure"
        assert _suggested(result["data_schema"], CONF_BASE_URL) == account.base_url
        # The stored token is never sent back to the browser.
        assert _suggested(result["data_schema"], CONF_API_TOKEN) is None

        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_BASE_URL: moved.root_url, CONF_API_TOKEN: DEFAULT_TOKEN},
        )
        await hass.async_block_till_done()

        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "reconfigure_successful"
        assert entry.data == {
            CONF_API_TOKEN: DEFAULT_TOKEN,
            CONF_BASE_URL: moved.base_url,
            CONF_NOTIFY_SERVICE: "textboost_sms",
        }
        assert entry.state is ConfigEntryState.LOADED
        # Checked by the flow, then read by the reloaded entry: all at the new address.
        assert _calls(moved)[:5] == [
            ("GET", "me"),
            ("GET", "balance"),
            ("GET", "me"),
            ("GET", "balance"),
            ("GET", "contacts"),
        ]
        [device] = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
        assert device.configuration_url == f"{moved.root_url}/"
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await moved.close()


async def test_reconfigure_refuses_another_account(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    account.state.profile.uid = OTHER_UID
    result = await entry.start_reconfigure_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_BASE_URL: account.base_url, CONF_API_TOKEN: DEFAULT_TOKEN},
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "account_mismatch"
    assert entry.data[CONF_BASE_URL] == account.base_url


async def test_reconfigure_shows_an_error_and_keeps_the_input(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    result = await entry.start_reconfigure_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_BASE_URL: "http://example.com", CONF_API_TOKEN: DEFAULT_TOKEN},
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_url"}
    assert _suggested(result["data_schema"], CONF_BASE_URL) == "http://example.com"
    assert entry.data[CONF_BASE_URL] == account.base_url


async def test_reconfigure_of_an_entry_waiting_to_retry_loads_it(
    hass: HomeAssistant, account: Sandbox, mock_config_entry: MockConfigEntry
) -> None:
    account.inject(Fault.HTTP_500_HTML, path="me")
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    result = await mock_config_entry.start_reconfigure_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_BASE_URL: account.base_url, CONF_API_TOKEN: DEFAULT_TOKEN},
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.state is ConfigEntryState.LOADED


# Options

OPTIONS = {
    CONF_SENDER_ID: "AdaAlerts",
    CONF_VOICE_LANGUAGE: "nl-nl",
    CONF_VOICE_GENDER: "male",
    CONF_SCAN_INTERVAL: 30,
    CONF_LOW_BALANCE: 25.5,
    CONF_MAX_SEGMENTS: 3,
    CONF_QUEUE_TTL: 120,
}


async def test_options_are_saved_and_applied(
    hass: HomeAssistant,
    account: Sandbox,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = init_integration
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**OPTIONS, CONF_SENDER_ID: " AdaAlerts "}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == OPTIONS
    # The entry was reloaded with the new options.
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.account.update_interval == timedelta(minutes=30)
    low = hass.states.get("binary_sensor.ada_lovelace_low_balance")
    assert low.attributes["threshold"] == 25.5

    # The balance is now read every 30 minutes, not every 15.
    account.clear_requests()
    freezer.tick(timedelta(minutes=16))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert account.requests_to("balance") == []
    freezer.tick(timedelta(minutes=15))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(account.requests_to("balance")) == 1


@pytest.mark.parametrize("entry_options", [OPTIONS])
async def test_options_form_shows_the_current_options(
    hass: HomeAssistant, account: Sandbox, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)

    for field, value in OPTIONS.items():
        assert _suggested(result["data_schema"], field) == value


async def test_options_refuse_an_invalid_sender_id(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    result = await hass.config_entries.options.async_init(entry.entry_id)

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**OPTIONS, CONF_SENDER_ID: "Far too long a sender"}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_SENDER_ID: "invalid_sender_id"}
    assert "up to 11 letters and digits" in await _text(
        hass, "options", "error.invalid_sender_id"
    )
    assert entry.options == {}
    assert _suggested(result["data_schema"], CONF_SENDER_ID) == "Far too long a sender"

    # An empty sender ID means the account's default.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**OPTIONS, CONF_SENDER_ID: "  "}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_SENDER_ID not in entry.options
    assert entry.options[CONF_SCAN_INTERVAL] == 30


async def test_options_refuse_an_interval_under_five_minutes(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)

    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {**OPTIONS, CONF_SCAN_INTERVAL: 4}
        )

    assert init_integration.options == {}


# Recipients (config subentries)


async def _start_recipient_flow(
    hass: HomeAssistant, entry: MockConfigEntry
) -> FlowResult:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_RECIPIENT), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return result


async def test_recipient_becomes_a_notify_entity(
    hass: HomeAssistant,
    account: Sandbox,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    entry = init_integration
    result = await _start_recipient_flow(hass, entry)

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: " Grace ", CONF_PHONE: "+31 6 1234 5678"}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    [subentry] = entry.subentries.values()
    assert subentry.subentry_type == SUBENTRY_RECIPIENT
    assert subentry.title == "Grace"
    assert subentry.unique_id == "31612345678"
    assert dict(subentry.data) == {CONF_PHONE: "31612345678"}
    # The entry was reloaded with a notify entity for the recipient.
    [notify_entity] = [
        registry_entry
        for registry_entry in er.async_entries_for_config_entry(
            entity_registry, entry.entry_id
        )
        if registry_entry.config_subentry_id == subentry.subentry_id
    ]
    assert notify_entity.domain == "notify"
    state = hass.states.get(notify_entity.entity_id)
    assert state is not None
    assert "Grace" in state.attributes["friendly_name"]


async def test_recipient_number_already_saved_aborts(
    hass: HomeAssistant, account: Sandbox, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_add_subentry(
        mock_config_entry,
        ConfigSubentry(
            data={CONF_PHONE: "31612345678"},
            subentry_type=SUBENTRY_RECIPIENT,
            title="Grace",
            unique_id="31612345678",
        ),
    )
    result = await _start_recipient_flow(hass, mock_config_entry)

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "Grace again", CONF_PHONE: "0031 6 1234 5678"}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(mock_config_entry.subentries) == 1


async def test_recipient_invalid_number_shows_an_error(
    hass: HomeAssistant, account: Sandbox, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await _start_recipient_flow(hass, mock_config_entry)

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "Grace", CONF_PHONE: "12-ab"}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PHONE: "invalid_phone"}
    assert "7 to 15 digits" in await _text(
        hass, "config_subentries", "recipient.error.invalid_phone"
    )

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "  ", CONF_PHONE: "+44 20 7946 0000"}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    [subentry] = mock_config_entry.subentries.values()
    # Without a name, the number names the recipient.
    assert subentry.title == "442079460000"
