"""Receiving messages: webhook, verification, polling, once, filters, replies.

The sandbox stands for the account (its incoming list); the webhook is
reached through Home Assistant's own HTTP test client, as the server would.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
import json
import logging
from typing import Any, Literal
from urllib.parse import urlencode

from aiohttp import ClientResponse
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.textboost.api.incoming import MAX_WEBHOOK_BODY
from custom_components.textboost.const import (
    EVENT_MESSAGE_RECEIVED,
)
from custom_components.textboost.receiving import core as receiver_core
from custom_components.textboost.receiving.receiver import MAX_WAITING, VERIFY_DELAYS
from sandbox import Fault, Sandbox
from tests.helpers import send_text

from .receiving import (
    HOUSE,
    SENDER,
    WEBHOOK_ID,
    receiving_options,
    text_the_house,
)

ENTITY = "event.ada_lovelace_incoming_message"

type Post = Callable[[bytes, str], Awaitable[ClientResponse]]


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Receiving by webhook, verified."""
    return receiving_options("webhook")


@pytest.fixture
async def post(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> Post:
    """POST a body to the account's webhook, as the server does."""
    client = await hass_client_no_auth()

    async def send(body: bytes, content_type: str) -> ClientResponse:
        return await client.post(
            f"/api/webhook/{WEBHOOK_ID}",
            data=body,
            headers={"Content-Type": content_type} if content_type else {},
        )

    return send


def json_body(text: str, sender: str = SENDER, to: str = HOUSE) -> bytes:
    """The JSON body of a message, as current servers post it."""
    return json.dumps(
        {
            "to": to,
            "from": sender,
            "content": text,
            "country": "NL",
            "country_name": "Netherlands",
        }
    ).encode()


def form_body(text: str, sender: str = SENDER, to: str = HOUSE) -> bytes:
    """The form-encoded body of a message."""
    return urlencode({"to": to, "from": sender, "content": text}).encode()


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Let ``seconds`` pass and run what became due."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def verify(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let every verification read happen."""
    for delay in VERIFY_DELAYS:
        await advance(hass, freezer, delay + 1)


def received(events: list[Event[Any]]) -> list[tuple[str, str, bool]]:
    """(from, text, verified) of each textboost_message_received event."""
    return [(e.data["from"], e.data["text"], e.data["verified"]) for e in events]


def incoming_reads(account: Sandbox) -> int:
    """How many times the account's message list was read."""
    return len(account.requests_to("sms", "GET"))


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (json_body("Heating on please"), "application/json"),
        (form_body("Heating on please"), "application/x-www-form-urlencoded"),
    ],
    ids=["json", "form"],
)
async def test_a_posted_message_fires_once_verified(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    post: Post,
    freezer: FrozenDateTimeFactory,
    body: bytes,
    content_type: str,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    uid = await text_the_house(account, "Heating on please")

    response = await post(body, content_type)
    assert response.status == 200
    assert await response.text() == ""
    # Not before it was found in the account's list.
    assert events == []
    await verify(hass, freezer)

    assert len(events) == 1
    data = events[0].data
    assert data == {
        "config_entry_id": init_integration.entry_id,
        "event_type": "message",
        "message_id": uid,
        "from": "31612345678",
        "to": "3197010203040",
        "text": "Heating on please",
        "received_at": data["received_at"],
        "name": None,
        "country": "NL" if content_type == "application/json" else None,
        "verified": True,
    }
    state = hass.states.get(ENTITY)
    assert state is not None
    assert state.attributes["event_type"] == "message"
    assert state.attributes["from"] == "31612345678"
    assert state.attributes["text"] == "Heating on please"
    assert state.attributes["verified"] is True
    assert state.attributes["message_id"] == uid
    # One read of the list verified it.
    assert incoming_reads(account) == 1


@pytest.mark.parametrize("encoding", ["json", "form"])
async def test_the_server_posts_over_http_and_one_event_fires(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    encoding: Literal["json", "form"],
) -> None:
    client = await hass_client_no_auth()
    account.webhook_url = str(client.make_url(f"/api/webhook/{WEBHOOK_ID}"))
    account.webhook_encoding = encoding
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)

    uid = await account.receive_sms(SENDER, "HEAT on")
    await verify(hass, freezer)

    [posted] = account.webhook_posts
    assert (posted.encoding, posted.status, posted.error) == (encoding, 200, None)
    assert WEBHOOK_ID not in posted.url
    assert [
        (e.data["message_id"], e.data["text"], e.data["country"]) for e in events
    ] == [(uid, "HEAT on", "NL")]


async def test_a_message_posted_twice_fires_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    post: Post,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    await text_the_house(account, "OK")

    await post(json_body("OK"), "application/json")
    await verify(hass, freezer)
    await post(json_body("OK"), "application/json")
    await verify(hass, freezer)

    assert received(events) == [("31612345678", "OK", True)]


async def test_two_real_texts_of_the_same_words_fire_twice(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    post: Post,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    first = await text_the_house(account, "OK")
    second = await text_the_house(account, "OK")

    await post(json_body("OK"), "application/json")
    await post(json_body("OK"), "application/json")
    await verify(hass, freezer)

    assert sorted(e.data["message_id"] for e in events) == sorted([first, second])
    # Both were verified by one read.
    assert incoming_reads(account) == 1


async def test_a_spoofed_message_fires_nothing_when_verified(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    post: Post,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)

    await post(json_body("Disarm the alarm"), "application/json")
    await verify(hass, freezer)

    assert events == []
    assert incoming_reads(account) == len(VERIFY_DELAYS)
    refusals = [
        r
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name.startswith("custom_components")
    ]
    assert [r.getMessage() for r in refusals] == [
        "A message posted to the webhook of Ada Lovelace from …678 is not "
        "in the account's incoming messages; it was ignored"
    ]
    # Later refusals are logged at debug level only.
    await post(json_body("Disarm the alarm"), "application/json")
    await verify(hass, freezer)
    assert [
        r
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name.startswith("custom_components")
    ] == refusals
    assert "Disarm" not in caplog.text


@pytest.mark.parametrize("entry_options", [receiving_options("webhook", verify=False)])
async def test_without_verification_a_posted_message_fires_at_once_unverified(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    post: Post,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)

    await post(json_body("Disarm the alarm"), "application/json")
    await hass.async_block_till_done()
    await post(json_body("Disarm the alarm"), "application/json")
    await hass.async_block_till_done()

    assert received(events) == [("31612345678", "Disarm the alarm", False)]
    assert events[0].data["message_id"].startswith("local-")
    assert incoming_reads(account) == 0


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"{not json", "application/json", "malformed"),
        (b"[]", "application/json", "malformed"),
        (b'{"from": "31612345678"}', "application/json", "missing_fields"),
        (b"<sms/>", "application/xml", "content_type"),
        (b"\xff\xfe\xfd", "application/x-www-form-urlencoded", "encoding"),
        (
            form_body("x" * MAX_WEBHOOK_BODY),
            "application/x-www-form-urlencoded",
            "too_large",
        ),
    ],
    ids=["not-json", "not-an-object", "no-content", "xml", "not-utf8", "oversized"],
)
async def test_bodies_that_are_no_message_fire_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    post: Post,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    content_type: str,
    reason: str,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)

    response = await post(body, content_type)
    await verify(hass, freezer)

    assert response.status == 200
    assert await response.text() == ""
    assert events == []
    assert incoming_reads(account) == 0
    assert (
        f"A request to the webhook of Ada Lovelace was refused ({reason})"
        in caplog.text
    )
    assert init_integration.runtime_data.receiver.counts == {f"refused_{reason}": 1}


async def test_an_oversized_body_is_refused_before_it_is_read(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    client = await hass_client_no_auth()

    async def chunks() -> Any:
        for _ in range(64):
            yield b"x" * 1024

    response = await client.post(f"/api/webhook/{WEBHOOK_ID}", data=chunks())

    assert response.status == 200
    assert init_integration.runtime_data.receiver.counts == {"refused_too_large": 1}


async def test_other_methods_are_not_allowed(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    client = await hass_client_no_auth()
    response = await client.head(f"/api/webhook/{WEBHOOK_ID}")
    assert response.status == 200  # Home Assistant lets sites check a URL exists
    assert init_integration.runtime_data.receiver.counts == {}


# Polling


@pytest.mark.parametrize("entry_options", [receiving_options("polling")])
async def test_polling_finds_a_message_that_never_reached_the_webhook(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    await advance(hass, freezer, 60)
    uid = await text_the_house(account, "Back home at 6")
    assert events == []

    await advance(hass, freezer, 5 * 60)

    assert received(events) == [("31612345678", "Back home at 6", True)]
    assert events[0].data["message_id"] == uid
    # The next poll finds nothing new.
    await advance(hass, freezer, 5 * 60)
    assert len(events) == 1
    reads = account.requests_to("sms", "GET")
    assert reads[-1].query.get("direction", "incoming") == "incoming"


@pytest.mark.parametrize("entry_options", [receiving_options("polling")])
async def test_polling_leaves_out_what_came_before_receiving_was_turned_on(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await text_the_house(account, "An old text")
    await advance(hass, freezer, 3600)
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    await advance(hass, freezer, 5 * 60)

    assert events == []


@pytest.mark.parametrize("entry_options", [receiving_options("both")])
@pytest.mark.parametrize("webhook_first", [True, False], ids=["webhook", "poll"])
async def test_polling_and_webhook_together_fire_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    post: Post,
    freezer: FrozenDateTimeFactory,
    webhook_first: bool,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    await advance(hass, freezer, 60)
    await text_the_house(account, "Arrived safely")

    if webhook_first:
        await post(json_body("Arrived safely"), "application/json")
        await verify(hass, freezer)
        await advance(hass, freezer, 5 * 60)
    else:
        await advance(hass, freezer, 5 * 60)
        reads = incoming_reads(account)
        await post(json_body("Arrived safely"), "application/json")
        await verify(hass, freezer)
        # The post of a message polled already costs no read.
        assert incoming_reads(account) == reads

    assert received(events) == [("31612345678", "Arrived safely", True)]


@pytest.mark.parametrize("entry_options", [receiving_options("both", verify=False)])
async def test_an_unverified_message_is_not_fired_again_by_polling(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    post: Post,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    await advance(hass, freezer, 60)
    await text_the_house(account, "Arrived safely")
    await post(json_body("Arrived safely"), "application/json")
    await hass.async_block_till_done()

    await advance(hass, freezer, 5 * 60)

    assert received(events) == [("31612345678", "Arrived safely", False)]


@pytest.mark.parametrize("entry_options", [receiving_options("polling")])
async def test_a_throttled_poll_pauses_reading(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    await advance(hass, freezer, 60)
    await text_the_house(account, "Still there?")
    account.inject(Fault.HTTP_429, path="sms")

    await advance(hass, freezer, 5 * 60)
    assert events == []
    assert init_integration.runtime_data.receiver.summary()["paused_until"]

    await advance(hass, freezer, 5 * 60)
    assert received(events) == [("31612345678", "Still there?", True)]


@pytest.mark.parametrize("entry_options", [receiving_options("polling")])
async def test_a_throttle_met_by_delivery_tracking_pauses_polling_too(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    """One pause per account: the tracker's 429 holds the incoming reads too."""
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    account.retry_after = 900
    response = await send_text(hass, "Water leak")
    assert response["recipients"][0]["state"] == "accepted"
    account.inject(Fault.HTTP_429, path="sms")
    await text_the_house(account, "Still there?")
    account.clear_requests()

    await advance(hass, freezer, 10)  # the tracker's first status read: 429
    assert incoming_reads(account) == 1
    await advance(hass, freezer, 5 * 60)  # the receiver's poll is due
    await advance(hass, freezer, 5 * 60)
    assert incoming_reads(account) == 1, "read the list while the account waits"
    assert events == []

    for _ in range(2):  # the pause ends after 910 s
        await advance(hass, freezer, 5 * 60)
    assert incoming_reads(account) > 1
    assert received(events) == [("31612345678", "Still there?", True)]


# Receiving off


async def _an_hour_of_requests(
    hass: HomeAssistant,
    account: Sandbox,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> list[tuple[str, str, dict[str, str]]]:
    """Every request of the entry's first hour: set-up, then its timers."""
    account.clear_requests()
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    for _ in range(12):
        await advance(hass, freezer, 5 * 60)
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    return [(r.method, r.path, r.query) for r in account.requests]


@pytest.mark.parametrize("entry_options", [{}])
async def test_with_receiving_off_nothing_is_read_or_registered(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    mock_config_entry.add_to_hass(hass)
    never_on = await _an_hour_of_requests(hass, account, mock_config_entry, freezer)
    hass.config_entries.async_update_entry(
        mock_config_entry,
        options=receiving_options("off", keywords=["OK"], accept_from="known"),
    )
    turned_off = await _an_hour_of_requests(hass, account, mock_config_entry, freezer)
    assert hass.states.get(ENTITY) is None
    assert WEBHOOK_ID not in hass.data.get("webhook", {})
    hass.config_entries.async_update_entry(
        mock_config_entry, options=receiving_options("polling")
    )
    polling = await _an_hour_of_requests(hass, account, mock_config_entry, freezer)

    # Turned off, receiving makes the very requests of an account that never
    # received, and none of them reads the incoming messages ...
    assert turned_off == never_on
    assert not [r for r in never_on if r[2].get("direction") == "incoming"]
    # ... which polling does, twelve times an hour.
    incoming = [r for r in polling if r[2].get("direction") == "incoming"]
    assert len(incoming) == 12
    assert [r for r in polling if r not in incoming] == never_on


async def test_a_message_posted_twice_at_once_fires_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    post: Post,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    await text_the_house(account, "OK")

    await post(json_body("OK"), "application/json")
    await post(form_body("OK"), "application/x-www-form-urlencoded")
    await verify(hass, freezer)

    assert received(events) == [("31612345678", "OK", True)]
    assert incoming_reads(account) == 1


async def test_no_more_than_fifty_posts_wait_for_verification(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    post: Post,
    freezer: FrozenDateTimeFactory,
) -> None:
    for index in range(MAX_WAITING + 1):
        await post(json_body(f"Spam {index}"), "application/json")

    receiver = init_integration.runtime_data.receiver
    assert receiver.summary()["waiting"] == MAX_WAITING
    assert receiver.counts == {"refused_too_many_waiting": 1}
    await verify(hass, freezer)
    # One read a round, whatever the number of messages waiting.
    assert incoming_reads(account) == len(VERIFY_DELAYS)
    assert receiver.counts["refused_unverified"] == MAX_WAITING


@pytest.mark.parametrize(
    ("fault", "delay"),
    [(Fault.HTTP_500_HTML, VERIFY_DELAYS[1]), (Fault.HTTP_429, 7)],
    ids=["server-error", "throttled"],
)
async def test_a_failed_verification_read_is_tried_again(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    post: Post,
    freezer: FrozenDateTimeFactory,
    fault: Fault,
    delay: float,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    await text_the_house(account, "OK")
    account.inject(fault, path="sms")

    await post(json_body("OK"), "application/json")
    await advance(hass, freezer, VERIFY_DELAYS[0] + 0.5)
    assert events == []
    assert incoming_reads(account) == 1

    await advance(hass, freezer, delay + 0.5)
    assert received(events) == [("31612345678", "OK", True)]
    assert incoming_reads(account) == 2


@pytest.mark.parametrize("entry_options", [receiving_options("both")])
async def test_a_poll_verifies_a_message_waiting_for_verification(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    post: Post,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    await advance(hass, freezer, 60)
    uid = await text_the_house(account, "Arrived safely")
    await post(json_body("Arrived safely"), "application/json")

    # A poll comes before the verification.
    await init_integration.runtime_data.receiver.async_poll()

    assert [e.data["message_id"] for e in events] == [uid]
    assert events[0].data["country"] == "NL"  # what only the webhook tells
    reads = incoming_reads(account)
    await verify(hass, freezer)
    assert len(events) == 1
    assert incoming_reads(account) == reads  # nothing left to verify


@pytest.mark.parametrize("entry_options", [receiving_options("polling")])
async def test_a_failing_poll_is_logged_once_and_its_end_too(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    account.inject(Fault.HTTP_500_HTML, count=2, path="sms")

    for _ in range(3):
        await advance(hass, freezer, 5 * 60)

    messages = [
        (r.levelname, r.getMessage())
        for r in caplog.records
        if r.name == "custom_components.textboost.receiving.polling"
        and r.levelno >= logging.INFO
    ]
    assert [level for level, _ in messages] == ["WARNING", "INFO"]
    assert messages[0][1].startswith("Incoming messages of Ada Lovelace cannot be read")
    assert messages[1][1] == "Incoming messages of Ada Lovelace are read again"


@pytest.mark.parametrize("entry_options", [receiving_options("polling")])
async def test_polling_keeps_a_reserve_of_the_rate_limit(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    account.rate_limit = 12  # set-up leaves 9, under the reserve of 10
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    await advance(hass, freezer, 5 * 60)
    assert incoming_reads(account) == 0
    await advance(hass, freezer, 5 * 60)
    assert incoming_reads(account) == 1


@pytest.mark.parametrize("entry_options", [receiving_options("polling")])
async def test_what_is_remembered_stays_bounded(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(receiver_core, "MAX_SEEN", 2)
    monkeypatch.setattr(receiver_core, "MAX_RECENT", 2)
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    uids = [await text_the_house(account, f"Text {n}") for n in range(3)]

    await advance(hass, freezer, 5 * 60)

    assert sorted(e.data["message_id"] for e in events) == sorted(uids)
    receiver = init_integration.runtime_data.receiver
    assert receiver.summary()["seen"] == 2
    assert len(receiver.messages) == 2


@pytest.mark.parametrize("entry_options", [receiving_options("both")])
async def test_verification_waits_while_reads_are_paused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    post: Post,
    freezer: FrozenDateTimeFactory,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    account.inject(Fault.HTTP_429, path="sms")  # Retry-After: 7 s
    await init_integration.runtime_data.receiver.async_poll()
    await text_the_house(account, "OK")
    await post(json_body("OK"), "application/json")

    await advance(hass, freezer, VERIFY_DELAYS[0] + 0.5)
    assert incoming_reads(account) == 1  # only the throttled poll

    await advance(hass, freezer, 7)
    assert received(events) == [("31612345678", "OK", True)]
    assert incoming_reads(account) == 2


async def test_a_message_that_cannot_be_verified_is_refused_and_says_why(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    post: Post,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = async_capture_events(hass, EVENT_MESSAGE_RECEIVED)
    await text_the_house(account, "OK")
    account.inject(Fault.HTTP_500_HTML, count=len(VERIFY_DELAYS), path="sms")

    await post(json_body("OK"), "application/json")
    await verify(hass, freezer)

    assert events == []
    assert init_integration.runtime_data.receiver.counts == {
        "read_failures": 3,
        "refused_unverifiable": 1,
    }
    assert (
        "A message posted to the webhook of Ada Lovelace from …678 was "
        "ignored: the account's incoming messages could not be read to verify it"
    ) in caplog.text
