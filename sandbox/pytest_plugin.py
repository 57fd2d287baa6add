"""Pytest plugin providing the `sandbox` fixture."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from .server import Sandbox


@pytest_asyncio.fixture
async def sandbox(socket_enabled: None) -> AsyncIterator[Sandbox]:
    """Run a fresh `Sandbox` on a free loopback port for one test.

    The Home Assistant harness blocks sockets; `socket_enabled` lets the
    server listen, and connections stay limited to loopback.
    """
    server = Sandbox()
    await server.start(host="127.0.0.1", port=0)
    try:
        yield server
    finally:
        await server.close()
