"""Diagnostics: what a maintainer needs, without secrets or personal data."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
import json
from unittest.mock import patch

from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.matchers import path_type

from custom_components.textboost.const import (
    CONF_LOW_BALANCE,
    CONF_PHONE,
    CONF_SENDER_ID,
    SUBENTRY_RECIPIENT,
)
from sandbox import DEFAULT_TOKEN, Sandbox
from sandbox.state import Group
from tests.conftest import ACCOUNT_UID

#: What `me` echoes as `api_token` when it differs from the token sent.
ECHOED_TOKEN = "49|EchoedByTheServer0123456789abcdefghijk"
RECIPIENT_PHONE = "31612345678"


@pytest.fixture
def without_notify() -> Iterator[None]:
    """Leave the notify platform out: diagnostics do not depend on it."""
    with patch(
        "custom_components.textboost.PLATFORMS",
        [Platform.SENSOR, Platform.BINARY_SENSOR],
    ):
        yield


@pytest.fixture
async def loaded_entry(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    without_notify: None,
) -> AsyncIterator[MockConfigEntry]:
    """An account with a contact group, a saved recipient and options."""
    account.state.groups["5f2b1c3d4e5a6"] = Group("5f2b1c3d4e5a6", "Family")
    account.add_contact("5f2b1c3d4e5a6", "31610000001")
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_add_subentry(
        mock_config_entry,
        ConfigSubentry(
            data={CONF_PHONE: RECIPIENT_PHONE},
            subentry_type=SUBENTRY_RECIPIENT,
            title="Grace Hopper",
            unique_id=RECIPIENT_PHONE,
        ),
    )
    hass.config_entries.async_update_entry(
        mock_config_entry,
        options={CONF_SENDER_ID: "AdaAlerts", CONF_LOW_BALANCE: 2000},
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    yield mock_config_entry
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    account: Sandbox,
    loaded_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, loaded_entry
    )

    # The sandbox listens on a free port, and stamps the time of each request.
    assert diagnostics["entry"]["data"]["base_url"] == account.base_url
    assert diagnostics == snapshot(
        matcher=path_type(
            {
                "entry.data.base_url": (str,),
                "account.profile.last_access_at": (str,),
                "guard_rails.day": (str,),
            }
        )
    )


@pytest.fixture
def echoing_account(account: Sandbox) -> Sandbox:
    """A server whose `me` echoes a token other than the one sent."""
    account.inject_response(
        200,
        json.dumps(
            {
                "status": "success",
                "message": None,
                "data": {
                    "uid": ACCOUNT_UID,
                    "api_token": ECHOED_TOKEN,
                    "first_name": "Ada",
                    "last_name": "Lovelace",
                    "email": "ada@example.com",
                    "locale": "en",
                    "timezone": "Asia/Dhaka",
                },
            }
        ).encode(),
        "application/json",
        path="me",
    )
    return account


async def test_diagnostics_hold_no_token_and_no_personal_data(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    echoing_account: Sandbox,
    loaded_entry: MockConfigEntry,
    secrets: set[str],
) -> None:
    mock_config_entry = loaded_entry
    # The suite's guard also looks for the echoed token in the log.
    secrets.add(ECHOED_TOKEN)
    # The entry was set up from the echoing answer.
    assert echoing_account.requests_to("me")[0].fault is not None

    text = json.dumps(
        await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    )

    for secret in (
        DEFAULT_TOKEN,
        ECHOED_TOKEN,
        "ada@example.com",
        "Lovelace",
        RECIPIENT_PHONE,
        "Grace Hopper",
        ACCOUNT_UID,
    ):
        assert secret not in text, secret
    # What a maintainer needs is still there.
    diagnostics = json.loads(text)
    assert diagnostics["account"]["balance"]["amount"] == "1234.50"
    assert diagnostics["account"]["low_balance"] is True
    assert diagnostics["entry"]["options"][CONF_SENDER_ID] == "AdaAlerts"
    assert diagnostics["groups"] == {
        "last_update_success": True,
        "count": 1,
        "contacts": 1,
    }
