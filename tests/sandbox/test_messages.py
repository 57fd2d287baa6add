"""Reports over time: delivery after a delay, schedules, and `GET sms/{uid}`."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
from freezegun.api import FrozenDateTimeFactory
import pytest

from sandbox import Sandbox

from .helpers import call, send

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_delivery_after_the_delay(
    sandbox: Sandbox, session: aiohttp.ClientSession, freezer: FrozenDateTimeFactory
) -> None:
    sandbox.state.final_status["31612345679"] = "Undelivered"
    uid = (await send(session, sandbox, recipient="31612345678", message="x"))["data"][
        "uid"
    ]
    other = (await send(session, sandbox, recipient="31612345679", message="x"))[
        "data"
    ]["uid"]
    answer = await call(session, sandbox, "GET", f"sms/{uid}")
    assert answer.json == {
        "status": "success",
        "message": None,
        "data": {
            "uid": uid,
            "to": "31612345678",
            "from": "TextBoost",
            "message": "x",
            "customer_status": "Enroute",
            "cost": "0.05",
        },
    }
    freezer.tick(1.5)
    answer = await call(session, sandbox, "GET", f"sms/{uid}")
    assert answer.json["data"]["customer_status"] == "Delivered"
    answer = await call(session, sandbox, "GET", f"sms/{other}")
    assert answer.json["data"]["customer_status"] == "Undelivered"


async def test_complete_deliveries_and_zero_delay(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.delivery_delay = 3600
    await send(session, sandbox, recipient="31612345678", message="x")
    assert [msg.status for msg in sandbox.sent_messages()] == ["Enroute"]
    sandbox.complete_deliveries()
    assert [msg.status for msg in sandbox.sent_messages()] == ["Delivered"]
    sandbox.delivery_delay = 0
    envelope = await send(session, sandbox, recipient="31612345678", message="y")
    assert envelope["data"]["status"] == "Delivered"


async def test_unknown_message(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    answer = await call(session, sandbox, "GET", "sms/0123456789abc")
    assert answer.status == 200
    assert answer.json == {
        "status": "error",
        "message": "No query results for model [App\\Models\\Reports] 0123456789abc",
    }
    answer = await call(
        session,
        sandbox,
        "GET",
        "sms/0123456789abc",
        headers={"Authorization": f"Bearer {sandbox.token}"},
    )
    assert answer.status == 404
    assert "<html" in answer.text


async def test_scheduled_messages_wait_for_their_time(
    sandbox: Sandbox, session: aiohttp.ClientSession, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2026-06-01 10:00:00+00:00")
    assert sandbox.now() == datetime.fromisoformat("2026-06-01 12:00")
    sandbox.delivery_delay = 0
    envelope = await send(
        session,
        sandbox,
        recipient="31612345678,31612345679",
        message="Later",
        schedule_time="2026-06-01 12:30",
    )
    assert envelope == {
        "status": "success",
        "message": "Message is scheduled successfully.",
    }
    messages = sandbox.sent_messages()
    assert [msg.status for msg in messages] == ["Scheduled", "Scheduled"]
    assert messages[0].scheduled_for == datetime.fromisoformat("2026-06-01 12:30")
    assert messages[0].sent_at is None
    answer = await call(session, sandbox, "GET", "sms")
    assert answer.json["data"]["data"][0]["status"] == "Scheduled"
    assert answer.json["data"]["data"][0]["sent_at"] is None

    sandbox.complete_deliveries()  # scheduled messages have not left yet
    assert [msg.status for msg in sandbox.sent_messages()] == ["Scheduled"] * 2

    freezer.move_to("2026-06-01 10:30:00+00:00")
    messages = sandbox.sent_messages()
    assert [msg.status for msg in messages] == ["Delivered", "Delivered"]
    assert messages[0].sent_at == datetime(2026, 6, 1, 10, 30, tzinfo=UTC)


async def test_scheduled_with_failures_has_no_data(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    envelope = await send(
        session,
        sandbox,
        recipient="31612345678,12",
        message="Later",
        schedule_time="2099-01-01 00:00",
    )
    assert envelope == {"status": "success", "message": "12 is a invalid phone number"}


async def test_scheduled_single_recipient_is_sent_at_once(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    envelope = await send(
        session,
        sandbox,
        recipient="31612345678",
        message="Later",
        schedule_time="2099-01-01 08:00",
    )
    assert envelope["message"] == "Your message was successfully delivered"
    assert envelope["data"]["status"] == "Enroute"
    [stored] = sandbox.sent_messages()
    assert stored.scheduled_for == datetime.fromisoformat("2099-01-01 08:00")
    assert stored.status == "Enroute"
    assert stored.sent_at is not None


async def test_now_follows_the_profile_time_zone(
    sandbox: Sandbox, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2026-01-15 12:00:00+00:00")
    assert sandbox.now() == datetime.fromisoformat("2026-01-15 13:00")
    sandbox.state.profile.timezone = "Asia/Kolkata"
    assert sandbox.now() == datetime.fromisoformat("2026-01-15 17:30")
