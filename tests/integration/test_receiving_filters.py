"""Receiving: keywords, the sender filter, names, replies and the webhook URL."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.textboost.const import (
    CONF_PHONE,
    CONF_WEBHOOK_ID,
    DOMAIN,
    EVENT_MESSAGE_RECEIVED,
    SUBENTRY_RECIPIENT,
)
from custom_components.textboost.receiving import match_keyword
from sandbox import Fault, Sandbox

from .receiving import HOUSE, SENDER, WEBHOOK_ID, receiving_options

ENTITY = "event.ada_lovelace_incoming_message"
CARER = "+31 6 5555 0001"
ANNA = "+31 6 1234 5001"
STRANGER = "+44 7700 900123"


@pytest.fixture
def saved_recipients() -> list[tuple[str, str]]:
    """Name and number of each saved recipient of the entry."""
    return [("Carer", "31655550001")]


@pytest.fixture
def mock_config_entry(
    mock_config_entry: MockConfigEntry,
    saved_recipients: list[tuple[str, str]],
    entry_options: dict[str, Any],
) -> MockConfigEntry:
    """The account of conftest, with its saved recipients."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=mock_config_entry.title,
        unique_id=mock_config_entry.unique_id,
        data=dict(mock_config_entry.data),
        options=entry_options,
        entry_id=mock_config_entry.entry_id,
        subentries_data=[
            ConfigSubentryData(
                data={CONF_PHONE: number},
                subentry_type=SUBENTRY_RECIPIENT,
                title=name,
                unique_id=number,
            )
            for name, number in saved_recipients
        ],
    )


@pytest.fixture
def account(account: Sandbox) -> Sandbox:
    """The sandbox account, with Anna in its address book."""
    family = account.add_group("Family")
    account.add_contact(family, "31612345001", "Anna", "de Vries")
    account.add_contact(family, "unknown", "Not", "A number")
    return account


async def post_unverified(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    text: str,
    sender: str = SENDER,
) -> None:
    """POST a message to the webhook (tests here turn verification off)."""
    client = await hass_client_no_auth()
    response = await client.post(
        f"/api/webhook/{WEBHOOK_ID}",
        json={"to": HOUSE, "from": sender, "content": text},
    )
    assert response.status == 200
    await hass.async_block_till_done()


# Keywords

KEYWORDS = ["HEAT", "ok", "Stop"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HEAT on", ("HEAT", "on")),
        ("heat ON please", ("HEAT", "ON please")),
        ("OK", ("ok", "")),
        ("Ok!", ("ok", "")),
        ("  stop,   now ", ("Stop", "now")),
        ("Okay then", None),
        ("Turn the HEAT on", None),
        ("", None),
        ("   ", None),
    ],
)
def test_keywords_match_the_first_word_in_any_case(
    text: str, expected: tuple[str, str] | None
) -> None:
    assert match_keyword(text, tuple(KEYWORDS)) == expected


@pytest.mark.parametrize(
    "entry_options",
    [receiving_options("webhook", verify=False, keywords=KEYWORDS)],
)
@pytest.mark.parametrize(
    ("text", "event_type", "extra"),
    [
        ("heat on", "keyword", {"keyword": "HEAT", "rest": "on"}),
        ("OK.", "keyword", {"keyword": "ok", "rest": ""}),
        ("Heating is off", "message", {}),
    ],
)
async def test_a_keyword_fires_the_keyword_event_type(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    text: str,
    event_type: str,
    extra: dict[str, str],
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)

    await post_unverified(hass, hass_client_no_auth, text)

    [event] = events
    assert event.data["event_type"] == event_type
    assert {k: event.data[k] for k in extra} == extra
    assert ("keyword" in event.data) is bool(extra)
    state = hass.states.get(ENTITY)
    assert state is not None
    assert state.attributes["event_type"] == event_type
    assert {k: state.attributes[k] for k in extra} == extra


# Who may text


@pytest.mark.parametrize(
    ("accept_from", "sender", "fired", "name"),
    [
        ("anyone", STRANGER, True, None),
        ("anyone", CARER, True, "Carer"),
        ("anyone", ANNA, True, "Anna de Vries"),
        ("known", CARER, True, "Carer"),
        ("known", ANNA, True, "Anna de Vries"),
        ("known", STRANGER, False, None),
    ],
)
async def test_senders_are_named_and_filtered(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    accept_from: str,
    sender: str,
    fired: bool,
    name: str | None,
) -> None:
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry,
        options=receiving_options("webhook", verify=False, accept_from=accept_from),
    )
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)

    await post_unverified(hass, hass_client_no_auth, "Hello", sender)

    assert [e.data["name"] for e in events] == ([name] if fired else [])
    counts = mock_config_entry.runtime_data.receiver.counts
    assert counts == ({"fired": 1} if fired else {"refused_sender": 1})


@pytest.mark.parametrize(
    "entry_options",
    [receiving_options("webhook", verify=False, accept_from="known")],
)
async def test_the_address_book_is_read_once_for_many_messages(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    account.clear_requests()
    for text in ("one", "two", "three"):
        await post_unverified(hass, hass_client_no_auth, text, ANNA)

    assert len(account.requests_to("contacts", "GET")) == 1
    assert init_integration.runtime_data.receiver.counts == {"fired": 3}


@pytest.mark.parametrize(
    "entry_options",
    [receiving_options("webhook", verify=False, accept_from="known")],
)
async def test_an_unreadable_address_book_lets_no_unknown_sender_through(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    account.inject(Fault.HTTP_500_HTML, path="contacts")

    await post_unverified(hass, hass_client_no_auth, "Open the door", ANNA)
    # A saved recipient needs no address book.
    await post_unverified(hass, hass_client_no_auth, "Hello", CARER)

    assert [e.data["from"] for e in events] == ["31655550001"]
    assert "the address book could not be read to check the sender" in caplog.text
    assert "Open the door" not in caplog.text


# Replies


@pytest.mark.parametrize("entry_options", [receiving_options("webhook", verify=False)])
async def test_a_reply_goes_to_the_sender_from_the_number_texted(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    await post_unverified(hass, hass_client_no_auth, "Is the alarm on?")
    message_id = events[0].data["message_id"]

    response = await hass.services.async_call(
        DOMAIN,
        "reply",
        {"message_id": message_id, "message": "Yes, since 22:00"},
        blocking=True,
        return_response=True,
    )

    [sent] = account.requests_to("sms/send")
    assert sent.body == {
        "recipient": "31612345678",
        "message": "Yes, since 22:00",
        "type": "plain",
        "sender_id": "3197010203040",
    }
    assert response is not None
    assert response["in_reply_to"] == message_id
    assert response["recipients"][0]["recipient"] == "31612345678"  # type: ignore[index]


@pytest.mark.parametrize("entry_options", [{}])
async def test_a_reply_to_a_listed_message_after_a_restart(
    hass: HomeAssistant, init_integration: MockConfigEntry, account: Sandbox
) -> None:
    # A current server (3.13) reports the direction of one message.
    account.inject_response(
        200,
        json.dumps(
            {
                "status": "success",
                "message": None,
                "data": {
                    "uid": "65f1a2b3c4d5e",
                    "to": "3197010203040",
                    "from": "+31655550001",
                    "message": "Call me",
                    "sms_type": "plain",
                    "direction": "incoming",
                    "status": "Delivered",
                    "sms_count": 1,
                    "cost": "0",
                },
            }
        ).encode(),
        "application/json",
        path="sms/65f1a2b3c4d5e",
    )

    await hass.services.async_call(
        DOMAIN,
        "reply",
        {"message_id": "65f1a2b3c4d5e", "message": "Calling", "sender_id": "AdaHome"},
        blocking=True,
        return_response=True,
    )

    [sent] = account.requests_to("sms/send")
    assert sent.body["recipient"] == "31655550001"
    assert sent.body["sender_id"] == "AdaHome"


@pytest.mark.parametrize("entry_options", [{}])
@pytest.mark.parametrize("message_id", ["local-0123456789ab", "0000000000000", "sent"])
async def test_a_reply_to_an_unknown_message_is_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    message_id: str,
) -> None:
    if message_id == "sent":
        message_id = account.add_message("31612345678", "Our own message")

    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "reply",
            {"message_id": message_id, "message": "Hi"},
            blocking=True,
            return_response=True,
        )

    assert caught.value.translation_key == "unknown_incoming_message"
    assert account.requests_to("sms/send") == []


@pytest.mark.parametrize("entry_options", [receiving_options("webhook", verify=False)])
async def test_an_alphanumeric_sender_cannot_be_answered(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    await post_unverified(hass, hass_client_no_auth, "Your code is 1234", "MYBANK")

    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "reply",
            {"message_id": events[0].data["message_id"], "message": "Thanks"},
            blocking=True,
            return_response=True,
        )

    assert caught.value.translation_key == "cannot_reply"
    assert caught.value.translation_placeholders == {"sender": "MYBANK"}


# The webhook's URL


@pytest.mark.parametrize("entry_options", [receiving_options("both")])
async def test_the_webhook_url_is_returned_and_can_be_replaced(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    await hass.config.async_update(external_url="https://home.example.org")

    response = await hass.services.async_call(
        DOMAIN, "get_webhook_url", {}, blocking=True, return_response=True
    )
    assert response == {"url": f"https://home.example.org/api/webhook/{WEBHOOK_ID}"}

    response = await hass.services.async_call(
        DOMAIN,
        "get_webhook_url",
        {"regenerate": True},
        blocking=True,
        return_response=True,
    )
    await hass.async_block_till_done()

    new_id = init_integration.options[CONF_WEBHOOK_ID]
    assert new_id != WEBHOOK_ID
    assert response == {"url": f"https://home.example.org/api/webhook/{new_id}"}
    # The entry was reloaded: the new URL listens, the old one is gone.
    assert set(hass.data["webhook"]) == {new_id}


@pytest.mark.parametrize("entry_options", [receiving_options("both")])
async def test_without_an_address_the_webhook_path_is_returned(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    await hass.config.async_update(external_url=None, internal_url=None)
    hass.config.api = None

    response = await hass.services.async_call(
        DOMAIN, "get_webhook_url", {}, blocking=True, return_response=True
    )

    assert response == {"url": f"/api/webhook/{WEBHOOK_ID}"}


@pytest.mark.parametrize(
    "entry_options", [{}, receiving_options("polling")], ids=["off", "polling"]
)
async def test_the_webhook_url_needs_the_webhook_turned_on(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN, "get_webhook_url", {}, blocking=True, return_response=True
        )
    assert caught.value.translation_key == "webhook_off"
