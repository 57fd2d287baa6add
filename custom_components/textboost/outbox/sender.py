"""The sender: attempts, backoff, hold-back, the local schedule, retry and clear.

Rules, in the order they matter:

1. A message that may have reached the server is never sent again
   automatically. Only failures the client marks ``certainly_not_sent`` (a
   refused connection, DNS or TLS failure before the request was written,
   HTTP 429, "Too Many Attempts.") are queued for a retry. A refused token is
   a definite "not sent" too: the message waits while the user gives a new
   token. An answer that says nothing certain (a timeout, a lost connection,
   HTTP 5xx, a body that cannot be read) is reported, never retried.
2. Before a queued message is attempted, it is marked *in flight* in the
   journal, on disk. If Home Assistant stops during that attempt, its fate
   is unknown, so after a restart it is reported, not sent again. Only one
   pass over the queue runs at a time.
3. A queued message lives for the time-to-live of the options, then it is
   dropped with a warning and an event.
4. Messages held for a local schedule wait in the same queue and go out at
   their time, never early.
5. When a retry fails because the server is out of reach or throttling, the
   other waiting messages wait too.
6. Once stopping (Home Assistant stops, or the entry unloads), no attempt
   starts and no timer is armed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
import logging
import random
from typing import Final
import uuid

from homeassistant.core import CALLBACK_TYPE, HomeAssistant
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from ..api import AuthenticationFailed, OutcomeUnknown, RateLimited, TextBoostError
from .model import OutboxEntry, OutgoingMessage
from .notices import Notices
from .store import Journal

_LOGGER = logging.getLogger(__name__)

RETRY_BASE: Final = 30.0  # seconds
RETRY_CAP: Final = 1800.0  # seconds
KIND: Final = "entry"

#: Sends one waiting entry; True when done with it, False when the server is
#: out of reach or throttling (the others wait too).
type Attempt = Callable[[OutboxEntry], Awaitable[bool]]


def retry_delay(attempts: int, retry_after: float | None = None) -> float:
    """Seconds before attempt ``attempts + 1``: exponential backoff, "equal jitter".

    Uniform between half and all of ``min(RETRY_CAP, RETRY_BASE * 2**(n-1))``,
    never shorter than the server's ``Retry-After``.
    """
    ceiling = min(RETRY_CAP, RETRY_BASE * 2 ** max(attempts - 1, 0))
    delay = random.uniform(ceiling / 2, ceiling)  # noqa: S311 (not cryptography)
    return max(delay, retry_after or 0.0)


class Sender:
    """The queue of waiting messages and the passes that send them."""

    def __init__(
        self,
        hass: HomeAssistant,
        journal: Journal,
        notices: Notices,
        ttl: timedelta,
    ) -> None:
        """Keep the queue in ``journal``; ``attempt`` is set by the outbox."""
        self._hass = hass
        self._journal = journal
        self._notices = notices
        self._ttl = ttl
        self.entries: dict[str, OutboxEntry] = {}
        self.attempt: Attempt | None = None
        self._timer: CALLBACK_TYPE | None = None
        self._processing = False
        self._rerun = False
        self.idle = asyncio.Event()
        self.idle.set()
        self.stopping = False

    # The queue

    def new_entry(
        self, message: OutgoingMessage, due: datetime, *, scheduled: bool
    ) -> OutboxEntry:
        """A waiting message: due at ``due``, expiring a time-to-live later.

        ``due`` is aware UTC. The time-to-live counts from ``due`` for a
        schedule, from now for a retry. The id is 12 hex characters.
        """
        start = due if scheduled else dt_util.utcnow()
        return OutboxEntry(
            id=uuid.uuid4().hex[:12],
            message=message,
            due=due,
            expires=start + self._ttl,
            scheduled=scheduled,
        )

    async def async_save(
        self, *entries: OutboxEntry, forget: tuple[str, ...] = ()
    ) -> bool:
        """Write ``entries`` and forget ``forget``; on disk when it returns.

        False (nothing written) once the outbox is closed: a newer outbox
        owns the journal then. Raises ``OSError`` when the file cannot be
        written (``Journal.async_write``).
        """
        changes: dict[str, dict[str, object] | None] = {
            f"{KIND}/{e.id}": e.as_dict() for e in entries
        }
        changes.update({f"{KIND}/{entry_id}": None for entry_id in forget})
        if self._notices.closed:
            return False
        if changes:
            await self._journal.async_write(changes)
        return True

    async def async_add(self, entry: OutboxEntry) -> None:
        """Queue ``entry``: on disk before it returns."""
        self.entries[entry.id] = entry
        await self.async_save(entry)
        self._notices.queue_changed()
        self.arm()

    async def async_forget(self, entry: OutboxEntry) -> bool:
        """Take ``entry`` out of the queue (sent, dropped or reported).

        False when the journal could no longer record it (see ``async_save``).
        """
        self.entries.pop(entry.id, None)
        return await self.async_save(forget=(entry.id,))

    def stop(self) -> None:
        """Start no more attempts and arm no more timers."""
        self.stopping = True
        self._cancel_timer()

    def _cancel_timer(self) -> None:
        if self._timer:
            self._timer()
            self._timer = None

    def arm(self) -> None:
        """Wake up when the next message is due or the next one expires.

        One timer (``async_track_point_in_utc_time``); none while stopping,
        during a pass, or with nothing waiting but in-flight messages.
        """
        self._cancel_timer()
        waiting = [e for e in self.entries.values() if not e.in_flight]
        if self.stopping or not waiting or self._processing:
            return
        wake = min(min(e.due, e.expires) for e in waiting)
        self._timer = async_track_point_in_utc_time(
            self._hass, self._async_process, max(wake, dt_util.utcnow())
        )

    async def _async_process(self, _now: datetime | None = None) -> None:
        """Drop what expired, then send what is due, one pass at a time."""
        self._timer = None
        if self._processing:
            self._rerun = True  # the pass under way looks again before it ends
            return
        self._processing = True
        self.idle.clear()
        try:
            self._rerun = True
            while self._rerun and not self.stopping:
                self._rerun = False
                await self._process_once()
        finally:
            self._processing = False
            self.idle.set()
            self._notices.queue_changed()
            self.arm()

    async def _process_once(self) -> None:
        """Oldest first; stop at the first sign of an outage."""
        assert self.attempt is not None
        for entry in sorted(self.entries.values(), key=lambda e: e.due):
            if self.stopping:
                break
            if self.entries.get(entry.id) is not entry:
                continue  # cleared while an earlier message was being sent
            now = dt_util.utcnow()
            if now >= entry.expires:
                await self.async_drop(entry, "expired")
            elif entry.due <= now and not await self.attempt(entry):
                await self._hold_back(entry.due)
                break

    async def _hold_back(self, until: datetime) -> None:
        """The server is out of reach or throttling: the others wait too."""
        moved = [e for e in self.entries.values() if not e.in_flight and e.due < until]
        for entry in moved:
            entry.due = until
        await self.async_save(*moved)

    async def async_failed(self, entry: OutboxEntry, err: TextBoostError) -> bool:
        """Settle an attempt that raised; False when the others should wait.

        Certainly not sent, or the token refused: due again after
        ``retry_delay``, returns False. ``OutcomeUnknown``: forgotten and
        reported, never sent again. Any other error (a refusal): dropped
        with reason ``rejected``.
        """
        entry.last_error = str(err)
        if err.certainly_not_sent or isinstance(err, AuthenticationFailed):
            retry_after = err.retry_after if isinstance(err, RateLimited) else None
            entry.due = dt_util.utcnow() + timedelta(
                seconds=retry_delay(entry.attempts + 1, retry_after)
            )
            entry.scheduled = False
            _LOGGER.debug("Queued message %s not sent yet: %s", entry.id, err)
            await self.async_save(entry)
            return False
        if isinstance(err, OutcomeUnknown):
            _LOGGER.warning(
                "Queued message %s may or may not have been sent (%s); "
                "it will not be sent again",
                entry.id,
                err,
            )
            if await self.async_forget(entry):
                # Else it is still in flight on disk: the next start reports it.
                self._notices.outcome_unknown(entry.message, entry.id, str(err))
            return True
        await self.async_drop(entry, "rejected", str(err))
        return True

    async def async_drop(
        self, entry: OutboxEntry, reason: str, error: str | None = None
    ) -> None:
        """Drop a waiting message with a warning and an event.

        ``reason``: ``expired`` or ``rejected`` (``async_clear`` says ``cleared``).
        """
        _LOGGER.warning(
            "Dropped queued message %s to %d recipient(s): %s%s",
            entry.id,
            len(entry.message.recipients),
            reason,
            f" ({error})" if error else "",
        )
        await self.async_forget(entry)
        self._notices.dropped(entry, reason, error)

    async def async_retry_now(self) -> int:
        """Send every queued retry now; return how many there were.

        Messages held for a local schedule stay where they are, and a message
        already being sent is not sent again.
        """
        retries = [
            e for e in self.entries.values() if not e.scheduled and not e.in_flight
        ]
        if not retries or self.stopping:
            return 0
        now = dt_util.utcnow()
        for entry in retries:
            entry.due = min(entry.due, now)
        self._cancel_timer()
        await self._async_process()
        await self.idle.wait()
        return len(retries)

    async def async_clear(self) -> int:
        """Drop every waiting message; return how many were dropped.

        A message already being sent cannot be called back, so it stays.
        """
        dropped = [e for e in self.entries.values() if not e.in_flight]
        for entry in dropped:
            del self.entries[entry.id]
        await self.async_save(forget=tuple(e.id for e in dropped))
        if dropped:
            _LOGGER.info("Cleared %d waiting message(s)", len(dropped))
        for entry in dropped:
            self._notices.dropped(entry, "cleared", None)
        self._notices.queue_changed()
        self.arm()
        return len(dropped)
