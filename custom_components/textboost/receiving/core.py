"""The receiver's state, its read manners (shared with the outbox), and firing.

The concerns of the receiver live in their own modules, each a part of
``Receiver`` (receiver.py): verification of posted messages (verify.py),
polling (polling.py), de-duplication (dedup.py) and the sender filters
(filters.py). This one holds what they share.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
import logging
from typing import Any, Final
import uuid

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from ..api import TextBoostClient, TextBoostError, mask_phone
from ..api.incoming import IncomingMessage, list_incoming_since
from ..const import DOMAIN, EVENT_MESSAGE_RECEIVED
from ..outbox.manners import RateLimitManners
from .dedup import Recent, Waiting
from .filters import ReceiveSettings, SenderDirectory, accepts, match_keyword
from .message import ReceivedMessage

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION: Final = 1
MAX_SEEN: Final = 1000
MAX_RECENT: Final = 200

#: Reads the account's incoming messages received at an aware time or later.
type Lister = Callable[[datetime], Awaitable[list[IncomingMessage]]]


@dataclass(slots=True)
class _Timers:
    verify: CALLBACK_TYPE | None = None
    poll: CALLBACK_TYPE | None = None


@dataclass(slots=True)
class _Warned:
    """Which refusals were logged as warnings already (then debug)."""

    kinds: set[str] = field(default_factory=set)


class ReceiverCore:
    """What every part of the receiver of one account shares."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        client: TextBoostClient,
        settings: ReceiveSettings,
        manners: RateLimitManners,
        *,
        lister: Lister | None = None,
    ) -> None:
        """Prepare; nothing is read or registered before ``async_start``.

        ``lister`` replaces the read of the incoming list (``GET sms``). The
        position (cursor and uids seen) is kept in a ``Store``
        (``homeassistant.helpers.storage``): ``textboost.<entry_id>.received``.
        """
        self.hass = hass
        self.entry = entry
        self.client = client
        self.settings = settings
        #: The account's pause of background reads, shared with the outbox.
        self.manners = manners
        self.directory = SenderDirectory.for_entry(client, entry)
        self._list: Lister = lister or self._list_incoming
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry.entry_id}.received"
        )
        self._seen: dict[str, None] = {}
        self._cursor: datetime | None = None
        self._recent: deque[Recent] = deque(maxlen=MAX_RECENT)
        self._waiting: list[Waiting] = []
        self._timers = _Timers()
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

    def _stored(self) -> dict[str, Any]:
        return {
            "cursor": self._cursor.isoformat() if self._cursor else None,
            "seen": list(self._seen),
        }

    def _save(self) -> None:
        self._store.async_delay_save(self._stored, 5)

    # Reads and their manners

    def _pause_left(self) -> float | None:
        """Seconds until reads may start again, or None when they may now.

        The pause is the account's one ``RateLimitManners`` (outbox/manners.py),
        shared with the delivery tracker.
        """
        if self.manners.may_request():
            return None
        assert self.manners.paused_until is not None
        return (self.manners.paused_until - dt_util.utcnow()).total_seconds()

    def _read_failed(self, err: TextBoostError) -> None:
        self.counts["read_failures"] += 1
        self.manners.pause_for(err)
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
        self._recent.append(Recent(message, at, uid, by_webhook))
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
                    mask_phone(message.sender),
                    err,
                )
                return
        if not accepts(self.settings, known):
            self.counts["refused_sender"] += 1
            _LOGGER.debug(
                "Message to %s from unknown sender %s ignored",
                self.entry.title,
                mask_phone(message.sender),
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
