"""Polling: the account's incoming list, read every few minutes.

For installations the server cannot reach: the list is read from the last
message seen on (WIRE-NOTES, "Listing, incoming messages").
"""

from __future__ import annotations

from datetime import datetime, timedelta
import logging
from typing import Final

from homeassistant.util import dt as dt_util

from ..api import RateLimited, TextBoostError
from ..api.incoming import IncomingMessage
from .core import ReceiverCore
from .dedup import MATCH_WINDOW

_LOGGER = logging.getLogger(__name__)

#: Polling reads again this far before the last message seen.
POLL_OVERLAP: Final = timedelta(minutes=5)


class Polling(ReceiverCore):
    """Reads the incoming list on a timer; fires what is new."""

    async def _async_poll_tick(self, _now: datetime) -> None:
        await self.async_poll()

    async def async_poll(self) -> None:
        """Read the incoming list since the last message seen; fire what is new.

        Reads from ``POLL_OVERLAP`` before the cursor; nothing while the
        account's reads are paused. A failed read raises nothing: it is
        counted, may pause reads (``RateLimitManners.pause_for``) and is
        warned once per outage (not for throttling).
        """
        async with self._lock:
            if self._pause_left() is not None:
                return
            assert self._cursor is not None
            try:
                listed = await self._list(self._cursor - POLL_OVERLAP)
            except TextBoostError as err:
                self._read_failed(err)
                if not self._poll_failing and not isinstance(err, RateLimited):
                    self._poll_failing = True
                    _LOGGER.warning(
                        "Incoming messages of %s cannot be read: %s",
                        self.entry.title,
                        err,
                    )
                return
            if self._poll_failing:
                self._poll_failing = False
                _LOGGER.info("Incoming messages of %s are read again", self.entry.title)
            epoch = datetime.min.replace(tzinfo=dt_util.UTC)
            for row in sorted(listed, key=lambda r: r.received_at or epoch):
                if row.received_at and row.received_at > self._cursor:
                    self._cursor = row.received_at
                if not row.uid or row.uid in self._seen:
                    continue
                self._mark_seen(row.uid)
                await self._polled(row)
            self._save()

    async def _polled(self, row: IncomingMessage) -> None:
        at = row.received_at or dt_util.utcnow()
        for recent in self._recent:
            if (
                recent.uid is None
                and recent.by_webhook
                and recent.message.same_text_as(row)
                and abs(recent.at - at) <= MATCH_WINDOW
            ):
                recent.uid = row.uid  # fired unverified from the webhook
                self.counts["repeats"] += 1
                return
        for waiting in self._waiting:
            if waiting.message.same_text_as(row) and (
                abs(waiting.arrived - at) <= MATCH_WINDOW
            ):
                # Posted and waiting: the poll verifies it.
                self._waiting.remove(waiting)
                row = IncomingMessage(
                    sender=row.sender,
                    to=row.to,
                    text=waiting.message.text,
                    country=waiting.message.country,
                    country_name=waiting.message.country_name,
                    uid=row.uid,
                    received_at=row.received_at,
                )
                await self._deliver(row, uid=row.uid, at=at, by_webhook=True)
                return
        await self._deliver(row, uid=row.uid, at=at, by_webhook=False)
