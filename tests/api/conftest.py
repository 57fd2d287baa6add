"""Fixtures of the TextBoost API client tests.

Every test here runs under ``token_guard``: a handler on the root logger
captures every record at DEBUG level, and after the test no formatted record
may contain a secret token (the sandbox's, or one the test made up).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
import logging

import aiohttp
from aiohttp import web
import pytest

from custom_components.textboost.api import TextBoostClient

#: Tokens the tests use besides the sandbox's own; none may ever leak.
WRONG_TOKEN = "13|WrongTokenUsedByTheTestsOnly0000000000"
PLACEHOLDER_TOKEN = "42|PlaceholderTokenForOfflineTests00000000"
TEST_TOKENS = frozenset({WRONG_TOKEN, PLACEHOLDER_TOKEN})


class CaptureAll(logging.Handler):
    """Keep every record, whatever its level or logger."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(
            logging.Formatter("%(levelname)s %(name)s %(message)s %(args)s")
        )

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class TokenGuard:
    """The secrets of one test and the log records it produced."""

    def __init__(self, handler: CaptureAll) -> None:
        self.secrets: set[str] = set(TEST_TOKENS)
        self._handler = handler

    def add(self, secret: str) -> None:
        """Watch for one more secret."""
        self.secrets.add(secret)

    @property
    def records(self) -> list[logging.LogRecord]:
        """Every record captured so far."""
        return self._handler.records

    def leaks(self) -> list[str]:
        """Formatted records (with tracebacks) that contain a secret."""
        found = []
        for record in self._handler.records:
            try:
                text = self._handler.format(record)
            except Exception:  # a record that cannot be formatted: read its parts
                text = f"{record.msg!r} {record.args!r} {record.exc_info!r}"
            if any(secret in text for secret in self.secrets):
                found.append(text)
        return found


@pytest.fixture(autouse=True)
def token_guard() -> Iterator[TokenGuard]:
    """Fail the test if a token appears in any log record."""
    handler = CaptureAll()
    root = logging.getLogger()
    package = logging.getLogger("custom_components.textboost")
    old_root_level, old_package_level = root.level, package.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    package.setLevel(logging.DEBUG)
    guard = TokenGuard(handler)
    try:
        yield guard
    finally:
        root.removeHandler(handler)
        root.setLevel(old_root_level)
        package.setLevel(old_package_level)
    assert not guard.leaks(), "a token appeared in the log"


@pytest.fixture
async def sandbox(sandbox, token_guard: TokenGuard):
    """The sandbox server, with its token watched by ``token_guard``."""
    token_guard.add(sandbox.token)
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

    For what the sandbox cannot be told to send: arbitrary response headers.
    """

    body = b'{"status": "success", "data": {"remaining_unit": "5"}}'

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.url = ""

    async def handle(self, _: web.Request) -> web.Response:
        return web.Response(
            body=self.body,
            headers={"Content-Type": "application/json", **self.headers},
        )


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
