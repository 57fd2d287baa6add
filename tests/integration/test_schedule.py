"""Scheduled messages: the account's time zone, and never early."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from sandbox import Sandbox
from tests.helpers import NUMBER, OTHER, bodies, send_sms

#: 12:00 in Amsterdam (summer time, UTC+2), 16:00 in Dhaka (UTC+6).
NOW = "2026-06-01 10:00:00+00:00"


@pytest.fixture
async def amsterdam(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Home Assistant in Amsterdam, at noon on 1 June 2026."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    freezer.move_to(NOW)


@pytest.mark.parametrize(
    ("schedule", "schedule_time"),
    [
        ("2026-06-01 18:30:00", "2026-06-01 22:30"),
        ("2026-06-01 20:15:00", "2026-06-02 00:15"),
        ("2026-12-24 18:30:00", "2026-12-24 23:30"),
        ("2026-06-01T18:30:00+00:00", "2026-06-02 00:30"),
    ],
    ids=[
        "on-the-minute",
        "next-day-in-dhaka",
        "winter-time",
        "explicit-offset",
    ],
)
@pytest.mark.usefixtures("amsterdam", "init_integration")
async def test_schedule_in_the_account_time_zone(
    hass: HomeAssistant, account: Sandbox, schedule: str, schedule_time: str
) -> None:
    """Amsterdam time reaches the server as Dhaka wall time, never early."""
    response = await send_sms(
        hass, recipients=[NUMBER, OTHER], message="Bins out", schedule=schedule
    )

    assert bodies(account) == [
        {
            "recipient": f"{NUMBER},{OTHER}",
            "type": "plain",
            "message": "Bins out",
            "schedule_time": schedule_time,
        }
    ]
    assert [m.status for m in account.sent_messages()] == ["Scheduled", "Scheduled"]
    assert response["requests"] == 1
    assert [(r["recipient"], r["state"]) for r in response["recipients"]] == [
        (NUMBER, "scheduled"),
        (OTHER, "scheduled"),
    ]


@pytest.mark.usefixtures("amsterdam", "init_integration")
async def test_one_recipient_waits_for_its_time(
    hass: HomeAssistant, account: Sandbox, freezer: FrozenDateTimeFactory
) -> None:
    """The server would send a one-number schedule at once: the outbox holds it."""
    response = await send_sms(
        hass, recipients=[NUMBER], message="Bins out", schedule="2026-06-01 18:30:20"
    )

    due = datetime(2026, 6, 1, 16, 30, 20, tzinfo=dt_util.UTC)
    assert bodies(account) == []
    assert response == {
        "queue_id": response["queue_id"],
        "requests": 0,
        "server_message": None,
        "send_at": due.isoformat(),
        "recipients": [
            {
                "recipient": NUMBER,
                "state": "scheduled",
                "uid": None,
                "status": None,
                "cost": None,
                "segments": 1,
                "encoding": "gsm7",
                "error": None,
            }
        ],
    }
    assert response["queue_id"]
    assert hass.states.get("sensor.ada_lovelace_queued_messages").state == "1"

    freezer.move_to(due - timedelta(seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert bodies(account) == []

    freezer.move_to(due)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert bodies(account) == [
        {"recipient": NUMBER, "type": "plain", "message": "Bins out"}
    ]
    (stored,) = account.sent_messages()
    assert stored.scheduled_for is None
    assert hass.states.get("sensor.ada_lovelace_queued_messages").state == "0"

    freezer.tick(timedelta(hours=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(bodies(account)) == 1


@pytest.mark.usefixtures("amsterdam", "init_integration")
async def test_one_number_from_a_group_waits_too(
    hass: HomeAssistant, account: Sandbox, freezer: FrozenDateTimeFactory
) -> None:
    """A group of one is one recipient: held by the outbox as well."""
    account.add_group("Me", contacts=1)

    await send_sms(hass, groups=["Me"], message="Hi", schedule="2026-06-01 12:05:00")
    assert bodies(account) == []

    freezer.move_to("2026-06-01 10:05:00+00:00")
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert bodies(account) == [
        {"recipient": "31610000001", "type": "plain", "message": "Hi"}
    ]
