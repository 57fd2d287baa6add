"""The outbox of one account: sends now, queues what certainly did not go out.

Data flows one way: ``async_send`` (from ``messaging.py``) → the client →
a typed ``SendOutcome`` back. The outbox raises no Home Assistant error:
actions and notify turn outcomes into responses and errors (``errors.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
import logging
from typing import Any, Final

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from ..api import (
    DEFAULT_TIMEOUT,
    AuthenticationFailed,
    OutcomeUnknown,
    RateLimited,
    SendResult,
    TextBoostClient,
    TextBoostError,
)
from ..const import DOMAIN
from .manners import RateLimitManners
from .model import (
    OutboxEntry,
    OutgoingMessage,
    RecipientOutcome,
    RecipientState,
    SendOutcome,
    StatusChange,
    TrackedMessage,
)
from .notices import Notices, StatusListener, warn_not_sent
from .sender import KIND as ENTRY_KIND, Sender, retry_delay
from .store import Journal, journal_path
from .tracker import KIND as TRACKED_KIND, DeliveryTracker

_LOGGER = logging.getLogger(__name__)

#: The outbox of releases before the journal (Home Assistant's Store).
LEGACY_STORE_VERSION: Final = 1
#: How long a stop waits for an attempt under way: one request's timeout.
STOP_WAIT: Final = DEFAULT_TIMEOUT


def _legacy_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    return Store(hass, LEGACY_STORE_VERSION, f"{DOMAIN}.outbox.{entry_id}")


async def async_remove_outbox(hass: HomeAssistant, entry_id: str) -> None:
    """Forget the outbox of a removed entry (journal and legacy ``Store``)."""
    await Journal(hass, journal_path(hass, entry_id)).async_remove()
    await _legacy_store(hass, entry_id).async_remove()


class Outbox:
    """Sends an account's messages, keeps the retries, the schedule and tracking."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry_id: str,
        client: TextBoostClient,
        *,
        queue_ttl: timedelta,
        reauth: Callable[[], None],
    ) -> None:
        """Prepare an empty outbox; ``async_load`` fills it from disk.

        ``reauth`` is called when a queued retry finds the token refused.
        """
        self.hass = hass
        self.client = client
        self._entry_id = entry_id
        self._reauth = reauth
        self.journal = Journal(hass, journal_path(hass, entry_id))
        self.notices = Notices(hass, entry_id)
        #: Shared with every reader that polls on its own (see manners.py).
        self.manners = RateLimitManners(client)
        self.sender = Sender(hass, self.journal, self.notices, queue_ttl)
        self.sender.attempt = self._async_attempt
        self.tracker = DeliveryTracker(
            hass, client, self.journal, self.manners, self._tracked_changed
        )
        self._stop_listener: CALLBACK_TYPE | None = None

    # Lifecycle

    async def async_load(self) -> None:
        """Read the journal; report what was in flight at shutdown; start.

        Raises ``OSError`` when the journal file cannot be read or written.
        """
        records, bad = await self.journal.async_load()
        if not records:
            records = await self._async_migrate()
        entries = {
            k.removeprefix(f"{ENTRY_KIND}/"): v
            for k, v in records.items()
            if k.startswith(f"{ENTRY_KIND}/")
        }
        tracked = [v for k, v in records.items() if k.startswith(f"{TRACKED_KIND}/")]
        bad += self.tracker.load(tracked)
        lost: list[OutboxEntry] = []
        unreadable: list[str] = []
        for key, raw in entries.items():
            try:
                entry = OutboxEntry.from_dict(raw)
            except (KeyError, TypeError, ValueError, AttributeError):
                unreadable.append(key)
                continue
            if entry.in_flight:
                lost.append(entry)
            else:
                self.sender.entries[entry.id] = entry
        for entry in lost:
            _LOGGER.warning(
                "Queued message %s was being sent when the integration stopped "
                "(a restart or a reload); it may or may not have been sent and "
                "will not be sent again",
                entry.id,
            )
            self.notices.outcome_unknown(entry.message, entry.id, "interrupted")
        if bad or unreadable:
            _LOGGER.warning(
                "%d queued message(s) could not be read back and were dropped",
                bad + len(unreadable),
            )
        await self.sender.async_save(forget=(*unreadable, *(e.id for e in lost)))
        self._stop_listener = self.hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_STOP, self._async_on_stop
        )
        self.sender.arm()

    async def _async_migrate(self) -> dict[str, dict[str, Any]]:
        """Move the queue of a release before the journal into the journal."""
        legacy = _legacy_store(self.hass, self._entry_id)
        stored = await legacy.async_load()
        if not stored:
            return {}
        records = {
            f"{ENTRY_KIND}/{raw.get('id')}": raw
            for raw in stored.get("entries", [])
            if isinstance(raw, dict)
        }
        await self.journal.async_write(dict(records))
        await legacy.async_remove()
        return records

    async def _async_on_stop(self, _event: Event) -> None:
        """Home Assistant stops: no new attempt; the journal stays ours."""
        self._stop_listener = None
        await self.async_stop()

    async def async_stop(self) -> None:
        """Stop: no new attempt, no timer; wait at most one request timeout.

        An attempt under way ends with its answer or its timeout, and what
        became of it is written (the journal does not wait for Home
        Assistant's final write). One that does not end in time stays marked
        in flight on disk: the next start reports it, never sends it again.
        """
        self.sender.stop()
        try:
            async with asyncio.timeout(STOP_WAIT):
                await self.sender.idle.wait()
        except TimeoutError:
            _LOGGER.debug("A queued message was still being sent at the stop")
        await self.tracker.async_stop()

    async def async_unload(self) -> None:
        """Stop, then close: the journal belongs to the next outbox (a reload)."""
        if self._stop_listener is not None:
            self._stop_listener()
            self._stop_listener = None
        await self.async_stop()
        self.notices.closed = True

    # Listeners and counts

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``update`` whenever the queue changes; returns the remover."""
        return self.notices.add_listener(update)

    @callback
    def async_add_status_listener(self, update: StatusListener) -> CALLBACK_TYPE:
        """Call ``update(changes, answered)`` for each send and round (remover)."""
        return self.notices.add_status_listener(update)

    @property
    def pending_count(self) -> int:
        """Messages waiting: retries and local schedules."""
        return len(self.sender.entries)

    def pending_breakdown(self) -> dict[str, int]:
        """Waiting messages as a dict: ``retrying`` and ``scheduled`` counts."""
        scheduled = sum(1 for e in self.sender.entries.values() if e.scheduled)
        return {
            "retrying": len(self.sender.entries) - scheduled,
            "scheduled": scheduled,
        }

    @property
    def tracked_count(self) -> int:
        """Messages whose delivery status is still being followed."""
        return self.tracker.count

    def summary(self) -> dict[str, Any]:
        """Counts and timings without numbers or texts, for diagnostics.

        ``pending_breakdown``'s keys, ``tracked`` and ``entries`` (``id``,
        ``type``, ``recipients`` count, ``due``/``expires`` as UTC ISO 8601,
        ``attempts``, ``last_error``).
        """
        return {
            **self.pending_breakdown(),
            "tracked": self.tracker.count,
            "entries": [
                {
                    "id": e.id,
                    "type": str(e.message.message_type),
                    "recipients": len(e.message.recipients),
                    "due": e.due.isoformat(),
                    "expires": e.expires.isoformat(),
                    "attempts": e.attempts,
                    "last_error": e.last_error,
                }
                for e in self.sender.entries.values()
            ],
        }

    async def async_retry_now(self) -> int:
        """Send every queued retry now (``retry_queued``); return how many."""
        return await self.sender.async_retry_now()

    async def async_clear(self) -> int:
        """Drop every waiting message (``clear_queue``); return how many."""
        return await self.sender.async_clear()

    # Sending

    async def async_send(
        self, message: OutgoingMessage, send_at: datetime | None = None
    ) -> SendOutcome:
        """Send now, or hold until ``send_at`` (UTC); return what became of it.

        A message that certainly did not go out is queued (``queue_id`` set,
        recipients ``queued``). When the whole send failed otherwise,
        ``failure`` holds the client error: a refused token, a refusal
        (``RequestRejected``) or an unknown outcome (``OutcomeUnknown``, also
        reported by event). Client errors are returned, never raised;
        ``OSError`` is raised when the journal cannot be written.
        """
        if send_at is not None:
            entry = self.sender.new_entry(message, send_at, scheduled=True)
            await self.sender.async_add(entry)
            return SendOutcome.held(entry, RecipientState.SCHEDULED)
        if self.sender.stopping:
            return await self._async_queue(message, None)
        try:
            result = await self._send(message)
        except TextBoostError as err:
            if err.certainly_not_sent:
                return await self._async_queue(message, err)
            if isinstance(err, OutcomeUnknown):
                self.notices.outcome_unknown(message, None, str(err))
            return SendOutcome(failure=err, encoding=message.encoding)
        return await self._async_settle(message, result, None)

    async def _send(self, message: OutgoingMessage) -> SendResult:
        return await self.client.send(
            message.recipients,
            message.message,
            message_type=message.message_type,
            sender_id=message.sender_id,
            schedule_time=message.schedule_time,
            dlt_template_id=message.dlt_template_id,
            language=message.language,
            gender=message.gender,
            media_url=message.media_url,
            normalized=True,  # messaging.py normalised them (OutgoingMessage)
        )

    async def _async_queue(
        self, message: OutgoingMessage, err: TextBoostError | None
    ) -> SendOutcome:
        """Queue a message that certainly did not go out."""
        retry_after = err.retry_after if isinstance(err, RateLimited) else None
        delay = retry_delay(1, retry_after)
        entry = self.sender.new_entry(
            message, dt_util.utcnow() + timedelta(seconds=delay), scheduled=False
        )
        entry.last_error = str(err) if err else "Home Assistant is stopping"
        _LOGGER.info(
            "Message queued for a retry in %.0f s: %s", delay, entry.last_error
        )
        await self.sender.async_add(entry)
        return SendOutcome.held(entry, RecipientState.QUEUED)

    async def _async_attempt(self, entry: OutboxEntry) -> bool:
        """Try a queued message once; False when the server is out of reach.

        The in-flight mark is on disk before the request starts.
        """
        entry.in_flight = True
        entry.attempts += 1
        await self.sender.async_save(entry)
        try:
            result = await self._send(entry.message)
        except TextBoostError as err:
            entry.in_flight = False
            if isinstance(err, AuthenticationFailed):
                self._reauth()
            return await self.sender.async_failed(entry, err)
        else:
            entry.in_flight = False
        finally:
            if entry.in_flight:
                # Neither an answer nor a client error (cancelled): it may
                # have gone out.
                entry.in_flight = False
                if await self.sender.async_forget(entry):
                    self.notices.outcome_unknown(entry.message, entry.id, "interrupted")
        self.sender.entries.pop(entry.id, None)
        outcome = await self._async_settle(entry.message, result, entry)
        if outcome.queue_id is None:
            await self.sender.async_save(forget=(entry.id,))
        warn_not_sent(outcome.refusals(), context=f"Queued message {entry.id}")
        return True

    async def _async_settle(
        self, message: OutgoingMessage, result: SendResult, queued: OutboxEntry | None
    ) -> SendOutcome:
        """Track what went out, requeue what certainly did not, report the rest."""
        outcome = SendOutcome(
            recipients=[
                RecipientOutcome.from_result(r, message.segments)
                for r in result.recipients
            ],
            requests=result.requests,
            server_message=result.server_message,
            encoding=message.encoding,
        )
        not_sent = [r.recipient for r in outcome.in_state(RecipientState.QUEUED)]
        if not_sent:
            rest = replace(message, recipients=not_sent)
            entry = queued or self.sender.new_entry(
                rest, dt_util.utcnow(), scheduled=False
            )
            entry.message = rest
            entry.scheduled = False
            entry.due = dt_util.utcnow() + timedelta(
                seconds=retry_delay(entry.attempts + 1)
            )
            outcome.queue_id = entry.id
            await self.sender.async_add(entry)
        unknown = outcome.in_state(RecipientState.UNKNOWN)
        if unknown:
            part = replace(message, recipients=[r.recipient for r in unknown])
            self.notices.outcome_unknown(
                part, queued.id if queued else None, unknown[0].error or ""
            )
        now = dt_util.utcnow()
        self.tracker.track(
            [
                TrackedMessage(r.uid, r.recipient, r.status or "", now)
                for r in outcome.in_state(RecipientState.ACCEPTED)
                if r.uid is not None
            ]
        )
        changes = [
            StatusChange(r.uid, r.recipient, r.status)
            for r in outcome.recipients
            if r.uid is not None and r.status
        ]
        self.notices.statuses(
            changes + outcome.refusals(), coalesce=True, answered=queued is None
        )
        return outcome

    def _tracked_changed(self, changes: list[StatusChange]) -> None:
        self.notices.statuses(changes, coalesce=False)
