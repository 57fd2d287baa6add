"""The config flow on a user's first day: the sender ID, and changing only the address.

* The first step asks for the default sender ID (optional; the server needs
  one only when the account verifies sender IDs, WIRE-NOTES) and saves it as
  the option "Default sender ID".
* Reconfigure changes the base URL without asking for the token again.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_API_TOKEN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.textboost.const import (
    CONF_ADVANCED,
    CONF_BASE_URL,
    CONF_NOTIFY_SERVICE,
    CONF_SENDER_ID,
    DOMAIN,
)
from sandbox import DEFAULT_TOKEN, Fault, Sandbox
from tests.helpers import NUMBER, OTHER, bodies, send_sms


async def _start(hass: HomeAssistant) -> FlowResult:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    return result


def _field(schema: vol.Schema, name: str) -> Any:
    return next(marker for marker in schema.schema if marker == name)


async def test_first_step_offers_an_optional_sender_id_and_says_when_it_is_needed(
    hass: HomeAssistant,
) -> None:
    result = await _start(hass)

    marker = _field(result["data_schema"], CONF_SENDER_ID)
    assert isinstance(marker, vol.Optional)
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    prefix = f"component.{DOMAIN}.config.step.user"
    assert texts[f"{prefix}.data.sender_id"] == "Default sender ID"
    assert "verifies sender IDs" in texts[f"{prefix}.data_description.sender_id"]


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("  HomeAlarm ", {CONF_SENDER_ID: "HomeAlarm"}),
        ("+31 6 1234 5678", {CONF_SENDER_ID: NUMBER}),
        ("", {}),
    ],
    ids=["alphanumeric", "number", "empty"],
)
async def test_sender_id_of_the_first_step_is_the_default_for_every_send(
    hass: HomeAssistant, account: Sandbox, typed: str, saved: dict[str, str]
) -> None:
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_API_TOKEN: DEFAULT_TOKEN,
            CONF_SENDER_ID: typed,
            CONF_ADVANCED: {CONF_BASE_URL: account.base_url},
        },
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].options == saved
    await send_sms(hass, recipients=[OTHER], message="Hi")
    [body] = bodies(account)
    assert body.get("sender_id") == saved.get(CONF_SENDER_ID)


async def test_a_bad_sender_id_is_named_before_anything_is_sent(
    hass: HomeAssistant, account: Sandbox
) -> None:
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_API_TOKEN: DEFAULT_TOKEN,
            CONF_SENDER_ID: "Home Alarm Twelve",
            CONF_ADVANCED: {CONF_BASE_URL: account.base_url},
        },
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_SENDER_ID: "invalid_sender_id"}
    assert account.requests == []
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    assert texts[f"component.{DOMAIN}.config.error.invalid_sender_id"]


async def test_reconfigure_changes_only_the_base_url_without_the_token(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    moved = Sandbox()
    moved.state = account.state
    await moved.start(host="127.0.0.1", port=0)
    try:
        result = await entry.start_reconfigure_flow(hass)
        assert isinstance(_field(result["data_schema"], CONF_API_TOKEN), vol.Optional)

        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_BASE_URL: moved.root_url}
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
        # the flow checked the kept token at the new address
        assert [(r.method, r.path) for r in moved.requests][:2] == [
            ("GET", "me"),
            ("GET", "balance"),
        ]
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await moved.close()


# Each kind of answer says what is true


PAGE = b"<html><body><h1>Welcome to our shop</h1></body></html>"


@pytest.mark.parametrize(
    ("status", "body", "content_type", "error", "text"),
    [
        (
            500,
            b"<html><body>Server Error</body></html>",
            "text/html",
            "service_unavailable",
            "TextBoost is unavailable at the moment",
        ),
        (
            503,
            b'{"message": "Service Unavailable"}',
            "application/json",
            "service_unavailable",
            "TextBoost is unavailable at the moment",
        ),
        (
            200,
            PAGE,
            "text/html",
            "not_the_api",
            "This address answered, but not as the TextBoost API",
        ),
    ],
    ids=["html-500-outage", "json-503-outage", "web-page-not-the-api"],
)
async def test_each_kind_of_answer_names_its_own_cause(
    hass: HomeAssistant,
    account: Sandbox,
    status: int,
    body: bytes,
    content_type: str,
    error: str,
    text: str,
) -> None:
    account.inject_response(status, body, content_type, path="me")
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_API_TOKEN: DEFAULT_TOKEN,
            CONF_ADVANCED: {CONF_BASE_URL: account.base_url},
        },
    )

    assert result["errors"] == {"base": error}
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    assert texts[f"component.{DOMAIN}.config.error.{error}"].startswith(text)


async def test_reconfigure_during_an_outage_says_so(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    result = await init_integration.start_reconfigure_flow(hass)
    account.inject(Fault.HTTP_500_HTML, path="me")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BASE_URL: account.base_url}
    )
    assert result["errors"] == {"base": "service_unavailable"}


# An account that verifies sender IDs


@pytest.mark.parametrize(
    ("typed", "refused"), [("HomeAlarm", False), ("", True)], ids=["set", "left-empty"]
)
async def test_the_first_step_sender_id_is_what_a_verifying_account_needs(
    hass: HomeAssistant, account: Sandbox, typed: str, refused: bool
) -> None:
    account.sender_id_verification = True
    account.approved_sender_ids = ["HomeAlarm"]
    result = await _start(hass)
    await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_API_TOKEN: DEFAULT_TOKEN,
            CONF_SENDER_ID: typed,
            CONF_ADVANCED: {CONF_BASE_URL: account.base_url},
        },
    )
    await hass.async_block_till_done()

    if not refused:
        await send_sms(hass, recipients=[NUMBER], message="Hi")
        [sent] = account.sent_messages()
        assert sent.sender == "HomeAlarm"
        return
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, recipients=[NUMBER], message="Hi")
    assert caught.value.translation_key == "sender_id_rejected"
    assert "Default sender ID" in str(caught.value)
    assert account.sent_messages() == []
