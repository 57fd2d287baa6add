"""Drive the sandbox over real loopback HTTP with a plain aiohttp client."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
import io
import json
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from multidict import CIMultiDictProxy
import pytest

from sandbox import DEFAULT_TOKEN, BalanceShape, Fault, LoggedRequest, Sandbox
from sandbox.__main__ import banner, main, parse_args, run, seed_demo
from sandbox.faults import FaultQueue
from sandbox.gsm import Encoding, count_segments, is_gsm7

pytestmark = pytest.mark.usefixtures("socket_enabled")

JSON_ACCEPT = {"Accept": "application/json"}
NOT_ENOUGH = (
    "There is not enough balance available to send this message. "
    "Please recharge your account."
)


@dataclass
class Answer:
    """What came back over the wire."""

    status: int
    headers: CIMultiDictProxy[str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)


async def call(
    session: aiohttp.ClientSession,
    sandbox: Sandbox,
    method: str,
    path: str,
    *,
    body: Any = None,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    family: str = "v3",
    time_limit: float | None = None,
) -> Answer:
    """Call the sandbox; v3 calls carry the bearer token and ask for JSON."""
    if headers is None:
        headers = dict(JSON_ACCEPT)
        if family == "v3":
            headers["Authorization"] = f"Bearer {sandbox.token}"
    base = sandbox.base_url if family == "v3" else sandbox.http_base_url
    async with session.request(
        method,
        base + path,
        json=body,
        params=params,
        headers=headers,
        timeout=aiohttp.ClientTimeout(total=time_limit),
    ) as response:
        return Answer(response.status, response.headers, await response.text())


async def send(
    session: aiohttp.ClientSession, sandbox: Sandbox, **body: Any
) -> dict[str, Any]:
    """POST sms/send with `body` and return the decoded envelope."""
    body.setdefault("type", "plain")
    answer = await call(session, sandbox, "POST", "sms/send", body=body)
    assert answer.status == 200
    result: dict[str, Any] = answer.json
    return result


# --------------------------------------------------------------------- life cycle


async def test_urls_and_defaults(sandbox: Sandbox) -> None:
    port = int(sandbox.root_url.rsplit(":", 1)[1])
    assert port > 0
    assert sandbox.root_url == f"http://127.0.0.1:{port}"
    assert sandbox.base_url == f"http://127.0.0.1:{port}/api/v3/"
    assert sandbox.http_base_url == f"http://127.0.0.1:{port}/api/http/"
    assert sandbox.token == DEFAULT_TOKEN
    assert sandbox.balance_shape is BalanceShape.REMAINING_BALANCE
    assert sandbox.contact_shape == "old"
    assert sandbox.delivery_delay == 1.0
    assert sandbox.slow_seconds == 15.0
    assert sandbox.retry_after == 7
    assert sandbox.state.balance == Decimal("1234.50")
    assert sandbox.state.unit_price == Decimal("0.05")
    assert sandbox.state.profile.timezone == "Europe/Amsterdam"


async def test_start_twice_and_use_before_start() -> None:
    server = Sandbox(token="1|other")
    with pytest.raises(RuntimeError):
        _ = server.base_url
    with pytest.raises(RuntimeError):
        await server.refuse_connections()
    await server.start()
    try:
        with pytest.raises(RuntimeError):
            await server.start()
    finally:
        await server.close()
    await server.close()  # closing twice is harmless


async def test_refuse_and_accept_connections(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    assert (await call(session, sandbox, "GET", "me")).status == 200
    await sandbox.refuse_connections()
    await sandbox.refuse_connections()  # already refusing: nothing changes
    with pytest.raises(aiohttp.ClientConnectorError):
        await call(session, sandbox, "GET", "me")
    await sandbox.accept_connections()
    await sandbox.accept_connections()  # already listening: nothing changes
    answer = await call(session, sandbox, "GET", "me")
    assert answer.status == 200
    assert [req.path for req in sandbox.requests] == ["me", "me"]


async def test_refusing_lets_a_busy_connection_answer_first(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.slow_seconds = 0.3
    sandbox.inject(Fault.SLOW)
    pending = asyncio.ensure_future(call(session, sandbox, "GET", "me"))
    async with asyncio.timeout(5):
        await sandbox.wait_for_request("me")
    await sandbox.refuse_connections()
    answer = await pending
    assert answer.json["status"] == "success"
    with pytest.raises(aiohttp.ClientConnectorError):
        await call(session, sandbox, "GET", "me")


async def test_close_releases_slow_responses(session: aiohttp.ClientSession) -> None:
    server = Sandbox()
    await server.start()
    server.inject(Fault.SLOW)
    pending = asyncio.ensure_future(call(session, server, "GET", "me"))
    async with asyncio.timeout(5):
        logged = await server.wait_for_request()
    assert logged.fault is Fault.SLOW
    started = asyncio.get_running_loop().time()
    await server.close()  # does not wait the 15 s of the SLOW fault
    assert asyncio.get_running_loop().time() - started < 5
    answer = await pending  # the held response went out at once
    assert answer.json["status"] == "success"


# ------------------------------------------------------------------ authentication


async def test_me_echoes_the_token(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    answer = await call(session, sandbox, "GET", "me")
    assert answer.status == 200
    envelope = answer.json
    assert envelope["status"] == "success"
    data = envelope["data"]
    profile = sandbox.state.profile
    assert data == {
        "uid": profile.uid,
        "api_token": DEFAULT_TOKEN,
        "first_name": "Sandy",
        "last_name": "Box",
        "email": "sandbox@example.com",
        "locale": "en",
        "timezone": "Europe/Amsterdam",
        "last_access_at": data["last_access_at"],
    }
    assert len(profile.uid) == 13
    assert data["last_access_at"].endswith("Z")
    assert answer.headers["X-RateLimit-Limit"] == "1000"
    assert answer.headers["X-RateLimit-Remaining"] == "999"


@pytest.mark.parametrize(
    "headers",
    [
        {"Accept": "application/json"},
        {"Accept": "application/json", "Authorization": "Bearer 1|wrong"},
        {"Accept": "application/json", "Authorization": f"Token {DEFAULT_TOKEN}"},
    ],
)
async def test_bad_bearer_token_is_http_200_error(
    sandbox: Sandbox, session: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    answer = await call(session, sandbox, "GET", "balance", headers=headers)
    assert answer.status == 200
    assert answer.json == {"status": "error", "message": "Unauthenticated."}
    assert answer.headers["X-RateLimit-Limit"] == "1000"


async def test_bad_bearer_token_without_json_is_html_401(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    answer = await call(session, sandbox, "GET", "me", headers={"Accept": "text/html"})
    assert answer.status == 401
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "<html" in answer.text


async def test_http_family_takes_api_token_from_query_or_body(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    token = {"api_token": sandbox.token}
    answer = await call(session, sandbox, "GET", "me", params=token, family="http")
    assert answer.json["data"]["api_token"] == sandbox.token
    answer = await call(
        session,
        sandbox,
        "POST",
        "sms/send",
        body={**token, "recipient": "31612345678", "type": "plain", "message": "hi"},
        family="http",
    )
    assert answer.json["status"] == "success"
    assert [req.family for req in sandbox.requests] == ["http", "http"]


@pytest.mark.parametrize("params", [{}, {"api_token": "1|wrong"}])
async def test_http_family_rejects_bad_credentials(
    sandbox: Sandbox, session: aiohttp.ClientSession, params: dict[str, str]
) -> None:
    answer = await call(session, sandbox, "GET", "me", params=params, family="http")
    assert answer.status == 200
    assert answer.json == {
        "status": "error",
        "message": "These credentials do not match our records.",
    }


async def test_http_family_reads_form_bodies(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    async with session.post(
        sandbox.http_base_url + "contacts",
        data={"api_token": sandbox.token, "name": "Form group"},
        headers=JSON_ACCEPT,
    ) as response:
        envelope = await response.json()
    assert envelope["data"]["name"] == "Form group"
    assert sandbox.requests[-1].body == {
        "api_token": "**REDACTED**",
        "name": "Form group",
    }


# ------------------------------------------------------------------------ routing


async def test_unknown_route(sandbox: Sandbox, session: aiohttp.ClientSession) -> None:
    answer = await call(session, sandbox, "GET", "nothing/here")
    assert answer.status == 404
    assert answer.json == {
        "status": "error",
        "message": "The route api/v3/nothing/here could not be found.",
    }
    answer = await call(
        session, sandbox, "GET", "nothing", headers={"Accept": "text/html"}
    )
    assert answer.status == 404
    assert "<html" in answer.text
    async with session.get(sandbox.root_url + "/elsewhere", headers=JSON_ACCEPT) as r:
        assert r.status == 404
        assert (await r.json())["status"] == "error"
    async with session.get(sandbox.root_url + "/api/v3", headers=JSON_ACCEPT) as r:
        assert r.status == 404
    assert [(req.family, req.path) for req in sandbox.requests] == [
        ("v3", "nothing/here"),
        ("v3", "nothing"),
        (None, "elsewhere"),
        ("v3", ""),
    ]


async def test_wrong_method(sandbox: Sandbox, session: aiohttp.ClientSession) -> None:
    answer = await call(session, sandbox, "PUT", "me")
    assert answer.status == 405
    assert answer.json == {
        "status": "error",
        "message": "The PUT method is not supported for route api/v3/me. "
        "Supported methods: GET.",
    }
    answer = await call(session, sandbox, "PUT", "me", headers={"Accept": "*/*"})
    assert answer.status == 405
    assert "<html" in answer.text


async def test_trailing_slash_is_ignored(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    answer = await call(session, sandbox, "GET", "balance/")
    assert answer.json["status"] == "success"
    assert sandbox.requests_to("balance")[0].path == "balance"


# ------------------------------------------------------------------------ balance


@pytest.mark.parametrize(
    ("shape", "value"),
    [
        (BalanceShape.REMAINING_UNIT, "1,234.50"),
        (BalanceShape.REMAINING_BALANCE, "1,234.50"),
        (BalanceShape.SMS_CREDIT_BALANCE, 1234),
    ],
)
async def test_balance_shapes(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    shape: BalanceShape,
    value: str | int,
) -> None:
    sandbox.balance_shape = shape
    answer = await call(session, sandbox, "GET", "balance")
    assert answer.json == {
        "status": "success",
        "message": None,
        "data": {shape.value: value, "expired_on": "31 Dec 2030 11:59 PM"},
    }


@pytest.mark.parametrize("display", ["9,99,999", "$1,234.50", "Unlimited"])
async def test_balance_display_is_sent_verbatim(
    sandbox: Sandbox, session: aiohttp.ClientSession, display: str
) -> None:
    sandbox.state.balance_display = display
    sandbox.state.unlimited = True
    sandbox.state.expires_on = datetime.fromisoformat("2027-01-09 09:05")
    answer = await call(session, sandbox, "GET", "balance")
    assert answer.json["data"] == {
        "remaining_balance": display,
        "expired_on": "09 Jan 2027 9:05 AM",
    }


async def test_unlimited_balance_never_deducts(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.state.unlimited = True
    sandbox.state.balance = Decimal(0)
    sandbox.state.expires_on = None
    assert (await send(session, sandbox, recipient="31612345678", message="x"))[
        "status"
    ] == "success"
    assert sandbox.state.balance == Decimal(0)
    answer = await call(session, sandbox, "GET", "balance")
    assert answer.json["data"] == {"remaining_balance": "Unlimited", "expired_on": ""}


async def test_not_enough_balance(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.state.balance = Decimal("0.09")
    envelope = await send(
        session, sandbox, recipient="31612345678,31612345679", message="hi"
    )
    assert envelope == {"status": "error", "message": NOT_ENOUGH}
    assert sandbox.sent_messages() == []
    assert sandbox.state.balance == Decimal("0.09")


# ----------------------------------------------------------------------- sending


async def test_send_one_message(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    envelope = await send(
        session,
        sandbox,
        recipient="+31 (6) 1234-5678",
        sender_id="Alerts",
        message="Hello",
        dlt_template_id="T1",
    )
    data = envelope["data"]
    assert envelope["status"] == "success"
    assert envelope["message"] == "Your message was successfully delivered"
    assert data == {
        "uid": data["uid"],
        "to": "31612345678",
        "from": "Alerts",
        "message": "Hello",
        "status": "Enroute",
        "cost": "0.05",
        "sms_count": 1,
    }
    assert len(data["uid"]) == 13
    assert int(data["uid"], 16) >= 0
    assert sandbox.state.balance == Decimal("1234.45")
    [stored] = sandbox.sent_messages()
    assert (stored.uid, stored.type, stored.segments, stored.dlt_template_id) == (
        data["uid"],
        "plain",
        1,
        "T1",
    )
    assert stored.scheduled_for is None


async def test_default_sender_and_numeric_values(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    envelope = await send(session, sandbox, recipient=31612345678, message=True)
    assert envelope["data"]["from"] == "TextBoost"
    assert envelope["data"]["message"] == "1"


@pytest.mark.parametrize(
    ("message", "sms_type", "stored_type", "segments"),
    [
        ("a" * 160, "plain", "plain", 1),
        ("a" * 161, "plain", "plain", 2),
        ("€" * 80, "plain", "plain", 1),
        ("€" * 81, "plain", "plain", 2),
        ("ж" * 70, "plain", "unicode", 1),
        ("ж" * 71, "plain", "unicode", 2),
        ("a" * 70, "unicode", "unicode", 1),
        ("😀" * 35, "unicode", "unicode", 1),
        ("😀" * 36, "unicode", "unicode", 2),
        ("a" * 500, "voice", "voice", 1),
        ("a" * 500, "whatsapp", "whatsapp", 4),
    ],
)
async def test_segments_and_cost(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    message: str,
    sms_type: str,
    stored_type: str,
    segments: int,
) -> None:
    envelope = await send(
        session,
        sandbox,
        recipient="31612345678",
        message=message,
        type=sms_type,
        language="en-gb",
        gender="female",
    )
    assert envelope["data"]["sms_count"] == segments
    assert envelope["data"]["cost"] == str(Decimal("0.05") * segments)
    [stored] = sandbox.sent_messages()
    assert (stored.type, stored.segments) == (stored_type, segments)


async def test_mms_without_message(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    envelope = await send(
        session,
        sandbox,
        recipient="31612345678",
        type="mms",
        media_url="https://example.com/a.jpg",
    )
    assert envelope["data"]["message"] == ""
    [stored] = sandbox.sent_messages()
    assert stored.media_url == "https://example.com/a.jpg"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"message": "hi"}, "The recipient field is required."),
        ({"recipient": " , ,", "message": "hi"}, "The recipient field is required."),
        ({"recipient": ["316"], "message": "hi"}, "The recipient must be a string."),
        (
            {"recipient": "31612345678", "type": None, "message": "hi"},
            "The type field is required.",
        ),
        (
            {"recipient": "31612345678", "type": "fax", "message": "hi"},
            "The selected type is invalid.",
        ),
        (
            {"recipient": "31612345678", "message": "  "},
            "The message field is required.",
        ),
        (
            {"recipient": "31612345678", "type": "voice", "message": "hi"},
            "Language and gender parameters are required",
        ),
        (
            {
                "recipient": "31612345678",
                "type": "voice",
                "message": "hi",
                "language": "xx-yy",
                "gender": "female",
            },
            "Language and gender parameters are required",
        ),
        (
            {"recipient": "31612345678", "type": "mms"},
            "Valid media url is required.",
        ),
        (
            {"recipient": "31612345678", "type": "mms", "media_url": "ftp://x/a.png"},
            "Valid media url is required.",
        ),
        (
            {"recipient": ",".join(["31612345678"] * 101), "message": "hi"},
            "You cannot send more than 100 SMS in a single request.",
        ),
        (
            {"recipient": "31612345678", "message": "hi", "sender_id": "TooLongSender"},
            "Originator TooLongSender is not authorized to send this message",
        ),
        (
            {"recipient": "31612345678", "message": "hi", "sender_id": "Bad-Name"},
            "Originator Bad-Name is not authorized to send this message",
        ),
        (
            {"recipient": "31612345678", "message": "hi", "schedule_time": "tomorrow"},
            "The schedule time does not match the format Y-m-d H:i.",
        ),
        (
            {
                "recipient": "31612345678",
                "message": "hi",
                "schedule_time": "2030-02-30 10:00",
            },
            "The schedule time does not match the format Y-m-d H:i.",
        ),
        (
            {
                "recipient": "31612345678",
                "message": "hi",
                "schedule_time": "2030-01-01T10:00",
            },
            "The schedule time does not match the format Y-m-d H:i.",
        ),
        ({"recipient": "123", "message": "hi"}, "123 is a invalid phone number"),
        (
            {"recipient": "12a45678", "message": "hi"},
            "12a45678 is a invalid phone number",
        ),
        (
            {"recipient": "31699999999", "message": "hi"},
            "Number contains in the blacklist",
        ),
        (
            {"recipient": "123,+31 699 999 999", "message": "hi"},
            "123 is a invalid phone number, Number contains in the blacklist",
        ),
    ],
)
async def test_send_validation_errors(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    body: dict[str, Any],
    message: str,
) -> None:
    sandbox.state.blacklist.add("+31699999999")
    body.setdefault("type", "plain")
    answer = await call(session, sandbox, "POST", "sms/send", body=body)
    assert answer.status == 200
    assert answer.json == {"status": "error", "message": message}
    assert sandbox.sent_messages() == []
    assert sandbox.state.balance == Decimal("1234.50")


@pytest.mark.parametrize("sender", ["+31612345678", "31612345678", "ABC123", "X"])
async def test_valid_senders(
    sandbox: Sandbox, session: aiohttp.ClientSession, sender: str
) -> None:
    envelope = await send(
        session, sandbox, recipient="31612345678", message="hi", sender_id=sender
    )
    assert envelope["data"]["from"] == sender


async def test_send_several_messages(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    envelope = await send(
        session, sandbox, recipient="31612345678, 31612345679", message="Hi all"
    )
    assert envelope["status"] == "success"
    assert envelope["message"] == "Message is scheduled successfully."
    first, second = envelope["data"]
    assert first == {
        "uid": first["uid"],
        "to": "31612345678",
        "from": "TextBoost",
        "message": "Hi all",
        "customer_status": "Enroute",
        "cost": "0.05",
        "sms_count": 1,
    }
    assert second["to"] == "31612345679"
    assert sandbox.state.balance == Decimal("1234.40")


async def test_send_several_with_some_failures(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.state.blacklist.add("31699999999")
    envelope = await send(
        session,
        sandbox,
        recipient="31612345678,123,31699999999",
        message="Hi",
    )
    assert envelope["status"] == "success"
    assert envelope["message"] == (
        "123 is a invalid phone number, Number contains in the blacklist"
    )
    assert [item["to"] for item in envelope["data"]] == ["31612345678"]
    assert [msg.to for msg in sandbox.sent_messages()] == ["31612345678"]


async def test_concurrent_sends(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    results = await asyncio.gather(
        *(
            send(session, sandbox, recipient=f"3161234{index:04d}", message="x")
            for index in range(200)
        )
    )
    assert all(result["status"] == "success" for result in results)
    assert len({result["data"]["uid"] for result in results}) == 200
    assert len(sandbox.sent_messages()) == 200
    assert sandbox.state.balance == Decimal("1234.50") - Decimal("0.05") * 200
    answer = await call(session, sandbox, "GET", "me")
    assert answer.headers["X-RateLimit-Remaining"] == "799"


# ---------------------------------------------------------------------- delivery


async def test_delivery_after_the_delay(
    sandbox: Sandbox, session: aiohttp.ClientSession, freezer: FrozenDateTimeFactory
) -> None:
    sandbox.state.final_status["31612345679"] = "Undelivered"
    uid = (await send(session, sandbox, recipient="31612345678", message="x"))["data"][
        "uid"
    ]
    other = (await send(session, sandbox, recipient="31612345679", message="x"))[
        "data"
    ]["uid"]
    answer = await call(session, sandbox, "GET", f"sms/{uid}")
    assert answer.json == {
        "status": "success",
        "message": None,
        "data": {
            "uid": uid,
            "to": "31612345678",
            "from": "TextBoost",
            "message": "x",
            "customer_status": "Enroute",
            "cost": "0.05",
        },
    }
    freezer.tick(1.5)
    answer = await call(session, sandbox, "GET", f"sms/{uid}")
    assert answer.json["data"]["customer_status"] == "Delivered"
    answer = await call(session, sandbox, "GET", f"sms/{other}")
    assert answer.json["data"]["customer_status"] == "Undelivered"


async def test_complete_deliveries_and_zero_delay(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.delivery_delay = 3600
    await send(session, sandbox, recipient="31612345678", message="x")
    assert [msg.status for msg in sandbox.sent_messages()] == ["Enroute"]
    sandbox.complete_deliveries()
    assert [msg.status for msg in sandbox.sent_messages()] == ["Delivered"]
    sandbox.delivery_delay = 0
    envelope = await send(session, sandbox, recipient="31612345678", message="y")
    assert envelope["data"]["status"] == "Delivered"


async def test_unknown_message(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    answer = await call(session, sandbox, "GET", "sms/0123456789abc")
    assert answer.status == 200
    assert answer.json == {
        "status": "error",
        "message": "No query results for model [App\\Models\\Reports] 0123456789abc",
    }
    answer = await call(
        session,
        sandbox,
        "GET",
        "sms/0123456789abc",
        headers={"Authorization": f"Bearer {sandbox.token}"},
    )
    assert answer.status == 404
    assert "<html" in answer.text


async def test_scheduled_messages_wait_for_their_time(
    sandbox: Sandbox, session: aiohttp.ClientSession, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2026-06-01 10:00:00+00:00")
    assert sandbox.now() == datetime.fromisoformat("2026-06-01 12:00")
    sandbox.delivery_delay = 0
    envelope = await send(
        session,
        sandbox,
        recipient="31612345678,31612345679",
        message="Later",
        schedule_time="2026-06-01 12:30",
    )
    assert envelope == {
        "status": "success",
        "message": "Message is scheduled successfully.",
    }
    messages = sandbox.sent_messages()
    assert [msg.status for msg in messages] == ["Scheduled", "Scheduled"]
    assert messages[0].scheduled_for == datetime.fromisoformat("2026-06-01 12:30")
    assert messages[0].sent_at is None
    answer = await call(session, sandbox, "GET", "sms")
    assert answer.json["data"]["data"][0]["customer_status"] == "Scheduled"
    assert answer.json["data"]["data"][0]["sent_at"] is None

    sandbox.complete_deliveries()  # scheduled messages have not left yet
    assert [msg.status for msg in sandbox.sent_messages()] == ["Scheduled"] * 2

    freezer.move_to("2026-06-01 10:30:00+00:00")
    messages = sandbox.sent_messages()
    assert [msg.status for msg in messages] == ["Delivered", "Delivered"]
    assert messages[0].sent_at == datetime(2026, 6, 1, 10, 30, tzinfo=UTC)


async def test_scheduled_with_failures_has_no_data(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    envelope = await send(
        session,
        sandbox,
        recipient="31612345678,12",
        message="Later",
        schedule_time="2099-01-01 00:00",
    )
    assert envelope == {"status": "success", "message": "12 is a invalid phone number"}


async def test_scheduled_single_recipient_is_sent_at_once(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    envelope = await send(
        session,
        sandbox,
        recipient="31612345678",
        message="Later",
        schedule_time="2099-01-01 08:00",
    )
    assert envelope["message"] == "Your message was successfully delivered"
    assert envelope["data"]["status"] == "Enroute"
    [stored] = sandbox.sent_messages()
    assert stored.scheduled_for == datetime.fromisoformat("2099-01-01 08:00")
    assert stored.status == "Enroute"
    assert stored.sent_at is not None


async def test_now_follows_the_profile_time_zone(
    sandbox: Sandbox, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to("2026-01-15 12:00:00+00:00")
    assert sandbox.now() == datetime.fromisoformat("2026-01-15 13:00")
    sandbox.state.profile.timezone = "Asia/Kolkata"
    assert sandbox.now() == datetime.fromisoformat("2026-01-15 17:30")


# ------------------------------------------------------------------- SMS listing


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
    assert newest["customer_status"] == "Undelivered"
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


# ------------------------------------------------------------------------- groups


async def test_group_life_cycle(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    answer = await call(session, sandbox, "POST", "contacts", body={"name": "Team"})
    assert answer.status == 200
    group = answer.json["data"]
    assert group == {"uid": group["uid"], "name": "Team"}
    uid = group["uid"]
    answer = await call(session, sandbox, "POST", f"contacts/{uid}/show")
    assert answer.json["data"] == group
    answer = await call(
        session, sandbox, "PATCH", f"contacts/{uid}", body={"name": "Crew"}
    )
    assert answer.json["data"] == {"uid": uid, "name": "Crew"}
    assert sandbox.state.groups[uid].name == "Crew"
    answer = await call(session, sandbox, "DELETE", f"contacts/{uid}")
    assert answer.json["status"] == "success"
    assert answer.json["data"] is None
    assert uid not in sandbox.state.groups


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("POST", "/show"), ("PATCH", ""), ("DELETE", ""), ("POST", "/all")],
)
async def test_unknown_group(
    sandbox: Sandbox, session: aiohttp.ClientSession, method: str, suffix: str
) -> None:
    answer = await call(
        session, sandbox, method, f"contacts/fffffffffffff{suffix}", body={"name": "x"}
    )
    assert answer.status == 200
    assert answer.json == {
        "status": "error",
        "message": "No query results for model [App\\Models\\ContactGroups] "
        "fffffffffffff",
    }


@pytest.mark.parametrize("body", [{}, {"name": "  "}])
async def test_group_name_is_required(
    sandbox: Sandbox, session: aiohttp.ClientSession, body: dict[str, str]
) -> None:
    uid = sandbox.add_group("Old")
    for method, path in (("POST", "contacts"), ("PATCH", f"contacts/{uid}")):
        answer = await call(session, sandbox, method, path, body=body)
        assert answer.status == 422
        assert answer.json == {
            "status": "error",
            "message": "The name field is required.",
        }
    assert sandbox.state.groups[uid].name == "Old"


async def test_list_groups_is_paginated(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    uids = [sandbox.add_group(f"Group {index}") for index in range(27)]
    answer = await call(session, sandbox, "GET", "contacts")
    page = answer.json["data"]
    assert page["total"] == 27
    assert page["data"][0] == {"uid": uids[0], "name": "Group 0"}
    assert len(page["data"]) == 25
    answer = await call(session, sandbox, "GET", "contacts", params={"page": "2"})
    assert [group["uid"] for group in answer.json["data"]["data"]] == uids[25:]


# ----------------------------------------------------------------------- contacts


async def test_contact_life_cycle(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    group = sandbox.add_group("Family")
    answer = await call(
        session,
        sandbox,
        "POST",
        f"contacts/{group}/store",
        body={"phone": "+31612345678", "first_name": "Anna", "last_name": "Smit"},
    )
    contact = answer.json["data"]
    assert contact == {
        "uid": contact["uid"],
        "phone": "31612345678",
        "first_name": "Anna",
        "last_name": "Smit",
    }
    uid = contact["uid"]
    answer = await call(session, sandbox, "POST", f"contacts/{group}/search/{uid}")
    assert answer.json["data"] == contact

    answer = await call(
        session,
        sandbox,
        "PATCH",
        f"contacts/{group}/update/{uid}",
        body={"phone": 31612345678, "last_name": "Jansen"},
    )
    assert answer.json["data"] == {**contact, "last_name": "Jansen"}
    answer = await call(
        session,
        sandbox,
        "PATCH",
        f"contacts/{group}/update/{uid}",
        body={"phone": "31687654321", "first_name": ""},
    )
    assert answer.json["data"] == {
        "uid": uid,
        "phone": "31687654321",
        "first_name": None,
        "last_name": "Jansen",
    }

    sandbox.contact_shape = "new"
    answer = await call(session, sandbox, "POST", f"contacts/{group}/search/{uid}")
    assert answer.json["data"] == {
        "uid": uid,
        "phone": "31687654321",
        "status": "subscribe",
        "custom_fields": {"FIRST_NAME": None, "LAST_NAME": "Jansen"},
    }

    answer = await call(session, sandbox, "DELETE", f"contacts/{group}/delete/{uid}")
    assert answer.json["status"] == "success"
    assert answer.json["data"] is None
    assert sandbox.state.groups[group].contacts == {}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "The phone field is required."),
        ({"phone": ""}, "The phone field is required."),
        ({"phone": "12345"}, "The phone must be a number."),
        ({"phone": "3161234567a"}, "The phone must be a number."),
        ({"phone": 3.5}, "The phone must be a number."),
        ({"phone": {"n": 1}}, "The phone must be a string."),
        ({"phone": "31610000001"}, "The phone has already been taken."),
        (
            {"phone": "31612345678", "first_name": ["A"]},
            "The first name must be a string.",
        ),
    ],
)
async def test_contact_validation_is_http_422(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    body: dict[str, Any],
    message: str,
) -> None:
    group = sandbox.add_group("Family", contacts=2)
    answer = await call(session, sandbox, "POST", f"contacts/{group}/store", body=body)
    assert answer.status == 422
    assert answer.json == {"status": "error", "message": message}
    assert len(sandbox.state.groups[group].contacts) == 2


async def test_update_to_a_taken_phone_is_rejected(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    group = sandbox.add_group("Family", contacts=2)
    first = next(iter(sandbox.state.groups[group].contacts))
    answer = await call(
        session,
        sandbox,
        "PATCH",
        f"contacts/{group}/update/{first}",
        body={"phone": "31610000002"},
    )
    assert answer.status == 422
    assert answer.json["message"] == "The phone has already been taken."


@pytest.mark.parametrize(
    ("method", "action"),
    [("POST", "search"), ("PATCH", "update"), ("DELETE", "delete")],
)
async def test_unknown_contact(
    sandbox: Sandbox, session: aiohttp.ClientSession, method: str, action: str
) -> None:
    group = sandbox.add_group("Family")
    answer = await call(
        session,
        sandbox,
        method,
        f"contacts/{group}/{action}/0000000000000",
        body={"phone": "31612345678"},
    )
    assert answer.status == 200
    assert answer.json == {
        "status": "error",
        "message": "No query results for model [App\\Models\\Contacts] 0000000000000",
    }


async def test_list_contacts_is_paginated(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    group = sandbox.add_group("Big", contacts=30)
    answer = await call(session, sandbox, "POST", f"contacts/{group}/all")
    page = answer.json["data"]
    assert page["total"] == 30
    assert page["path"] == f"{sandbox.base_url}contacts/{group}/all"
    assert page["data"][0]["phone"] == "31610000001"
    assert page["data"][0]["first_name"] == "Contact"
    assert page["data"][0]["last_name"] == "1"
    answer = await call(
        session, sandbox, "POST", f"contacts/{group}/all", body={"page": 2}
    )
    assert [item["phone"] for item in answer.json["data"]["data"]] == [
        f"316100000{index}" for index in range(26, 31)
    ]
    answer = await call(
        session, sandbox, "POST", f"contacts/{group}/all", params={"page": "2"}
    )
    assert len(answer.json["data"]["data"]) == 5


async def test_add_contact_to_unknown_group(sandbox: Sandbox) -> None:
    with pytest.raises(KeyError):
        sandbox.add_contact("nope", "31612345678")


# ------------------------------------------------------------------------- faults


@pytest.mark.parametrize(
    ("fault", "status", "expected"),
    [
        (
            Fault.TOO_MANY_ATTEMPTS,
            200,
            {"status": "error", "message": "Too Many Attempts."},
        ),
        (
            Fault.UNAUTHENTICATED,
            200,
            {"status": "error", "message": "Unauthenticated."},
        ),
        (Fault.INSUFFICIENT_BALANCE, 200, {"status": "error", "message": NOT_ENOUGH}),
        (Fault.HTTP_429, 429, {"message": "Too Many Attempts."}),
    ],
)
async def test_json_faults_are_not_processed(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    fault: Fault,
    status: int,
    expected: dict[str, str],
) -> None:
    sandbox.inject(fault)
    answer = await call(
        session,
        sandbox,
        "POST",
        "sms/send",
        body={"recipient": "31612345678", "type": "plain", "message": "x"},
    )
    assert answer.status == status
    assert answer.json == expected
    assert answer.headers["X-RateLimit-Limit"] == "1000"
    assert sandbox.sent_messages() == []
    assert sandbox.requests[-1].fault is fault
    assert sandbox.pending_faults == 0


async def test_http_429_retry_after(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.inject(Fault.HTTP_429)
    answer = await call(session, sandbox, "GET", "me")
    assert answer.headers["Retry-After"] == "7"
    sandbox.retry_after = None
    sandbox.inject(Fault.HTTP_429)
    answer = await call(session, sandbox, "GET", "me")
    assert answer.status == 429
    assert "Retry-After" not in answer.headers


async def test_http_500_html(sandbox: Sandbox, session: aiohttp.ClientSession) -> None:
    sandbox.inject(Fault.HTTP_500_HTML, path="/sms/send/")
    answer = await call(session, sandbox, "GET", "me")
    assert answer.status == 200
    answer = await call(
        session,
        sandbox,
        "POST",
        "sms/send",
        body={"recipient": "31612345678", "type": "plain", "message": "x"},
    )
    assert answer.status == 500
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "Server Error" in answer.text
    assert sandbox.sent_messages() == []
    assert [req.fault for req in sandbox.requests] == [None, Fault.HTTP_500_HTML]


async def test_slow_response_is_processed_then_late(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.inject(Fault.SLOW)
    with pytest.raises(TimeoutError):
        await send_raw(session, sandbox, time_limit=0.2)
    assert len(sandbox.sent_messages()) == 1
    sandbox.slow_seconds = 0.05
    sandbox.inject(Fault.SLOW)
    answer = await send_raw(session, sandbox)
    assert answer.json["status"] == "success"
    assert len(sandbox.sent_messages()) == 2


async def send_raw(
    session: aiohttp.ClientSession, sandbox: Sandbox, time_limit: float | None = None
) -> Answer:
    """Send one plain message and return the raw answer."""
    return await call(
        session,
        sandbox,
        "POST",
        "sms/send",
        body={"recipient": "31612345678", "type": "plain", "message": "x"},
        time_limit=time_limit,
    )


async def test_malformed_json_is_processed(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.inject(Fault.MALFORMED_JSON)
    answer = await send_raw(session, sandbox)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.text.startswith('{"status":"success"')
    with pytest.raises(ValueError):
        json.loads(answer.text)
    assert len(sandbox.sent_messages()) == 1


async def test_disconnect_is_processed(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.inject(Fault.DISCONNECT)
    with pytest.raises(aiohttp.ClientPayloadError):
        await send_raw(session, sandbox)
    assert len(sandbox.sent_messages()) == 1
    assert sandbox.requests[-1].fault is Fault.DISCONNECT
    answer = await send_raw(session, sandbox)  # the next request works again
    assert answer.json["status"] == "success"


async def test_canned_response(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.inject_response(502, b"Bad gateway", "text/plain; charset=utf-8", count=2)
    for _ in range(2):
        answer = await call(session, sandbox, "GET", "balance")
        assert (answer.status, answer.text) == (502, "Bad gateway")
        assert answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert (await call(session, sandbox, "GET", "balance")).status == 200
    assert [req.fault for req in sandbox.requests] == [
        Fault.CANNED_RESPONSE,
        Fault.CANNED_RESPONSE,
        None,
    ]


async def test_faults_are_consumed_in_order(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.inject(Fault.UNAUTHENTICATED, count=2)
    sandbox.inject(Fault.TOO_MANY_ATTEMPTS)
    assert sandbox.pending_faults == 3
    messages = [
        (await call(session, sandbox, "GET", "me")).json["message"] for _ in range(4)
    ]
    assert messages == [
        "Unauthenticated.",
        "Unauthenticated.",
        "Too Many Attempts.",
        None,
    ]
    sandbox.inject(Fault.HTTP_500_HTML, count=5)
    sandbox.clear_faults()
    assert sandbox.pending_faults == 0
    assert (await call(session, sandbox, "GET", "me")).status == 200
    with pytest.raises(ValueError):
        sandbox.inject(Fault.SLOW, count=0)


def test_fault_queue_skips_rules_for_other_paths() -> None:
    queue = FaultQueue()
    queue.add(Fault.SLOW, path="sms/send")
    queue.add(Fault.DISCONNECT)
    hit = queue.take("me")
    assert hit is not None
    assert hit.fault is Fault.DISCONNECT
    assert len(queue) == 1
    assert queue.take("me") is None


# ---------------------------------------------------------------------- throttling


async def test_rate_limit(
    sandbox: Sandbox, session: aiohttp.ClientSession, freezer: FrozenDateTimeFactory
) -> None:
    sandbox.rate_limit = 3
    remaining = [
        (await call(session, sandbox, "GET", "me")).headers["X-RateLimit-Remaining"]
        for _ in range(3)
    ]
    assert remaining == ["2", "1", "0"]
    answer = await call(session, sandbox, "GET", "me")
    assert answer.status == 200
    assert answer.json == {"status": "error", "message": "Too Many Attempts."}
    assert answer.headers["Retry-After"] == "60"
    answer = await call(
        session,
        sandbox,
        "GET",
        "me",
        headers={"Authorization": f"Bearer {sandbox.token}"},
    )
    assert answer.status == 429
    assert "<html" in answer.text
    freezer.tick(61)
    answer = await call(session, sandbox, "GET", "me")
    assert answer.json["status"] == "success"
    assert answer.headers["X-RateLimit-Remaining"] == "2"


async def test_zero_rate_limit(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.rate_limit = 0
    answer = await call(session, sandbox, "GET", "me")
    assert answer.json["message"] == "Too Many Attempts."
    assert answer.headers["Retry-After"] == "60"
    assert answer.headers["X-RateLimit-Remaining"] == "0"


# --------------------------------------------------------------------- request log


async def test_request_log_never_holds_the_token(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    token = sandbox.token
    await call(session, sandbox, "GET", "me")
    await call(
        session, sandbox, "GET", "me", params={"api_token": token}, family="http"
    )
    await call(
        session,
        sandbox,
        "POST",
        "sms/send",
        body={
            "api_token": token,
            "recipient": "31612345678",
            "type": "plain",
            "message": f"my token is {token}",
            "nested": [{"t": token}],
        },
        family="http",
    )
    await call(
        session,
        sandbox,
        "GET",
        f"sms/{token}",
        headers={"X-Debug": token, "Authorization": f"Bearer {token}"},
    )
    assert len(sandbox.requests) == 4
    assert token not in repr(sandbox.requests)
    first, second, third, fourth = sandbox.requests
    assert first.headers["Authorization"] == "Bearer **REDACTED**"
    assert second.query == {"api_token": "**REDACTED**"}
    assert third.body["api_token"] == "**REDACTED**"
    assert third.body["message"] == "my token is **REDACTED**"
    assert third.body["nested"] == [{"t": "**REDACTED**"}]
    assert fourth.headers["X-Debug"] == "**REDACTED**"
    assert fourth.path == "sms/**REDACTED**"
    # the message itself was really sent with the token in its text
    assert sandbox.sent_messages()[0].message == f"my token is {token}"


async def test_request_log_queries(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    await call(session, sandbox, "GET", "balance", params={"x": "1"})
    await call(session, sandbox, "POST", "contacts", body={"name": "A"})
    await call(session, sandbox, "GET", "contacts")
    [balance] = sandbox.requests_to("balance")
    assert isinstance(balance, LoggedRequest)
    assert (balance.method, balance.family, balance.query, balance.body) == (
        "GET",
        "v3",
        {"x": "1"},
        None,
    )
    assert len(sandbox.requests_to("/contacts/")) == 2
    [created] = sandbox.requests_to("contacts", "post")
    assert created.body == {"name": "A"}
    waiter = asyncio.ensure_future(sandbox.wait_for_request("balance", count=2))
    await call(session, sandbox, "GET", "me")
    await call(session, sandbox, "GET", "balance")
    async with asyncio.timeout(5):
        second = await waiter
    assert (second.path, second.query) == ("balance", {})
    sandbox.clear_requests()
    assert sandbox.requests == []


@pytest.mark.parametrize(
    ("data", "content_type", "logged"),
    [
        (b"{not json", "application/json", None),
        (b"[1, 2]", "application/json", [1, 2]),
        (b"recipient=31612345678", "text/plain", None),
    ],
)
async def test_bodies_that_are_not_json_objects(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    data: bytes,
    content_type: str,
    logged: Any,
) -> None:
    async with session.post(
        sandbox.base_url + "sms/send",
        data=data,
        headers={
            "Authorization": f"Bearer {sandbox.token}",
            "Accept": "application/json",
            "Content-Type": content_type,
        },
    ) as response:
        envelope = await response.json()
    assert envelope == {
        "status": "error",
        "message": "The recipient field is required.",
    }
    assert sandbox.requests[-1].body == logged


# ------------------------------------------------------------------ test helpers


async def test_seeding_helpers(sandbox: Sandbox) -> None:
    group = sandbox.add_group("On call", contacts=2)
    contacts = list(sandbox.state.groups[group].contacts.values())
    assert [contact.phone for contact in contacts] == ["31610000001", "31610000002"]
    uid = sandbox.add_contact(group, "31612345678", "Eva")
    assert sandbox.state.groups[group].contacts[uid].first_name == "Eva"
    message = sandbox.add_message("31612345678", "hello", status="Expired")
    [stored] = sandbox.sent_messages()
    assert (stored.uid, stored.status, stored.type) == (message, "Expired", "plain")


def test_gsm_helpers() -> None:
    assert is_gsm7("Hello @ £ € {}")
    assert not is_gsm7("Привет")
    counted = count_segments("[" * 80)
    assert (counted.encoding, counted.units, counted.segments) == (
        Encoding.GSM7,
        160,
        1,
    )
    assert count_segments("").segments == 1
    counted = count_segments("hi", force_unicode=True)
    assert (counted.encoding, counted.units) == (Encoding.UCS2, 2)
    assert count_segments("a" * 306).segments == 2
    assert count_segments("a" * 307).segments == 3


# ---------------------------------------------------------------------- __main__


def test_parse_args() -> None:
    args = parse_args([])
    assert (args.host, args.port, args.token, args.balance_shape, args.seed) == (
        "127.0.0.1",
        8765,
        DEFAULT_TOKEN,
        BalanceShape.REMAINING_BALANCE,
        True,
    )
    args = parse_args(
        [
            "--host",
            "127.0.0.2",
            "--port",
            "9000",
            "--token",
            "1|t",
            "--balance-shape",
            "sms_credit_balance",
            "--no-seed",
        ]
    )
    assert (args.host, args.port, args.token, args.balance_shape, args.seed) == (
        "127.0.0.2",
        9000,
        "1|t",
        BalanceShape.SMS_CREDIT_BALANCE,
        False,
    )


async def test_banner_and_demo_data(sandbox: Sandbox) -> None:
    seed_demo(sandbox)
    names = {group.name: len(group.contacts) for group in sandbox.state.groups.values()}
    assert names == {"Family": 3, "On call": 2}
    assert len(sandbox.sent_messages()) == 2
    assert banner(sandbox) == (
        "TextBoost sandbox is running.\n"
        f"  Base URL: {sandbox.base_url}\n"
        f"  Token:    {DEFAULT_TOKEN}\n"
    )


@pytest.mark.parametrize("seed", [True, False])
async def test_run_until_stopped(seed: bool) -> None:
    out = io.StringIO()
    stop = asyncio.Event()
    stop.set()
    argv = ["--port", "0", "--balance-shape", "remaining_unit"]
    await run(argv if seed else [*argv, "--no-seed"], stop=stop, out=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "TextBoost sandbox is running."
    assert lines[1].startswith("  Base URL: http://127.0.0.1:")
    assert lines[1].endswith("/api/v3/")
    assert lines[2] == f"  Token:    {DEFAULT_TOKEN}"


def test_main_stops_quietly_on_ctrl_c(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []

    def interrupted(coro: Any) -> None:
        seen.append(coro)
        coro.close()
        raise KeyboardInterrupt

    monkeypatch.setattr("sandbox.__main__.asyncio.run", interrupted)
    main(["--no-seed"])
    assert len(seen) == 1
