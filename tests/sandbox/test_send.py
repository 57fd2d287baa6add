"""`POST sms/send`: validation, segments, cost, one and several recipients."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from sandbox import Sandbox

from .helpers import call, send

pytestmark = pytest.mark.usefixtures("socket_enabled")


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


@pytest.mark.parametrize(
    ("sender", "outcome"),
    [
        (None, "Sender ID is required: this account verifies sender IDs."),
        ("Spammer", "Originator Spammer is not authorized to send this message"),
        (
            "+31699999999",
            "Originator +31699999999 is not authorized to send this message",
        ),
        ("Alerts", None),
        ("31612345678", None),
        ("+3197010203040", None),
    ],
)
async def test_sender_id_verification(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    sender: str | None,
    outcome: str | None,
) -> None:
    sandbox.sender_id_verification = True
    sandbox.approved_sender_ids = {"Alerts", "+31612345678"}
    body = {"recipient": "31611111111", "message": "hi"}
    if sender is not None:
        body["sender_id"] = sender
    envelope = await send(session, sandbox, **body)
    if outcome is None:
        assert envelope["status"] == "success"
        assert envelope["data"]["from"] == sender
        assert len(sandbox.sent_messages()) == 1
    else:
        assert envelope == {"status": "error", "message": outcome}
        assert sandbox.sent_messages() == []


async def test_without_verification_any_well_formed_sender_goes(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.approved_sender_ids = {"Alerts"}
    envelope = await send(
        session, sandbox, recipient="31611111111", message="hi", sender_id="Other"
    )
    assert envelope["data"]["from"] == "Other"
