"""The request log: exact, and never holding the token."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from sandbox import Fault, LoggedRequest, Sandbox

from .helpers import call

pytestmark = pytest.mark.usefixtures("socket_enabled")


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


async def test_request_log_counts_status_and_response_bytes(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    balance = await call(session, sandbox, "GET", "balance")
    missing = await call(session, sandbox, "GET", "sms/nope")
    sandbox.inject(Fault.DISCONNECT)
    with pytest.raises(aiohttp.ClientPayloadError):
        await call(session, sandbox, "GET", "me")
    whole = await call(session, sandbox, "GET", "me")
    first, second, cut, _ = sandbox.requests
    assert (first.status, first.response_size) == (200, len(balance.text.encode()))
    assert (second.status, second.response_size) == (200, len(missing.text.encode()))
    # A cut-off answer counts the half that was sent.
    assert (cut.status, cut.response_size) == (200, len(whole.text.encode()) // 2)
