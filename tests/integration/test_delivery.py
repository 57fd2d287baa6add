"""Delivery tracking: polled with backoff and a bound, reported as it changes.

The sandbox account keeps messages "Enroute" (its delivery delay is an hour)
until a test completes them; time is moved with ``freezer``.
"""

from __future__ import annotations

import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.textboost.const import EVENT_MESSAGE_STATUS
from custom_components.textboost.event import event_type_for
from sandbox import Fault, Sandbox
from tests.helpers import (
    NUMBER,
    OTHER,
    TYPED_NUMBER,
    advance,
    send_sms,
    send_text,
)

EVENT_ENTITY = "event.ada_lovelace_message_status"
#: Seconds between the polls of one message's status, then it is left alone.
POLL_DELAYS = (10, 20, 30, 60, 120, 300, 600, 1800)


async def send_accepted(hass: HomeAssistant, message: str = "Water leak") -> str:
    """Send one SMS to ``TYPED_NUMBER`` and return the uid the server gave it."""
    response = await send_text(hass, message)
    [recipient] = response["recipients"]
    assert recipient["state"] == "accepted"
    uid: str = recipient["uid"]
    return uid


def polls(sandbox: Sandbox, uid: str) -> int:
    """How many times the status of ``uid`` was asked for."""
    return len(sandbox.requests_to(f"sms/{uid}", "GET"))


def changes(events: list[Event[Any]]) -> list[tuple[str, str, str]]:
    """The (uid, to, status) of each textboost_message_status event."""
    return [(e.data["uid"], e.data["to"], e.data["status"]) for e in events]


async def test_status_is_followed_until_final_and_shown(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    statuses = async_capture_events(hass, EVENT_MESSAGE_STATUS)

    uid = await send_accepted(hass)

    assert changes(statuses) == [(uid, NUMBER, "Enroute")]
    state = hass.states.get(EVENT_ENTITY)
    assert state is not None
    assert state.attributes["event_type"] == "enroute"

    await advance(hass, freezer, POLL_DELAYS[0] - 1)
    assert polls(account, uid) == 0
    await advance(hass, freezer, 1)
    assert polls(account, uid) == 1
    assert len(statuses) == 1  # still en route: no change, no event

    account.complete_deliveries()
    await advance(hass, freezer, POLL_DELAYS[1] - 1)
    assert polls(account, uid) == 1  # the second poll waits longer
    await advance(hass, freezer, 1)
    assert polls(account, uid) == 2

    assert changes(statuses) == [
        (uid, NUMBER, "Enroute"),
        (uid, NUMBER, "Delivered"),
    ]
    assert statuses[-1].data["entry_id"] == init_integration.entry_id
    state = hass.states.get(EVENT_ENTITY)
    assert state is not None
    assert state.attributes["event_type"] == "delivered"
    assert state.attributes["uid"] == uid
    assert state.attributes["to"] == NUMBER
    assert state.attributes["status"] == "Delivered"
    assert "undelivered" in state.attributes["event_types"]

    await advance(hass, freezer, 24 * 3600)  # final: never asked again
    assert polls(account, uid) == 2


async def test_polling_backs_off_and_gives_up_after_its_bound(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    uid = await send_accepted(hass)

    for count, delay in enumerate(POLL_DELAYS, start=1):
        await advance(hass, freezer, delay - 1)
        assert polls(account, uid) == count - 1, f"poll {count} came early"
        await advance(hass, freezer, 1)
        assert polls(account, uid) == count

    await advance(hass, freezer, 7 * 24 * 3600)
    assert polls(account, uid) == len(POLL_DELAYS)


async def test_undelivered_number_fires_an_undelivered_event(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    account.state.final_status[NUMBER] = "Undelivered"
    statuses = async_capture_events(hass, EVENT_MESSAGE_STATUS)
    uid = await send_accepted(hass)
    account.complete_deliveries()

    await advance(hass, freezer, POLL_DELAYS[0])

    assert changes(statuses)[-1] == (uid, NUMBER, "Undelivered")
    state = hass.states.get(EVENT_ENTITY)
    assert state is not None
    assert state.attributes["event_type"] == "undelivered"
    assert state.attributes["status"] == "Undelivered"
    await advance(hass, freezer, 3600)
    assert polls(account, uid) == 1


async def test_each_message_is_followed_on_its_own(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    account.state.final_status[OTHER] = "Rejected"
    statuses = async_capture_events(hass, EVENT_MESSAGE_STATUS)
    response = await send_sms(
        hass, recipients=[TYPED_NUMBER, "+31 6 1234 5679"], message="Leak"
    )
    uids = {r["recipient"]: r["uid"] for r in response["recipients"]}
    account.complete_deliveries()

    await advance(hass, freezer, POLL_DELAYS[0])

    assert sorted(changes(statuses)[2:]) == sorted(
        [
            (uids[NUMBER], NUMBER, "Delivered"),
            (uids[OTHER], OTHER, "Rejected"),
        ]
    )


@pytest.mark.parametrize(
    ("fault", "pause"),
    [
        (Fault.HTTP_429, 300),  # the sandbox's Retry-After, set below
        (Fault.TOO_MANY_ATTEMPTS, 60),  # no Retry-After: a minute
    ],
)
async def test_polling_pauses_when_throttled(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
    fault: Fault,
    pause: int,
) -> None:
    account.retry_after = 300
    statuses = async_capture_events(hass, EVENT_MESSAGE_STATUS)
    uid = await send_accepted(hass)
    account.inject(fault, path=f"sms/{uid}")

    await advance(hass, freezer, POLL_DELAYS[0])
    assert polls(account, uid) == 1  # throttled
    account.complete_deliveries()

    await advance(hass, freezer, pause - 1)
    assert polls(account, uid) == 1, "polled again before the pause ended"
    await advance(hass, freezer, 2)
    assert polls(account, uid) == 2
    assert changes(statuses)[-1] == (uid, NUMBER, "Delivered")


async def test_polling_waits_when_few_requests_remain(
    freezer: FrozenDateTimeFactory,  # first: the sandbox counts in frozen time
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
) -> None:
    # Leave 7 requests of the rolling minute after the send (reserve: 10).
    account.rate_limit = len(account.requests) + 8
    uid = await send_accepted(hass)
    assert init_integration.runtime_data.client.rate_limit.remaining == 7
    account.complete_deliveries()

    await advance(hass, freezer, POLL_DELAYS[0])
    assert polls(account, uid) == 0
    await advance(hass, freezer, 59)
    assert polls(account, uid) == 0, "polled into the last requests of the minute"

    await advance(hass, freezer, 2)  # one look after the pause, even so
    assert polls(account, uid) == 1
    state = hass.states.get(EVENT_ENTITY)
    assert state is not None
    assert state.attributes["event_type"] == "delivered"


async def test_unreachable_server_pauses_polling(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    first = await send_accepted(hass, "One")
    second = await send_accepted(hass, "Two")
    await account.refuse_connections()
    await advance(hass, freezer, POLL_DELAYS[0])
    await account.accept_connections()
    account.complete_deliveries()

    await advance(hass, freezer, 59)
    assert polls(account, first) + polls(account, second) == 0
    await advance(hass, freezer, 2)
    assert polls(account, first) == 1
    assert polls(account, second) == 1


@pytest.mark.parametrize(
    ("status", "event_type"),
    [
        ("Delivered", "delivered"),
        ("Enroute", "enroute"),
        ("Queued", "enroute"),
        ("Pending", "enroute"),
        ("Undelivered", "undelivered"),
        ("Something new", "failed"),
        ("", "failed"),
    ],
)
def test_event_type_of_a_status(status: str, event_type: str) -> None:
    assert event_type_for(status) == event_type


async def test_a_new_message_is_polled_on_time_while_an_old_one_waits(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    old = await send_accepted(hass, "Old")
    for delay in POLL_DELAYS[:5]:
        await advance(hass, freezer, delay)
    assert polls(account, old) == 5  # its next poll is 300 s away

    new = await send_accepted(hass, "New")
    await advance(hass, freezer, POLL_DELAYS[0])
    assert polls(account, new) == 1
    assert polls(account, old) == 5


async def test_only_the_newest_messages_are_followed(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("custom_components.textboost.outbox.MAX_TRACKED", 2)
    outbox = init_integration.runtime_data.outbox
    uids = [await send_accepted(hass, text) for text in ("One", "Two", "Three")]
    assert outbox.tracked_count == 2

    account.complete_deliveries()
    await advance(hass, freezer, POLL_DELAYS[0])
    assert [polls(account, uid) for uid in uids] == [0, 1, 1]
    assert outbox.tracked_count == 0


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (500, b"<html>500 | Server Error</html>", "text/html"),
        (200, b'{"status":"error","message":"No query results"}', "application/json"),
    ],
)
async def test_a_failed_status_read_is_tried_at_the_next_step(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
    status: int,
    body: bytes,
    content_type: str,
) -> None:
    uid = await send_accepted(hass)
    account.inject_response(status, body, content_type, path=f"sms/{uid}")
    account.complete_deliveries()

    await advance(hass, freezer, POLL_DELAYS[0])
    assert polls(account, uid) == 1
    await advance(hass, freezer, POLL_DELAYS[1])
    assert polls(account, uid) == 2
    state = hass.states.get(EVENT_ENTITY)
    assert state is not None
    assert state.attributes["event_type"] == "delivered"


def _send_answer(uid: str, status: str | None) -> bytes:
    row: dict[str, Any] = {
        "uid": uid,
        "to": NUMBER,
        "from": "TextBoost",
        "message": "Water leak",
        "cost": "0.05",
        "sms_count": 1,
    }
    if status is not None:
        row["status"] = status
    return json.dumps(
        {
            "status": "success",
            "message": "Your message was successfully delivered",
            "data": row,
        }
    ).encode()


async def test_a_message_final_at_once_is_reported_and_not_polled(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    statuses = async_capture_events(hass, EVENT_MESSAGE_STATUS)
    uid = account.add_message(NUMBER, "Water leak", status="Delivered")
    account.inject_response(
        200, _send_answer(uid, "Delivered"), "application/json", path="sms/send"
    )

    assert await send_accepted(hass) == uid

    assert changes(statuses) == [(uid, NUMBER, "Delivered")]
    await advance(hass, freezer, 3600)
    assert polls(account, uid) == 0


async def test_a_send_answer_without_a_status_is_followed_until_known(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    statuses = async_capture_events(hass, EVENT_MESSAGE_STATUS)
    uid = account.add_message(NUMBER, "Water leak", status="Enroute")
    account.inject_response(
        200, _send_answer(uid, None), "application/json", path="sms/send"
    )

    assert await send_accepted(hass) == uid
    assert statuses == []  # nothing known yet, so nothing to report

    await advance(hass, freezer, POLL_DELAYS[0])
    assert changes(statuses) == [(uid, NUMBER, "Enroute")]
    account.complete_deliveries()
    await advance(hass, freezer, POLL_DELAYS[1])
    assert changes(statuses)[-1] == (uid, NUMBER, "Delivered")
