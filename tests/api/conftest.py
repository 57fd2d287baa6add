"""Fixtures of the TextBoost API client tests.

Every test here runs under the suite's ``secret_guard`` (tests/conftest.py)
with every logger at DEBUG level: after the test no formatted record may
contain a secret token (the sandbox's, or one the test made up).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
import logging

import aiohttp
from aiohttp import web
import pytest

from custom_components.textboost.api import TextBoostClient
from tests.helpers import SecretGuard

#: Tokens the tests use besides the sandbox's own; none may ever leak.
WRONG_TOKEN = "13|WrongTokenUsedByTheTestsOnly0000000000"
PLACEHOLDER_TOKEN = "42|PlaceholderTokenForOfflineTests00000000"
TEST_TOKENS = frozenset({WRONG_TOKEN, PLACEHOLDER_TOKEN})


@pytest.fixture
def secrets(secrets: set[str]) -> set[str]:
    """The suite's secrets, and the tokens these tests make up."""
    return secrets | TEST_TOKENS


@pytest.fixture(autouse=True)
def _everything_at_debug() -> Iterator[None]:
    """Let every logger's DEBUG records reach the suite's secret guard."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.setLevel(level)


@pytest.fixture
async def sandbox(sandbox, secret_guard: SecretGuard):
    """The sandbox server, with its token watched by ``secret_guard``."""
    secret_guard.add(sandbox.token)
    return sandbox


class RequestHooks:
    """Run an action just before the client sends its n-th request.

    Built on aiohttp's own tracing, so a test can spoil exactly the second
    request of a send that takes several (``hooks.before(2, action)``).
    """

    def __init__(self) -> None:
        self.started = 0
        self._actions: dict[int, Callable[[], object]] = {}

    def before(self, number: int, action: Callable[[], object]) -> None:
        """Call ``action`` right before request ``number`` (1-based) starts."""
        self._actions[number] = action

    async def _on_request_start(self, *_: object) -> None:
        self.started += 1
        action = self._actions.pop(self.started, None)
        if action is not None:
            action()

    def trace_config(self) -> aiohttp.TraceConfig:
        """The trace configuration to give the session."""
        config = aiohttp.TraceConfig()
        config.on_request_start.append(self._on_request_start)
        return config


@pytest.fixture
def request_hooks() -> RequestHooks:
    """Actions to run before given requests of the ``session``."""
    return RequestHooks()


@pytest.fixture
async def session(
    request_hooks: RequestHooks,
) -> AsyncIterator[aiohttp.ClientSession]:
    """A real aiohttp session, closed after the test."""
    async with aiohttp.ClientSession(
        trace_configs=[request_hooks.trace_config()]
    ) as client_session:
        yield client_session


@pytest.fixture
async def client(sandbox, session: aiohttp.ClientSession) -> TextBoostClient:
    """A client for the sandbox account."""
    return TextBoostClient(session, sandbox.token, sandbox.base_url)


class StubServer:
    """A bare loopback HTTP server answering every request with a balance.

    For what the sandbox cannot be told to send: arbitrary response headers
    (its ``status``, ``body`` and ``headers`` may be changed by a test).
    """

    def __init__(self) -> None:
        self.status = 200
        self.body = b'{"status": "success", "data": {"remaining_unit": "5"}}'
        self.headers: dict[str, str] = {"Content-Type": "application/json"}
        self.url = ""

    async def handle(self, _: web.Request) -> web.Response:
        return web.Response(status=self.status, body=self.body, headers=self.headers)


@pytest.fixture
async def stub_server(socket_enabled: None) -> AsyncIterator[StubServer]:
    """A ``StubServer`` on a free port of 127.0.0.1."""
    stub = StubServer()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", stub.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    stub.url = f"http://{host}:{port}/api/v3/"
    try:
        yield stub
    finally:
        await runner.cleanup()


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the suite-wide fixture: the API client needs no Home Assistant."""
