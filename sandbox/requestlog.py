"""The request log: every request that reached the sandbox, secrets redacted.

Tests assert on it ("exactly this body reached the server", "no more than N
requests") and it must never hold a secret: the API token, and the webhook
id of `Sandbox.webhook_url` (should a client send it), are replaced by
`**REDACTED**` in the path, the query, the body and the headers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .const import REDACTED, Family
from .faults import Fault, normalize_path


@dataclass(slots=True)
class LoggedRequest:
    """A request that reached the sandbox, with the token redacted everywhere.

    Exact for counting: one entry per request that reached the server (the
    test-control API under `/_sandbox/` excluded), with its method, path,
    query (token redacted) and the size of the response body it got.
    """

    method: str
    path: str
    """Path relative to the family prefix, e.g. "sms/send" (no slashes around)."""
    family: Family | None
    """"v3" or "http"; None for a path outside both API families."""
    query: dict[str, str]
    body: Any
    """Parsed JSON (or form) body, None when there was none or it did not parse."""
    headers: dict[str, str]
    fault: Fault | None
    """The injected fault this request consumed, if any."""
    status: int | None = None
    """HTTP status of the answer; None while it is being answered."""
    response_size: int | None = None
    """Bytes of response body sent (half of it for DISCONNECT); None until answered."""


class _Scrubber:
    """Replaces secrets wherever they appear."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        self._secrets = [secret for secret in secrets if secret]

    def text(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def strings(self, mapping: Mapping[str, str]) -> dict[str, str]:
        return {self.text(key): self.text(value) for key, value in mapping.items()}

    def value(self, value: object) -> object:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.value(key): self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return value


class RequestLog:
    """The log itself: `entries` in arrival order, and a way to wait for more."""

    def __init__(self) -> None:
        self.entries: list[LoggedRequest] = []
        self._seen = asyncio.Event()

    def record(
        self,
        request: web.Request,
        *,
        token: str,
        webhook_id: str | None = None,
        family: Family | None,
        path: str,
        query: dict[str, str],
        body: object,
        fault: Fault | None,
    ) -> LoggedRequest:
        """Append `request` with `token` (and `webhook_id`) redacted; return it."""
        scrub = _Scrubber((token, webhook_id or ""))
        headers = {
            key: f"Bearer {REDACTED}" if key.lower() == "authorization" else value
            for key, value in request.headers.items()
        }
        if "api_token" in query:
            query = {**query, "api_token": REDACTED}
        if isinstance(body, dict) and "api_token" in body:
            body = {**body, "api_token": REDACTED}
        entry = LoggedRequest(
            method=request.method,
            path=scrub.text(path),
            family=family,
            query=scrub.strings(query),
            body=scrub.value(body),
            headers=scrub.strings(headers),
            fault=fault,
        )
        self.entries.append(entry)
        self._seen.set()
        return entry

    def to(self, path: str, method: str | None = None) -> list[LoggedRequest]:
        """Return the entries for `path` (e.g. "sms/send"), maybe only `method`."""
        target = normalize_path(path)
        return [
            req
            for req in self.entries
            if req.path == target and (method is None or req.method == method.upper())
        ]

    async def wait_for(self, path: str | None, count: int) -> LoggedRequest:
        """Wait until `count` entries (for `path`, if given) exist; return the last."""
        while True:
            seen = self.entries if path is None else self.to(path)
            if len(seen) >= count:
                return seen[count - 1]
            self._seen.clear()
            await self._seen.wait()
