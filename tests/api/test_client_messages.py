"""Reading messages back: one, a page, and every page."""

from __future__ import annotations

from decimal import Decimal
import json

import pytest

from custom_components.textboost.api import (
    FINAL_STATUSES,
    Message,
    Page,
    RequestRejected,
    TextBoostClient,
    delivery_state,
    transport as transport_module,
)

from .helpers import assert_request

NUMBER = "31612345678"


async def test_get_message_returns_what_the_server_stored(
    client: TextBoostClient, sandbox
) -> None:
    uid = sandbox.add_message(NUMBER, "Hello", status="Delivered", sender="HomeAssist")

    message = await client.get_message(uid)

    assert message == Message(
        uid=uid,
        to=NUMBER,
        sender="HomeAssist",
        message="Hello",
        status="Delivered",
        cost=Decimal("0.05"),
    )
    assert_request(sandbox.requests[-1], "GET", f"sms/{uid}")


async def test_get_message_reads_a_current_servers_report(
    client: TextBoostClient, sandbox
) -> None:
    # Current servers (3.13) answer {uid, to, from, message, sms_type,
    # direction, status, sms_count, cost}: "status" renamed, no customer_status.
    sandbox.report_shape = "new"
    uid = sandbox.add_message(NUMBER, "Привет " * 12, status="Undelivered")

    message = await client.get_message(uid)

    assert (message.status, message.segments, message.cost) == (
        "Undelivered",
        2,
        Decimal("0.10"),
    )
    assert (message.sms_type, message.direction) == ("unicode", "outgoing")
    assert delivery_state(message.status) == "failed"


async def test_get_message_follows_the_delivery_to_its_final_status(
    client: TextBoostClient, sandbox
) -> None:
    sandbox.state.final_status[NUMBER] = "Undelivered"
    result = await client.send([NUMBER], "Hi")
    uid = result.messages[0].uid
    assert (await client.get_message(uid)).status == "Enroute"

    sandbox.complete_deliveries()

    status = (await client.get_message(uid)).status
    assert status == "Undelivered"
    assert status in FINAL_STATUSES
    assert delivery_state(status) == "failed"


async def test_get_message_quotes_the_uid_into_one_path_segment(
    client: TextBoostClient, sandbox
) -> None:
    with pytest.raises(RequestRejected):
        await client.get_message("abc?page=2")

    assert sandbox.requests[-1].path == "sms/abc?page=2"
    assert sandbox.requests[-1].query == {}


async def test_get_message_of_an_unknown_uid_is_rejected(
    client: TextBoostClient, sandbox
) -> None:
    with pytest.raises(RequestRejected) as caught:
        await client.get_message("0000000000000")

    assert caught.value.message == (
        "No query results for model [App\\Models\\Reports] 0000000000000"
    )
    assert caught.value.http_status == 200


async def test_list_messages_returns_one_page_newest_first(
    client: TextBoostClient, sandbox
) -> None:
    uids = [sandbox.add_message(NUMBER, f"Message {i}") for i in range(30)]

    page = await client.list_messages()

    assert isinstance(page, Page)
    assert [m.uid for m in page.items] == uids[::-1][:25]
    assert (page.current_page, page.last_page, page.per_page, page.total) == (
        1,
        2,
        25,
        30,
    )
    assert page.next_page == 2
    assert page.items[0].sms_type == "plain"
    assert page.items[0].direction == "outgoing"
    assert page.items[0].sent_at is not None
    assert_request(sandbox.requests[-1], "GET", "sms", query={"page": "1"})


async def test_list_messages_asks_for_the_given_page(
    client: TextBoostClient, sandbox
) -> None:
    uids = [sandbox.add_message(NUMBER, f"Message {i}") for i in range(30)]

    page = await client.list_messages(page=2)

    assert [m.uid for m in page.items] == uids[::-1][25:]
    assert page.next_page is None
    assert_request(sandbox.requests[-1], "GET", "sms", query={"page": "2"})


async def test_iter_messages_walks_every_page(client: TextBoostClient, sandbox) -> None:
    uids = [sandbox.add_message(NUMBER, f"Message {i}") for i in range(60)]

    seen = [message.uid async for message in client.iter_messages()]

    assert seen == uids[::-1]
    assert [r.query for r in sandbox.requests_to("sms", "GET")] == [
        {"page": "1"},
        {"page": "2"},
        {"page": "3"},
    ]


async def test_iter_messages_of_an_empty_account_makes_one_request(
    client: TextBoostClient, sandbox
) -> None:
    assert [m async for m in client.iter_messages()] == []
    assert len(sandbox.requests) == 1


async def test_iteration_stops_when_the_server_ignores_the_page_number(
    client: TextBoostClient, sandbox
) -> None:
    stuck = {
        "status": "success",
        "data": {
            "current_page": 1,
            "last_page": 5,
            "data": [{"uid": "0123456789abc", "customer_status": "Delivered"}],
        },
    }
    sandbox.inject_response(
        200, json.dumps(stuck).encode(), "application/json", count=50
    )

    seen = [m.uid async for m in client.iter_messages()]

    assert seen == ["0123456789abc", "0123456789abc"]
    assert [r.query for r in sandbox.requests] == [{"page": "1"}, {"page": "2"}]


async def test_iteration_stops_at_the_page_limit(
    client: TextBoostClient, sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transport_module, "MAX_PAGES", 2)
    for i in range(80):
        sandbox.add_message(NUMBER, f"Message {i}")

    seen = [m async for m in client.iter_messages()]

    assert len(seen) == 50
    assert len(sandbox.requests) == 2
