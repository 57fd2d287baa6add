"""The per-user rate limit and its headers."""

from __future__ import annotations

import aiohttp
from freezegun.api import FrozenDateTimeFactory
import pytest

from sandbox import Sandbox

from .helpers import call

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_rate_limit(
    sandbox: Sandbox, session: aiohttp.ClientSession, freezer: FrozenDateTimeFactory
) -> None:
    sandbox.rate_limit = 3
    remaining = [
        (await call(session, sandbox, "GET", "me")).headers["X-RateLimit-Remaining"]
        for _ in range(3)
    ]
    assert remaining == ["2", "1", "0"]
    answer = await call(session, sandbox, "GET", "me")
    assert answer.status == 200
    assert answer.json == {"status": "error", "message": "Too Many Attempts."}
    assert answer.headers["Retry-After"] == "60"
    answer = await call(
        session,
        sandbox,
        "GET",
        "me",
        headers={"Authorization": f"Bearer {sandbox.token}"},
    )
    assert answer.status == 429
    assert "<html" in answer.text
    freezer.tick(61)
    answer = await call(session, sandbox, "GET", "me")
    assert answer.json["status"] == "success"
    assert answer.headers["X-RateLimit-Remaining"] == "2"


async def test_zero_rate_limit(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.rate_limit = 0
    answer = await call(session, sandbox, "GET", "me")
    assert answer.json["message"] == "Too Many Attempts."
    assert answer.headers["Retry-After"] == "60"
    assert answer.headers["X-RateLimit-Remaining"] == "0"
