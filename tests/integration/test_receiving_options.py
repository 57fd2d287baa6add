"""Turning receiving on in the options, the URL shown there, and restarts."""

from __future__ import annotations

from datetime import timedelta
import json
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.textboost.const import (
    CONF_RECEIVING,
    CONF_WEBHOOK_ID,
    DOMAIN,
    EVENT_MESSAGE_RECEIVED,
)
from sandbox import Sandbox
from tests.helpers import SecretGuard

from .receiving import WEBHOOK_ID, receiving_options, text_the_house

ENTITY = "event.ada_lovelace_incoming_message"


def _receiving_of(entry: MockConfigEntry) -> dict[str, Any]:
    """The receiving options of an entry and its webhook id."""
    return {
        key: entry.options[key]
        for key in (CONF_RECEIVING, CONF_WEBHOOK_ID)
        if key in entry.options
    }


def _receiving(mode: str, **changes: Any) -> dict[str, Any]:
    section = {
        "mode": mode,
        "verify": True,
        "poll_interval": 5,
        "keywords": [],
        "accept_from": "anyone",
    }
    return {**section, **changes}


async def _open_options(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "init"
    return str(result["flow_id"])


async def test_turning_the_webhook_on_shows_the_url_to_paste(
    hass: HomeAssistant, init_integration: MockConfigEntry, account: Sandbox
) -> None:
    await hass.config.async_update(external_url="https://home.example.org")
    flow_id = await _open_options(hass, init_integration)

    result = await hass.config_entries.options.async_configure(
        flow_id, {CONF_RECEIVING: _receiving("webhook", keywords=[" OK ", "ok", ""])}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "receive_webhook"
    url = result["description_placeholders"]["url"]
    assert url.startswith("https://home.example.org/api/webhook/")
    webhook_id = url.rsplit("/", 1)[1]
    texts = await async_get_translations(hass, "en", "options", [DOMAIN])
    description = texts[f"component.{DOMAIN}.options.step.receive_webhook.description"]
    assert "Developers" in description
    assert "{url}" in description

    result = await hass.config_entries.options.async_configure(
        flow_id, {"regenerate": False}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert _receiving_of(init_integration) == {
        CONF_RECEIVING: _receiving("webhook", keywords=["OK"]),
        CONF_WEBHOOK_ID: webhook_id,
    }
    # Reloaded: the entity is there and the webhook listens.
    assert hass.states.get(ENTITY) is not None
    assert webhook_id in hass.data["webhook"]


@pytest.mark.parametrize("entry_options", [receiving_options("webhook")])
async def test_the_options_keep_the_url_and_can_replace_it(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    flow_id = await _open_options(hass, init_integration)
    result = await hass.config_entries.options.async_configure(
        flow_id, {CONF_RECEIVING: _receiving("both")}
    )
    assert result["description_placeholders"]["url"].endswith(WEBHOOK_ID)

    result = await hass.config_entries.options.async_configure(
        flow_id, {"regenerate": True}
    )
    assert result["step_id"] == "receive_webhook"
    new_url = result["description_placeholders"]["url"]
    assert not new_url.endswith(WEBHOOK_ID)

    result = await hass.config_entries.options.async_configure(
        flow_id, {"regenerate": False}
    )
    await hass.async_block_till_done()
    assert new_url.endswith(init_integration.options[CONF_WEBHOOK_ID])


@pytest.mark.parametrize("entry_options", [receiving_options("webhook")])
async def test_turning_receiving_off_keeps_the_webhook_id_for_later(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    flow_id = await _open_options(hass, init_integration)

    result = await hass.config_entries.options.async_configure(
        flow_id, {CONF_RECEIVING: _receiving("off")}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Only what differs from "off" is kept: here, nothing but the id.
    assert _receiving_of(init_integration) == {CONF_WEBHOOK_ID: WEBHOOK_ID}
    assert hass.states.get(ENTITY) is None
    assert WEBHOOK_ID not in hass.data.get("webhook", {})


async def test_polling_needs_no_url(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    flow_id = await _open_options(hass, init_integration)

    result = await hass.config_entries.options.async_configure(
        flow_id, {CONF_RECEIVING: _receiving("polling", poll_interval=2)}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert _receiving_of(init_integration) == {
        CONF_RECEIVING: _receiving("polling", poll_interval=2)
    }
    assert hass.data.get("webhook", {}) == {}


async def test_a_keyword_of_two_words_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    flow_id = await _open_options(hass, init_integration)

    result = await hass.config_entries.options.async_configure(
        flow_id, {CONF_RECEIVING: _receiving("polling", keywords=["heat on"])}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_RECEIVING: "invalid_keyword"}
    assert init_integration.options == {}


@pytest.mark.parametrize(
    "entry_options", [receiving_options("polling", keywords=["OK"])]
)
async def test_the_form_shows_the_receiving_options(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)

    section = result["data_schema"].schema[CONF_RECEIVING].schema
    suggested = {
        str(marker): (marker.description or {}).get("suggested_value")
        for marker in section.schema
    }
    assert suggested == _receiving("polling", keywords=["OK"])


# Restarts


@pytest.mark.parametrize("entry_options", [receiving_options("polling")])
async def test_polling_picks_up_after_a_restart_where_it_stopped(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    first = await text_the_house(account, "Before the restart")
    freezer.tick(timedelta(minutes=5))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert [e.data["message_id"] for e in events] == [first]

    await hass.config_entries.async_unload(init_integration.entry_id)
    freezer.tick(timedelta(hours=2))
    second = await text_the_house(account, "While Home Assistant was stopped")
    freezer.tick(timedelta(minutes=1))
    await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    freezer.tick(timedelta(minutes=5))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert [e.data["message_id"] for e in events] == [first, second]


@pytest.mark.parametrize("entry_options", [receiving_options("webhook")])
async def test_the_webhook_stops_with_the_entry(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    assert WEBHOOK_ID in hass.data["webhook"]

    await hass.config_entries.async_unload(init_integration.entry_id)

    assert WEBHOOK_ID not in hass.data["webhook"]


@pytest.mark.parametrize("entry_options", [receiving_options("both")])
async def test_diagnostics_hide_the_webhook_id_and_count_what_came_in(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )

    assert WEBHOOK_ID not in json.dumps(diagnostics)
    assert diagnostics["entry"]["options"][CONF_WEBHOOK_ID] == "**REDACTED**"
    assert diagnostics["receiving"] == {
        "mode": "both",
        "verify": True,
        "accept_from": "anyone",
        "keywords": 0,
        "waiting": 0,
        "seen": 0,
        "cursor": diagnostics["receiving"]["cursor"],
        "paused_until": None,
        "counts": {},
    }


async def test_the_log_guard_catches_a_webhook_id(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    secret_guard: SecretGuard,
) -> None:
    flow_id = await _open_options(hass, init_integration)
    result = await hass.config_entries.options.async_configure(
        flow_id, {CONF_RECEIVING: _receiving("webhook")}
    )
    made = result["description_placeholders"]["url"].rsplit("/", 1)[1]

    for secret in (WEBHOOK_ID, made):
        logging.getLogger("custom_components.textboost").debug("id %s", secret)
        assert secret_guard.leaks()
        secret_guard.records.pop()
    # Home Assistant's own request log is left to the user (README, privacy).
    logging.getLogger("aiohttp.access").info("POST /api/webhook/%s", WEBHOOK_ID)
    assert not secret_guard.leaks()
