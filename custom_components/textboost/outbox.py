"""The outbox: sends, retries what certainly did not go out, and tracks delivery.

Rules, in the order they matter:

1. A message that may have reached the server is never sent again
   automatically. Only failures the client marks ``certainly_not_sent`` (a
   refused connection, DNS or TLS failure before the request was written,
   HTTP 429, "Too Many Attempts.") are queued for a retry.
   A refused token is a definite "not sent" too: the message waits while the
   user gives a new token. An answer that says nothing certain (a timeout, a
   lost connection, HTTP 5xx, a body that cannot be read) is reported with
   an event and an error, and never retried.
2. Before a queued message is retried it is marked *in flight* on disk. If
   Home Assistant stops during that attempt, the message's fate is unknown,
   so after a restart it is reported, not sent again. Only one pass over the
   queue runs at a time, and a message in flight is never attempted again.
3. A queued message lives for the time-to-live of the options; when that
   ends it is dropped, with a warning and an event, even if its next retry
   was due later.
4. Messages held for a local schedule wait in the same outbox and go out at
   their time, never early.
5. When a retry fails because the server is out of reach or throttling, the
   other waiting messages wait too, instead of knocking one after the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
import logging
import random
from typing import TYPE_CHECKING, Any, Final
import uuid

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api import (
    AuthenticationFailed,
    CannotConnect,
    MessageType,
    OutcomeUnknown,
    RateLimited,
    RateLimitInfo,
    RecipientState,
    SendResult,
    TextBoostClient,
    TextBoostError,
    VoiceGender,
    delivery_state,
)
from .const import (
    CONF_QUEUE_TTL,
    DEFAULT_QUEUE_TTL,
    DOMAIN,
    EVENT_MESSAGE_DROPPED,
    EVENT_MESSAGE_STATUS,
    EVENT_OUTCOME_UNKNOWN,
)
from .errors import action_error

if TYPE_CHECKING:
    from .coordinator import TextBoostConfigEntry

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION: Final = 1
RETRY_BASE: Final = 30.0  # seconds
RETRY_CAP: Final = 1800.0  # seconds
#: Delays between delivery-status polls of one message; then it is left alone.
POLL_DELAYS: Final = (10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0)
MAX_TRACKED: Final = 500
POLLS_PER_ROUND: Final = 20
RATE_LIMIT_RESERVE: Final = 10
RATE_LIMIT_PAUSE: Final = 60.0
#: How long an unload waits for a retry under way to end.
UNLOAD_WAIT: Final = 30.0


@dataclass(slots=True)
class OutgoingMessage:
    """One message to one or more numbers, as the actions and notify build it."""

    message_type: MessageType
    recipients: list[str]
    message: str | None = None
    sender_id: str | None = None
    dlt_template_id: str | None = None
    language: str | None = None
    gender: VoiceGender | None = None
    media_url: str | None = None
    #: Wall time in the account's zone, for the server's own scheduling.
    schedule_time: datetime | None = None
    encoding: str | None = None
    segments: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the store."""
        data = asdict(self)
        data["schedule_time"] = (
            self.schedule_time.isoformat() if self.schedule_time else None
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutgoingMessage:
        """Read back from the store."""
        values = dict(data)
        values["message_type"] = MessageType(values["message_type"])
        if values.get("gender"):
            values["gender"] = VoiceGender(values["gender"])
        if values.get("schedule_time"):
            values["schedule_time"] = datetime.fromisoformat(values["schedule_time"])
        return cls(**values)


@dataclass(slots=True)
class OutboxEntry:
    """A message waiting in the outbox: a retry or a local schedule."""

    id: str
    message: OutgoingMessage
    due: datetime
    expires: datetime
    scheduled: bool
    attempts: int = 0
    in_flight: bool = False
    last_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the store."""
        return {
            "id": self.id,
            "message": self.message.as_dict(),
            "due": self.due.isoformat(),
            "expires": self.expires.isoformat(),
            "scheduled": self.scheduled,
            "attempts": self.attempts,
            "in_flight": self.in_flight,
            "last_error": self.last_error,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutboxEntry:
        """Read back from the store."""
        return cls(
            id=data["id"],
            message=OutgoingMessage.from_dict(data["message"]),
            due=datetime.fromisoformat(data["due"]),
            expires=datetime.fromisoformat(data["expires"]),
            scheduled=bool(data.get("scheduled", False)),
            attempts=int(data.get("attempts", 0)),
            in_flight=bool(data.get("in_flight", False)),
            last_error=data.get("last_error"),
        )


@dataclass(slots=True)
class StatusChange:
    """A message's delivery status changed."""

    uid: str
    to: str
    status: str


@dataclass(slots=True)
class _Tracked:
    uid: str
    to: str
    status: str
    next_poll: datetime
    polls: int = 0


@dataclass(slots=True)
class _Listeners:
    changed: list[CALLBACK_TYPE] = field(default_factory=list)
    status: list[Callable[[StatusChange], None]] = field(default_factory=list)


def _store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.outbox.{entry_id}")


async def async_remove_outbox(hass: HomeAssistant, entry_id: str) -> None:
    """Forget the outbox of a removed entry."""
    await _store(hass, entry_id).async_remove()


def _pending(status: str) -> bool:
    """Whether a delivery status may still change (no status yet counts)."""
    return not status or delivery_state(status) == "pending"


def retry_delay(attempts: int, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter, never shorter than Retry-After."""
    ceiling = min(RETRY_CAP, RETRY_BASE * 2 ** max(attempts - 1, 0))
    delay = random.uniform(ceiling / 2, ceiling)  # noqa: S311 (not cryptography)
    return max(delay, retry_after or 0.0)


class Outbox:
    """Sends an account's messages, keeps the retries and the schedule."""

    def __init__(
        self, hass: HomeAssistant, entry: TextBoostConfigEntry, client: TextBoostClient
    ) -> None:
        """Prepare an empty outbox; ``async_load`` fills it from disk."""
        self.hass = hass
        self.entry = entry
        self.client = client
        self._store = _store(hass, entry.entry_id)
        self._entries: dict[str, OutboxEntry] = {}
        self._tracked: dict[str, _Tracked] = {}
        self._listeners = _Listeners()
        self._queue_timer: CALLBACK_TYPE | None = None
        self._poll_timer: CALLBACK_TYPE | None = None
        self._poll_due: datetime | None = None
        self._processing = False
        self._rerun = False
        self._idle = asyncio.Event()
        self._idle.set()
        self._polling = False
        self._reserve_waited: RateLimitInfo | None = None
        self._polls_paused_until: datetime | None = None
        self._stopped = False
        self._closed = False
        self.last_status: StatusChange | None = None

    # Lifecycle

    async def async_load(self) -> None:
        """Read the outbox from disk; report what was in flight at shutdown."""
        stored = await self._store.async_load() or {}
        lost: list[OutboxEntry] = []
        unreadable = 0
        for raw in stored.get("entries", []):
            try:
                entry = OutboxEntry.from_dict(raw)
            except (KeyError, TypeError, ValueError, AttributeError):
                unreadable += 1
                continue
            if entry.in_flight:
                lost.append(entry)
            else:
                self._entries[entry.id] = entry
        for entry in lost:
            _LOGGER.warning(
                "Queued message %s was being sent when the integration stopped "
                "(a restart or a reload); it may or may not have been sent and "
                "will not be sent again",
                entry.id,
            )
            self._fire_outcome_unknown(entry.message, entry.id, "interrupted")
        if unreadable:
            _LOGGER.warning(
                "%d queued message(s) could not be read back and were dropped",
                unreadable,
            )
        if lost or unreadable:
            await self._save()
        self._arm_queue()

    async def async_unload(self) -> None:
        """Stop, let a retry under way end, and write the outbox a last time.

        A retry that does not end in time stays marked in flight on disk; the
        next outbox (after a reload) reports it, and this one, which no longer
        writes, does not report it a second time.
        """
        self._stopped = True
        for cancel in (self._queue_timer, self._poll_timer):
            if cancel:
                cancel()
        self._queue_timer = self._poll_timer = None
        try:
            async with asyncio.timeout(UNLOAD_WAIT):
                await self._idle.wait()
        except TimeoutError:
            _LOGGER.debug("A queued message was still being sent at unload")
        await self._save()
        self._closed = True

    # Listeners

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``update`` whenever the queue changes."""
        self._listeners.changed.append(update)
        return lambda: self._listeners.changed.remove(update)

    @callback
    def async_add_status_listener(
        self, update: Callable[[StatusChange], None]
    ) -> CALLBACK_TYPE:
        """Call ``update`` with every delivery status change."""
        self._listeners.status.append(update)
        return lambda: self._listeners.status.remove(update)

    @property
    def pending_count(self) -> int:
        """Messages waiting: retries and local schedules."""
        return len(self._entries)

    def pending_breakdown(self) -> dict[str, int]:
        """How many waiting messages are retries and how many are scheduled."""
        scheduled = sum(1 for e in self._entries.values() if e.scheduled)
        return {"retrying": len(self._entries) - scheduled, "scheduled": scheduled}

    @property
    def tracked_count(self) -> int:
        """Messages whose delivery status is still being followed."""
        return len(self._tracked)

    def summary(self) -> dict[str, Any]:
        """Counts and timings without numbers or texts, for diagnostics."""
        return {
            **self.pending_breakdown(),
            "tracked": len(self._tracked),
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
                for e in self._entries.values()
            ],
        }

    # Sending

    async def async_send(
        self, message: OutgoingMessage, send_at: datetime | None = None
    ) -> dict[str, Any]:
        """Send now, or hold until ``send_at``; return the response data.

        A message that certainly did not go out is queued (the response has a
        ``queue_id``). A message that may have gone out raises.
        """
        if send_at is not None:
            entry = self._new_entry(message, send_at, scheduled=True)
            await self._add(entry)
            return self._held_response(entry, "scheduled")
        try:
            result = await self._send(message)
        except TextBoostError as err:
            if err.certainly_not_sent:
                delay = retry_delay(1, getattr(err, "retry_after", None))
                entry = self._new_entry(
                    message,
                    dt_util.utcnow() + timedelta(seconds=delay),
                    scheduled=False,
                )
                entry.last_error = str(err)
                _LOGGER.info("Message queued for a retry in %.0f s: %s", delay, err)
                await self._add(entry)
                return self._held_response(entry, "queued")
            if isinstance(err, OutcomeUnknown):
                # The client's line: it may have reached the server (HTTP 5xx
                # included). Reported, never sent again.
                _LOGGER.warning("A message may or may not have been sent: %s", err)
                self._fire_outcome_unknown(message, None, str(err))
            raise action_error(self.hass, self.entry, err, sending=True) from err
        return await self._handle_result(message, result, None)

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
        )

    async def _handle_result(
        self, message: OutgoingMessage, result: SendResult, queued: OutboxEntry | None
    ) -> dict[str, Any]:
        """Track what went out, requeue what certainly did not, report the rest."""
        not_sent = [r.recipient for r in result.in_state(RecipientState.NOT_SENT)]
        queue_id: str | None = None
        if not_sent:
            rest = replace(message, recipients=not_sent)
            entry = queued or self._new_entry(rest, dt_util.utcnow(), scheduled=False)
            entry.message = rest
            entry.scheduled = False
            entry.due = dt_util.utcnow() + timedelta(
                seconds=retry_delay(entry.attempts + 1)
            )
            queue_id = entry.id
            await self._add(entry)
        unknown = result.in_state(RecipientState.UNKNOWN)
        if unknown:
            part = replace(message, recipients=[r.recipient for r in unknown])
            self._fire_outcome_unknown(
                part, queued.id if queued else None, unknown[0].error or ""
            )
        for outcome in result.in_state(RecipientState.ACCEPTED):
            if outcome.message is not None:
                self._track(
                    outcome.message.uid, outcome.recipient, outcome.message.status
                )
        return {
            "queue_id": queue_id,
            "requests": result.requests,
            "server_message": result.server_message,
            "recipients": [
                {
                    "recipient": r.recipient,
                    "state": "queued"
                    if r.state is RecipientState.NOT_SENT
                    else str(r.state),
                    "uid": r.message.uid if r.message else None,
                    "status": r.message.status if r.message else None,
                    "cost": float(r.message.cost)
                    if r.message and r.message.cost is not None
                    else None,
                    "segments": r.message.segments if r.message else message.segments,
                    "encoding": message.encoding,
                    "error": r.error,
                }
                for r in result.recipients
            ],
        }

    def _held_response(self, entry: OutboxEntry, state: str) -> dict[str, Any]:
        return {
            "queue_id": entry.id,
            "requests": 0,
            "server_message": None,
            "send_at": entry.due.isoformat() if state == "scheduled" else None,
            "recipients": [
                {
                    "recipient": number,
                    "state": state,
                    "uid": None,
                    "status": None,
                    "cost": None,
                    "segments": entry.message.segments,
                    "encoding": entry.message.encoding,
                    "error": entry.last_error,
                }
                for number in entry.message.recipients
            ],
        }

    # The queue

    def _new_entry(
        self, message: OutgoingMessage, due: datetime, *, scheduled: bool
    ) -> OutboxEntry:
        ttl = timedelta(
            minutes=self.entry.options.get(CONF_QUEUE_TTL, DEFAULT_QUEUE_TTL)
        )
        start = due if scheduled else dt_util.utcnow()
        return OutboxEntry(
            id=uuid.uuid4().hex[:12],
            message=message,
            due=due,
            expires=start + ttl,
            scheduled=scheduled,
        )

    async def _add(self, entry: OutboxEntry) -> None:
        self._entries[entry.id] = entry
        await self._save()
        self._changed()
        self._arm_queue()

    async def _save(self) -> None:
        if self._closed:
            return
        await self._store.async_save(
            {"entries": [e.as_dict() for e in self._entries.values()]}
        )

    def _changed(self) -> None:
        for update in list(self._listeners.changed):
            update()

    def _cancel_queue_timer(self) -> None:
        if self._queue_timer:
            self._queue_timer()
            self._queue_timer = None

    def _arm_queue(self) -> None:
        """Wake up when the next message is due or the next one expires."""
        self._cancel_queue_timer()
        waiting = [e for e in self._entries.values() if not e.in_flight]
        if self._stopped or not waiting or self._processing:
            return
        wake = min(min(e.due, e.expires) for e in waiting)
        self._queue_timer = async_track_point_in_utc_time(
            self.hass, self._async_process_queue, max(wake, dt_util.utcnow())
        )

    async def _async_process_queue(self, _now: datetime | None = None) -> None:
        """Drop what expired, then send what is due, one pass at a time."""
        self._queue_timer = None
        if self._processing:
            # The pass under way looks again before it ends.
            self._rerun = True
            return
        self._processing = True
        self._idle.clear()
        try:
            self._rerun = True
            while self._rerun and not self._stopped:
                self._rerun = False
                await self._process_once()
        finally:
            self._processing = False
            self._idle.set()
            self._changed()
            self._arm_queue()

    async def _process_once(self) -> None:
        """Drop what expired, send what is due, oldest first.

        Stop at the first sign of an outage.
        """
        for entry in sorted(self._entries.values(), key=lambda e: e.due):
            if self._stopped:
                break
            if self._entries.get(entry.id) is not entry:
                continue  # cleared while an earlier message was being sent
            now = dt_util.utcnow()
            if now >= entry.expires:
                await self._drop(entry, "expired")
            elif entry.due <= now and not await self._attempt(entry):
                await self._hold_back(entry.due)
                break

    async def _hold_back(self, until: datetime) -> None:
        """The server is out of reach or throttling: the others wait too."""
        for entry in self._entries.values():
            if not entry.in_flight and entry.due < until:
                entry.due = until
        await self._save()

    async def retry_now(self) -> int:
        """Send every queued retry now; return how many there were.

        Messages held for a local schedule stay where they are, and a message
        already being sent is not sent again.
        """
        retries = [
            e for e in self._entries.values() if not e.scheduled and not e.in_flight
        ]
        if not retries:
            return 0
        now = dt_util.utcnow()
        for entry in retries:
            entry.due = min(entry.due, now)
        self._cancel_queue_timer()
        await self._async_process_queue()
        await self._idle.wait()
        return len(retries)

    async def clear(self) -> int:
        """Drop every waiting message; return how many were dropped.

        A message already being sent cannot be called back, so it stays.
        """
        dropped = [e for e in self._entries.values() if not e.in_flight]
        for entry in dropped:
            del self._entries[entry.id]
        await self._save()
        if dropped:
            _LOGGER.info("Cleared %d waiting message(s)", len(dropped))
        for entry in dropped:
            self._fire_dropped(entry, "cleared", None)
        self._changed()
        self._arm_queue()
        return len(dropped)

    async def _attempt(self, entry: OutboxEntry) -> bool:
        """Try a queued message once; False when the server is out of reach."""
        entry.in_flight = True
        entry.attempts += 1
        await self._save()
        try:
            result = await self._send(entry.message)
        except TextBoostError as err:
            entry.in_flight = False
            return await self._attempt_failed(entry, err)
        else:
            entry.in_flight = False
        finally:
            if entry.in_flight:
                # Neither an answer nor a client error: it may have gone out.
                entry.in_flight = False
                self._entries.pop(entry.id, None)
                self._fire_outcome_unknown(entry.message, entry.id, "interrupted")
                await self._save()
        self._entries.pop(entry.id, None)
        await self._handle_result(entry.message, result, entry)
        if entry.id not in self._entries:
            await self._save()
        return True

    async def _attempt_failed(self, entry: OutboxEntry, err: TextBoostError) -> bool:
        entry.last_error = str(err)
        if err.certainly_not_sent or isinstance(err, AuthenticationFailed):
            if isinstance(err, AuthenticationFailed):
                self.entry.async_start_reauth(self.hass)
            retry_after = err.retry_after if isinstance(err, RateLimited) else None
            entry.due = dt_util.utcnow() + timedelta(
                seconds=retry_delay(entry.attempts + 1, retry_after)
            )
            entry.scheduled = False
            _LOGGER.debug("Queued message %s not sent yet: %s", entry.id, err)
            await self._save()
            return False
        if isinstance(err, OutcomeUnknown):
            _LOGGER.warning(
                "Queued message %s may or may not have been sent (%s); "
                "it will not be sent again",
                entry.id,
                err,
            )
            self._entries.pop(entry.id, None)
            self._fire_outcome_unknown(entry.message, entry.id, str(err))
            await self._save()
            return True
        await self._drop(entry, "rejected", str(err))
        return True

    async def _drop(
        self, entry: OutboxEntry, reason: str, error: str | None = None
    ) -> None:
        _LOGGER.warning(
            "Dropped queued message %s to %d recipient(s): %s%s",
            entry.id,
            len(entry.message.recipients),
            reason,
            f" ({error})" if error else "",
        )
        self._entries.pop(entry.id, None)
        await self._save()
        self._fire_dropped(entry, reason, error)

    def _fire_dropped(self, entry: OutboxEntry, reason: str, error: str | None) -> None:
        self.hass.bus.async_fire(
            EVENT_MESSAGE_DROPPED,
            {
                "entry_id": self.entry.entry_id,
                "queue_id": entry.id,
                "reason": reason,
                "error": error or entry.last_error,
                "recipients": entry.message.recipients,
                "message": entry.message.message,
                "type": str(entry.message.message_type),
                "attempts": entry.attempts,
            },
        )

    def _fire_outcome_unknown(
        self, message: OutgoingMessage, queue_id: str | None, error: str
    ) -> None:
        if self._closed and queue_id is not None:
            return  # stored as in flight: the next outbox has reported it
        self.hass.bus.async_fire(
            EVENT_OUTCOME_UNKNOWN,
            {
                "entry_id": self.entry.entry_id,
                "queue_id": queue_id,
                "recipients": message.recipients,
                "message": message.message,
                "type": str(message.message_type),
                "error": error,
            },
        )

    # Delivery tracking

    def _track(self, uid: str, to: str, status: str) -> None:
        if status:
            self._status_changed(StatusChange(uid, to, status))
        if not _pending(status) or self._stopped:
            return
        if len(self._tracked) >= MAX_TRACKED:
            oldest = next(iter(self._tracked))
            del self._tracked[oldest]
        first = dt_util.utcnow() + timedelta(seconds=POLL_DELAYS[0])
        if self._polls_paused_until is not None:
            first = max(first, self._polls_paused_until)
        self._tracked[uid] = _Tracked(uid, to, status, first)
        # The armed timer fires no later than this poll is due: it will do.
        if not self._polling and (
            self._poll_timer is None or self._poll_due is None or first < self._poll_due
        ):
            self._arm_polls()

    def _arm_polls(self) -> None:
        if self._poll_timer:
            self._poll_timer()
            self._poll_timer = None
            self._poll_due = None
        if self._stopped or not self._tracked:
            return
        due = max(min(t.next_poll for t in self._tracked.values()), dt_util.utcnow())
        self._poll_due = due
        self._poll_timer = async_track_point_in_utc_time(
            self.hass, self._async_poll, due
        )

    async def _async_poll(self, _now: datetime | None = None) -> None:
        """Ask for the status of messages whose poll is due, politely."""
        self._poll_timer = None
        self._poll_due = None
        self._polling = True
        try:
            now = dt_util.utcnow()
            due = sorted(
                (t for t in self._tracked.values() if t.next_poll <= now),
                key=lambda t: t.next_poll,
            )[:POLLS_PER_ROUND]
            for tracked in due:
                limit = self.client.rate_limit
                if (
                    limit
                    and limit is not self._reserve_waited
                    and limit.remaining is not None
                    and limit.remaining < RATE_LIMIT_RESERVE
                ):
                    # Wait once for this reading; it says nothing after that.
                    self._reserve_waited = limit
                    self._pause_polls(RATE_LIMIT_PAUSE)
                    break
                try:
                    found = await self.client.get_message(tracked.uid)
                except RateLimited as err:
                    self._pause_polls(err.retry_after or RATE_LIMIT_PAUSE)
                    break
                except (CannotConnect, AuthenticationFailed) as err:
                    # Every other poll would fail the same way: wait.
                    _LOGGER.debug("Status of %s not read: %s", tracked.uid, err)
                    self._next_poll(tracked)
                    self._pause_polls(RATE_LIMIT_PAUSE)
                    break
                except TextBoostError as err:
                    _LOGGER.debug("Status of %s not read: %s", tracked.uid, err)
                    self._next_poll(tracked)
                    continue
                if found.status and found.status != tracked.status:
                    tracked.status = found.status
                    self._status_changed(
                        StatusChange(tracked.uid, tracked.to, found.status)
                    )
                if _pending(tracked.status):
                    self._next_poll(tracked)
                else:
                    self._tracked.pop(tracked.uid, None)
        finally:
            self._polling = False
            self._arm_polls()

    def _next_poll(self, tracked: _Tracked) -> None:
        tracked.polls += 1
        if tracked.polls >= len(POLL_DELAYS):
            _LOGGER.debug(
                "Gave up following %s after %d polls", tracked.uid, tracked.polls
            )
            self._tracked.pop(tracked.uid, None)
            return
        tracked.next_poll = dt_util.utcnow() + timedelta(
            seconds=POLL_DELAYS[tracked.polls]
        )

    def _pause_polls(self, seconds: float) -> None:
        later = dt_util.utcnow() + timedelta(seconds=seconds)
        self._polls_paused_until = later
        for tracked in self._tracked.values():
            tracked.next_poll = max(tracked.next_poll, later)

    def _status_changed(self, change: StatusChange) -> None:
        self.last_status = change
        self.hass.bus.async_fire(
            EVENT_MESSAGE_STATUS,
            {
                "entry_id": self.entry.entry_id,
                "uid": change.uid,
                "to": change.to,
                "status": change.status,
            },
        )
        for update in list(self._listeners.status):
            update(change)
