"""Reading the message history since a moment, whatever order the server lists.

Current servers list newest first and filter; older ones list oldest first and
ignore filters (WIRE-NOTES "Listing"). The sandbox plays the current server;
canned pages play the older ones. Each test states the requests that reached
the server, because their number is the cost the integration pays.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import json
import math
from typing import Any, cast
from zoneinfo import ZoneInfo

import aiohttp
from hypothesis import given, settings, strategies as st
import pytest

from custom_components.textboost.api import (
    Message,
    MessageDirection,
    Page,
    TextBoostClient,
    messages as messages_module,
)

from .conftest import PLACEHOLDER_TOKEN, RequestHooks

NUMBER = "31612345678"
JSON = "application/json"
#: A day ago, to the second: inside the 30 days current servers list by default.
T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)


def _at(index: int) -> datetime:
    """The moment of message ``index``: one a minute from T0."""
    return T0 + timedelta(minutes=index)


def _uid(index: int) -> str:
    return f"{index:013x}"


def _row(index: int, sent_at: datetime | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "uid": _uid(index),
        "to": NUMBER,
        "from": "TextBoost",
        "message": f"Message {index}",
        "status": "Delivered",
        "cost": "0.05",
        "sms_count": 1,
        "sent_at": None
        if sent_at is None
        else sent_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        **extra,
    }


def _paginator(rows: list[dict[str, Any]], page: int) -> bytes:
    """Page ``page`` of ``rows`` as a Laravel paginator in the envelope."""
    last = max(1, math.ceil(len(rows) / 25))
    return json.dumps(
        {
            "status": "success",
            "message": None,
            "data": {
                "current_page": page,
                "data": rows[(page - 1) * 25 : page * 25],
                "last_page": last,
                "per_page": 25,
                "total": len(rows),
            },
        }
    ).encode()


def _serve(sandbox: Any, rows: list[dict[str, Any]], pages: list[int]) -> None:
    """Queue the pages an older server would give, in the order asked for."""
    for page in pages:
        sandbox.inject_response(200, _paginator(rows, page), JSON, path="sms")


def _pages_asked(sandbox: Any) -> list[str]:
    return [r.query["page"] for r in sandbox.requests_to("sms", "GET")]


def _add_history(sandbox: Any, count: int) -> list[str]:
    """``count`` messages on the sandbox, one a minute from T0."""
    return [
        sandbox.add_message(NUMBER, f"Message {i}", sent_at=_at(i))
        for i in range(count)
    ]


async def _since(
    client: TextBoostClient, since: datetime | None, **kwargs: Any
) -> list[str]:
    return [m.uid async for m in client.iter_messages_since(since, **kwargs)]


# list_messages: the filters as the server reads them


async def test_list_messages_sends_the_filters_in_utc(
    client: TextBoostClient, sandbox
) -> None:
    amsterdam = ZoneInfo("Europe/Amsterdam")

    await client.list_messages(
        2,
        direction=MessageDirection.INCOMING,
        start=datetime(2026, 11, 29, 9, 30, 15, 999999, tzinfo=amsterdam),
        end=datetime(2026, 11, 29, 12, 0, tzinfo=UTC),
    )

    assert sandbox.requests_to("sms", "GET")[-1].query == {
        "page": "2",
        "direction": "incoming",
        "start_date": "2026-11-29 08:30:15",
        "end_date": "2026-11-29 12:00:00",
        "timezone": "UTC",
    }


async def test_list_messages_with_only_an_end_still_names_the_zone(
    client: TextBoostClient, sandbox
) -> None:
    await client.list_messages(end=datetime(2026, 11, 29, 12, 0, tzinfo=UTC))

    assert sandbox.requests_to("sms", "GET")[-1].query == {
        "page": "1",
        "end_date": "2026-11-29 12:00:00",
        "timezone": "UTC",
    }


async def test_naive_times_are_refused_before_any_request(
    client: TextBoostClient, sandbox
) -> None:
    with pytest.raises(ValueError, match="aware"):
        await client.list_messages(start=datetime(2026, 11, 29, 9, 30))
    with pytest.raises(ValueError, match="aware"):
        await _since(client, datetime(2026, 11, 29, 9, 30))

    assert sandbox.requests == []


# Newest first (current servers: the sandbox)


async def test_newest_first_reads_only_the_page_that_reaches_back_to_since(
    client: TextBoostClient, sandbox
) -> None:
    uids = _add_history(sandbox, 60)

    seen = await _since(client, _at(40))

    assert seen == uids[40:][::-1]
    (logged,) = sandbox.requests_to("sms", "GET")
    assert logged.query == {
        "page": "1",
        "start_date": _at(40).strftime("%Y-%m-%d %H:%M:%S"),
        "timezone": "UTC",
    }


async def test_newest_first_pages_until_a_row_is_older_than_since(
    client: TextBoostClient, sandbox
) -> None:
    uids = _add_history(sandbox, 100)

    seen = await _since(client, _at(70))

    assert seen == uids[70:][::-1]
    # 30 new rows: pages 1 and 2 (page 2 holds the first older row).
    assert _pages_asked(sandbox) == ["1", "2"]


async def test_without_since_every_listed_message_comes_newest_first(
    client: TextBoostClient, sandbox
) -> None:
    uids = _add_history(sandbox, 60)

    seen = await _since(client, None)

    assert seen == uids[::-1]
    assert _pages_asked(sandbox) == ["1", "2", "3"]
    assert "start_date" not in sandbox.requests[0].query


async def test_a_caller_that_stops_early_pays_for_one_page(
    client: TextBoostClient, sandbox
) -> None:
    uids = _add_history(sandbox, 60)

    async for message in client.iter_messages_since(None):
        newest = message
        break

    assert newest.uid == uids[-1]
    assert _pages_asked(sandbox) == ["1"]


@pytest.mark.parametrize("filters", [True, False], ids=["filtered", "ignored"])
async def test_the_direction_is_asked_for_and_checked(
    client: TextBoostClient, sandbox, filters: bool
) -> None:
    sandbox.list_filters = filters
    uids = _add_history(sandbox, 10)
    for index in (2, 5, 7):
        sandbox.state.messages[index].direction = "incoming"

    seen = await _since(client, _at(3), direction="incoming")

    # A server that ignores the filter lists all ten: the client keeps two.
    assert seen == [uids[7], uids[5]]
    assert sandbox.requests[0].query["direction"] == "incoming"


@pytest.mark.parametrize(
    ("order", "filters", "pages"),
    [
        # Current servers: newest first, filtered to the 26 new rows.
        ("newest", True, ["1", "2"]),
        ("newest", False, ["1", "2"]),
        ("oldest", True, ["1", "2"]),
        # The oldest servers: page 1, then back from the last (one row).
        ("oldest", False, ["1", "4", "3", "2"]),
    ],
)
async def test_every_kind_of_server_gives_the_new_rows_within_the_bound(
    client: TextBoostClient, sandbox, order: str, filters: bool, pages: list[str]
) -> None:
    sandbox.list_order = order
    sandbox.list_filters = filters
    uids = _add_history(sandbox, 76)

    seen = await _since(client, _at(50))

    assert seen == uids[50:][::-1]
    assert _pages_asked(sandbox) == pages
    assert len(pages) <= math.ceil(26 / 25) + 2


async def test_a_message_listed_twice_while_paging_is_yielded_once(
    client: TextBoostClient, sandbox, request_hooks: RequestHooks
) -> None:
    uids = _add_history(sandbox, 30)
    # A new message before page 2 pushes the oldest of page 1 onto page 2.
    request_hooks.before(2, lambda: sandbox.add_message(NUMBER, "Late"))

    seen = await _since(client, None)

    assert seen == uids[::-1]
    assert _pages_asked(sandbox) == ["1", "2"]


async def test_the_page_limit_holds(
    client: TextBoostClient, sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messages_module, "MAX_PAGES", 2)
    _add_history(sandbox, 80)

    assert len(await _since(client, None)) == 50
    assert _pages_asked(sandbox) == ["1", "2"]


# Oldest first (older servers: canned pages)


async def test_oldest_first_jumps_to_the_last_page_and_walks_back(
    client: TextBoostClient, sandbox
) -> None:
    rows = [_row(i, _at(i)) for i in range(100)]
    _serve(sandbox, rows, [1, 4])

    seen = await _since(client, _at(80))

    assert seen == [_uid(i) for i in range(99, 79, -1)]
    assert _pages_asked(sandbox) == ["1", "4"]


async def test_oldest_first_with_a_short_last_page_stays_within_the_bound(
    client: TextBoostClient, sandbox
) -> None:
    # 76 rows: the last page holds one. 26 new rows span pages 4, 3 and 2.
    rows = [_row(i, _at(i)) for i in range(76)]
    _serve(sandbox, rows, [1, 4, 3, 2])

    seen = await _since(client, _at(50))

    assert seen == [_uid(i) for i in range(75, 49, -1)]
    assert len(_pages_asked(sandbox)) == math.ceil(26 / 25) + 2


async def test_oldest_first_without_since_reads_each_page_once(
    client: TextBoostClient, sandbox
) -> None:
    rows = [_row(i, _at(i)) for i in range(60)]
    _serve(sandbox, rows, [1, 3, 2])

    seen = await _since(client, None)

    assert seen == [_uid(i) for i in range(59, -1, -1)]
    assert _pages_asked(sandbox) == ["1", "3", "2"]


async def test_an_order_page_1_cannot_tell_is_read_from_the_last_page(
    client: TextBoostClient, sandbox
) -> None:
    # Newest first, and the 25 newest rows were sent in the same instant.
    rows = [_row(i, _at(100)) for i in range(25)]
    rows += [_row(i, _at(100 - i)) for i in range(25, 60)]
    _serve(sandbox, rows, [1, 3, 2])

    seen = await _since(client, _at(70))

    assert seen == [_uid(i) for i in range(31)]
    assert _pages_asked(sandbox) == ["1", "3", "2"]


async def test_rows_without_sent_at_are_read_in_the_servers_order(
    client: TextBoostClient, sandbox
) -> None:
    # An old server without sent_at on api/v3 and without an api/http family.
    rows = [_row(i) for i in range(60)]
    _serve(sandbox, rows, [1])
    sandbox.inject_response(404, b"<html>Not Found</html>", "text/html", path="sms")
    _serve(sandbox, rows, [3, 2])

    seen = await _since(client, _at(0))

    assert seen == [_uid(i) for i in range(60)]
    assert _asked(sandbox) == [("v3", "1"), ("http", "1"), ("v3", "3"), ("v3", "2")]


def _asked(sandbox: Any) -> list[tuple[str, str]]:
    return [(r.family, r.query["page"]) for r in sandbox.requests_to("sms", "GET")]


async def test_an_older_server_is_read_where_its_rows_are_dated(
    client: TextBoostClient, sandbox
) -> None:
    # Older servers list sent_at on api/http only (WIRE-NOTES "Endpoints").
    uids = _add_history(sandbox, 40)
    _serve(sandbox, [_row(i) for i in range(40)], [1])  # api/v3: no sent_at

    assert await _since(client, _at(30)) == uids[30:][::-1]

    v3, http = sandbox.requests_to("sms", "GET")
    window = {"page": "1", "start_date": _at(30).strftime("%Y-%m-%d %H:%M:%S")}
    assert (v3.family, v3.query) == ("v3", {**window, "timezone": "UTC"})
    assert (http.family, http.query) == (
        "http",
        {**window, "timezone": "UTC", "api_token": "**REDACTED**"},
    )
    assert "Authorization" not in http.headers
    assert http.fault is None

    # From then on the client asks api/http straight away.
    sandbox.clear_requests()
    assert await _since(client, _at(35)) == uids[35:][::-1]
    await client.list_messages()
    assert _asked(sandbox) == [("http", "1"), ("http", "1")]


async def test_the_oldest_kind_of_server_is_read_on_api_http(
    client: TextBoostClient, sandbox
) -> None:
    # api/v3: oldest first, no filters, rows without sent_at or direction;
    # api/http of the same server has them (WIRE-NOTES "Endpoints").
    sandbox.list_order = "oldest"
    sandbox.list_filters = False
    sandbox.list_rows = "old"
    uids = _add_history(sandbox, 60)
    for index in (40, 55):
        sandbox.state.messages[index].direction = "incoming"

    seen = await _since(client, _at(30), direction="incoming")

    assert seen == [uids[55], uids[40]]
    assert _asked(sandbox) == [("v3", "1"), ("http", "1")]
    sandbox.clear_requests()
    assert await _since(client, _at(50)) == uids[50:][::-1]
    assert _asked(sandbox) == [("http", "1")]


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (404, b"<html>Not Found</html>", "text/html"),
        (200, b'{"status": "error", "message": "Unauthenticated."}', JSON),
        (200, b'{"status": "error", "message": "Not available"}', JSON),
        (200, _paginator([_row(7)], 1), JSON),
    ],
    ids=["no such family", "token refused", "refused", "undated there too"],
)
async def test_an_older_server_without_a_usable_http_family_stays_on_v3(
    client: TextBoostClient, sandbox, status: int, body: bytes, content_type: str
) -> None:
    undated = _paginator([_row(i) for i in range(3)], 1)
    sandbox.inject_response(200, undated, JSON, path="sms")
    sandbox.inject_response(status, body, content_type, path="sms")

    assert await _since(client, None) == [_uid(0), _uid(1), _uid(2)]

    sandbox.inject_response(200, undated, JSON, path="sms")
    assert len(await _since(client, None)) == 3
    assert [family for family, _ in _asked(sandbox)] == ["v3", "http", "v3"]


async def test_an_empty_list_teaches_nothing(client: TextBoostClient, sandbox) -> None:
    assert await _since(client, None) == []
    uids = _add_history(sandbox, 2)

    assert await _since(client, None) == uids[::-1]
    assert _asked(sandbox) == [("v3", "1"), ("v3", "1")]


async def test_a_single_page_comes_newest_first_and_filtered(
    client: TextBoostClient, sandbox
) -> None:
    rows = [_row(i, _at(i)) for i in range(5)] + [_row(9, None)]
    rows[3]["direction"] = "incoming"
    _serve(sandbox, rows, [1])

    seen = await _since(client, _at(2))
    assert seen == [_uid(9), _uid(4), _uid(3), _uid(2)]

    _serve(sandbox, rows, [1])
    assert await _since(client, _at(2), direction="INCOMING") == [_uid(3)]


async def test_a_server_that_ignores_the_page_number_gives_page_1_once(
    client: TextBoostClient, sandbox
) -> None:
    stuck = json.loads(_paginator([_row(i, _at(i)) for i in range(25)], 1))
    stuck["data"]["last_page"] = 3
    sandbox.inject_response(200, json.dumps(stuck).encode(), JSON, count=5)

    seen = await _since(client, _at(20))

    assert seen == [_uid(i) for i in range(24, 19, -1)]
    assert _pages_asked(sandbox) == ["1", "3"]


# The promise, for any history and either order


class _History:
    """A fake ``list_messages`` over rows in a given order, counting calls."""

    def __init__(self, rows: list[Message]) -> None:
        self.rows = rows
        self.calls = 0

    async def __call__(self, page: int = 1, **_: Any) -> Page[Message]:
        self.calls += 1
        return Page(
            items=self.rows[(page - 1) * 25 : page * 25],
            current_page=page,
            last_page=max(1, math.ceil(len(self.rows) / 25)),
            per_page=25,
            total=len(self.rows),
        )


@settings(max_examples=150, deadline=None)
@given(
    minutes=st.lists(st.integers(0, 400), max_size=130),
    newest_first=st.booleans(),
    since_minute=st.none() | st.integers(-1, 401),
)
def test_every_new_row_once_newest_first_within_the_request_bound(
    minutes: list[int], newest_first: bool, since_minute: int | None
) -> None:
    ordered = sorted(minutes, reverse=newest_first)
    rows = [
        Message(_uid(i), NUMBER, "S", "", "Delivered", None, sent_at=_at(m))
        for i, m in enumerate(ordered)
    ]
    history = _History(rows)
    since = None if since_minute is None else _at(since_minute)
    client = TextBoostClient(
        cast(aiohttp.ClientSession, None), PLACEHOLDER_TOKEN, "http://127.0.0.1/"
    )
    client.list_messages = history

    async def read() -> list[Message]:
        return [m async for m in client.iter_messages_since(since)]

    seen = asyncio.run(read())

    new = [row for row in rows if since is None or cast(datetime, row.sent_at) >= since]
    assert sorted(m.uid for m in seen) == sorted(m.uid for m in new)
    times = [m.sent_at for m in seen]
    assert times == sorted(times, reverse=True)
    assert history.calls <= math.ceil(len(new) / 25) + 2
