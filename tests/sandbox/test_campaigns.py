"""Campaigns: one message to whole contact groups, and counts per status."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from sandbox import Sandbox

from .helpers import call

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def campaign(
    session: aiohttp.ClientSession, sandbox: Sandbox, **body: Any
) -> dict[str, Any]:
    """POST sms/campaign with `body` (type plain unless given); the envelope."""
    body.setdefault("type", "plain")
    answer = await call(session, sandbox, "POST", "sms/campaign", body=body)
    assert answer.status == 200
    envelope: dict[str, Any] = answer.json
    return envelope


async def view(
    session: aiohttp.ClientSession, sandbox: Sandbox, uid: str
) -> dict[str, Any]:
    """GET campaign/{uid}/view; the envelope."""
    answer = await call(session, sandbox, "GET", f"campaign/{uid}/view")
    envelope: dict[str, Any] = answer.json
    return envelope


async def test_a_campaign_reaches_every_number_of_its_groups_once(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.delivery_delay = 3600
    family = sandbox.add_group("Family", contacts=2)
    friends = sandbox.add_group("Friends")
    sandbox.add_contact(friends, "31610000001")  # also in Family
    sandbox.add_contact(friends, "+31 6 9999 0000")
    sandbox.state.final_status["31699990000"] = "Undelivered"
    envelope = await campaign(
        session,
        sandbox,
        contact_list_id=f"{family}, {friends}",
        message="Dinner at 7",
        sender_id="Alerts",
    )
    assert envelope == {
        "status": "success",
        "message": "Campaign successfully created",
        "data": {"uid": envelope["data"]["uid"]},
    }
    uid = envelope["data"]["uid"]
    sent = sandbox.sent_messages()
    assert [(msg.to, msg.sender, msg.campaign_uid) for msg in sent] == [
        ("31610000001", "Alerts", uid),
        ("31610000002", "Alerts", uid),
        ("31699990000", "Alerts", uid),
    ]
    assert sandbox.state.balance == Decimal("1234.50") - 3 * Decimal("0.05")
    assert (await view(session, sandbox, uid))["data"] == {
        "uid": uid,
        "total": 3,
        "statuses": {"Enroute": 3},
    }
    sandbox.complete_deliveries()
    assert (await view(session, sandbox, uid))["data"] == {
        "uid": uid,
        "total": 3,
        "statuses": {"Delivered": 2, "Undelivered": 1},
    }


async def test_a_scheduled_campaign_waits_and_skipped_numbers_are_named(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    group = sandbox.add_group("Mixed", contacts=2)
    sandbox.state.blacklist.add("+31610000002")
    envelope = await campaign(
        session,
        sandbox,
        contact_list_id=group,
        type="unicode",
        message="Привет",
        schedule_time="2099-01-01 09:00",
    )
    assert envelope["message"] == "Number contains in the blacklist"
    [msg] = sandbox.sent_messages()
    assert (msg.to, msg.status, msg.type) == ("31610000001", "Scheduled", "unicode")
    summary = await view(session, sandbox, envelope["data"]["uid"])
    assert summary["data"]["statuses"] == {"Scheduled": 1}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"message": "x"}, "The contact list id field is required."),
        ({"contact_list_id": "GROUP", "type": ""}, "The type field is required."),
        (
            {"contact_list_id": "GROUP", "type": "voice"},
            "The selected type is invalid.",
        ),
        ({"contact_list_id": "GROUP"}, "The message field is required."),
        ({"contact_list_id": "EMPTY", "message": "x"}, "The contact list is empty."),
        (
            {"contact_list_id": "nope", "message": "x"},
            "No query results for model [App\\Models\\ContactGroups] nope",
        ),
        (
            {"contact_list_id": "BLOCKED", "message": "x"},
            "Number contains in the blacklist",
        ),
        (
            {"contact_list_id": "GROUP", "message": "x", "sender_id": "Bad-Name"},
            "Originator Bad-Name is not authorized to send this message",
        ),
    ],
)
async def test_campaign_refusals(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    body: dict[str, str],
    message: str,
) -> None:
    uids = {
        "GROUP": sandbox.add_group("Group", contacts=1),
        "EMPTY": sandbox.add_group("Empty"),
        "BLOCKED": sandbox.add_group("Blocked"),
    }
    sandbox.add_contact(uids["BLOCKED"], "31612345678")
    sandbox.state.blacklist.add("31612345678")
    if "contact_list_id" in body:
        body["contact_list_id"] = uids.get(body["contact_list_id"], "nope")
    envelope = await campaign(session, sandbox, **body)
    assert envelope == {"status": "error", "message": message}
    assert sandbox.sent_messages() == []


async def test_an_unknown_campaign(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    envelope = await view(session, sandbox, "abc")
    assert envelope == {
        "status": "error",
        "message": "No query results for model [App\\Models\\Campaigns] abc",
    }
