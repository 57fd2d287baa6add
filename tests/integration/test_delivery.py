"""Delivery tracking: polled with backoff and a bound, reported as it changes.

The sandbox account keeps messages "Enroute" (its delivery delay is an hour)
until a test completes them; time is moved with ``freezer``.
"""

from __future__ import annotations

from datetime import timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import Event, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.textboost.api import TextBoostClient
from custom_components.textboost.const import EVENT_MESSAGE_STATUS
from custom_components.textboost.event import event_type_for
from custom_components.textboost.outbox import RateLimitManners
from sandbox import Fault, Sandbox
from tests.helpers import (
    ENTRY_ID,
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


def polls(sandbox: Sandbox, uid: str | None = None) -> int:
    """How many status reads reached the server: list pages, and ``uid``'s own."""
    own = len(sandbox.requests_to(f"sms/{uid}", "GET")) if uid else 0
    return len(sandbox.requests_to("sms", "GET")) + own


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
    assert state.state == STATE_UNKNOWN  # the answer's Enroute is no news

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

    assert len(statuses) == 3  # the send's answer: ONE event for both
    assert statuses[0].data["status"] == "Enroute"
    assert {r["to"] for r in statuses[0].data["recipients"]} == set(uids)
    assert len(account.requests_to("sms", "GET")) == 1  # one read for both
    assert sorted(changes(statuses)[1:]) == sorted(
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
    account.inject(fault, path="sms")

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
    await send_accepted(hass, "One")
    await send_accepted(hass, "Two")
    await account.refuse_connections()
    await advance(hass, freezer, POLL_DELAYS[0])
    await account.accept_connections()
    account.complete_deliveries()

    await advance(hass, freezer, 59)
    assert polls(account) == 0  # refused at the door, then a pause
    await advance(hass, freezer, 2)
    assert polls(account) == 1  # one list read covers both messages
    assert hass.states.get(EVENT_ENTITY).attributes["status"] == "Delivered"  # type: ignore[union-attr]


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

    await send_accepted(hass, "New")
    await advance(hass, freezer, POLL_DELAYS[0])
    assert polls(account) == 6  # the new one's first look, at its time


async def test_only_the_newest_messages_are_followed(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("custom_components.textboost.outbox.tracker.MAX_TRACKED", 2)
    statuses = async_capture_events(hass, EVENT_MESSAGE_STATUS)
    outbox = init_integration.runtime_data.outbox
    uids = [await send_accepted(hass, text) for text in ("One", "Two", "Three")]
    assert outbox.tracked_count == 2

    account.complete_deliveries()
    await advance(hass, freezer, POLL_DELAYS[0])
    assert [e.data["uid"] for e in statuses[3:]] == uids[1:]
    assert outbox.tracked_count == 0


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (500, b"<html>500 | Server Error</html>", "text/html"),
        (200, b'{"status":"error","message":"No query results"}', "application/json"),
    ],
)
async def test_a_failed_list_read_falls_back_to_a_read_by_uid(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
    status: int,
    body: bytes,
    content_type: str,
) -> None:
    uid = await send_accepted(hass)
    account.inject_response(status, body, content_type, path="sms")
    account.complete_deliveries()

    await advance(hass, freezer, POLL_DELAYS[0])
    assert len(account.requests_to("sms", "GET")) == 1
    assert len(account.requests_to(f"sms/{uid}", "GET")) == 1  # a straggler
    state = hass.states.get(EVENT_ENTITY)
    assert state is not None
    assert state.attributes["event_type"] == "delivered"
    await advance(hass, freezer, 3600)
    assert polls(account, uid) == 2


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


# Tracking by list: bounded by the work, kept across restarts


async def test_a_thousand_recipients_are_all_followed_within_the_bounds(
    freezer: FrozenDateTimeFactory,  # first: the sandbox counts in frozen time
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
) -> None:
    """Statuses final after 5 minutes: every final event, few requests."""
    account.delivery_delay = 300
    numbers = [f"3161000{n:04d}" for n in range(1000)]
    statuses = async_capture_events(hass, EVENT_MESSAGE_STATUS)
    account.clear_requests()

    response = await send_sms(hass, recipients=numbers, message="Storm warning")

    assert len(statuses) == 1  # the send's answer: one event for all
    assert len(statuses[0].data["recipients"]) == 1000
    sends = len(account.requests_to("sms/send"))
    rounds: list[int] = []
    elapsed = 0
    for delay in POLL_DELAYS:
        before = polls(account)
        await advance(hass, freezer, delay)
        elapsed += delay
        rounds.append(polls(account) - before)
    final = {e.data["to"]: e.data["status"] for e in statuses[1:]}

    assert sends == 10
    assert final == dict.fromkeys(numbers, "Delivered")
    assert max(rounds) <= 1000 // 25 + 2
    assert (sends + sum(rounds)) / 1000 <= 0.5
    assert init_integration.runtime_data.outbox.tracked_count == 0
    assert response["recipients"][0]["state"] == "accepted"


async def test_tracking_survives_a_restart(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    statuses = async_capture_events(hass, EVENT_MESSAGE_STATUS)
    uid = await send_accepted(hass)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    account.complete_deliveries()

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    await advance(hass, freezer, POLL_DELAYS[0])

    assert changes(statuses)[-1] == (uid, NUMBER, "Delivered")
    await advance(hass, freezer, 3600)
    assert polls(account, uid) == 1


async def test_a_message_past_its_schedule_at_the_restart_is_read_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    account.delivery_delay = 30 * 24 * 3600  # never final here
    statuses = async_capture_events(hass, EVENT_MESSAGE_STATUS)
    uid = await send_accepted(hass)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    freezer.tick(timedelta(days=1))  # Home Assistant was off for a day

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    await advance(hass, freezer, 1)
    await advance(hass, freezer, 7 * 24 * 3600)

    assert polls(account, uid) == 1  # once more, then left alone
    assert changes(statuses) == [(uid, NUMBER, "Enroute")]
    assert init_integration.runtime_data.outbox.tracked_count == 0


@pytest.mark.parametrize(
    "fault",
    [
        Fault.HTTP_429,  # throttled: a pause
        Fault.HTTP_500_HTML,  # a bad page: the next round
    ],
)
async def test_a_straggler_read_that_fails_waits_for_the_next_round(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
    fault: Fault,
) -> None:
    """The list does not show the message; its read by uid fails."""
    uid = await send_accepted(hass)
    empty = {"current_page": 1, "last_page": 1, "data": [], "total": 0}
    account.inject_response(
        200,
        json.dumps({"status": "success", "message": None, "data": empty}).encode(),
        "application/json",
        path="sms",
    )
    account.inject(fault, path=f"sms/{uid}")

    await advance(hass, freezer, POLL_DELAYS[0])

    assert len(account.requests_to(f"sms/{uid}", "GET")) == 1
    account.complete_deliveries()
    await advance(hass, freezer, 600)
    state = hass.states.get(EVENT_ENTITY)
    assert state is not None
    assert state.attributes["event_type"] == "delivered"
    assert len(account.requests_to(f"sms/{uid}", "GET")) == 1  # then by list


def _write_journal(hass: HomeAssistant, text: str) -> None:
    path = Path(hass.config.path(".storage", f"textboost.outbox.{ENTRY_ID}.jsonl"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


async def test_unreadable_tracked_records_are_dropped_with_a_warning(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    account: Sandbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _write_journal(hass, '{"k":"tracked/x","v":{"uid":"x"}}\n')
    mock_config_entry.add_to_hass(hass)

    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert "1 queued message(s) could not be read back" in caplog.text
    assert mock_config_entry.runtime_data.outbox.tracked_count == 0
    await hass.config_entries.async_unload(mock_config_entry.entry_id)


async def test_stragglers_wait_when_few_requests_remain(
    freezer: FrozenDateTimeFactory,  # first: the sandbox counts in frozen time
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
) -> None:
    # After the send, exactly the reserve (50) is left; the list read takes one.
    account.rate_limit = len(account.requests) + 1 + 50
    uid = await send_accepted(hass)
    account.state.messages.clear()  # the list will not show it

    await advance(hass, freezer, POLL_DELAYS[0])

    assert len(account.requests_to("sms", "GET")) == 1
    assert account.requests_to(f"sms/{uid}", "GET") == []  # not into the reserve


def test_manners_hold_reads_while_paused() -> None:
    client = TextBoostClient(None, "token", "http://127.0.0.1/")  # type: ignore[arg-type]
    manners = RateLimitManners(client)
    assert manners.may_request()

    manners.pause(60)
    manners.pause(1)  # never shortens a pause

    assert not manners.may_request()
    assert manners.paused_until is not None
