"""The receiver: each incoming message of an account fired once, and only if real.

Messages come two ways (WIRE-NOTES, "Listing, incoming messages"):

* the **webhook**: the server POSTs ``to, from, content`` unsigned, without a
  uid, once. Anyone who learns the URL can post, so by default a posted
  message waits until the same text from the same sender is found in the
  account's incoming list (one read for every message waiting then); it
  then fires with the list's uid and ``verified: true``. With verification
  off it fires at once with ``verified: false``;
* **polling**: the account's incoming list is read every few minutes from
  the last message seen on, for installations the server cannot reach.

Both may run together: a message is known by its uid once it was read from
the list, and a posted message is matched to a listed one by sender, number
and text within ``MATCH_WINDOW``, so that it fires once.

The parts: webhook intake and verification (verify.py), polling
(polling.py), de-duplication (dedup.py), sender filters and names
(filters.py), shared state, read manners and firing (core.py).

Reads share the account's one ``RateLimitManners`` with the delivery tracker
(outbox/manners.py): a throttled read (HTTP 429, "Too Many Attempts.") by
either pauses both for the time the server asked for, else
``RATE_LIMIT_PAUSE``; so do an unreachable server, a refused token and a
rate-limit reserve under ``RATE_LIMIT_RESERVE`` requests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .core import _Timers
from .message import ReceivedMessage
from .polling import Polling
from .verify import MAX_WAITING, VERIFY_DELAYS, Verification

__all__ = ["MAX_WAITING", "VERIFY_DELAYS", "ReceivedMessage", "Receiver"]


class Receiver(Verification, Polling):
    """Receives the incoming messages of one account and fires each once."""

    # Life cycle

    async def async_start(self) -> None:
        """Load the last position, then poll on a timer when polling is on.

        The position comes from the ``Store``; the first start listens from
        now. The timer is ``async_track_time_interval`` at the poll interval.
        """
        if not self.settings.enabled:
            return
        self._started = True
        stored = await self._store.async_load() or {}
        cursor = stored.get("cursor")
        self._cursor = dt_util.parse_datetime(cursor) if cursor else None
        self._seen = dict.fromkeys(stored.get("seen", []))
        if self._cursor is None:
            # Listen from now on: the account's history is not news.
            self._cursor = dt_util.utcnow()
            self._save()
        if self.settings.polling:
            self._timers.poll = async_track_time_interval(
                self.hass,
                self._async_poll_tick,
                self.settings.poll_interval,
                name="TextBoost incoming messages",
                cancel_on_shutdown=True,
            )

    async def async_stop(self) -> None:
        """Stop the timers and keep the position for the next start."""
        for cancel in (self._timers.verify, self._timers.poll):
            if cancel:
                cancel()
        self._timers = _Timers()
        if self._started:
            await self._store.async_save(self._stored())

    @callback
    def async_add_listener(
        self, listener: Callable[[ReceivedMessage], None]
    ) -> CALLBACK_TYPE:
        """Call ``listener`` with each message fired; returns the remover."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def summary(self) -> dict[str, Any]:
        """Counts and state for diagnostics (no number, text or webhook id).

        A dict: the settings (``keywords`` as a count), ``waiting``, ``seen``,
        ``cursor`` and ``paused_until`` (UTC ISO 8601 or None), ``counts``.
        """
        return {
            "mode": self.settings.mode,
            "verify": self.settings.verify,
            "accept_from": self.settings.accept_from,
            "keywords": len(self.settings.keywords),
            "waiting": len(self._waiting),
            "seen": len(self._seen),
            "cursor": self._cursor.isoformat() if self._cursor else None,
            "paused_until": paused.isoformat()
            if (paused := self.manners.paused_until) and paused > dt_util.utcnow()
            else None,
            "counts": dict(sorted(self.counts.items())),
        }

    # What the webhook hands over: verify.py; polling: polling.py;
    # reads, their manners and firing: core.py.
