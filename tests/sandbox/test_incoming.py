"""Incoming messages: stored as `incoming` reports and posted once to the webhook."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from sandbox import Sandbox
from sandbox.webhook import WebhookPost, mask_url, webhook_id

from .helpers import call, send

pytestmark = pytest.mark.usefixtures("socket_enabled")

SECRET = "0f3c9a7e5b1d4c2a8e6f"


@dataclass
class Receiver:
    """A stand-in for Home Assistant's webhook endpoint."""

    url: str
    bodies: list[tuple[str, Any]] = field(default_factory=list)
    status: int = 200


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """Listen on loopback; record each POST's content type and decoded body."""
    app = web.Application()
    runner = web.AppRunner(app)
    found = Receiver(url="")

    async def webhook(request: web.Request) -> web.Response:
        if request.content_type == "application/json":
            body: Any = await request.json()
        else:
            body = dict(await request.post())
        found.bodies.append((request.content_type, body))
        return web.Response(status=found.status)

    app.router.add_post(f"/api/webhook/{SECRET}", webhook)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    found.url = f"http://127.0.0.1:{port}/api/webhook/{SECRET}"
    try:
        yield found
    finally:
        await runner.cleanup()


PAYLOAD = {
    "to": "3197010203040",
    "from": "31612345678",
    "content": "HEAT ON",
    "country": "NL",
    "country_name": "Netherlands",
}


async def test_a_received_text_is_an_incoming_report(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    at = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
    uid = await sandbox.receive_sms("+31 6 1234 5678", "HEAT ON", at=at)
    answer = await call(
        session, sandbox, "GET", "sms", params={"direction": "incoming"}
    )
    assert answer.json["data"]["data"] == [
        {
            "uid": uid,
            "to": "3197010203040",
            "from": "31612345678",
            "message": "HEAT ON",
            "sms_type": "plain",
            "direction": "incoming",
            "status": "Delivered",
            "sms_count": 1,
            "cost": "0",
            "sent_at": "2026-11-29T08:00:00.000000Z",
        }
    ]
    assert sandbox.webhook_posts == []


@pytest.mark.parametrize(
    ("encoding", "content_type"),
    [("json", "application/json"), ("form", "application/x-www-form-urlencoded")],
)
async def test_the_webhook_gets_one_post_in_the_chosen_encoding(
    sandbox: Sandbox, receiver: Receiver, encoding: str, content_type: str
) -> None:
    sandbox.webhook_url = receiver.url
    sandbox.webhook_encoding = "json" if encoding == "json" else "form"
    await sandbox.receive_sms("+31612345678", "HEAT ON")
    assert receiver.bodies == [(content_type, PAYLOAD)]
    assert sandbox.webhook_posts == [
        WebhookPost(
            url=receiver.url.replace(SECRET, "0f3c****"),
            encoding=sandbox.webhook_encoding,
            payload=PAYLOAD,
            status=200,
            error=None,
        )
    ]


async def test_a_failing_webhook_is_recorded_not_retried(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    sandbox.webhook_url = receiver.url
    receiver.status = 500
    uid = await sandbox.receive_sms("4915112345678", "Hallo", to="3197099999999")
    assert len(receiver.bodies) == 1
    assert receiver.bodies[0][1]["country_name"] == "Germany"
    assert receiver.bodies[0][1]["to"] == "3197099999999"
    assert sandbox.webhook_posts[0].status == 500
    assert sandbox.state.find_message(uid) is not None


async def test_an_unreachable_webhook_is_recorded(sandbox: Sandbox) -> None:
    sandbox.webhook_url = "http://127.0.0.1:9/api/webhook/" + SECRET
    await sandbox.receive_sms("+999123456789", "who am I")
    [post] = sandbox.webhook_posts
    assert (post.status, post.error) == (None, "ClientConnectorError")
    assert (post.payload["country"], post.payload["country_name"]) == ("", "")
    assert SECRET not in repr(post)


def test_webhook_ids_are_masked() -> None:
    assert mask_url(f"https://ha.example/api/webhook/{SECRET}?x=1") == (
        "https://ha.example/api/webhook/0f3c****"
    )
    assert mask_url("https://ha.example") == "https://ha.example"
    assert webhook_id(None) is None
    assert webhook_id("https://ha.example/") is None
    assert webhook_id(f"https://ha.example/api/webhook/{SECRET}") == SECRET


async def test_the_request_log_never_holds_the_webhook_id(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    url = f"https://ha.example/api/webhook/{SECRET}"
    sandbox.webhook_url = url
    await send(session, sandbox, recipient="31612345678", message=f"Paste {url}")
    assert SECRET not in repr(sandbox.requests)
    assert sandbox.requests[0].body["message"] == (
        "Paste https://ha.example/api/webhook/**REDACTED**"
    )
