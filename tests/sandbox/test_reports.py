"""`GET sms`: the report list, its order, its 30-day default and its filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
import pytest

from sandbox import Sandbox
from sandbox.envelope import page_window

from .helpers import call, send

pytestmark = pytest.mark.usefixtures("socket_enabled")

NOW = datetime(2026, 11, 29, 10, 49, 22, tzinfo=UTC)


async def listed(
    session: aiohttp.ClientSession,
    sandbox: Sandbox,
    family: str = "v3",
    **params: str,
) -> list[dict[str, Any]]:
    """Return the rows of the first page of `GET sms` with `params`."""
    if family == "http":
        params["api_token"] = sandbox.token
    answer = await call(session, sandbox, "GET", "sms", params=params, family=family)
    assert answer.json["status"] == "success", answer.json
    rows: list[dict[str, Any]] = answer.json["data"]["data"]
    return rows


def history(sandbox: Sandbox) -> dict[str, str]:
    """Store messages at known times around NOW; return their uids by name."""
    return {
        "old": sandbox.add_message(
            "31600000001", "old", sent_at=NOW - timedelta(days=31)
        ),
        "month": sandbox.add_message(
            "31600000002", "month", sent_at=NOW - timedelta(days=29)
        ),
        "hour": sandbox.add_message(
            "31600000003", "hour", sent_at=NOW - timedelta(hours=1)
        ),
        "yesterday": sandbox.add_message(
            "31600000004", "yesterday", sent_at=NOW - timedelta(days=1)
        ),
    }


async def test_list_messages_is_paginated_newest_first(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    uids = [sandbox.add_message(f"316123450{i:02d}", f"m{i}") for i in range(30)]
    sandbox.add_message("31612345678", "ж", status="Undelivered", sender="Bob")
    answer = await call(session, sandbox, "GET", "sms")
    page = answer.json["data"]
    path = f"{sandbox.base_url}sms"
    assert page["current_page"] == 1
    assert page["per_page"] == 25
    assert (page["from"], page["to"], page["total"], page["last_page"]) == (
        1,
        25,
        31,
        2,
    )
    assert page["path"] == path
    assert page["first_page_url"] == f"{path}?page=1"
    assert page["last_page_url"] == f"{path}?page=2"
    assert page["next_page_url"] == f"{path}?page=2"
    assert page["prev_page_url"] is None
    assert [link["label"] for link in page["links"]] == [
        "&laquo; Previous",
        "1",
        "2",
        "Next &raquo;",
    ]
    newest = page["data"][0]
    assert newest["from"] == "Bob"
    assert newest["status"] == "Undelivered"
    assert newest["sms_count"] == 1
    assert newest["sms_type"] == "unicode"
    assert newest["direction"] == "outgoing"
    assert newest["sent_at"].endswith("Z")
    assert page["data"][1]["uid"] == uids[-1]

    answer = await call(session, sandbox, "GET", "sms", params={"page": "2"})
    page = answer.json["data"]
    assert [item["uid"] for item in page["data"]] == uids[5::-1]
    assert (page["from"], page["to"], page["next_page_url"]) == (26, 31, None)
    assert page["prev_page_url"] == f"{path}?page=1"

    answer = await call(session, sandbox, "GET", "sms", params={"page": "3"})
    assert answer.json["data"]["data"] == []
    assert answer.json["data"]["from"] is None
    for bad in ("abc", "0", "-2"):
        answer = await call(session, sandbox, "GET", "sms", params={"page": bad})
        assert answer.json["data"]["current_page"] == 1


async def test_list_messages_on_the_http_family(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    answer = await call(
        session,
        sandbox,
        "GET",
        "sms",
        params={"api_token": sandbox.token},
        family="http",
    )
    assert answer.json["data"]["path"] == f"{sandbox.http_base_url}sms"
    assert answer.json["data"]["total"] == 0


async def test_rows_have_the_current_shape(
    sandbox: Sandbox, session: aiohttp.ClientSession, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(NOW)
    sent = await send(session, sandbox, recipient="31612345678", message="Hi €")
    [row] = await listed(session, sandbox)
    assert row == {
        "uid": sent["data"]["uid"],
        "to": "31612345678",
        "from": "TextBoost",
        "message": "Hi €",
        "sms_type": "plain",
        "direction": "outgoing",
        "status": "Enroute",
        "sms_count": 1,
        "cost": "0.05",
        "sent_at": "2026-11-29T10:49:22.000000Z",
    }


async def test_newest_first_by_time_sent_and_only_the_last_30_days(
    sandbox: Sandbox, session: aiohttp.ClientSession, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(NOW)
    uids = history(sandbox)
    rows = await listed(session, sandbox)
    assert [row["uid"] for row in rows] == [
        uids["hour"],
        uids["yesterday"],
        uids["month"],
    ]
    freezer.tick(timedelta(days=2))
    rows = await listed(session, sandbox)
    assert [row["uid"] for row in rows] == [uids["hour"], uids["yesterday"]]


@pytest.mark.parametrize("family", ["v3", "http"])
async def test_date_filters_are_read_in_the_given_time_zone(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    freezer: FrozenDateTimeFactory,
    family: str,
) -> None:
    freezer.move_to(NOW)
    uids = history(sandbox)
    # An explicit start replaces the 30-day default; the end is inclusive.
    rows = await listed(
        session,
        sandbox,
        family,
        start_date="2026-10-01 00:00:00",
        end_date="2026-11-28 10:49:22",
    )
    assert [row["uid"] for row in rows] == [
        uids["yesterday"],
        uids["month"],
        uids["old"],
    ]
    # 11:49:22 in Amsterdam (UTC+1) is 10:49:22 UTC: an hour ago is 09:49:22 UTC.
    rows = await listed(
        session,
        sandbox,
        family,
        start_date="2026-11-29 10:49:22",
        timezone="Europe/Amsterdam",
    )
    assert [row["uid"] for row in rows] == [uids["hour"]]
    rows = await listed(
        session, sandbox, family, start_date="2026-11-29 09:49:23", timezone="UTC"
    )
    assert rows == []


async def test_type_and_direction_filters(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    plain = sandbox.add_message("31600000001", "plain")
    unicode = sandbox.add_message("31600000002", "ж")
    incoming = await sandbox.receive_sms("+31612345678", "HEAT ON")
    rows = await listed(session, sandbox, sms_type="unicode")
    assert [row["uid"] for row in rows] == [unicode]
    rows = await listed(session, sandbox, direction="incoming")
    assert [row["uid"] for row in rows] == [incoming]
    rows = await listed(session, sandbox, direction="outgoing", sms_type="plain")
    assert [row["uid"] for row in rows] == [plain]
    assert await listed(session, sandbox, direction="api") == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"start_date": "2026-11-29"},
            "The start date does not match the format Y-m-d H:i:s.",
        ),
        (
            {"end_date": "29/11/2026 10:00:00"},
            "The end date does not match the format Y-m-d H:i:s.",
        ),
        ({"timezone": "Mars/Olympus"}, "The selected timezone is invalid."),
        ({"sms_type": "fax"}, "The selected sms type is invalid."),
        ({"direction": "sideways"}, "The selected direction is invalid."),
    ],
)
async def test_bad_filters_are_http_422(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    params: dict[str, str],
    message: str,
) -> None:
    answer = await call(session, sandbox, "GET", "sms", params=params)
    assert answer.status == 422
    assert answer.json == {"status": "error", "message": message}


async def test_an_older_server_lists_oldest_first_without_filters_on_v3(
    sandbox: Sandbox, session: aiohttp.ClientSession, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(NOW)
    sandbox.list_order = "oldest"
    sandbox.list_filters = False
    uids = history(sandbox)
    rows = await listed(session, sandbox, direction="incoming", sms_type="unicode")
    assert [row["uid"] for row in rows] == [
        uids["old"],
        uids["month"],
        uids["yesterday"],
        uids["hour"],
    ]
    rows = await listed(session, sandbox, "http", start_date="2026-11-28 00:00:00")
    assert [row["uid"] for row in rows] == [uids["yesterday"], uids["hour"]]


async def test_a_scheduled_message_is_listed_by_when_it_was_stored(
    sandbox: Sandbox, session: aiohttp.ClientSession, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(NOW)
    earlier = sandbox.add_message("31600000001", "earlier", sent_at=NOW - timedelta(1))
    await send(
        session,
        sandbox,
        recipient="31600000002,31600000003",
        message="later",
        schedule_time="2026-12-24 18:00",
    )
    rows = await listed(session, sandbox)
    assert [(row["to"], row["status"], row["sent_at"]) for row in rows] == [
        ("31600000003", "Scheduled", None),
        ("31600000002", "Scheduled", None),
        ("31600000001", "Delivered", "2026-11-28T10:49:22.000000Z"),
    ]
    assert rows[2]["uid"] == earlier


@pytest.mark.parametrize(
    ("page", "last", "window"),
    [
        (1, 1, [1]),
        (5, 13, list(range(1, 14))),
        (1, 14, [*range(1, 11), None, 13, 14]),
        (7, 400, [*range(1, 11), None, 399, 400]),
        (8, 400, [1, 2, None, *range(5, 12), None, 399, 400]),
        (393, 400, [1, 2, None, *range(390, 397), None, 399, 400]),
        (394, 400, [1, 2, None, *range(391, 401)]),
        (401, 400, [1, 2, None, *range(391, 401)]),
    ],
)
def test_links_show_a_window_of_pages_as_laravel_does(
    page: int, last: int, window: list[int | None]
) -> None:
    assert page_window(page, last) == window


async def test_a_long_list_links_a_window_with_gaps(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    for index in range(25 * 20):
        sandbox.add_message(f"3161{index:07d}", "m")
    answer = await call(session, sandbox, "GET", "sms", params={"page": "10"})
    links = answer.json["data"]["links"]
    assert [link["label"] for link in links] == [
        "&laquo; Previous",
        "1",
        "2",
        "...",
        *map(str, range(7, 14)),
        "...",
        "19",
        "20",
        "Next &raquo;",
    ]
    assert links[3] == {"url": None, "label": "...", "active": False}
    assert links[7] == {
        "url": f"{sandbox.base_url}sms?page=10",
        "label": "10",
        "active": True,
    }


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ("old", {"customer_status": "Delivered"}),
        (
            "new",
            {
                "sms_type": "unicode",
                "direction": "outgoing",
                "status": "Delivered",
                "sms_count": 1,
            },
        ),
    ],
)
async def test_one_report_in_the_shape_of_each_server_version(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    shape: str,
    expected: dict[str, Any],
) -> None:
    sandbox.report_shape = "new" if shape == "new" else "old"
    uid = sandbox.add_message("31612345678", "Привет", sender="Alerts")
    answer = await call(session, sandbox, "GET", f"sms/{uid}")
    assert answer.json["data"] == {
        "uid": uid,
        "to": "31612345678",
        "from": "Alerts",
        "message": "Привет",
        **expected,
        "cost": "0.05",
    }


async def test_an_older_server_leaves_the_http_fields_out_of_v3_rows(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.list_rows = "old"
    uid = sandbox.add_message("31612345678", "hi")
    [row] = await listed(session, sandbox)
    assert row == {
        "uid": uid,
        "to": "31612345678",
        "from": "TextBoost",
        "message": "hi",
        "customer_status": "Delivered",
        "cost": "0.05",
    }
    [row] = await listed(session, sandbox, "http")
    assert (row["uid"], row["status"], row["direction"]) == (
        uid,
        "Delivered",
        "outgoing",
    )
    assert row["sent_at"] is not None
