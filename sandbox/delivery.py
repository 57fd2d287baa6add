"""The sandbox's clock: scheduled messages leaving and deliveries becoming final.

The real server learns delivery statuses from its operators some time after a
send; a client only sees them by reading `GET sms/{uid}` or `GET sms`
(WIRE-NOTES: "There is no delivery-report callback"). The sandbox plays this
lazily: whenever a message is read, messages that have been "Enroute" for
`delivery_delay` seconds of `time.monotonic()` become final, and scheduled
messages whose `schedule_time` (account time zone) has come are sent.
Both clocks are the ones freezegun (Home Assistant's `freezer`) controls.
"""

from __future__ import annotations

from datetime import UTC, datetime
import time
from zoneinfo import ZoneInfo

from .state import Message, SandboxState


def account_zone(state: SandboxState) -> ZoneInfo:
    """Return the time zone of the account profile (`GET me` `timezone`)."""
    return ZoneInfo(state.profile.timezone)


def account_now(state: SandboxState) -> datetime:
    """Return the current naive time in the account's time zone."""
    return datetime.now(UTC).astimezone(account_zone(state)).replace(tzinfo=None)


def final_status(state: SandboxState, msg: Message) -> str:
    """Return the status `msg` ends with: `state.final_status` or "Delivered"."""
    return state.final_status.get(msg.to, "Delivered")


def advance(state: SandboxState, delivery_delay: float) -> None:
    """Send scheduled messages whose time came; finish deliveries past the delay."""
    now = account_now(state)
    zone = account_zone(state)
    mono = time.monotonic()
    for msg in state.messages:
        if (
            msg.status == "Scheduled"
            and msg.scheduled_for is not None
            and msg.scheduled_for <= now
        ):
            msg.status = "Enroute"
            msg.sent_at = msg.scheduled_for.replace(tzinfo=zone).astimezone(UTC)
            msg.sent_monotonic = mono
        if (
            msg.status == "Enroute"
            and msg.sent_monotonic is not None
            and mono - msg.sent_monotonic >= delivery_delay
        ):
            msg.status = final_status(state, msg)


def complete_deliveries(state: SandboxState, delivery_delay: float) -> None:
    """Make every message that has left (not those still scheduled) final now."""
    advance(state, delivery_delay)
    for msg in state.messages:
        if msg.status == "Enroute":
            msg.status = final_status(state, msg)
