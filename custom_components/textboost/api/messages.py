"""Message reports: ``GET sms/{uid}`` and the ``GET sms`` list.

The list's order differs between servers (WIRE-NOTES "Listing"): current ones
list newest first and filter by date and direction; older ones list oldest
first and may ignore every filter. ``iter_messages_since`` relies on neither:
it infers the order from ``sent_at`` and filters on its side too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from enum import Enum
from typing import Final

from .exceptions import AuthenticationFailed, InvalidResponse, RequestRejected
from .models import Message, Page
from .transport import (
    MAX_PAGES,
    Family,
    Transport,
    as_dict,
    iterate_pages,
    path_segment,
)

#: ``start_date`` / ``end_date`` as the server reads them, with ``timezone=UTC``.
LIST_DATE_FORMAT: Final = "%Y-%m-%d %H:%M:%S"


class ListOrder(Enum):
    """The order in which a server lists its reports."""

    NEWEST_FIRST = "newest_first"
    OLDEST_FIRST = "oldest_first"


class MessageEndpoints(Transport):
    """Reading the reports of sent and received messages."""

    #: The family whose ``GET sms`` rows carry ``sent_at``: None until known.
    #: Older servers list them on ``api/http`` only (WIRE-NOTES "Endpoints").
    _list_family: Family | None = None

    async def get_message(self, uid: str) -> Message:
        """One message report by its uid (``GET sms/{uid}``).

        ``Message.status`` is the delivery status (``customer_status`` on
        older servers, ``status`` on current ones: WIRE-NOTES "Endpoints").
        Raises ``NotFound`` for an unknown uid, else the client's exceptions.
        """
        data, _ = await self._request("GET", f"sms/{path_segment(uid)}")
        return Message.from_api(as_dict(data))

    async def list_messages(
        self,
        page: int = 1,
        *,
        direction: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> Page[Message]:
        """One page (25) of sent and received message reports (``GET sms``).

        ``direction`` (``outgoing``, ``incoming``, ``api``: see
        ``MessageDirection``) and the aware times ``start`` and ``end`` are
        sent as the filters ``direction``, ``start_date`` and ``end_date``
        (``Y-m-d H:i:s`` in UTC, with ``timezone=UTC``). The page is returned
        as the server sent it: older servers ignore the filters and list
        oldest first, current ones list newest first and, without
        ``start``, only the last 30 days (WIRE-NOTES "Listing").

        Asked on ``api/v3``, or on ``api/http`` once ``iter_messages_since``
        has found that only that family lists ``sent_at`` on this server.
        Raises ``ValueError`` for a naive ``start`` or ``end``, else the
        client's exceptions (``RequestRejected`` for filters the server
        refuses, usually with HTTP 422).
        """
        return await self._list_page(
            self._list_family or "v3", page, direction, start, end
        )

    async def _list_page(
        self,
        family: Family,
        page: int,
        direction: str | None,
        start: datetime | None,
        end: datetime | None,
    ) -> Page[Message]:
        params = {"page": str(page)}
        if direction:
            params["direction"] = str(direction)
        if start is not None:
            params["start_date"] = _utc_text(start)
        if end is not None:
            params["end_date"] = _utc_text(end)
        if start is not None or end is not None:
            params["timezone"] = "UTC"
        data, _ = await self._request("GET", "sms", params=params, family=family)
        return Page.from_api(data, Message.from_api)

    def iter_messages(self) -> AsyncIterator[Message]:
        """Every listed report in the server's order: ⌈reports/25⌉ requests.

        At most 1,000 pages; current servers list only the last 30 days.
        """
        return iterate_pages(self.list_messages)

    async def iter_messages_since(
        self, since: datetime | None, *, direction: str | None = None
    ) -> AsyncIterator[Message]:
        """The reports sent or received at ``since`` or later, newest first.

        ``since`` is an aware time (None: everything the server lists, on
        current servers the last 30 days). ``direction`` keeps only reports
        of that direction. Both are sent as filters and applied here as well,
        because older servers ignore them (WIRE-NOTES "Listing"). A report
        without ``sent_at`` (a scheduled message not yet sent) has no known
        age and is yielded whatever ``since`` says; each uid is yielded once.

        The server's order is inferred from the ``sent_at`` of page 1 (and,
        when page 1 cannot tell, of the last page). Newest first: pages are
        read forwards until one holds a report older than ``since``. Oldest
        first: from the last page backwards until the same. So a call makes
        at most ⌈N/25⌉ + 2 requests, N being the reports at or after
        ``since`` (fewer when the caller stops early, since the newest come
        first), and never more than 1,000. Only when no report of pages 1
        and last has a ``sent_at`` (very old servers) is every page read, in
        the server's order. Reports that arrive while the pages are read may
        be missed by this call; a later call finds them.

        An older server lists ``sent_at`` (and ``direction``) on ``api/http``
        only: when page 1 of ``api/v3`` has rows but no ``sent_at``, page 1
        of ``api/http`` is read once (one more request, once per client) and,
        if its rows are dated, every later list read uses that family.

        Raises ``ValueError`` for a naive ``since``, else the client's
        exceptions from any page read.
        """
        if since is not None and since.tzinfo is None:
            raise ValueError("since must be an aware datetime")

        async def fetch(number: int) -> Page[Message]:
            return await self.list_messages(number, direction=direction, start=since)

        seen: set[str] = set()

        def wanted(rows: Iterable[Message]) -> list[Message]:
            """The rows to yield (filtered, not yet yielded), in the given order."""
            kept = []
            for row in rows:
                if row.uid in seen or not _matches(row, since, direction):
                    continue
                seen.add(row.uid)
                kept.append(row)
            return kept

        first = await fetch(1)
        if self._list_family is None:
            first = await self._settle_list_family(first, direction, since)
        if first.last_page <= 1:
            for row in wanted(_newest_first(first.items)):
                yield row
            return
        cached = {1: first}
        order = _order_of([first.items])
        if order is None:
            last = cached[first.last_page] = await fetch(first.last_page)
            order = _order_of([first.items, last.items])
        # Unknown order (no report has a sent_at): forwards, every page.
        step = -1 if order is ListOrder.OLDEST_FIRST else 1
        number = first.last_page if step == -1 else 1
        for _ in range(MAX_PAGES):
            page = cached.get(number) or await fetch(number)
            if page.current_page != number:
                # A server that ignores ?page=: page 1 is all there is.
                for row in wanted(_newest_first(first.items)):
                    yield row
                return
            rows = page.items[::-1] if step == -1 else page.items
            for row in wanted(rows):
                yield row
            number += step
            if _reaches_before(rows, since) or not 1 <= number <= page.last_page:
                return

    async def _settle_list_family(
        self, first: Page[Message], direction: str | None, since: datetime | None
    ) -> Page[Message]:
        """Learn which family lists ``sent_at``; return page 1 of that family."""
        if not first.items:
            return first  # nothing to learn from yet
        if any(row.sent_at for row in first.items):
            self._list_family = "v3"
            return first
        try:
            other = await self._list_page("http", 1, direction, since, None)
        except (AuthenticationFailed, RequestRejected, InvalidResponse):
            other = None  # no usable api/http family on this server
        if other is not None and any(row.sent_at for row in other.items):
            self._list_family = "http"
            return other
        self._list_family = "v3"
        return first


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("filter times must be aware datetimes")
    return moment.astimezone(UTC).strftime(LIST_DATE_FORMAT)


def _matches(row: Message, since: datetime | None, direction: str | None) -> bool:
    if direction and (row.direction or "").casefold() != direction.casefold():
        return False
    return since is None or row.sent_at is None or row.sent_at >= since


def _reaches_before(rows: Iterable[Message], since: datetime | None) -> bool:
    """Whether a page holds a report older than ``since``: paging can stop."""
    return since is not None and any(
        row.sent_at is not None and row.sent_at < since for row in rows
    )


def _order_of(pages: list[list[Message]]) -> ListOrder | None:
    """The list's order, from the ``sent_at`` of pages in reading order.

    None when the dated reports do not tell (none, or all at one instant).
    """
    dated = [row.sent_at for rows in pages for row in rows if row.sent_at]
    if not dated or dated[0] == dated[-1]:
        return None
    return ListOrder.NEWEST_FIRST if dated[0] > dated[-1] else ListOrder.OLDEST_FIRST


def _newest_first(rows: list[Message]) -> list[Message]:
    """Reports sorted newest first; those without ``sent_at`` come first."""
    floor = datetime.min.replace(tzinfo=UTC)
    undated = [row for row in rows if row.sent_at is None]
    dated = [row for row in rows if row.sent_at is not None]
    return undated + sorted(dated, key=lambda row: row.sent_at or floor, reverse=True)
