"""Long-term statistics of what an account sent and spent, hour by hour.

Three external statistics per account (the recorder's statistics API, the
pattern of core's ``opower``), each an hourly sum:

* ``textboost:<account uid>_messages``: messages sent, one per recipient;
* ``textboost:<account uid>_parts``: SMS parts (segments) of those messages;
* ``textboost:<account uid>_cost``: what they cost, in the account's unit.

They are read from the message history (``GET sms``, WIRE-NOTES "Listing":
rows ``sent_at, sms_count, cost, direction``; by default the last 30 days).
The first run imports the whole history; later runs read only messages sent
from the hour after the last stored one, and only complete hours are stored,
so no hour is read twice and a restart adds no row twice. Every complete hour
gets a row (zero when nothing was sent), so the last stored hour is where the
next run starts. Incoming messages cost nothing and are not counted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
import logging
from typing import TYPE_CHECKING, Any, Final, cast

from homeassistant.components.recorder.models import (
    StatisticData,
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.components.recorder.statistics import (
    async_add_external_statistics,
    get_last_statistics,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_change
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util

from .api import Message, TextBoostClient, TextBoostError
from .const import DOMAIN

if TYPE_CHECKING:
    from .guard_rails import GuardRails

_LOGGER = logging.getLogger(__name__)

HOUR: Final = timedelta(hours=1)
#: Minutes past the hour at which the hour before is imported.
IMPORT_MINUTE: Final = 5
KINDS: Final = ("messages", "parts", "cost")
#: Directions that are not sent by the account (WIRE-NOTES "Listing").
INCOMING: Final = "incoming"
#: Whether this Home Assistant wants ``unit_class`` in statistics metadata
#: (2025.10 and later; 2025.4 stores the metadata as given and refuses it).
HAS_UNIT_CLASS: Final = "unit_class" in StatisticMetaData.__annotations__
#: No unit conversion for counts and money, where the recorder wants to know.
_UNIT_CLASS: Final[dict[str, None]] = {"unit_class": None} if HAS_UNIT_CLASS else {}


def statistic_id(account_uid: str, kind: str) -> str:
    """The id of one of the account's statistics.

    ``textboost:<account uid, lower case>_<kind>``, ``kind`` one of ``KINDS``.
    """
    return f"{DOMAIN}:{account_uid.lower()}_{kind}"


def statistic_metadata(
    account_uid: str, title: str, kind: str, unit: str | None
) -> StatisticMetaData:
    """Metadata of a summed statistic, for the running Home Assistant.

    ``mean_type`` (2025.4 and later) instead of the deprecated ``has_mean``;
    ``unit_class`` (None: no unit conversion) only where the recorder knows it.
    ``unit`` (the account's currency unit) is used for ``cost`` only; the
    counts have none. A ``recorder.models.StatisticMetaData`` dict.
    """
    names = {"messages": "messages sent", "parts": "SMS parts sent", "cost": "cost"}
    metadata: dict[str, Any] = {
        "mean_type": StatisticMeanType.NONE,
        "has_sum": True,
        "name": f"{title} {names[kind]}",
        "source": DOMAIN,
        "statistic_id": statistic_id(account_uid, kind),
        "unit_of_measurement": unit if kind == "cost" else None,
        **_UNIT_CLASS,
    }
    return cast(StatisticMetaData, metadata)


@dataclass(frozen=True, slots=True)
class SentRow:
    """One message of the history, as the statistics count it.

    ``sent_at`` is aware UTC; ``parts`` the SMS parts; ``cost`` in the
    account's currency (0 when the server said nothing).
    """

    sent_at: datetime
    parts: int
    cost: Decimal


def sent_row(message: Message) -> SentRow | None:
    """A history row to count, or None (incoming, or not sent yet).

    No ``sms_count`` counts one part (WIRE-NOTES "Listing").
    """
    if message.direction == INCOMING or message.sent_at is None:
        return None
    return SentRow(message.sent_at, message.segments or 1, message.cost or Decimal(0))


def hourly_sums(
    rows: Iterable[SentRow], start: datetime, end: datetime
) -> dict[datetime, tuple[int, int, Decimal]]:
    """Messages, parts and cost per hour, for every hour from start to end.

    ``start`` and ``end`` are UTC hour starts; rows outside [start, end) are
    left out (already stored, or in an hour not complete yet). Returns
    ``{hour start: (messages, parts, cost)}``, zeros for an empty hour.
    """
    hours: dict[datetime, tuple[int, int, Decimal]] = {}
    moment = start
    while moment < end:
        hours[moment] = (0, 0, Decimal(0))
        moment += HOUR
    for row in rows:
        hour = row.sent_at.replace(minute=0, second=0, microsecond=0)
        if hour in hours:
            messages, parts, cost = hours[hour]
            hours[hour] = (messages + 1, parts + row.parts, cost + row.cost)
    return hours


class SpendStatistics:
    """Imports an account's hourly statistics into the recorder.

    Through ``recorder.statistics.async_add_external_statistics``; the last
    stored hour and sums are read with ``get_last_statistics``.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        client: TextBoostClient,
        *,
        account_uid: str,
        title: str,
        unit: Callable[[], str | None],
        guard: GuardRails | None = None,
    ) -> None:
        """Prepare the import of one account.

        ``unit`` gives the cost unit at each import; ``guard`` learns the
        price per part from the history (``GuardRails.learn_price``).
        """
        self.hass = hass
        self.client = client
        self.account_uid = account_uid
        self.title = title
        self._unit = unit
        self._guard = guard
        self._lock = asyncio.Lock()
        self._unsub: CALLBACK_TYPE | None = None

    @callback
    def async_start(self) -> None:
        """Import every hour (set-up starts the first import itself).

        At ``IMPORT_MINUTE`` past each hour (``async_track_time_change``).
        """
        self._unsub = async_track_time_change(
            self.hass, self._scheduled, minute=IMPORT_MINUTE, second=0
        )

    @callback
    def async_stop(self) -> None:
        """Stop the hourly import."""
        if self._unsub:
            self._unsub()
            self._unsub = None

    async def _scheduled(self, _now: datetime) -> None:
        await self.async_import()

    async def async_import(self) -> int:
        """Import every complete hour not stored yet; return how many.

        A failed read of the history (the client's ``TextBoostError``) is
        logged and tried again next hour: it returns 0, not the error.
        """
        async with self._lock:
            try:
                return await self._import()
            except TextBoostError as err:
                _LOGGER.warning("Message history not read for statistics: %s", err)
                return 0

    async def _last_stored(self) -> tuple[datetime, list[float]] | None:
        """The last stored hour and the sums there, or None before the first run."""
        recorder = get_instance(self.hass)
        sums: list[float] = []
        last: datetime | None = None
        for kind in KINDS:
            ident = statistic_id(self.account_uid, kind)
            stored = await recorder.async_add_executor_job(
                get_last_statistics, self.hass, 1, ident, True, {"sum"}
            )
            if not stored.get(ident):
                return None
            row = stored[ident][0]
            last = dt_util.utc_from_timestamp(row["start"])
            sums.append(float(row.get("sum") or 0.0))
        assert last is not None
        return last, sums

    async def _import(self) -> int:
        end = dt_util.utcnow().replace(minute=0, second=0, microsecond=0)
        stored = await self._last_stored()
        since = stored[0] + HOUR if stored else None
        if since is not None and since >= end:
            return 0
        rows: list[SentRow] = []
        async for message in self.client.iter_messages_since(since):
            if (row := sent_row(message)) is not None:
                rows.append(row)
        if self._guard is not None and (
            priced := [r for r in rows if r.cost > 0 and r.parts > 0]
        ):
            latest = max(priced, key=lambda r: r.sent_at)
            self._guard.learn_price(latest.cost / latest.parts)
        if since is None:
            first = min((r.sent_at for r in rows), default=end - HOUR)
            since = min(first.replace(minute=0, second=0, microsecond=0), end - HOUR)
        sums = stored[1] if stored else [0.0, 0.0, 0.0]
        hours = hourly_sums(rows, since, end)
        series: dict[str, list[StatisticData]] = {kind: [] for kind in KINDS}
        for hour, values in sorted(hours.items()):
            for index, kind in enumerate(KINDS):
                value = float(values[index])
                sums[index] += value
                series[kind].append(
                    StatisticData(start=hour, state=value, sum=sums[index])
                )
        unit = self._unit()
        for kind in KINDS:
            async_add_external_statistics(
                self.hass,
                statistic_metadata(self.account_uid, self.title, kind, unit),
                series[kind],
            )
        _LOGGER.debug(
            "Imported %d hour(s) of statistics (%d message(s))", len(hours), len(rows)
        )
        return len(hours)
