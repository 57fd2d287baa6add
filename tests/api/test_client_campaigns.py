"""Campaigns: one message to whole contact groups, then its counts per status."""

from __future__ import annotations

from datetime import datetime
import json

import pytest

from custom_components.textboost.api import (
    CampaignReport,
    InvalidResponse,
    MessageType,
    NotFound,
    OutcomeUnknown,
    SenderIdRejected,
    TextBoostClient,
)
from sandbox import Fault

from .helpers import assert_request

JSON = "application/json"


async def test_a_campaign_reaches_every_contact_of_its_groups(
    client: TextBoostClient, sandbox
) -> None:
    sandbox.delivery_delay = 3600
    family = sandbox.add_group("Family", contacts=2)
    friends = sandbox.add_group("Friends")
    sandbox.add_contact(friends, "31699990000")
    sandbox.state.final_status["31699990000"] = "Undelivered"

    campaign = await client.send_campaign(
        [family, friends], "Dinner at 7", sender_id="Alerts"
    )

    assert_request(
        sandbox.requests[-1],
        "POST",
        "sms/campaign",
        body={
            "contact_list_id": f"{family},{friends}",
            "type": "plain",
            "message": "Dinner at 7",
            "sender_id": "Alerts",
        },
    )
    assert campaign.server_message == "Campaign successfully created"
    assert [m.to for m in sandbox.sent_messages()] == [
        "31610000001",
        "31610000002",
        "31699990000",
    ]
    report = await client.get_campaign(campaign.uid)
    assert report == CampaignReport(campaign.uid, 3, {"Enroute": 3})
    assert report.count("pending") == 3

    sandbox.complete_deliveries()

    report = await client.get_campaign(campaign.uid)
    assert report.statuses == {"Delivered": 2, "Undelivered": 1}
    assert (report.count("delivered"), report.count("failed")) == (2, 1)
    assert_request(sandbox.requests[-1], "GET", f"campaign/{campaign.uid}/view")


async def test_a_scheduled_unicode_campaign_sends_its_wall_time(
    client: TextBoostClient, sandbox
) -> None:
    group = sandbox.add_group("Family", contacts=1)

    await client.send_campaign(
        [group],
        "Привет",
        message_type=MessageType.UNICODE,
        schedule_time=datetime(2030, 1, 2, 3, 4, 59),
    )

    assert sandbox.requests[-1].body == {
        "contact_list_id": group,
        "type": "unicode",
        "message": "Привет",
        "schedule_time": "2030-01-02 03:04",
    }


async def test_a_campaign_without_a_group_is_refused_before_any_request(
    client: TextBoostClient, sandbox
) -> None:
    with pytest.raises(ValueError, match="contact group"):
        await client.send_campaign([], "Hi")

    assert sandbox.requests == []


async def test_a_campaign_to_an_unknown_group_is_not_found(
    client: TextBoostClient, sandbox
) -> None:
    with pytest.raises(NotFound) as caught:
        await client.send_campaign(["0000000000000"], "Hi")

    assert caught.value.model == "ContactGroups"
    assert sandbox.sent_messages() == []


async def test_an_unknown_campaign_is_not_found(
    client: TextBoostClient, sandbox
) -> None:
    with pytest.raises(NotFound) as caught:
        await client.get_campaign("0000000000000")

    assert caught.value.model == "Campaigns"


async def test_a_campaign_from_an_unapproved_sender_is_sender_id_rejected(
    client: TextBoostClient, sandbox
) -> None:
    sandbox.sender_id_verification = True
    group = sandbox.add_group("Family", contacts=1)

    with pytest.raises(SenderIdRejected) as caught:
        await client.send_campaign([group], "Hi", sender_id="Nope")

    assert caught.value.sender_id == "Nope"
    assert sandbox.sent_messages() == []


async def test_a_campaign_whose_answer_is_lost_is_an_unknown_outcome(
    client: TextBoostClient, sandbox
) -> None:
    group = sandbox.add_group("Family", contacts=2)
    sandbox.inject(Fault.DISCONNECT, path="sms/campaign")

    with pytest.raises(OutcomeUnknown):
        await client.send_campaign([group], "Hi")

    assert len(sandbox.sent_messages()) == 2


@pytest.mark.parametrize(
    "data", [None, {}, {"uid": ""}, {"uid": 12}], ids=["none", "empty", "blank", "int"]
)
async def test_a_campaign_answer_without_a_uid_is_invalid(
    client: TextBoostClient, sandbox, data: object
) -> None:
    body = json.dumps({"status": "success", "message": None, "data": data}).encode()
    sandbox.inject_response(200, body, JSON, path="sms/campaign")

    with pytest.raises(InvalidResponse):
        await client.send_campaign(["0123456789abc"], "Hi")


@pytest.mark.parametrize(
    ("data", "report"),
    [
        # Odd counts are left out; a missing total is their sum.
        (
            {"statuses": {"Delivered": "2", "Enroute": "many", "Rejected": 1}},
            CampaignReport("c", 3, {"Delivered": 2, "Rejected": 1}),
        ),
        ({"uid": "c", "total": 5}, CampaignReport("c", 5, {})),
    ],
)
def test_a_campaign_report_is_read_defensively(
    data: dict[str, object], report: CampaignReport
) -> None:
    assert CampaignReport.from_api("c", data) == report


def test_a_campaign_report_with_statuses_of_another_shape_is_invalid() -> None:
    with pytest.raises(InvalidResponse):
        CampaignReport.from_api("c", {"statuses": [["Delivered", 2]]})
