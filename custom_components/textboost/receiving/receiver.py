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

Reads keep the manners of the delivery tracker: a throttled read (HTTP 429,
"Too Many Attempts.") pauses every read of the receiver for the time the
server asked for, else ``RATE_LIMIT_PAUSE``; so does a rate-limit reserve
under ``RATE_LIMIT_RESERVE`` requests.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import logging
from typing import Any, Final
import uuid

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later, async_track_time_interval
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from ..api import RateLimited, TextBoostClient, TextBoostError
from ..api.incoming import IncomingMessage, list_incoming_since
from ..const import DOMAIN, EVENT_MESSAGE_RECEIVED
from .filters import ReceiveSettings, SenderDirectory, accepts, match_keyword

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION: Final = 1
#: Seconds after a message was posted (then after each read that did not
#: find it) before the incoming list is read to verify it; then it is refused.
VERIFY_DELAYS: Final = (2.0, 10.0, 30.0)
#: A verification read starts this long before the oldest waiting message.
LOOKBACK: Final = timedelta(minutes=10)
#: A posted and a listed message this close in time, with the same sender,
#: number and text, are the same message (covers clock differences).
MATCH_WINDOW: Final = timedelta(minutes=10)
#: An unverified message posted again within this time is a repeat.
REPEAT_WINDOW: Final = timedelta(minutes=2)
#: Polling reads again this far before the last message seen.
POLL_OVERLAP: Final = timedelta(minutes=5)
MAX_WAITING: Final = 50
MAX_SEEN: Final = 1000
MAX_RECENT: Final = 200
RATE_LIMIT_PAUSE: Final = 60.0
RATE_LIMIT_RESERVE: Final = 10

type Lister = Callable[[datetime], Awaitable[list[IncomingMessage]]]


def masked(number: str) -> str:
    """A number for the log: all but its last three characters hidden."""
    return "*" * max(len(number) - 3, 0) + number[-3:]


@dataclass(frozen=True, slots=True)
class ReceivedMessage:
    """An incoming message as events show it.

    ``message_id`` is the server's uid when the message was read from the
    list, else a local id (``local-...``) known until Home Assistant stops.
    """

    message_id: str
    sender: str
    to: str
    text: str
    received_at: datetime
    verified: bool
    name: str | None = None
    country: str | None = None
    keyword: str | None = None
    rest: str | None = None

    @property
    def event_type(self) -> str:
        """``keyword`` when the text starts with a keyword, else ``message``."""
        return "message" if self.keyword is None else "keyword"

    def as_event_data(self) -> dict[str, Any]:
        """The event entity's attributes and the bus event's data."""
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender,
            "to": self.to,
            "text": self.text,
            "received_at": self.received_at.isoformat(),
            "name": self.name,
            "country": self.country,
            "verified": self.verified,
        }
        if self.keyword is not None:
            data["keyword"] = self.keyword
            data["rest"] = self.rest
        return data


@dataclass(slots=True)
class _Recent:
    """A message lately fired (or refused by the filter): what a repeat matches."""

    message: IncomingMessage
    at: datetime
    uid: str | None
    by_webhook: bool


@dataclass(slots=True)
class _Waiting:
    """A posted message waiting to be found in the list."""

    message: IncomingMessage
    arrived: datetime
    reads: int = 0


@dataclass(slots=True)
class _Timers:
    verify: CALLBACK_TYPE | None = None
    poll: CALLBACK_TYPE | None = None


@dataclass(slots=True)
class _Warned:
    """Which refusals were logged as warnings already (then debug)."""

    kinds: set[str] = field(default_factory=set)


class Receiver:
    """Receives the incoming messages of one account and fires each once."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        client: TextBoostClient,
        settings: ReceiveSettings,
        *,
        lister: Lister | None = None,
    ) -> None:
        """Prepare; nothing is read or registered before ``async_start``."""
        self.hass = hass
        self.entry = entry
        self.client = client
        self.settings = settings
        self.directory = SenderDirectory.for_entry(client, entry)
        self._list: Lister = lister or self._list_incoming
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry.entry_id}.received"
        )
        self._seen: dict[str, None] = {}
        self._cursor: datetime | None = None
        self._recent: deque[_Recent] = deque(maxlen=MAX_RECENT)
        self._waiting: list[_Waiting] = []
        self._timers = _Timers()
        self._paused_until: datetime | None = None
        self._reserve_seen: object = None
        self._lock = asyncio.Lock()
        self._listeners: list[Callable[[ReceivedMessage], None]] = []
        self._warned = _Warned()
        self._poll_failing = False
        self._started = False
        #: Messages by id, for replies (the latest ``MAX_RECENT``).
        self.messages: dict[str, ReceivedMessage] = {}
        #: What happened to what came in, for diagnostics.
        self.counts: Counter[str] = Counter()

    async def _list_incoming(self, since: datetime) -> list[IncomingMessage]:
        return await list_incoming_since(self.client, since)

    # Life cycle

    async def async_start(self) -> None:
        """Load the last position, then poll on a timer when polling is on."""
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

    def _stored(self) -> dict[str, Any]:
        return {
            "cursor": self._cursor.isoformat() if self._cursor else None,
            "seen": list(self._seen),
        }

    def _save(self) -> None:
        self._store.async_delay_save(self._stored, 5)

    @callback
    def async_add_listener(
        self, listener: Callable[[ReceivedMessage], None]
    ) -> CALLBACK_TYPE:
        """Call ``listener`` with each message fired; returns the remover."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def summary(self) -> dict[str, Any]:
        """Counts and state for diagnostics (no number, text or webhook id)."""
        return {
            "mode": self.settings.mode,
            "verify": self.settings.verify,
            "accept_from": self.settings.accept_from,
            "keywords": len(self.settings.keywords),
            "waiting": len(self._waiting),
            "seen": len(self._seen),
            "cursor": self._cursor.isoformat() if self._cursor else None,
            "paused_until": self._paused_until.isoformat()
            if self._paused_until
            else None,
            "counts": dict(sorted(self.counts.items())),
        }

    # What the webhook hands over

    def refuse_body(self, reason: str) -> None:
        """Count and log (once as a warning) a body that is no message."""
        self.counts[f"refused_{reason}"] += 1
        self._log_refusal(
            f"body_{reason}",
            "A request to the webhook of %s was refused (%s); nothing was fired",
            self.entry.title,
            reason,
        )

    async def async_posted(self, message: IncomingMessage) -> None:
        """A message the server posted to the webhook."""
        async with self._lock:
            now = dt_util.utcnow()
            if self._claim_recent(message, now):
                self.counts["repeats"] += 1
                _LOGGER.debug(
                    "Posted message from %s already fired", masked(message.sender)
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
                    masked(message.sender),
                )
                return
            self._waiting.append(_Waiting(message, now))
            if self._timers.verify is None:
                self._arm_verify(VERIFY_DELAYS[0])

    def _claim_recent(self, message: IncomingMessage, now: datetime) -> bool:
        """Whether a posted message was fired already (by polling, or posted twice)."""
        for recent in reversed(self._recent):
            if not recent.message.same_text_as(message):
                continue
            if not recent.by_webhook and abs(now - recent.at) <= MATCH_WINDOW:
                recent.by_webhook = True  # the post of a polled message
                return True
            if recent.by_webhook and now - recent.at <= REPEAT_WINDOW:
                return True
        return False

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
            still: list[_Waiting] = []
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
                        masked(waiting.message.sender),
                    )
                else:
                    self.counts["refused_unverifiable"] += 1
                    self._log_refusal(
                        "unverifiable",
                        "A message posted to the webhook of %s from %s was ignored: "
                        "the account's incoming messages could not be read to "
                        "verify it (%s)",
                        self.entry.title,
                        masked(waiting.message.sender),
                        failure,
                    )
            self._waiting = still
            if still:
                self._arm_verify(
                    self._pause_left() or VERIFY_DELAYS[min(w.reads for w in still)]
                )

    async def _verified(self, waiting: _Waiting, listed: list[IncomingMessage]) -> bool:
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

    # Polling

    async def _async_poll_tick(self, _now: datetime) -> None:
        await self.async_poll()

    async def async_poll(self) -> None:
        """Read the incoming list since the last message seen; fire what is new."""
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

    # Reads and their manners

    def _pause_left(self) -> float | None:
        """Seconds until reads may start again, or None when they may now."""
        limit = self.client.rate_limit
        if (
            limit is not None
            and limit is not self._reserve_seen
            and limit.remaining is not None
            and limit.remaining < RATE_LIMIT_RESERVE
        ):
            # Wait once for this reading; it says nothing after that.
            self._reserve_seen = limit
            self._pause(RATE_LIMIT_PAUSE)
        if self._paused_until is None:
            return None
        left = (self._paused_until - dt_util.utcnow()).total_seconds()
        if left <= 0:
            self._paused_until = None
            return None
        return left

    def _pause(self, seconds: float) -> None:
        self._paused_until = dt_util.utcnow() + timedelta(seconds=seconds)

    def _read_failed(self, err: TextBoostError) -> None:
        self.counts["read_failures"] += 1
        if isinstance(err, RateLimited):
            self._pause(err.retry_after or RATE_LIMIT_PAUSE)
        _LOGGER.debug("Incoming messages of %s not read: %s", self.entry.title, err)

    # Firing

    def _mark_seen(self, uid: str) -> None:
        self._seen[uid] = None
        while len(self._seen) > MAX_SEEN:
            del self._seen[next(iter(self._seen))]

    async def _deliver(
        self,
        message: IncomingMessage,
        *,
        uid: str | None,
        at: datetime,
        by_webhook: bool,
    ) -> None:
        """Filter by sender, match keywords, and fire."""
        self._recent.append(_Recent(message, at, uid, by_webhook))
        try:
            known, name = await self.directory.async_name_of(message.sender)
        except TextBoostError as err:
            known, name = False, None
            if not accepts(self.settings, known=False):
                self.counts["refused_sender_unchecked"] += 1
                self._log_refusal(
                    "sender_unchecked",
                    "A message to %s from %s was ignored: the address book "
                    "could not be read to check the sender (%s)",
                    self.entry.title,
                    masked(message.sender),
                    err,
                )
                return
        if not accepts(self.settings, known):
            self.counts["refused_sender"] += 1
            _LOGGER.debug(
                "Message to %s from unknown sender %s ignored",
                self.entry.title,
                masked(message.sender),
            )
            return
        keyword = match_keyword(message.text, self.settings.keywords)
        received = ReceivedMessage(
            message_id=uid or f"local-{uuid.uuid4().hex[:12]}",
            sender=message.sender,
            to=message.to,
            text=message.text,
            received_at=at,
            verified=uid is not None,
            name=name,
            country=message.country,
            keyword=keyword[0] if keyword else None,
            rest=keyword[1] if keyword else None,
        )
        self.counts["fired"] += 1
        self.messages[received.message_id] = received
        while len(self.messages) > MAX_RECENT:
            del self.messages[next(iter(self.messages))]
        self.hass.bus.async_fire(
            EVENT_MESSAGE_RECEIVED,
            {
                "config_entry_id": self.entry.entry_id,
                "event_type": received.event_type,
                **received.as_event_data(),
            },
        )
        for listener in list(self._listeners):
            listener(received)

    def _log_refusal(self, kind: str, text: str, *args: object) -> None:
        """A warning the first time a kind of refusal happens, then debug."""
        level = logging.DEBUG if kind in self._warned.kinds else logging.WARNING
        self._warned.kinds.add(kind)
        _LOGGER.log(level, text, *args)
