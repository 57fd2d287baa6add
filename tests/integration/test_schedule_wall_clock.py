"""A schedule reaches the server only as a wall time that means exactly its instant.

The server reads ``schedule_time`` (``Y-m-d H:i``) in the account's zone,
seconds dropped, and reads a wall time that occurs twice as the first one
(WIRE-NOTES). A schedule that no such text names exactly is held by the
outbox and sent at its instant: never early, never needlessly late.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.textboost.const import DOMAIN
from sandbox import Sandbox

NUMBER = "31612345678"
OTHER = "31612345679"


async def send_sms(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, "send_sms", data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


def bodies(account: Sandbox) -> list[Any]:
    return [request.body for request in account.requests_to("sms/send")]


async def at(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, moment: datetime
) -> None:
    freezer.move_to(moment)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


@pytest.fixture
async def setup(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    account_zone: str,
    monkeypatch: pytest.MonkeyPatch,
) -> MockConfigEntry:
    """Home Assistant in New York, the account elsewhere, before the clocks change.

    Home Assistant is made not to know America/Ciudad_Juarez (a zone of 2022),
    as with older time zone data; it then falls back to UTC.
    """
    known = dt_util.async_get_time_zone

    async def older_tzdata(name: str) -> Any:
        return None if name == "America/Ciudad_Juarez" else await known(name)

    monkeypatch.setattr(dt_util, "async_get_time_zone", older_tzdata)
    await hass.config.async_set_time_zone("America/New_York")
    account.state.profile.timezone = account_zone
    freezer.move_to("2030-04-01 12:00:00+00:00")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


async def _held_until(
    hass: HomeAssistant,
    account: Sandbox,
    freezer: FrozenDateTimeFactory,
    instant: str,
) -> None:
    """Sent at ``instant`` exactly, without a schedule_time, to both numbers."""
    due = dt_util.parse_datetime(instant)
    assert due is not None
    response = await send_sms(
        hass, recipients=[NUMBER, OTHER], message="Bins out", schedule=instant
    )
    assert bodies(account) == []
    assert response["send_at"] == dt_util.as_utc(due).isoformat()
    assert [(r["recipient"], r["state"]) for r in response["recipients"]] == [
        (NUMBER, "scheduled"),
        (OTHER, "scheduled"),
    ]

    await at(hass, freezer, due - timedelta(microseconds=1))
    assert bodies(account) == []
    await at(hass, freezer, due)
    assert bodies(account) == [
        {"recipient": f"{NUMBER},{OTHER}", "type": "plain", "message": "Bins out"}
    ]
    assert [m.sent_at for m in account.sent_messages()] == [due, due]


@pytest.mark.parametrize("account_zone", ["Europe/Amsterdam"])
@pytest.mark.usefixtures("setup")
async def test_second_0230_after_the_clocks_go_back_is_not_sent_an_hour_early(
    hass: HomeAssistant, account: Sandbox, freezer: FrozenDateTimeFactory
) -> None:
    """2030-10-27 01:30 UTC is the second 02:30 in Amsterdam: held, sent at 01:30 UTC.

    As "2030-10-27 02:30" the server would send it at 00:30 UTC.
    """
    await _held_until(hass, account, freezer, "2030-10-27T01:30:00+00:00")


@pytest.mark.parametrize(
    ("account_zone", "instant"),
    [
        # the first 02:30 is ambiguous too: the text does not say which one
        ("Europe/Amsterdam", "2030-10-27T00:30:00+00:00"),
        # Lord Howe Island goes back 30 minutes: 01:45 occurs twice
        ("Australia/Lord_Howe", "2030-04-06T15:15:00+00:00"),
        # seconds: "H:i" would drop them and send 20 s early
        ("Asia/Dhaka", "2030-10-27T12:30:20+00:00"),
        ("Asia/Dhaka", "2030-10-27T12:30:00.000001+00:00"),
        # a zone Home Assistant's time zone data does not know (yet)
        ("America/Ciudad_Juarez", "2030-10-27T12:30:00+00:00"),
    ],
    ids=[
        "first-of-two",
        "lord-howe-half-hour-fold",
        "seconds",
        "microsecond",
        "unknown-zone",
    ],
)
@pytest.mark.usefixtures("setup")
async def test_inexact_wall_times_are_held_and_sent_at_the_instant(
    hass: HomeAssistant, account: Sandbox, freezer: FrozenDateTimeFactory, instant: str
) -> None:
    await _held_until(hass, account, freezer, instant)


@pytest.mark.parametrize(
    ("account_zone", "instant", "schedule_time"),
    [
        # just after the fold: 03:00 Amsterdam occurs once
        ("Europe/Amsterdam", "2030-10-27T02:00:00+00:00", "2030-10-27 03:00"),
        # a quarter-hour zone
        ("Asia/Kathmandu", "2030-10-27T12:30:00+00:00", "2030-10-27 18:15"),
        ("Australia/Lord_Howe", "2030-04-06T16:00:00+00:00", "2030-04-07 02:30"),
    ],
)
@pytest.mark.usefixtures("setup")
async def test_exact_wall_times_are_scheduled_by_the_server(
    hass: HomeAssistant, account: Sandbox, instant: str, schedule_time: str
) -> None:
    """Never needlessly held: an exact wall time goes to the server at once."""
    await send_sms(hass, recipients=[NUMBER, OTHER], message="Hi", schedule=instant)
    assert bodies(account) == [
        {
            "recipient": f"{NUMBER},{OTHER}",
            "type": "plain",
            "message": "Hi",
            "schedule_time": schedule_time,
        }
    ]
