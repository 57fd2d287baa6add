"""Bad input to the sending actions: a translated error, and nothing sent."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.const import CONF_API_TOKEN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.textboost import services
from custom_components.textboost.const import (
    CONF_BASE_URL,
    CONF_NOTIFY_SERVICE,
    DOMAIN,
)
from sandbox import Sandbox
from tests.helpers import INTEGRATION, NUMBER, STRINGS, translated

SENDING_ACTIONS = ("send_sms", "send_voice", "send_mms")
MESSAGE_ACTIONS = (*SENDING_ACTIONS, "get_message", "list_messages")


async def call(hass: HomeAssistant, action: str, data: dict[str, Any]) -> None:
    """Call an action of the integration and wait for it."""
    await hass.services.async_call(
        DOMAIN, action, data, blocking=True, return_response=True
    )


@pytest.mark.parametrize(
    ("action", "data", "key", "placeholders"),
    [
        pytest.param(
            "send_sms",
            {"recipients": ["+31 6 1234 5678", "12", "call me"], "message": "Hi"},
            "invalid_recipients",
            {"recipients": "12, call me"},
            id="bad-numbers-each-named",
        ),
        pytest.param(
            "send_voice",
            {"recipients": "+31 6 1234 5678, 0800-CALL-ME", "message": "Hi"},
            "invalid_recipients",
            {"recipients": "0800-CALL-ME"},
            id="bad-number-in-a-list-as-text",
        ),
        pytest.param(
            "send_sms",
            {"recipients": [], "message": "Hi"},
            "no_recipients",
            {},
            id="no-recipients",
        ),
        pytest.param(
            "send_sms",
            {"recipients": [" ", ""], "message": "Hi"},
            "no_recipients",
            {},
            id="blank-recipients",
        ),
        pytest.param(
            "send_sms",
            {"recipients": [NUMBER], "message": "  \n "},
            "empty_message",
            {},
            id="empty-message",
        ),
        pytest.param(
            "send_voice",
            {"recipients": [NUMBER], "message": ""},
            "empty_message",
            {},
            id="empty-voice-message",
        ),
        pytest.param(
            "send_sms",
            {"recipients": [NUMBER], "message": "Hi", "sender_id": "HomeAssistant"},
            "invalid_sender_id",
            {"sender_id": "HomeAssistant"},
            id="sender-id-of-13-letters",
        ),
        pytest.param(
            "send_mms",
            {
                "recipients": [NUMBER],
                "media_url": "https://example.com/a.jpg",
                "sender_id": "Home Alarm",
            },
            "invalid_sender_id",
            {"sender_id": "Home Alarm"},
            id="sender-id-with-a-space",
        ),
        pytest.param(
            "send_voice",
            {"recipients": [NUMBER], "message": "Hi", "language": "xx-yy"},
            "invalid_language",
            {"language": "xx-yy"},
            id="unknown-language",
        ),
        pytest.param(
            "send_voice",
            {"recipients": [NUMBER], "message": "Hi", "gender": "robot"},
            "invalid_gender",
            {"gender": "robot"},
            id="unknown-gender",
        ),
        pytest.param(
            "send_mms",
            {"recipients": [NUMBER], "media_url": "ftp://example.com/door.jpg"},
            "invalid_media_url",
            {"url": "ftp://example.com/door.jpg"},
            id="media-url-not-http",
        ),
        pytest.param(
            "send_mms",
            {"recipients": [NUMBER], "media_url": "door.jpg"},
            "invalid_media_url",
            {"url": "door.jpg"},
            id="media-url-without-scheme",
        ),
        pytest.param(
            "send_mms",
            {"recipients": [NUMBER], "message": "Look"},
            "media_required",
            {},
            id="mms-without-media",
        ),
        pytest.param(
            "send_sms",
            {"recipients": [NUMBER], "message": "Hi", "schedule": "2020-01-01 10:00"},
            "schedule_in_past",
            {"schedule": "2020-01-01 10:00:00"},
            id="schedule-in-the-past",
        ),
        pytest.param(
            "send_sms",
            {"recipients": [NUMBER], "message": "Hi", "config_entry": "0123456789"},
            "unknown_entry",
            {"entry_id": "0123456789"},
            id="unknown-config-entry",
        ),
        pytest.param(
            "send_sms",
            {"recipients": [NUMBER], "groups": ["Nobody", "Family"], "message": "Hi"},
            "unknown_group",
            {"group": "Nobody"},
            id="unknown-group",
        ),
        pytest.param(
            "send_mms",
            {"recipients": [NUMBER], "camera_entity_id": "camera.front_door"},
            "no_external_url",
            {},
            id="camera-without-external-url",
        ),
        pytest.param(
            "send_sms",
            {"recipients": [NUMBER], "message": "Hi ✓", "encoding": "gsm7"},
            "not_gsm7",
            {"characters": "✓"},
            id="gsm7-forced-on-other-characters",
        ),
        pytest.param(
            "send_sms",
            {"recipients": [NUMBER], "message": "x" * 919},
            "too_many_segments",
            {"segments": "7", "maximum": "6"},
            id="too-many-segments",
        ),
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_bad_input(
    hass: HomeAssistant,
    account: Sandbox,
    action: str,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str],
) -> None:
    """Each mistake is named in the user's words, and no message leaves."""
    account.add_group("Family", contacts=2)

    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, action, data)

    assert caught.value.translation_key == key
    assert str(caught.value) == translated(key, **placeholders)
    assert account.requests_to("sms/send") == []


def second_entry(account: Sandbox) -> MockConfigEntry:
    """Another account on the same server."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Charles Babbage",
        unique_id="a1b2c3d4e5f6a",
        data={
            CONF_API_TOKEN: account.token,
            CONF_BASE_URL: account.base_url,
            CONF_NOTIFY_SERVICE: "textboost_charles",
        },
    )


@pytest.mark.parametrize("action", SENDING_ACTIONS)
@pytest.mark.usefixtures("init_integration")
async def test_several_accounts_need_a_choice(
    hass: HomeAssistant, account: Sandbox, action: str
) -> None:
    """With two accounts loaded, an action must say which one to use."""
    other = second_entry(account)
    other.add_to_hass(hass)
    assert await hass.config_entries.async_setup(other.entry_id)

    with pytest.raises(ServiceValidationError) as caught:
        await call(
            hass,
            action,
            {
                "recipients": [NUMBER],
                "message": "Hi",
                **(
                    {"media_url": "https://example.com/a.jpg"}
                    if action == "send_mms"
                    else {}
                ),
            },
        )

    assert str(caught.value) == translated("entry_required")
    assert account.requests_to("sms/send") == []

    await call(
        hass,
        "send_sms",
        {"recipients": [NUMBER], "message": "Hi", "config_entry": other.entry_id},
    )
    assert len(account.requests_to("sms/send")) == 1


async def test_account_not_loaded(
    hass: HomeAssistant, init_integration: MockConfigEntry, account: Sandbox
) -> None:
    """An account that is not loaded is named; without any, the user is told."""
    other = second_entry(account)
    other.add_to_hass(hass)
    data = {"recipients": [NUMBER], "message": "Hi"}

    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "send_sms", {**data, "config_entry": other.entry_id})
    assert str(caught.value) == translated(
        "entry_not_loaded", account="Charles Babbage"
    )

    await hass.config_entries.async_unload(init_integration.entry_id)
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "send_sms", data)
    assert str(caught.value) == translated("no_loaded_entry")
    assert account.requests_to("sms/send") == []


async def test_entry_of_another_integration(
    hass: HomeAssistant, init_integration: MockConfigEntry, account: Sandbox
) -> None:
    """A config entry of another integration is not an account."""
    foreign = MockConfigEntry(domain="demo", entry_id="01JDEMOENTRY")
    foreign.add_to_hass(hass)

    with pytest.raises(ServiceValidationError) as caught:
        await call(
            hass,
            "send_sms",
            {"recipients": [NUMBER], "message": "Hi", "config_entry": "01JDEMOENTRY"},
        )

    assert str(caught.value) == translated("unknown_entry", entry_id="01JDEMOENTRY")
    assert account.requests_to("sms/send") == []


# What the user sees of the actions


def _services_yaml() -> dict[str, Any]:
    return yaml.safe_load((INTEGRATION / "services.yaml").read_text())


@pytest.mark.parametrize("action", MESSAGE_ACTIONS)
def test_every_field_has_a_selector_and_a_translation(action: str) -> None:
    """The UI can show every field of the message actions, in words."""
    fields = _services_yaml()[action]["fields"]
    schema_keys = {str(key) for key in services.SERVICES[action].schema.schema}
    translations = STRINGS["services"][action]
    icons = json.loads((INTEGRATION / "icons.json").read_text())

    assert set(fields) == schema_keys
    assert all("selector" in field for field in fields.values())
    assert set(translations["fields"]) == schema_keys
    for text in translations["fields"].values():
        assert text["name"]
        assert text["description"]
    assert translations["name"]
    assert translations["description"]
    assert icons["services"][action]["service"].startswith("mdi:")
