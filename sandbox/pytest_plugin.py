"""Pytest plugin providing the `sandbox` fixture.

The fixture asks for pytest-socket's `socket_enabled` so the server may open
its listening socket under pytest-homeassistant-custom-component, which
disables sockets for every test (connections stay limited to 127.0.0.1).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from .facade import Sandbox


@pytest_asyncio.fixture
async def sandbox(socket_enabled: None) -> AsyncIterator[Sandbox]:
    """Run a fresh `Sandbox` on a free loopback port for one test."""
    server = Sandbox()
    await server.start(host="127.0.0.1", port=0)
    try:
        yield server
    finally:
        await server.close()
