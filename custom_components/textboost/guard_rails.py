"""Guard rails: a daily spend cap and a loop breaker, checked before any request.

Both are options of the entry (section ``spending``), off by default:

* **Daily spend cap**, in the account's unit (what ``cost`` is counted in, see
  WIRE-NOTES "Endpoints": ``cost`` of ``POST sms/send``). What this integration
  sent since local midnight (Home Assistant's time zone) is added up from the
  ``cost`` the server reports for each recipient. A message that waits in the
  outbox (queued for a retry or held for a schedule) has no cost yet: it counts
  with an estimate (parts x recipients x the last price per part the server
  reported), once, when it is asked for, and not again when it goes out. A send
  that would take the day over the cap is refused before any request.
* **Loop breaker**: at most N messages to one number within M minutes. A
  message counts when it is asked for (a queued one counts once); further
  sends to that number are refused until the oldest of them leaves the window.

Each refusal raises a translated error and a repair issue. The loop breaker's
issue names the automation or script that sent the messages when Home
Assistant's trace context tells it (``homeassistant.helpers.trace``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
import logging
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later, async_track_time_change
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api import mask_phone
from .const import (
    DOMAIN,
    ISSUE_DAILY_CAP,
    ISSUE_LOOP_BREAKER,
    ISSUE_LOOP_BREAKER_UNKNOWN,
)
from .errors import warn_in_repairs
from .outbox import SendOutcome
from .spending import (
    SpendingOptions,
    decimal_or_none,
    sender_name,
    shown_amount,
)

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION: Final = 1


@dataclass(slots=True)
class _Day:
    day: date
    spent: Decimal = Decimal(0)
    messages: int = 0


@dataclass(slots=True)
class _Sends:
    """When messages to each number were asked for (UTC), within the window."""

    by_number: dict[str, list[datetime]] = field(default_factory=dict)

    def recent(self, number: str, since: datetime) -> list[datetime]:
        times = [t for t in self.by_number.get(number, []) if t > since]
        if times:
            self.by_number[number] = times
        else:
            self.by_number.pop(number, None)
        return times


class GuardRails:
    """The spend cap and the loop breaker of one account, kept on disk."""

    def __init__(self, hass: HomeAssistant, entry_id: str, title: str) -> None:
        """Prepare empty counters; ``async_load`` reads them back."""
        self.hass = hass
        self.entry_id = entry_id
        self.title = title
        self.options = SpendingOptions.from_options({})
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.spend.{entry_id}"
        )
        self._day = _Day(dt_util.now().date())
        self._sends = _Sends()
        #: The last price of one part (one SMS segment) the server reported.
        self.price_per_part: Decimal | None = None
        self._listeners: list[CALLBACK_TYPE] = []
        self._unsubs: list[CALLBACK_TYPE] = []
        #: A delayed save is pending: further changes join it (no rescheduling).
        self._save_pending = False

    # Lifecycle

    async def async_load(self, options: Mapping[str, Any]) -> None:
        """Read the counters back and watch for local midnight."""
        self.options = SpendingOptions.from_options(options)
        stored = await self._store.async_load() or {}
        try:
            day = date.fromisoformat(stored["day"])
            self._day = _Day(day, Decimal(stored["spent"]), int(stored["messages"]))
            self.price_per_part = decimal_or_none(stored.get("price_per_part"))
            self._sends.by_number = {
                number: [datetime.fromisoformat(t) for t in times]
                for number, times in stored.get("sends", {}).items()
            }
        except (KeyError, TypeError, ValueError, InvalidOperation):
            pass  # nothing stored yet, or unreadable: start from zero
        self._roll_over()
        self._unsubs.append(
            async_track_time_change(
                self.hass, self._midnight, hour=0, minute=0, second=0
            )
        )

    async def async_unload(self) -> None:
        """Stop the timers and write the counters."""
        while self._unsubs:
            self._unsubs.pop()()
        await self._store.async_save(self._data())

    async def async_remove(self) -> None:
        """Forget the counters of a removed account."""
        await self._store.async_remove()

    def _save(self) -> None:
        """Write within a second; changes until then join the same write."""
        if not self._save_pending:
            self._save_pending = True
            self._store.async_delay_save(self._data, 1)

    def _data(self) -> dict[str, Any]:
        """What is stored: the day's counters and the loop breaker's sends."""
        self._save_pending = False
        return {
            **self._counters(),
            "sends": {
                number: [t.isoformat() for t in times]
                for number, times in self._sends.by_number.items()
            },
        }

    def _counters(self) -> dict[str, Any]:
        return {
            "day": self._day.day.isoformat(),
            "spent": str(self._day.spent),
            "messages": self._day.messages,
            "price_per_part": str(self.price_per_part)
            if self.price_per_part is not None
            else None,
        }

    def summary(self) -> dict[str, Any]:
        """The guard rails for diagnostics, without a phone number.

        Keys: ``day`` (ISO date, local), ``spent`` and ``daily_cap`` (decimal
        strings in the account's unit, the cap None when off), ``messages``,
        ``price_per_part`` (decimal string or None), ``loop_max`` (None when
        off), ``loop_window_seconds`` and ``numbers_watched`` (how many numbers
        the loop breaker counts sends to).
        """
        options = self.options
        return {
            **self._counters(),
            "daily_cap": str(options.daily_cap) if options.daily_cap else None,
            "loop_max": options.loop_max,
            "loop_window_seconds": int(options.loop_window.total_seconds()),
            "numbers_watched": len(self._sends.by_number),
        }

    # What the sensors show

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``update`` whenever what was spent changes."""
        self._listeners.append(update)
        return lambda: self._listeners.remove(update)

    def _changed(self) -> None:
        for update in list(self._listeners):
            update()

    @property
    def spent_today(self) -> Decimal:
        """What was spent since local midnight, in the account's unit."""
        self._roll_over()
        return self._day.spent

    @property
    def messages_today(self) -> int:
        """Messages (one per recipient) counted since local midnight."""
        self._roll_over()
        return self._day.messages

    @property
    def remaining(self) -> Decimal | None:
        """What may still be spent today; None when there is no cap."""
        if self.options.daily_cap is None:
            return None
        return max(self.options.daily_cap - self.spent_today, Decimal(0))

    @property
    def cap_issue_id(self) -> str:
        """The repair issue raised when the cap refuses a send."""
        return f"{ISSUE_DAILY_CAP}_{self.entry_id}"

    @property
    def loop_issue_id(self) -> str:
        """The repair issue raised when the loop breaker refuses a send."""
        return f"{ISSUE_LOOP_BREAKER}_{self.entry_id}"

    def _roll_over(self) -> None:
        today = dt_util.now().date()
        if self._day.day != today:
            self._day = _Day(today)
            ir.async_delete_issue(self.hass, DOMAIN, self.cap_issue_id)
            self._save()

    @callback
    def _midnight(self, _now: datetime) -> None:
        self._roll_over()
        self._changed()

    # Checks

    def estimate(self, parts: int, recipients: int) -> Decimal:
        """The cost of a send before it is made: 0 while no price is known."""
        return (self.price_per_part or Decimal(0)) * max(parts, 1) * recipients

    def check(self, numbers: Iterable[str], parts: int) -> None:
        """Refuse a send that breaks a guard rail, before any request.

        Call it with the numbers known so far (``parts`` per message); it may be
        called again once contact groups are resolved. Raises a translated
        ``HomeAssistantError`` (``daily_cap_reached``, ``loop_breaker``).
        """
        numbers = list(numbers)
        self._check_cap(parts, len(numbers))
        self._check_loop(numbers)

    def _check_cap(self, parts: int, recipients: int) -> None:
        cap = self.options.daily_cap
        if cap is None:
            return
        spent = self.spent_today
        estimate = self.estimate(parts, recipients)
        if spent < cap and spent + estimate <= cap:
            return
        placeholders = {
            "account": self.title,
            "spent": shown_amount(spent),
            "cap": shown_amount(cap),
            "estimate": shown_amount(estimate),
            "unit": self.options.unit or "",
        }
        _LOGGER.warning(
            "Daily spend cap of %s reached (%s spent today): a send was refused",
            cap,
            spent,
        )
        warn_in_repairs(self.hass, self.cap_issue_id, ISSUE_DAILY_CAP, placeholders)
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="daily_cap_reached",
            translation_placeholders=placeholders,
        )

    def _check_loop(self, numbers: list[str]) -> None:
        limit = self.options.loop_max
        if limit is None:
            return
        window = self.options.loop_window
        since = dt_util.utcnow() - window
        for number in numbers:
            recent = self._sends.recent(number, since)
            if len(recent) < limit:
                continue
            until = dt_util.as_local(min(recent) + window)
            source = sender_name(self.hass)
            placeholders = {
                "account": self.title,
                "number": number,
                "count": str(len(recent)),
                "minutes": str(int(window.total_seconds() // 60)),
                "until": until.strftime("%H:%M:%S"),
                "source": source or "-",
            }
            _LOGGER.warning(
                "Loop breaker: %d messages to %s within %s; a send from %s was refused",
                len(recent),
                mask_phone(number),
                window,
                source or "an action",
            )
            warn_in_repairs(
                self.hass,
                self.loop_issue_id,
                ISSUE_LOOP_BREAKER if source else ISSUE_LOOP_BREAKER_UNKNOWN,
                placeholders,
            )
            self._unsubs.append(
                async_call_later(
                    self.hass,
                    min(recent) + window - dt_util.utcnow(),
                    self._loop_window_passed,
                )
            )
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="loop_breaker",
                translation_placeholders=placeholders,
            )

    @callback
    def _loop_window_passed(self, _now: datetime) -> None:
        ir.async_delete_issue(self.hass, DOMAIN, self.loop_issue_id)

    # Counting

    def count_request(self, numbers: Iterable[str]) -> None:
        """Count a send the checks let through, for the loop breaker."""
        if self.options.loop_max is None:
            return
        now = dt_util.utcnow()
        for number in numbers:
            self._sends.by_number.setdefault(number, []).append(now)
        self._save()

    def record(self, outcome: SendOutcome, parts: int) -> None:
        """Add what a send cost today, from the outbox's outcome.

        Accepted recipients count with the cost the server reported, and teach
        the price of a part. Recipients held in the outbox (``queued``,
        ``scheduled``) and those whose fate is unknown count with the estimate,
        now and only now; refused ones cost nothing.
        """
        self._roll_over()
        spent = Decimal(0)
        messages = 0
        for recipient in outcome.recipients:
            state = recipient.state
            cost = recipient.cost
            if state == "accepted" and cost is not None:
                spent += cost
                segments = recipient.segments or parts or 1
                if cost > 0:
                    self.price_per_part = cost / int(segments)
            elif state in {"accepted", "queued", "scheduled", "unknown"}:
                spent += self.estimate(recipient.segments or parts, 1)
            else:
                continue
            messages += 1
        self._day.spent += spent
        self._day.messages += messages
        self._save()
        self._changed()

    def learn_price(self, price_per_part: Decimal) -> None:
        """Take a price per part read from the message history (statistics.py).

        A price the server reported for a send of this integration wins.
        """
        if self.price_per_part is None:
            self.price_per_part = price_per_part
            self._save()
