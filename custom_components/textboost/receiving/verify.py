"""Webhook intake and verification: a posted message fires once, and only if real.

The server POSTs ``to, from, content`` unsigned, without a uid, once
(WIRE-NOTES, "Listing, incoming messages"). Anyone who learns the URL can
post, so by default a posted message waits until the same text from the same
sender is found in the account's incoming list (one read for every message
waiting then); it then fires with the list's uid and ``verified: true``.
With verification off it fires at once with ``verified: false``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import logging
from typing import Final

from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from ..api import TextBoostError, mask_phone
from ..api.incoming import IncomingMessage
from .core import ReceiverCore
from .dedup import MATCH_WINDOW, Waiting, claim_recent

_LOGGER = logging.getLogger(__name__)

#: Seconds after a message was posted (then after each read that did not
#: find it) before the incoming list is read to verify it; then it is refused.
VERIFY_DELAYS: Final = (2.0, 10.0, 30.0)
#: A verification read starts this long before the oldest waiting message.
LOOKBACK: Final = timedelta(minutes=10)
MAX_WAITING: Final = 50


class Verification(ReceiverCore):
    """What the webhook hands over, and its verification."""

    def refuse_body(self, reason: str) -> None:
        """Count and log (once as a warning) a body that is no message.

        ``reason`` is ``InvalidWebhookPayload.reason`` (``too_large``,
        ``content_type``, ``encoding``, ``malformed``, ``missing_fields``).
        """
        self.counts[f"refused_{reason}"] += 1
        self._log_refusal(
            f"body_{reason}",
            "A request to the webhook of %s was refused (%s); nothing was fired",
            self.entry.title,
            reason,
        )

    async def async_posted(self, message: IncomingMessage) -> None:
        """A message the server posted to the webhook.

        A repeat is dropped; with verification off it fires at once; else it
        waits for a read of the incoming list (``VERIFY_DELAYS``), and is
        refused when ``MAX_WAITING`` messages wait already.
        """
        async with self._lock:
            now = dt_util.utcnow()
            if claim_recent(reversed(self._recent), message, now):
                self.counts["repeats"] += 1
                _LOGGER.debug(
                    "Posted message from %s already fired", mask_phone(message.sender)
                )
                return
            if not self.settings.verify:
                await self._deliver(message, uid=None, at=now, by_webhook=True)
                return
            if len(self._waiting) >= MAX_WAITING:
                self.counts["refused_too_many_waiting"] += 1
                self._log_refusal(
                    "too_many_waiting",
                    "Too many messages posted to the webhook of %s wait for "
                    "verification; one from %s was refused",
                    self.entry.title,
                    mask_phone(message.sender),
                )
                return
            self._waiting.append(Waiting(message, now))
            if self._timers.verify is None:
                self._arm_verify(VERIFY_DELAYS[0])

    # Verification

    def _arm_verify(self, delay: float) -> None:
        """Verify in ``delay`` seconds (called only while no timer is armed)."""
        self._timers.verify = async_call_later(
            self.hass, delay, self._async_verify_tick
        )

    async def _async_verify_tick(self, _now: datetime) -> None:
        self._timers.verify = None
        await self._async_verify()

    async def _async_verify(self) -> None:
        """Look for every waiting message in one read of the incoming list."""
        async with self._lock:
            if not self._waiting:
                return
            if (wait := self._pause_left()) is not None:
                self._arm_verify(wait)
                return
            since = min(w.arrived for w in self._waiting) - LOOKBACK
            failure: TextBoostError | None = None
            try:
                listed = await self._list(since)
            except TextBoostError as err:
                self._read_failed(err)
                failure, listed = err, []
            still: list[Waiting] = []
            for waiting in self._waiting:
                if await self._verified(waiting, listed):
                    continue
                waiting.reads += 1
                if waiting.reads < len(VERIFY_DELAYS):
                    still.append(waiting)
                elif failure is None:
                    self.counts["refused_unverified"] += 1
                    self._log_refusal(
                        "unverified",
                        "A message posted to the webhook of %s from %s is not in "
                        "the account's incoming messages; it was ignored",
                        self.entry.title,
                        mask_phone(waiting.message.sender),
                    )
                else:
                    self.counts["refused_unverifiable"] += 1
                    self._log_refusal(
                        "unverifiable",
                        "A message posted to the webhook of %s from %s was ignored: "
                        "the account's incoming messages could not be read to "
                        "verify it (%s)",
                        self.entry.title,
                        mask_phone(waiting.message.sender),
                        failure,
                    )
            self._waiting = still
            if still:
                self._arm_verify(
                    self._pause_left() or VERIFY_DELAYS[min(w.reads for w in still)]
                )

    async def _verified(self, waiting: Waiting, listed: list[IncomingMessage]) -> bool:
        """Fire a waiting message found in the list; True when it is done with."""
        matches = [
            row
            for row in listed
            if row.uid
            and row.same_text_as(waiting.message)
            and (
                row.received_at is None
                or abs(row.received_at - waiting.arrived) <= MATCH_WINDOW
            )
        ]
        fresh = [row for row in matches if row.uid not in self._seen]
        if not fresh:
            if matches:  # posted again, or fired by polling meanwhile
                self.counts["repeats"] += 1
                return True
            return False
        row = min(fresh, key=lambda r: r.received_at or waiting.arrived)
        assert row.uid is not None
        self._mark_seen(row.uid)
        merged = IncomingMessage(
            sender=waiting.message.sender,
            to=waiting.message.to or row.to,
            text=waiting.message.text,
            country=waiting.message.country,
            country_name=waiting.message.country_name,
            uid=row.uid,
            received_at=row.received_at,
        )
        await self._deliver(
            merged, uid=row.uid, at=row.received_at or waiting.arrived, by_webhook=True
        )
        return True
