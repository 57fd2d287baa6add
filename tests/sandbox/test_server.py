"""The sandbox's life cycle: start, close, refusing and accepting connections."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import aiohttp
import pytest

from sandbox import DEFAULT_TOKEN, BalanceShape, Fault, Sandbox

from .helpers import call

pytestmark = pytest.mark.usefixtures("socket_enabled")


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
