"""textboost.get_message and textboost.list_messages: the message history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest

from sandbox import Sandbox
from tests.helpers import NUMBER, call_action

# Recent: current servers list only the last 30 days (WIRE-NOTES, "Listing").
SENT_AT = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)


def history(account: Sandbox, count: int) -> list[str]:
    """Store ``count`` delivered messages, oldest first; return their uids."""
    return [
        account.add_message(
            f"3161234{index:04d}",
            f"Message {index}",
            sent_at=SENT_AT + timedelta(minutes=index),
        )
        for index in range(count)
    ]


def listed(account: Sandbox, uid: str) -> dict[str, Any]:
    """A stored message as the list and get actions answer it."""
    message = account.state.find_message(uid)
    assert message is not None
    return {
        "uid": uid,
        "to": message.to,
        "from": "TextBoost",
        "message": message.message,
        "status": "Delivered",
        "delivery": "delivered",
        "cost": 0.05,
        "sms_type": "plain",
        "direction": "outgoing",
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
    }


@pytest.mark.usefixtures("init_integration")
async def test_get_message(hass: HomeAssistant, account: Sandbox) -> None:
    """A sent message's status and cost, by the uid the send returned."""
    sent = await call_action(hass, "send_sms", recipients=[NUMBER], message="Hi there")
    uid = sent["recipients"][0]["uid"]
    account.complete_deliveries()
    await hass.async_block_till_done()  # the balance read after the send
    account.clear_requests()

    response = await call_action(hass, "get_message", uid=uid)

    (request,) = account.requests
    assert (request.method, request.path, request.query, request.body) == (
        "GET",
        f"sms/{uid}",
        {},
        None,
    )
    assert response == {
        "uid": uid,
        "to": NUMBER,
        "from": "TextBoost",
        "message": "Hi there",
        "status": "Delivered",
        "delivery": "delivered",
        "cost": 0.05,
        "sms_type": None,
        "direction": None,
        "sent_at": None,
    }


@pytest.mark.usefixtures("init_integration")
async def test_get_message_still_on_its_way(
    hass: HomeAssistant, account: Sandbox
) -> None:
    """A message not yet delivered is pending."""
    account.state.final_status[NUMBER] = "Undelivered"
    sent = await call_action(hass, "send_sms", recipients=[NUMBER], message="Hi")
    uid = sent["recipients"][0]["uid"]

    pending = await call_action(hass, "get_message", uid=uid)
    account.complete_deliveries()
    failed = await call_action(hass, "get_message", uid=uid)

    assert (pending["status"], pending["delivery"]) == ("Enroute", "pending")
    assert (failed["status"], failed["delivery"]) == ("Undelivered", "failed")


@pytest.mark.usefixtures("init_integration")
async def test_get_unknown_message(hass: HomeAssistant, account: Sandbox) -> None:
    """An unknown uid is the user's mistake, named."""
    with pytest.raises(ServiceValidationError) as caught:
        await call_action(hass, "get_message", uid="0123456789abc")

    assert str(caught.value) == (
        "No message has the ID 0123456789abc. Use the uid returned by the send action"
    )


@pytest.mark.parametrize(
    ("status", "page", "key", "text"),
    [
        # An outage of the server or a proxy: try later.
        (500, "<html>Server Error</html>", "service_unavailable", "unavailable"),
        (502, "<html>Bad Gateway</html>", "service_unavailable", "unavailable"),
        # A web page where the API should be: the base URL is wrong.
        (200, "<html>Welcome</html>", "invalid_response", "API base URL"),
        (404, "<html>Not Found</html>", "invalid_response", "API base URL"),
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_get_message_when_the_provider_fails(
    hass: HomeAssistant,
    account: Sandbox,
    status: int,
    page: str,
    key: str,
    text: str,
) -> None:
    """A web page instead of an answer: an outage for 5xx, else a wrong address."""
    account.inject_response(status, page.encode(), "text/html", path="sms/abc")

    with pytest.raises(HomeAssistantError) as caught:
        await call_action(hass, "get_message", uid="abc")

    assert not isinstance(caught.value, ServiceValidationError)
    assert caught.value.translation_key == key
    assert text in str(caught.value)


@pytest.mark.usefixtures("init_integration")
async def test_get_message_refused(hass: HomeAssistant, account: Sandbox) -> None:
    """A refusal other than "not found" carries the provider's words."""
    account.inject_response(
        200,
        b'{"status": "error", "message": "You do not have permission to access API"}',
        "application/json",
        path="sms/abc",
    )

    with pytest.raises(HomeAssistantError) as caught:
        await call_action(hass, "get_message", uid="abc")

    assert not isinstance(caught.value, ServiceValidationError)
    assert str(caught.value) == (
        "TextBoost refused the request: You do not have permission to access API"
    )


@pytest.mark.usefixtures("init_integration")
async def test_list_messages_page(hass: HomeAssistant, account: Sandbox) -> None:
    """One page of 25, newest first."""
    uids = history(account, 30)

    response = await call_action(hass, "list_messages", page=2)

    (request,) = account.requests_to("sms")
    assert (request.method, request.query, request.body) == ("GET", {"page": "2"}, None)
    assert response == {
        "messages": [listed(account, uid) for uid in reversed(uids[:5])],
        "page": 2,
        "last_page": 2,
        "total": 30,
    }


@pytest.mark.usefixtures("init_integration")
async def test_list_messages_first_page(hass: HomeAssistant, account: Sandbox) -> None:
    """Without a page or a count, the first page."""
    uids = history(account, 3)

    response = await call_action(hass, "list_messages")

    assert [r.query for r in account.requests_to("sms")] == [{"page": "1"}]
    assert response == {
        "messages": [listed(account, uid) for uid in reversed(uids)],
        "page": 1,
        "last_page": 1,
        "total": 3,
    }


@pytest.mark.usefixtures("init_integration")
async def test_list_most_recent_messages(hass: HomeAssistant, account: Sandbox) -> None:
    """The most recent N, over as many pages as needed and no more."""
    uids = history(account, 60)

    response = await call_action(hass, "list_messages", count=27)

    assert [r.query for r in account.requests_to("sms")] == [
        {"page": "1"},
        {"page": "2"},
    ]
    assert response == {
        "messages": [listed(account, uid) for uid in reversed(uids[-27:])],
        "count": 27,
    }


@pytest.mark.usefixtures("init_integration")
async def test_list_more_than_there_are(hass: HomeAssistant, account: Sandbox) -> None:
    """Asking for more than the history holds returns all of it."""
    uids = history(account, 4)

    response = await call_action(hass, "list_messages", count=100)

    assert response["count"] == 4
    assert [m["uid"] for m in response["messages"]] == list(reversed(uids))
    assert len(account.requests_to("sms")) == 1
