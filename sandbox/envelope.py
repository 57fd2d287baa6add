"""How the sandbox writes answers: the envelope, HTML pages, paginators, dates.

The real server wraps every API answer in `{"status", "message", "data"}` and
sends most failures as HTTP 200 with `status: error` (WIRE-NOTES, "The
envelope"). Without `Accept: application/json` some failures come back as
Laravel's HTML error pages instead. Lists are Laravel length-aware paginators
of 25 rows (WIRE-NOTES, `GET sms` row of the endpoint table).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
import json
import math
from typing import Any, Final

from aiohttp import web

from .const import PER_PAGE

_HTML_TITLES: Final = {
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
    500: "Server Error",
}


@dataclass(slots=True)
class Reply:
    """An answer before it goes on the wire (faults may still spoil it)."""

    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> web.Response:
        """Return the aiohttp response carrying this reply."""
        return web.Response(
            status=self.status,
            body=self.body,
            headers={**self.headers, "Content-Type": self.content_type},
        )


class ApiError(Exception):
    """A failure answered with the error envelope (HTTP 200 unless `status`)."""

    def __init__(self, message: str, status: int = 200) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class NotFoundError(Exception):
    """An unknown id: an error envelope for JSON clients, else an HTML 404."""

    def __init__(self, model: str, uid: str) -> None:
        self.message = f"No query results for model [App\\Models\\{model}] {uid}"
        super().__init__(self.message)


def json_reply(payload: object, status: int = 200) -> Reply:
    """Return `payload` as compact JSON."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    return Reply(status, body, "application/json")


def success(
    data: object, message: str | None = None, *, with_data: bool = True
) -> Reply:
    """Return the success envelope; `with_data=False` leaves `data` out entirely."""
    payload: dict[str, object] = {"status": "success", "message": message}
    if with_data:
        payload["data"] = data
    return json_reply(payload)


def error(message: str, status: int = 200) -> Reply:
    """Return the error envelope `{"status": "error", "message": ...}`."""
    return json_reply({"status": "error", "message": message}, status)


def html(status: int) -> Reply:
    """Return Laravel's HTML error page for `status` (401, 404, 405, 429, 500)."""
    title = _HTML_TITLES[status]
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body><div>{status} | {title}</div></body>\n"
        "</html>\n"
    )
    return Reply(status, page.encode(), "text/html; charset=UTF-8")


ON_EACH_SIDE: Final = 3
"""Pages Laravel links on each side of the current one (`onEachSide`)."""


def page_window(page: int, last: int) -> list[int | None]:
    """The page numbers Laravel's `links` show, None for a "..." gap.

    Laravel's `UrlWindow`: every page when there are fewer than 14; else the
    first 10 (near the start) or the last 10 (near the end) with the two at
    the other end, or 1, 2, the current page with 3 on each side, and the last
    two, gaps between.
    """
    if last < ON_EACH_SIDE * 2 + 8:
        return list(range(1, last + 1))
    window = ON_EACH_SIDE + 4
    start, finish = [1, 2], [last - 1, last]
    if page <= window:
        return [*range(1, window + ON_EACH_SIDE + 1), None, *finish]
    if page > last - window:
        return [*start, None, *range(last - (window + ON_EACH_SIDE - 1), last + 1)]
    slider = range(page - ON_EACH_SIDE, page + ON_EACH_SIDE + 1)
    return [*start, None, *slider, None, *finish]


def paginate[T](
    items: Sequence[T],
    page: int,
    url: str,
    render: Callable[[T], object] | None = None,
) -> dict[str, Any]:
    """Build a Laravel length-aware paginator for page `page` (from 1) of `items`.

    `render` turns an item into its JSON row; only the page's items are rendered.
    """
    total = len(items)
    last = max(1, math.ceil(total / PER_PAGE))
    start = (page - 1) * PER_PAGE
    chunk = [
        item if render is None else render(item)
        for item in items[start : start + PER_PAGE]
    ]

    def page_url(number: int) -> str:
        return f"{url}?page={number}"

    prev_url = page_url(page - 1) if page > 1 else None
    next_url = page_url(page + 1) if page < last else None
    links: list[dict[str, Any]] = [
        {"url": prev_url, "label": "&laquo; Previous", "active": False},
        *(
            {"url": None, "label": "...", "active": False}
            if number is None
            else {
                "url": page_url(number),
                "label": str(number),
                "active": number == page,
            }
            for number in page_window(page, last)
        ),
        {"url": next_url, "label": "Next &raquo;", "active": False},
    ]
    return {
        "current_page": page,
        "data": chunk,
        "first_page_url": page_url(1),
        "from": start + 1 if chunk else None,
        "last_page": last,
        "last_page_url": page_url(last),
        "links": links,
        "next_page_url": next_url,
        "path": url,
        "per_page": PER_PAGE,
        "prev_page_url": prev_url,
        "to": start + len(chunk) if chunk else None,
        "total": total,
    }


def iso(moment: datetime | None) -> str | None:
    """Format an aware time the way Laravel serialises dates.

    For example "2026-11-29T10:49:22.000000Z" (always UTC).
    """
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def display_expiry(moment: datetime | None) -> str:
    """Format like PHP `d M Y g:i A`, e.g. "31 Dec 2026 11:59 PM"; "" for None."""
    if moment is None:
        return ""
    hour = moment.hour % 12 or 12
    return f"{moment:%d %b %Y} {hour}:{moment:%M %p}"
