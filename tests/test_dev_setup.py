"""The development setup resolves host names the way Home Assistant does.

Home Assistant's aiohttp sessions resolve names with aiohttp's AsyncResolver
(aiodns over pycares). With Home Assistant 2025.4's aiodns 3.2.0 and pycares 5,
every lookup fails, so the development Home Assistant reached no host by name;
requirements_test.txt pins a pycares that aiodns can use.
"""

from __future__ import annotations

import socket

import aiohttp
from aiohttp.resolver import AsyncResolver
import pytest

from sandbox import Sandbox


async def test_aiodns_resolver_resolves_localhost() -> None:
    resolver = AsyncResolver()
    try:
        hosts = await resolver.resolve("localhost", 8123, family=socket.AF_INET)
    finally:
        await resolver.close()
    assert {host["host"] for host in hosts} == {"127.0.0.1"}


@pytest.mark.usefixtures("socket_enabled")
async def test_an_aiohttp_session_reaches_the_sandbox_by_name(sandbox: Sandbox) -> None:
    """What the config flow does with https://www.textboostsms.com, on loopback."""
    url = sandbox.base_url.replace("127.0.0.1", "localhost") + "me"
    connector = aiohttp.TCPConnector(resolver=AsyncResolver(), family=socket.AF_INET)
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        session.get(url, headers={"Accept": "application/json"}) as response,
    ):
        assert response.status == 200
        assert (await response.json())["status"] in {"success", "error"}
