"""Helpers of the sandbox tests: calling it over loopback HTTP like a client."""

from __future__ import annotations

from dataclasses import dataclass
import json
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy

from sandbox import Sandbox

JSON_ACCEPT = {"Accept": "application/json"}
NOT_ENOUGH = (
    "There is not enough balance available to send this message. "
    "Please recharge your account."
)


@dataclass
class Answer:
    """What came back over the wire."""

    status: int
    headers: CIMultiDictProxy[str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)


async def call(
    session: aiohttp.ClientSession,
    sandbox: Sandbox,
    method: str,
    path: str,
    *,
    body: Any = None,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    family: str = "v3",
    time_limit: float | None = None,
) -> Answer:
    """Call the sandbox; v3 calls carry the bearer token and ask for JSON."""
    if headers is None:
        headers = dict(JSON_ACCEPT)
        if family == "v3":
            headers["Authorization"] = f"Bearer {sandbox.token}"
    base = sandbox.base_url if family == "v3" else sandbox.http_base_url
    async with session.request(
        method,
        base + path,
        json=body,
        params=params,
        headers=headers,
        timeout=aiohttp.ClientTimeout(total=time_limit),
    ) as response:
        return Answer(response.status, response.headers, await response.text())


async def send(
    session: aiohttp.ClientSession, sandbox: Sandbox, **body: Any
) -> dict[str, Any]:
    """POST sms/send with `body` and return the decoded envelope."""
    body.setdefault("type", "plain")
    answer = await call(session, sandbox, "POST", "sms/send", body=body)
    assert answer.status == 200
    result: dict[str, Any] = answer.json
    return result
