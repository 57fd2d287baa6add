"""Delivery tracking: statuses read by list, a few stragglers by uid.

There is no delivery-report callback (WIRE-NOTES "Listing"): statuses are
read. One *round* reads the paginated ``GET sms`` list (25 rows a page)
until every tracked message has been seen, so it costs at most
``ceil(N / 25) + 2`` list requests for N reports listed since the oldest
tracked message (any report of the account counts, not only tracked ones);
the pages stop as soon as nothing tracked is missing. Only
``STRAGGLERS_PER_ROUND`` messages the list did not show are read one by one
(``GET sms/{uid}``).

A message is looked at ``POLL_DELAYS`` after it was accepted (cumulated:
10 s, 30 s, 1 min, 2 min, 4 min, 9 min, 19 min, 49 min), then left alone.
Rounds of messages sent close together are shared. Every recipient of a
send is tracked, up to ``MAX_TRACKED`` (about 250 bytes of memory each, so
2.5 MB at the bound; the oldest is dropped beyond it). What is tracked is
written to the outbox journal, so a restart does not lose it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime, timedelta
from itertools import accumulate
import logging
from typing import Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant
from homeassistant.helpers.event import (
    async_call_later,
    async_track_point_in_utc_time,
)
from homeassistant.util import dt as dt_util

from ..api import Message, TextBoostClient, TextBoostError, delivery_state
from .manners import RateLimitManners
from .model import StatusChange, TrackedMessage
from .store import Journal

_LOGGER = logging.getLogger(__name__)

#: Seconds between two looks at one message's status; then it is left alone.
POLL_DELAYS: Final = (10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0)
_OFFSETS: Final = tuple(accumulate(POLL_DELAYS))
MAX_TRACKED: Final = 10_000
STRAGGLERS_PER_ROUND: Final = 3
#: Seconds within which what is tracked reaches the journal.
WRITE_DELAY: Final = 1.0
#: Reports are listed from this long before the oldest tracked message.
_SLACK: Final = timedelta(minutes=1)
KIND: Final = "tracked"


def is_pending(status: str) -> bool:
    """Whether a delivery status may still change (no status yet counts).

    The client's ``delivery_state``: ``Enroute``, ``Accepted`` and the
    statuses of a message not yet sent (WIRE-NOTES "Endpoints").
    """
    return not status or delivery_state(status) == "pending"


class DeliveryTracker:
    """Follows the delivery status of every message sent from Home Assistant."""

    def __init__(
        self,
        hass: HomeAssistant,
        client: TextBoostClient,
        journal: Journal,
        manners: RateLimitManners,
        report: Callable[[list[StatusChange]], None],
    ) -> None:
        """Report each status change to ``report`` (one call per round)."""
        self._hass = hass
        self._client = client
        self._journal = journal
        self._manners = manners
        self._report = report
        self._tracked: dict[str, TrackedMessage] = {}
        self._timer: CALLBACK_TYPE | None = None
        self._timer_due: datetime | None = None
        self._running = False
        self._stopped = False
        self._unwritten: dict[str, dict[str, object] | None] = {}
        self._write_timer: CALLBACK_TYPE | None = None

    @property
    def running(self) -> bool:
        """Whether a status round is under way."""
        return self._running

    @property
    def count(self) -> int:
        """How many messages are followed."""
        return len(self._tracked)

    def load(self, records: Iterable[dict[str, object]]) -> int:
        """Take back what was tracked before a restart; return how many were bad.

        ``records`` are the journal's ``tracked/<uid>`` values
        (``TrackedMessage.as_dict``); an unreadable one is skipped.
        """
        bad = 0
        for record in records:
            try:
                tracked = TrackedMessage.from_dict(dict(record))
            except (KeyError, TypeError, ValueError):
                bad += 1
                continue
            self._tracked[tracked.uid] = tracked
        self._arm()
        return bad

    def stop(self) -> None:
        """Start no more rounds."""
        self._stopped = True
        self._cancel_timer()

    def track(self, messages: list[TrackedMessage]) -> None:
        """Follow ``messages`` (those still pending); written in the background.

        Nothing once stopped; beyond ``MAX_TRACKED`` the oldest is dropped.
        """
        pending = [m for m in messages if is_pending(m.status)]
        if not pending or self._stopped:
            return
        changes: dict[str, dict[str, object] | None] = {}
        for message in pending:
            self._tracked[message.uid] = message
            changes[f"{KIND}/{message.uid}"] = message.as_dict()
        while len(self._tracked) > MAX_TRACKED:
            oldest = next(iter(self._tracked))
            del self._tracked[oldest]
            changes[f"{KIND}/{oldest}"] = None
            _LOGGER.debug(
                "Tracking %d messages: stopped following %s", MAX_TRACKED, oldest
            )
        self._write(changes)
        self._arm(pending)

    def _write(self, changes: dict[str, dict[str, object] | None]) -> None:
        """Write within ``WRITE_DELAY``: a send does not wait for its tracking.

        Tracking is not a promise to the caller: it is written without
        ``fsync``, and the writes of a second share one append. A kill within
        that second loses the tracking of the last sends (not the sends).
        """
        self._unwritten.update(changes)
        # Once stopped, nothing more is written: the journal may be the next
        # outbox's (a reload), and async_stop wrote what was due.
        if self._write_timer is None and not self._stopped:
            self._write_timer = async_call_later(
                self._hass, WRITE_DELAY, self._async_write_soon
            )

    async def _async_write_soon(self, _now: datetime) -> None:
        self._write_timer = None
        await self._async_flush()

    async def _async_flush(self) -> None:
        batch, self._unwritten = self._unwritten, {}
        if batch:
            await self._journal.async_write(batch, durable=False)

    async def async_stop(self) -> None:
        """Start no more rounds; write what is not written yet."""
        self.stop()
        if self._write_timer is not None:
            self._write_timer()
            self._write_timer = None
        await self._async_flush()

    @staticmethod
    def _next_due(message: TrackedMessage) -> datetime | None:
        """When ``message`` is looked at next; None when it is left alone.

        A message whose schedule passed while Home Assistant was stopped is
        looked at once more, at once.
        """
        after = message.looked or message.sent
        for offset in _OFFSETS:
            due = message.sent + timedelta(seconds=offset)
            if due > after:
                return due
        return None

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer()
        self._timer = self._timer_due = None

    def _arm(self, new: list[TrackedMessage] | None = None) -> None:
        """Wake up for the next round; with ``new``, only if they need it sooner.

        Looking at ``new`` alone keeps a send's cost independent of how many
        messages are tracked already.
        """
        if self._stopped or self._running or not self._tracked:
            return
        armed = self._timer_due if self._timer is not None else None
        pool = new if new is not None and armed is not None else self._tracked.values()
        # Never empty: a message without a next look is forgotten at once.
        due = min(d for m in pool if (d := self._next_due(m)))
        if self._manners.paused_until is not None:
            due = max(due, self._manners.paused_until)
        if armed is not None and (armed == due or (new is not None and armed <= due)):
            return
        self._cancel_timer()
        self._timer_due = due
        self._timer = async_track_point_in_utc_time(self._hass, self._async_round, due)

    async def _async_round(self, _now: datetime | None = None) -> None:
        """Read the statuses of every tracked message that is due."""
        self._timer = self._timer_due = None
        self._running = True
        try:
            await self._round()
        finally:
            self._running = False
            self._arm()

    async def _round(self) -> None:
        now = dt_util.utcnow()
        due = {
            uid: m
            for uid, m in self._tracked.items()
            if (d := self._next_due(m)) is not None and d <= now
        }
        seen = await self._read_list(due) if due else None
        if seen is None:
            return  # nothing due, or paused: due again after the pause
        missing = [m for uid, m in due.items() if uid not in seen]
        for message in missing[:STRAGGLERS_PER_ROUND]:
            if not self._manners.may_request():
                break
            try:
                seen[message.uid] = await self._client.get_message(message.uid)
            except TextBoostError as err:
                _LOGGER.debug("Status of %s not read: %s", message.uid, err)
                if self._manners.pause_for(err):
                    break
        await self._apply(due, seen)

    async def _read_list(
        self, due: dict[str, TrackedMessage]
    ) -> dict[str, Message] | None:
        """The rows of ``GET sms`` that are tracked, paging until all are seen.

        None when the rate-limit manners say wait, or a pause started.
        """
        if not self._manners.may_request():
            return None
        seen: dict[str, Message] = {}
        missing = set(due)
        try:
            async for row in self._rows():
                if row.uid in self._tracked:
                    seen[row.uid] = row
                    missing.discard(row.uid)
                    if not missing:
                        break
        except TextBoostError as err:
            _LOGGER.debug("Message list not read: %s", err)
            if self._manners.pause_for(err):
                return None
        return seen

    def _rows(self) -> AsyncIterator[Message]:
        """The reports sent since the oldest tracked message (a minute of slack).

        ``iter_messages_since`` reads them in either list order, at most
        ``ceil(N / 25) + 2`` pages for N reports since then (client docs).
        """
        oldest = min(m.sent for m in self._tracked.values())
        return self._client.iter_messages_since(oldest - _SLACK)

    async def _apply(
        self, due: dict[str, TrackedMessage], seen: dict[str, Message]
    ) -> None:
        """Report what changed; forget what is final or at the end of its schedule."""
        changes: list[StatusChange] = []
        forget: dict[str, dict[str, object] | None] = {}
        now = dt_util.utcnow()
        for uid in [*due, *(uid for uid in seen if uid not in due)]:
            message = self._tracked.get(uid)
            if message is None:
                continue  # dropped (MAX_TRACKED) by a send while the list was read
            if uid in due:
                message.looked = now
            found = seen.get(uid)
            if found is not None and found.status and found.status != message.status:
                message.status = found.status
                changes.append(StatusChange(message.uid, message.to, found.status))
            if not is_pending(message.status) or self._next_due(message) is None:
                if is_pending(message.status):
                    _LOGGER.debug("Gave up following %s", message.uid)
                del self._tracked[message.uid]
                forget[f"{KIND}/{message.uid}"] = None
        if changes:
            self._report(changes)
        if forget:
            self._write(forget)
