"""The aiohttp life cycle: listening, closing, refusing and accepting connections.

`Server` knows nothing about the API: it hands every request to an `answer`
coroutine (the pipeline) and tracks which connections are busy, so that
`refuse_connections` can drop idle keep-alive connections at once (a client
cannot slip through on a pooled connection) while busy ones finish their
answer first. This plays a server that goes away and comes back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

Answer = Callable[[web.Request], Awaitable[web.StreamResponse]]
"""A coroutine answering one request."""


class Server:
    """One aiohttp site on loopback, stoppable and restartable on the same port."""

    def __init__(self, answer: Answer, closing: asyncio.Event) -> None:
        """Serve with `answer`; `closing` is set while (and after) closing."""
        self._answer = answer
        self._closing = closing
        self._busy: set[RequestHandler] = set()
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._host = "127.0.0.1"
        self._port = 0

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on `host`:`port` (port 0 picks a free port)."""
        if self._runner is not None:
            msg = "the sandbox is already started"
            raise RuntimeError(msg)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        self._runner = runner
        self._host = host
        self._closing.clear()
        await self._listen(port)
        self._port = int(runner.addresses[0][1])

    async def close(self) -> None:
        """Stop serving; held (SLOW) responses are released at once."""
        self._closing.set()
        runner, self._runner, self._site = self._runner, None, None
        if runner is not None:
            await runner.cleanup()

    async def refuse_connections(self) -> None:
        """Stop listening until `accept_connections`; drop idle connections."""
        runner = self._require_runner()
        site, self._site = self._site, None
        if site is None:
            return
        await site.stop()
        if runner.server is not None:
            for connection in runner.server.connections:
                if connection in self._busy:
                    connection.close()
                else:
                    connection.force_close()

    async def accept_connections(self) -> None:
        """Listen again, on the same port as before."""
        self._require_runner()
        if self._site is None:
            await self._listen(self._port)

    @property
    def root_url(self) -> str:
        """The server root, e.g. "http://127.0.0.1:8765" (RuntimeError if stopped)."""
        self._require_runner()
        return f"http://{self._host}:{self._port}"

    async def _listen(self, port: int) -> None:
        site = web.TCPSite(self._require_runner(), self._host, port)
        await site.start()
        self._site = site

    def _require_runner(self) -> web.AppRunner:
        if self._runner is None:
            msg = "the sandbox is not running; call start() first"
            raise RuntimeError(msg)
        return self._runner

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self._busy.add(request.protocol)
        try:
            response = await self._answer(request)
            if self._site is None and not response.prepared:
                response.force_close()  # refusing connections: do not keep this one
            return response
        finally:
            self._busy.discard(request.protocol)
