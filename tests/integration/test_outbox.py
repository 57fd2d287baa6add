"""The outbox: never lose an alert, never send one twice.

Each test is one promise to a user, shown against the sandbox with its fault
injection. Time is moved with ``freezer``; the event loop's clock moves with
it, so a client timeout is passed by ticking, never by sleeping.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from datetime import timedelta
from functools import partial
import json
import logging
from pathlib import Path
import time
from typing import Any
from unittest.mock import patch

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.textboost.api import TextBoostClient
from custom_components.textboost.const import (
    CONF_QUEUE_TTL,
    DOMAIN,
    EVENT_MESSAGE_DROPPED,
    EVENT_MESSAGE_STATUS,
    EVENT_OUTCOME_UNKNOWN,
)
from custom_components.textboost.outbox import Outbox
from custom_components.textboost.outbox.core import STOP_WAIT
from custom_components.textboost.outbox.tracker import POLL_DELAYS
from sandbox import Fault, Sandbox
from tests.helpers import (
    ENTRY_ID,
    NUMBER,
    OTHER,
    TYPED_NUMBER,
    advance,
    call_action,
    send_sms,
    send_text,
)

QUEUE_SENSOR = "sensor.ada_lovelace_queued_messages"
SECOND = "+31 6 1234 5679"
TWO = [NUMBER, OTHER]
STORE_KEY = f"textboost.outbox.{ENTRY_ID}"
#: The client's own read timeout is 10 s; its timer is rounded up to a second.
PAST_CLIENT_TIMEOUT = 15
#: The first retry waits between 15 and 30 s (backoff with jitter).
FIRST_RETRY_MIN = 15
FIRST_RETRY_MAX = 30


@pytest.fixture
def client_timeout() -> float:
    """Seconds the integration's client waits to connect and for each read."""
    return 0.5


@pytest.fixture
def patched_client_timeout(client_timeout: float) -> Iterator[float]:
    """Build the integration's client with ``client_timeout`` (ask before setup).

    The client takes its timeout as a constructor argument; the integration
    passes none, so its setup is given a constructor with the argument bound.
    """
    with patch(
        "custom_components.textboost.TextBoostClient",
        partial(TextBoostClient, timeout=client_timeout),
    ):
        yield client_timeout


@pytest.fixture
async def release_held_answers(
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    account: Sandbox,
) -> AsyncIterator[None]:
    """After the test, end every held answer and client wait, even on failure.

    Both wait on the frozen clock; left waiting, they would hang the teardown
    (the entry's unload, the sandbox's close), which runs after this one.
    """
    yield
    account.clear_faults()
    freezer.tick(timedelta(hours=2))
    for _ in range(200):
        await asyncio.sleep(0)


async def spin_until(condition: Callable[[], bool], rounds: int = 2000) -> None:
    """Let the event loop run (without its clock moving) until ``condition``."""
    for _ in range(rounds):
        if condition():
            return
        await asyncio.sleep(0)
        time.sleep(0.0002)  # noqa: ASYNC251 (let journal writes in the executor run)
    raise AssertionError("the condition never came true")


def start(coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    """Run an action in the background, out of reach of async_block_till_done.

    A response the sandbox holds back only ends when the clock is moved, and
    Home Assistant's ``async_block_till_done`` would wait for it forever.
    """
    return asyncio.ensure_future(coro)


async def go_offline(sandbox: Sandbox) -> None:
    """Refuse connections, and let the client see its pooled ones close.

    A request written on a keep-alive connection the server has just closed
    fails after it was written: an unknown outcome, not a refused connection.
    A read under way first ends (a connection accepted while the sandbox
    stops listening would fail the test's teardown).
    """
    for _ in range(20):
        await asyncio.sleep(0)
    await sandbox.refuse_connections()
    for _ in range(20):
        await asyncio.sleep(0)


def sends(sandbox: Sandbox) -> int:
    """How many sms/send requests reached the sandbox."""
    return len(sandbox.requests_to("sms/send"))


def sent_texts(sandbox: Sandbox) -> list[str]:
    """The texts of the messages the sandbox really sent, oldest first."""
    return [message.message for message in sandbox.sent_messages()]


def queued(hass: HomeAssistant) -> str:
    """The state of the queued-messages sensor."""
    state = hass.states.get(QUEUE_SENSOR)
    assert state is not None
    return state.state


def journal(hass: HomeAssistant) -> Path:
    """The outbox journal of the test entry."""
    return Path(hass.config.path(".storage", f"{STORE_KEY}.jsonl"))


def stored_entries(hass: HomeAssistant) -> list[dict[str, Any]]:
    """The outbox entries on disk, as the journal's last word on each."""
    live: dict[str, dict[str, Any]] = {}
    for line in journal(hass).read_text().splitlines():
        record = json.loads(line)
        if record["v"] is None:
            live.pop(record["k"], None)
        else:
            live[record["k"]] = record["v"]
    return [value for key, value in live.items() if key.startswith("entry/")]


# A refused connection: queued, then sent exactly once


async def test_refused_connection_queues_and_sends_once_when_back(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    await go_offline(account)

    response = await send_text(hass, "Water leak in the basement")

    assert response["queue_id"]
    assert [r["state"] for r in response["recipients"]] == ["queued"]
    assert response["recipients"][0]["recipient"] == NUMBER
    assert queued(hass) == "1"
    assert sends(account) == 0

    await account.accept_connections()
    await advance(hass, freezer, FIRST_RETRY_MIN - 1)
    assert sends(account) == 0, "retried before its backoff ended"
    assert queued(hass) == "1"

    await advance(hass, freezer, FIRST_RETRY_MAX - FIRST_RETRY_MIN + 2)
    assert sends(account) == 1
    assert sent_texts(account) == ["Water leak in the basement"]
    assert queued(hass) == "0"
    # Nobody had an answer for the retry: the entity shows that it went out.
    state = hass.states.get("event.ada_lovelace_message_status")
    assert state is not None
    assert (state.attributes["event_type"], state.attributes["to"]) == (
        "enroute",
        NUMBER,
    )

    await advance(hass, freezer, 24 * 3600)
    assert sends(account) == 1


async def test_outage_retries_keep_the_message_until_the_link_is_back(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    await go_offline(account)
    await send_text(hass, "Alarm: front door")

    for _ in range(4):  # retries into a dead link, backing off
        await advance(hass, freezer, 5 * 60)
        assert queued(hass) == "1"
    assert sends(account) == 0

    await account.accept_connections()
    await advance(hass, freezer, 30 * 60)  # within the time-to-live of 60 min
    assert sent_texts(account) == ["Alarm: front door"]
    assert sends(account) == 1
    assert queued(hass) == "0"


@pytest.mark.parametrize(
    ("action", "extra", "recipients"),
    [
        ("send_sms", {}, [NUMBER]),
        ("send_voice", {"language": "nl-nl", "gender": "male"}, [NUMBER]),
        ("send_sms", {"recipients": [TYPED_NUMBER, SECOND], "schedule": "+2h"}, TWO),
    ],
    ids=["sms", "voice", "server-scheduled"],
)
async def test_queue_survives_a_restart_and_is_sent_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
    action: str,
    extra: dict[str, Any],
    recipients: list[str],
) -> None:
    entry = init_integration
    data = {"recipients": [TYPED_NUMBER], "message": "Freezer above -10 C", **extra}
    if data.get("schedule") == "+2h":
        # on the minute: a wall time with seconds is held locally instead
        later = dt_util.now().replace(second=0, microsecond=0) + timedelta(hours=2)
        data["schedule"] = later.isoformat()
    await go_offline(account)
    response = await hass.services.async_call(
        DOMAIN, action, data, blocking=True, return_response=True
    )
    assert response is not None

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    [stored] = stored_entries(hass)
    assert stored["id"] == response["queue_id"]
    assert stored["in_flight"] is False
    assert stored["message"]["message"] == "Freezer above -10 C"
    assert stored["message"]["recipients"] == recipients

    await account.accept_connections()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert queued(hass) == "1"
    assert sends(account) == 0

    await advance(hass, freezer, FIRST_RETRY_MAX + 1)
    assert sends(account) == 1
    [request] = account.requests_to("sms/send")
    assert request.body["recipient"] == ",".join(recipients)
    assert request.body["type"] == ("voice" if action == "send_voice" else "plain")
    assert ("schedule_time" in request.body) is ("schedule" in extra)
    if action == "send_voice":
        assert (request.body["language"], request.body["gender"]) == ("nl-nl", "male")
    assert sent_texts(account) == ["Freezer above -10 C"] * len(recipients)
    assert queued(hass) == "0"
    assert stored_entries(hass) == []

    # A second restart finds nothing left to send.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await advance(hass, freezer, 3600)
    assert sends(account) == 1


async def test_reload_during_a_retry_lets_it_end_and_never_repeats_it(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    release_held_answers: None,  # last: ends held answers first
) -> None:
    entry = init_integration
    unknown = async_capture_events(hass, EVENT_OUTCOME_UNKNOWN)
    await go_offline(account)
    response = await send_text(hass, "Alarm: shed")
    await account.accept_connections()
    account.slow_seconds = 3600
    account.inject(Fault.SLOW, path="sms/send")
    freezer.tick(timedelta(seconds=FIRST_RETRY_MAX + 1))
    async_fire_time_changed(hass)
    await spin_until(lambda: sends(account) == 1)

    unload = start(hass.config_entries.async_unload(entry.entry_id))
    for _ in range(50):
        await asyncio.sleep(0)
    assert not unload.done(), "the unload did not wait for the retry under way"
    freezer.tick(timedelta(seconds=PAST_CLIENT_TIMEOUT))
    assert await unload

    assert await hass.config_entries.async_setup(entry.entry_id)
    await advance(hass, freezer, 3600)
    # Reported once: by the attempt that timed out, or after the restart.
    assert [e.data["queue_id"] for e in unknown] == [response["queue_id"]]
    assert stored_entries(hass) == []
    assert sends(account) == 1
    assert sent_texts(account) == ["Alarm: shed"]


@pytest.mark.parametrize("client_timeout", [120.0])
async def test_reload_during_a_retry_that_never_ends_reports_it_once(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    patched_client_timeout: float,
    init_integration: MockConfigEntry,
    account: Sandbox,
    release_held_answers: None,  # last: ends held answers first
) -> None:
    entry = init_integration
    unknown = async_capture_events(hass, EVENT_OUTCOME_UNKNOWN)
    await go_offline(account)
    await send_text(hass, "Alarm: shed")
    await send_text(hass, "Alarm: barn", SECOND)
    await account.accept_connections()
    account.slow_seconds = 3600
    account.inject(Fault.SLOW, path="sms/send")
    freezer.tick(timedelta(seconds=FIRST_RETRY_MAX + 1))
    async_fire_time_changed(hass)
    await spin_until(lambda: sends(account) == 1)

    outbox = entry.runtime_data.outbox
    unload = start(hass.config_entries.async_unload(entry.entry_id))
    await spin_until(lambda: outbox.sender.stopping)
    freezer.tick(timedelta(seconds=11))  # the unload waits one request timeout
    assert await unload
    first = account.requests_to("sms/send")[0].body["message"]  # in flight
    second = ({"Alarm: shed", "Alarm: barn"} - {first}).pop()
    stored = {e["message"]["message"]: e["in_flight"] for e in stored_entries(hass)}
    assert stored == {first: True, second: False}

    # (No async_block_till_done: it would wait for the old attempt forever.)
    assert await hass.config_entries.async_setup(entry.entry_id)
    assert [(e.data["message"], e.data["error"]) for e in unknown] == [
        (first, "interrupted")
    ]
    # The old attempt ends long after; the old outbox neither writes nor reports.
    freezer.tick(timedelta(seconds=patched_client_timeout))
    await advance(hass, freezer, 1)
    await advance(hass, freezer, 3600)
    assert len(unknown) == 1
    assert sorted(sent_texts(account)) == ["Alarm: barn", "Alarm: shed"]
    assert sends(account) == 2
    assert stored_entries(hass) == []


async def test_removing_the_account_forgets_its_queue(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    account: Sandbox,
) -> None:
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await go_offline(account)
    await send_text(hass, "Alarm: shed")
    assert len(stored_entries(hass)) == 1

    await hass.config_entries.async_remove(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert not journal(hass).exists()


async def test_queue_due_during_the_restart_is_sent_once_after_it(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
) -> None:
    entry = init_integration
    await go_offline(account)
    await send_text(hass, "Smoke in the kitchen")
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    await account.accept_connections()
    await advance(hass, freezer, 600)  # Home Assistant is down past the retry
    assert sends(account) == 0

    assert await hass.config_entries.async_setup(entry.entry_id)
    await advance(hass, freezer, 0)  # a frozen clock must tick to fire "now"
    assert sent_texts(account) == ["Smoke in the kitchen"]
    assert sends(account) == 1
    assert queued(hass) == "0"


# Unknown outcomes: reported, never sent again


@pytest.mark.parametrize(
    ("fault", "reached_the_phone"),
    [
        (Fault.SLOW, True),
        (Fault.DISCONNECT, True),
        (Fault.MALFORMED_JSON, True),
        (Fault.HTTP_500_HTML, False),
    ],
)
async def test_unknown_outcome_is_reported_and_never_resent(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    fault: Fault,
    reached_the_phone: bool,
    release_held_answers: None,  # last: ends held answers first
) -> None:
    unknown = async_capture_events(hass, EVENT_OUTCOME_UNKNOWN)
    account.slow_seconds = 3600
    account.inject(fault, path="sms/send")

    action = start(send_text(hass, "Water leak in the basement"))
    await spin_until(lambda: sends(account) == 1)
    if fault is Fault.SLOW:
        freezer.tick(timedelta(seconds=PAST_CLIENT_TIMEOUT))
    with pytest.raises(HomeAssistantError) as caught:
        await action

    assert caught.value.translation_key == "send_outcome_unknown"
    assert "may or may not have been sent" in str(caught.value)
    assert len(unknown) == 1
    assert unknown[0].data["recipients"] == [NUMBER]
    assert unknown[0].data["message"] == "Water leak in the basement"
    assert unknown[0].data["queue_id"] is None
    assert queued(hass) == "0"

    await advance(hass, freezer, 6 * 3600)
    assert sends(account) == 1, "a message that may have gone out was sent again"
    expected = ["Water leak in the basement"] if reached_the_phone else []
    assert sent_texts(account) == expected


async def test_http_5xx_with_an_error_envelope_is_an_unknown_outcome(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    unknown = async_capture_events(hass, EVENT_OUTCOME_UNKNOWN)
    account.inject_response(
        502,
        b'{"status":"error","message":"Bad Gateway"}',
        "application/json",
        path="sms/send",
    )

    with pytest.raises(HomeAssistantError) as caught:
        await send_text(hass, "Garage door open")

    assert caught.value.translation_key == "send_outcome_unknown"
    assert len(unknown) == 1
    await advance(hass, freezer, 3600)
    assert sends(account) == 1


# Throttling: queued, retried once, never before Retry-After


@pytest.mark.parametrize(
    ("fault", "not_before", "by"),
    [
        (Fault.HTTP_429, 120, 121),  # Retry-After: 120 outweighs the backoff
        (Fault.TOO_MANY_ATTEMPTS, FIRST_RETRY_MIN, FIRST_RETRY_MAX + 1),
    ],
)
async def test_throttled_send_is_delivered_exactly_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
    fault: Fault,
    not_before: int,
    by: int,
) -> None:
    account.retry_after = 120
    account.inject(fault, path="sms/send")

    response = await send_text(hass, "Alarm: motion in the hall")
    assert [r["state"] for r in response["recipients"]] == ["queued"]
    assert queued(hass) == "1"
    assert sends(account) == 1

    await advance(hass, freezer, not_before - 1)
    assert sends(account) == 1, "retried before the server allowed it"

    await advance(hass, freezer, by - not_before + 1)
    assert sends(account) == 2
    assert sent_texts(account) == ["Alarm: motion in the hall"]
    assert queued(hass) == "0"

    await advance(hass, freezer, 3600)
    assert sends(account) == 2


async def test_repeated_throttling_honours_each_retry_after(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    account.retry_after = 300
    account.inject(Fault.HTTP_429, 2, path="sms/send")

    await send_text(hass, "Alarm: window broken")
    await advance(hass, freezer, 301)
    assert sends(account) == 2  # the retry, throttled again
    await advance(hass, freezer, 299)
    assert sends(account) == 2
    await advance(hass, freezer, 2)
    assert sends(account) == 3
    assert sent_texts(account) == ["Alarm: window broken"]


# Time-to-live


@pytest.mark.parametrize(
    ("entry_options", "ttl_minutes"),
    [({}, 60), ({CONF_QUEUE_TTL: 10}, 10)],
    ids=["default", "option"],
)
async def test_expired_message_is_dropped_reported_and_never_sent(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    ttl_minutes: int,
) -> None:
    dropped = async_capture_events(hass, EVENT_MESSAGE_DROPPED)
    await go_offline(account)
    response = await send_text(hass, "Water leak in the basement")

    await advance(hass, freezer, ttl_minutes * 60 - 1)
    assert queued(hass) == "1"
    assert dropped == []

    with caplog.at_level(logging.WARNING):
        await advance(hass, freezer, 2)  # not later: at its time-to-live
    assert queued(hass) == "0"
    assert len(dropped) == 1
    assert dropped[0].data["reason"] == "expired"
    assert dropped[0].data["queue_id"] == response["queue_id"]
    assert dropped[0].data["recipients"] == [NUMBER]
    assert dropped[0].data["message"] == "Water leak in the basement"
    assert [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and "Dropped" in r.getMessage()
    ] == [f"Dropped queued message {response['queue_id']} to 1 recipient(s): expired"]

    await account.accept_connections()
    await advance(hass, freezer, 24 * 3600)
    assert sends(account) == 0
    assert sent_texts(account) == []


# Restart while a message was in flight


def _stored_entry(
    queue_id: str, text: str, *, in_flight: bool, due_in: float
) -> dict[str, Any]:
    now = dt_util.utcnow()
    return {
        "id": queue_id,
        "message": {
            "message_type": "plain",
            "recipients": [NUMBER],
            "message": text,
            "sender_id": None,
            "dlt_template_id": None,
            "language": None,
            "gender": None,
            "media_url": None,
            "schedule_time": None,
            "encoding": "gsm7",
            "segments": 1,
        },
        "due": (now + timedelta(seconds=due_in)).isoformat(),
        "expires": (now + timedelta(hours=1)).isoformat(),
        "scheduled": False,
        "attempts": 1,
        "in_flight": in_flight,
        "last_error": "Cannot connect to the TextBoost server",
    }


async def test_message_in_flight_before_an_upgrade_is_reported_not_sent(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    hass_storage[STORE_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": STORE_KEY,
        "data": {
            "entries": [
                _stored_entry(
                    "inflight0001", "Freezer warm", in_flight=True, due_in=-5
                ),
                _stored_entry("waiting00002", "Door open", in_flight=False, due_in=20),
            ]
        },
    }
    unknown = async_capture_events(hass, EVENT_OUTCOME_UNKNOWN)

    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert [(e.data["queue_id"], e.data["message"]) for e in unknown] == [
        ("inflight0001", "Freezer warm")
    ]
    assert unknown[0].data["recipients"] == [NUMBER]
    assert "inflight0001 was being sent when the integration stopped" in caplog.text
    assert [e["id"] for e in stored_entries(hass)] == ["waiting00002"]
    assert queued(hass) == "1"

    await advance(hass, freezer, 21)
    assert sent_texts(account) == ["Door open"]
    await advance(hass, freezer, 6 * 3600)
    assert sent_texts(account) == ["Door open"]
    assert sends(account) == 1
    assert queued(hass) == "0"

    await hass.config_entries.async_unload(mock_config_entry.entry_id)


async def test_unreadable_entry_of_an_older_release_is_skipped_with_a_warning(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    account: Sandbox,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    hass_storage[STORE_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": STORE_KEY,
        "data": {"entries": [{"id": "broken"}]},
    }
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert "1 queued message(s) could not be read back" in caplog.text
    assert stored_entries(hass) == []
    await hass.config_entries.async_unload(mock_config_entry.entry_id)


# The actions retry_queued and clear_queue


async def test_retry_queued_sends_the_queue_now_and_returns_the_count(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    await go_offline(account)
    await send_text(hass, "Leak: bathroom")
    await send_text(hass, "Leak: kitchen", SECOND)
    assert queued(hass) == "2"
    await account.accept_connections()

    assert await call_action(hass, "retry_queued") == {"retried": 2, "queued": 0}

    assert sorted(sent_texts(account)) == ["Leak: bathroom", "Leak: kitchen"]
    assert queued(hass) == "0"
    await advance(hass, freezer, 3600)  # the old backoff timers send nothing
    assert sends(account) == 2
    assert await call_action(hass, "retry_queued") == {"retried": 0, "queued": 0}


async def test_retry_queued_while_down_keeps_the_queue(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    await go_offline(account)
    await send_text(hass, "Leak: bathroom")
    await send_text(hass, "Leak: kitchen", SECOND)

    assert await call_action(hass, "retry_queued") == {"retried": 2, "queued": 2}
    assert queued(hass) == "2"

    await account.accept_connections()
    await advance(hass, freezer, 10 * 60)
    assert sorted(sent_texts(account)) == ["Leak: bathroom", "Leak: kitchen"]


async def test_retry_queued_leaves_local_schedules_alone(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    later = dt_util.now() + timedelta(hours=2)
    response = await send_sms(
        hass, recipients=[TYPED_NUMBER], message="Bins out", schedule=later.isoformat()
    )
    assert [r["state"] for r in response["recipients"]] == ["scheduled"]

    assert await call_action(hass, "retry_queued") == {"retried": 0, "queued": 1}
    assert sends(account) == 0
    await advance(hass, freezer, 2 * 3600 + 1)
    assert sent_texts(account) == ["Bins out"]


async def test_clear_queue_drops_waiting_messages_and_returns_the_count(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    dropped = async_capture_events(hass, EVENT_MESSAGE_DROPPED)
    later = dt_util.now() + timedelta(minutes=30)
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {
            "recipients": [TYPED_NUMBER],
            "message": "Bins out",
            "schedule": later.isoformat(),
        },
        blocking=True,
    )
    await go_offline(account)
    await send_text(hass, "Leak: bathroom")
    assert queued(hass) == "2"

    assert await call_action(hass, "clear_queue") == {"cleared": 2}

    assert queued(hass) == "0"
    assert sorted(e.data["message"] for e in dropped) == ["Bins out", "Leak: bathroom"]
    assert {e.data["reason"] for e in dropped} == {"cleared"}
    await account.accept_connections()
    await advance(hass, freezer, 2 * 3600)
    assert sends(account) == 0
    assert await call_action(hass, "clear_queue") == {"cleared": 0}


@pytest.mark.parametrize("client_timeout", [120.0])
async def test_retry_queued_and_the_backoff_timer_never_send_twice(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    patched_client_timeout: float,
    init_integration: MockConfigEntry,
    account: Sandbox,
    release_held_answers: None,  # last: ends held answers first
) -> None:
    unknown = async_capture_events(hass, EVENT_OUTCOME_UNKNOWN)
    dropped = async_capture_events(hass, EVENT_MESSAGE_DROPPED)
    await go_offline(account)
    response = await send_text(hass, "Alarm: garage")
    await send_text(hass, "Alarm: porch", SECOND)
    await account.accept_connections()
    account.slow_seconds = 3600
    account.inject(Fault.SLOW, path="sms/send")

    retry = start(call_action(hass, "retry_queued"))
    await spin_until(lambda: sends(account) == 1)
    # The retries' own time comes while the action's first attempt still waits.
    freezer.tick(timedelta(seconds=FIRST_RETRY_MAX + 1))
    async_fire_time_changed(hass)
    for _ in range(200):
        await asyncio.sleep(0)
    assert sends(account) == 1, "a second pass over the queue started"
    # The message being sent cannot be called back; the other one can.
    assert await call_action(hass, "clear_queue") == {"cleared": 1}
    assert [e.data["message"] for e in dropped] == ["Alarm: porch"]

    freezer.tick(timedelta(seconds=patched_client_timeout))
    assert await retry == {"retried": 2, "queued": 0}
    assert [e.data["queue_id"] for e in unknown] == [response["queue_id"]]
    await advance(hass, freezer, 3600)
    assert sends(account) == 1
    assert sent_texts(account) == ["Alarm: garage"]


async def test_retry_queued_during_a_retry_under_way_waits_and_sends_once(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    release_held_answers: None,  # last: ends held answers first
) -> None:
    await go_offline(account)
    await send_text(hass, "Alarm: garage")
    await send_text(hass, "Alarm: porch", SECOND)
    await account.accept_connections()
    account.slow_seconds = 3600
    account.inject(Fault.SLOW, path="sms/send")
    freezer.tick(timedelta(seconds=FIRST_RETRY_MAX + 1))
    async_fire_time_changed(hass)
    await spin_until(lambda: sends(account) == 1)

    retry = start(call_action(hass, "retry_queued"))
    for _ in range(50):
        await asyncio.sleep(0)
    assert not retry.done(), "the action did not wait for the pass under way"
    freezer.tick(timedelta(seconds=PAST_CLIENT_TIMEOUT))

    assert await retry == {"retried": 1, "queued": 0}
    assert sends(account) == 2
    await advance(hass, freezer, 3600)
    assert sends(account) == 2
    assert sorted(sent_texts(account)) == ["Alarm: garage", "Alarm: porch"]


async def test_outbox_summary_holds_no_numbers_or_texts(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
) -> None:
    """Diagnostics show the queue's shape, never who is texted or what."""
    await go_offline(account)
    response = await send_text(hass, "Alarm: garage")

    summary = init_integration.runtime_data.outbox.summary()

    assert (summary["retrying"], summary["scheduled"], summary["tracked"]) == (1, 0, 0)
    [entry] = summary["entries"]
    assert (entry["id"], entry["recipients"], entry["attempts"]) == (
        response["queue_id"],
        1,
        0,
    )
    assert NUMBER not in repr(summary)
    assert "garage" not in repr(summary)


async def test_unexpected_error_during_a_retry_never_repeats_it(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    unknown = async_capture_events(hass, EVENT_OUTCOME_UNKNOWN)
    await go_offline(account)
    response = await send_text(hass, "Alarm: loft")
    await account.accept_connections()

    client = init_integration.runtime_data.client
    with (
        patch.object(client, "send", side_effect=RuntimeError("bug")),
        pytest.raises(RuntimeError),
    ):
        await call_action(hass, "retry_queued")

    assert [(e.data["queue_id"], e.data["error"]) for e in unknown] == [
        (response["queue_id"], "interrupted")
    ]
    assert queued(hass) == "0"
    await advance(hass, freezer, 3600)
    assert sends(account) == 0


async def test_queued_message_with_refused_token_waits_for_a_new_one(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    await go_offline(account)
    await send_text(hass, "Alarm: cellar")
    await account.accept_connections()
    account.inject(Fault.UNAUTHENTICATED, path="sms/send")

    await advance(hass, freezer, FIRST_RETRY_MAX + 1)
    assert sends(account) == 1
    assert queued(hass) == "1"
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == ["reauth"]

    await advance(hass, freezer, 10 * 60)
    assert sent_texts(account) == ["Alarm: cellar"]
    assert queued(hass) == "0"


async def test_rejected_retry_is_dropped_and_reported(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
) -> None:
    dropped = async_capture_events(hass, EVENT_MESSAGE_DROPPED)
    await go_offline(account)
    response = await send_text(hass, "Alarm: attic")
    await account.accept_connections()
    account.inject(Fault.INSUFFICIENT_BALANCE, path="sms/send")

    await advance(hass, freezer, FIRST_RETRY_MAX + 1)
    assert queued(hass) == "0"
    assert [(e.data["queue_id"], e.data["reason"]) for e in dropped] == [
        (response["queue_id"], "rejected")
    ]
    assert "not enough balance" in dropped[0].data["error"]
    await advance(hass, freezer, 3600)
    assert sends(account) == 1
    assert sent_texts(account) == []


# A send to more than 100 numbers goes out in several requests


def _numbers(count: int) -> list[str]:
    return [f"3162{i:07d}" for i in range(count)]


async def test_part_of_a_large_send_that_was_throttled_is_queued_and_sent_once(
    freezer: FrozenDateTimeFactory,  # first: the sandbox counts in frozen time
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
) -> None:
    numbers = _numbers(150)
    # The server's own limit lets the first request of 100 through, not the next.
    account.rate_limit = len(account.requests) + 1
    response = await send_sms(hass, recipients=numbers, message="Storm warning")
    states = Counter(r["state"] for r in response["recipients"])
    assert states == {"accepted": 100, "queued": 50}
    assert response["queue_id"]
    assert queued(hass) == "1"

    account.rate_limit = 1000
    await advance(hass, freezer, FIRST_RETRY_MAX + 1)
    assert sends(account) == 3
    assert Counter(m.to for m in account.sent_messages()) == dict.fromkeys(numbers, 1)
    assert queued(hass) == "0"
    await advance(hass, freezer, 3600)
    assert sends(account) == 3


async def test_part_of_a_large_send_with_an_unknown_outcome_is_reported(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
) -> None:
    unknown = async_capture_events(hass, EVENT_OUTCOME_UNKNOWN)
    numbers = _numbers(150)
    action = start(
        hass.services.async_call(
            DOMAIN,
            "send_sms",
            {"recipients": numbers, "message": "Storm warning"},
            blocking=True,
            return_response=True,
        )
    )
    await spin_until(lambda: sends(account) == 1)
    account.inject(Fault.DISCONNECT, path="sms/send")  # for the second request
    response = await action

    states = Counter(r["state"] for r in response["recipients"])
    assert states == {"accepted": 100, "unknown": 50}
    assert response["queue_id"] is None
    assert len(unknown) == 1
    assert unknown[0].data["recipients"] == numbers[100:]
    assert queued(hass) == "0"
    await advance(hass, freezer, 3600)
    assert sends(account) == 2
    assert Counter(m.to for m in account.sent_messages()) == dict.fromkeys(numbers, 1)


# 500 concurrent sends with faults mixed in


WAVE_FAULTS = (
    (Fault.HTTP_429, 6),
    (Fault.TOO_MANY_ATTEMPTS, 6),
    (Fault.HTTP_500_HTML, 4),
    (Fault.SLOW, 3),
    (Fault.DISCONNECT, 3),
    (Fault.MALFORMED_JSON, 2),
    (Fault.INSUFFICIENT_BALANCE, 4),
)


@pytest.mark.parametrize("client_timeout", [1.0])
async def test_500_concurrent_sends_with_faults_are_all_accounted_for(
    hass: HomeAssistant,
    patched_client_timeout: float,
    init_integration: MockConfigEntry,
    account: Sandbox,
) -> None:
    """Every call ends sent, queued or failed; none is lost, none sent twice.

    The sends go out in five waves of 100 without waiting for each other;
    before each wave a mix of faults is injected for sms/send, and during the
    third wave the sandbox refuses connections for a moment. Then the queue is
    drained with textboost.retry_queued.
    """
    account.slow_seconds = 3.0
    account.rate_limit = 100_000  # throttling comes from the injected faults
    unknown = async_capture_events(hass, EVENT_OUTCOME_UNKNOWN)
    dropped = async_capture_events(hass, EVENT_MESSAGE_DROPPED)
    texts = [f"Alert {i:03d}" for i in range(500)]
    numbers = [f"+3161{i:07d}" for i in range(500)]

    tasks: list[asyncio.Task[dict[str, Any]]] = []
    for wave in range(5):
        for fault, count in WAVE_FAULTS:
            account.inject(fault, count, path="sms/send")
        tasks.extend(
            start(send_text(hass, texts[i], numbers[i]))
            for i in range(wave * 100, wave * 100 + 100)
        )
        if wave == 2:
            await asyncio.sleep(0.05)
            await go_offline(account)
            await asyncio.sleep(0.05)
            await account.accept_connections()
        await asyncio.sleep(0)
    results = await asyncio.gather(*tasks, return_exceptions=True)

    sent_now: set[str] = set()
    queued_ids: dict[str, str] = {}
    rejected: set[str] = set()
    outcome_unknown: set[str] = set()
    for text, result in zip(texts, results, strict=True):
        if isinstance(result, HomeAssistantError):
            key = result.translation_key
            if key == "send_outcome_unknown":
                outcome_unknown.add(text)
            else:
                assert key == "send_rejected", f"{text}: {result!r}"
                rejected.add(text)
            continue
        assert isinstance(result, dict), f"{text}: {result!r}"
        [recipient] = result["recipients"]
        if recipient["state"] == "queued":
            queued_ids[result["queue_id"]] = text
        else:
            assert recipient["state"] == "accepted", f"{text}: {result!r}"
            sent_now.add(text)
    assert len(sent_now) + len(queued_ids) + len(rejected) + len(outcome_unknown) == 500
    assert queued_ids, "no send was queued: the faults did not mix in"
    assert outcome_unknown, "no outcome was unknown: the faults did not mix in"

    entry = init_integration
    outbox = entry.runtime_data.outbox
    assert outbox.pending_count == len(queued_ids)
    for _ in range(100):
        if not outbox.pending_count:
            break
        await call_action(hass, "retry_queued")
    assert outbox.pending_count == 0
    assert queued(hass) == "0"

    counts = Counter(sent_texts(account))
    assert not [t for t, n in counts.items() if n > 1], "a message was sent twice"
    assert set(counts) <= set(texts)
    assert all(counts[t] == 1 for t in sent_now)
    assert not any(counts[t] for t in rejected)

    unknown_texts = Counter(e.data["message"] for e in unknown)
    assert all(unknown_texts[t] == 1 for t in outcome_unknown)
    dropped_ids = {e.data["queue_id"] for e in dropped}
    unknown_ids = {e.data["queue_id"] for e in unknown if e.data["queue_id"]}
    for queue_id, text in queued_ids.items():
        # Each queued message was sent exactly once, or its retry ended in a
        # reported failure: refused (dropped) or of unknown outcome.
        if queue_id in dropped_ids:
            assert counts[text] == 0
        elif queue_id not in unknown_ids:
            assert counts[text] == 1, f"queued {text} was lost"
    assert (
        sum(
            1
            for e in unknown
            if e.data["queue_id"] is None and e.data["message"] not in outcome_unknown
        )
        == 0
    )
    # Everything the sandbox sent was reported to the caller as sent, queued
    # (then sent), or of unknown outcome: nothing went out behind its back.
    assert set(counts) <= sent_now | set(queued_ids.values()) | outcome_unknown


# Home Assistant stops while retries wait on a slow server


async def test_stop_during_retries_is_prompt_and_sends_nothing_twice(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    release_held_answers: None,  # last: ends held answers first
) -> None:
    """Ten queued, retry_queued against a server answering after 20 s, then stop.

    The stop starts no new attempt and returns within one request timeout
    (10 s); nothing is written cleanly at the end. A later start (as after
    a kill) sends each message that had not gone out exactly once.
    """
    entry = init_integration
    unknown = async_capture_events(hass, EVENT_OUTCOME_UNKNOWN)
    await go_offline(account)
    texts = [f"Alarm {n}" for n in range(10)]
    for text in texts:
        await send_text(hass, text)
    await account.accept_connections()
    account.slow_seconds = 20
    account.inject(Fault.SLOW, count=10, path="sms/send")
    retry = start(call_action(hass, "retry_queued"))
    await spin_until(lambda: sends(account) == 1)

    outbox = entry.runtime_data.outbox
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await spin_until(lambda: outbox.sender.stopping)
    freezer.tick(timedelta(seconds=STOP_WAIT + 1))  # one request timeout
    await spin_until(retry.done)  # the pass ended: the stop is over
    assert sends(account) == 1  # no attempt started after the stop
    await advance(hass, freezer, 600)
    assert sends(account) == 1  # and no timer either

    # A start after a kill: the journal is all there is.
    account.clear_faults()
    async with aiohttp.ClientSession() as session:
        restarted = Outbox(
            hass,
            entry.entry_id,
            TextBoostClient(session, account.token, account.base_url),
            queue_ttl=timedelta(hours=1),
            reauth=lambda: None,
        )
        await restarted.async_load()
        assert await restarted.async_retry_now() == 9
        await restarted.async_unload()

    assert sends(account) == 10
    assert sorted(sent_texts(account)) == sorted(texts)  # each exactly once
    assert len(unknown) == 1  # the one that was in flight: reported, not resent


async def test_a_send_while_home_assistant_stops_is_queued(
    hass: HomeAssistant, init_integration: MockConfigEntry, account: Sandbox
) -> None:
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()

    response = await send_text(hass, "Door open")

    assert response["recipients"][0]["state"] == "queued"
    assert response["recipients"][0]["error"] == "Home Assistant is stopping"
    assert sends(account) == 0
    assert [e["message"]["message"] for e in stored_entries(hass)] == ["Door open"]


# Delivery tracking past its bound while a round reads the list


async def test_a_message_dropped_during_a_round_is_skipped_by_it(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    release_held_answers: None,  # last: ends held answers first
) -> None:
    """A send past MAX_TRACKED while the list is read drops the oldest: no crash."""
    monkeypatch.setattr("custom_components.textboost.outbox.tracker.MAX_TRACKED", 1)
    statuses = async_capture_events(hass, EVENT_MESSAGE_STATUS)
    await send_text(hass, "One")
    await hass.async_block_till_done()  # the balance read after it, too
    account.slow_seconds = 5  # within the client's timeout (the balance read)
    account.inject(Fault.SLOW, path="sms")
    freezer.tick(timedelta(seconds=POLL_DELAYS[0]))
    async_fire_time_changed(hass)
    await spin_until(lambda: len(account.requests_to("sms", "GET")) == 1)

    [second] = (await send_text(hass, "Two"))["recipients"]  # drops "One"
    freezer.tick(timedelta(seconds=account.slow_seconds))
    async_fire_time_changed(hass)
    outbox = init_integration.runtime_data.outbox
    await spin_until(lambda: not outbox.tracker.running)
    account.complete_deliveries()
    await advance(hass, freezer, POLL_DELAYS[1])

    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert [(e.data["uid"], e.data["status"]) for e in statuses[2:]] == [
        (second["uid"], "Delivered")
    ]
    assert outbox.tracked_count == 0
