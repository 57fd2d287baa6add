"""Injected faults: unprocessed answers, late, broken and cut-off responses."""

from __future__ import annotations

import json

import aiohttp
import pytest

from sandbox import Fault, Sandbox
from sandbox.faults import FaultQueue

from .helpers import NOT_ENOUGH, Answer, call

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.mark.parametrize(
    ("fault", "status", "expected"),
    [
        (
            Fault.TOO_MANY_ATTEMPTS,
            200,
            {"status": "error", "message": "Too Many Attempts."},
        ),
        (
            Fault.UNAUTHENTICATED,
            200,
            {"status": "error", "message": "Unauthenticated."},
        ),
        (Fault.INSUFFICIENT_BALANCE, 200, {"status": "error", "message": NOT_ENOUGH}),
        (Fault.HTTP_429, 429, {"message": "Too Many Attempts."}),
    ],
)
async def test_json_faults_are_not_processed(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    fault: Fault,
    status: int,
    expected: dict[str, str],
) -> None:
    sandbox.inject(fault)
    answer = await call(
        session,
        sandbox,
        "POST",
        "sms/send",
        body={"recipient": "31612345678", "type": "plain", "message": "x"},
    )
    assert answer.status == status
    assert answer.json == expected
    assert answer.headers["X-RateLimit-Limit"] == "1000"
    assert sandbox.sent_messages() == []
    assert sandbox.requests[-1].fault is fault
    assert sandbox.pending_faults == 0


async def test_http_429_retry_after(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.inject(Fault.HTTP_429)
    answer = await call(session, sandbox, "GET", "me")
    assert answer.headers["Retry-After"] == "7"
    sandbox.retry_after = None
    sandbox.inject(Fault.HTTP_429)
    answer = await call(session, sandbox, "GET", "me")
    assert answer.status == 429
    assert "Retry-After" not in answer.headers


async def test_http_500_html(sandbox: Sandbox, session: aiohttp.ClientSession) -> None:
    sandbox.inject(Fault.HTTP_500_HTML, path="/sms/send/")
    answer = await call(session, sandbox, "GET", "me")
    assert answer.status == 200
    answer = await call(
        session,
        sandbox,
        "POST",
        "sms/send",
        body={"recipient": "31612345678", "type": "plain", "message": "x"},
    )
    assert answer.status == 500
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "Server Error" in answer.text
    assert sandbox.sent_messages() == []
    assert [req.fault for req in sandbox.requests] == [None, Fault.HTTP_500_HTML]


async def test_slow_response_is_processed_then_late(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.inject(Fault.SLOW)
    with pytest.raises(TimeoutError):
        await send_raw(session, sandbox, time_limit=0.2)
    assert len(sandbox.sent_messages()) == 1
    sandbox.slow_seconds = 0.05
    sandbox.inject(Fault.SLOW)
    answer = await send_raw(session, sandbox)
    assert answer.json["status"] == "success"
    assert len(sandbox.sent_messages()) == 2


async def send_raw(
    session: aiohttp.ClientSession, sandbox: Sandbox, time_limit: float | None = None
) -> Answer:
    """Send one plain message and return the raw answer."""
    return await call(
        session,
        sandbox,
        "POST",
        "sms/send",
        body={"recipient": "31612345678", "type": "plain", "message": "x"},
        time_limit=time_limit,
    )


async def test_malformed_json_is_processed(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.inject(Fault.MALFORMED_JSON)
    answer = await send_raw(session, sandbox)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.text.startswith('{"status":"success"')
    with pytest.raises(ValueError):
        json.loads(answer.text)
    assert len(sandbox.sent_messages()) == 1


async def test_disconnect_is_processed(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.inject(Fault.DISCONNECT)
    with pytest.raises(aiohttp.ClientPayloadError):
        await send_raw(session, sandbox)
    assert len(sandbox.sent_messages()) == 1
    assert sandbox.requests[-1].fault is Fault.DISCONNECT
    answer = await send_raw(session, sandbox)  # the next request works again
    assert answer.json["status"] == "success"


async def test_canned_response(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.inject_response(502, b"Bad gateway", "text/plain; charset=utf-8", count=2)
    for _ in range(2):
        answer = await call(session, sandbox, "GET", "balance")
        assert (answer.status, answer.text) == (502, "Bad gateway")
        assert answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert (await call(session, sandbox, "GET", "balance")).status == 200
    assert [req.fault for req in sandbox.requests] == [
        Fault.CANNED_RESPONSE,
        Fault.CANNED_RESPONSE,
        None,
    ]


async def test_faults_are_consumed_in_order(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.inject(Fault.UNAUTHENTICATED, count=2)
    sandbox.inject(Fault.TOO_MANY_ATTEMPTS)
    assert sandbox.pending_faults == 3
    messages = [
        (await call(session, sandbox, "GET", "me")).json["message"] for _ in range(4)
    ]
    assert messages == [
        "Unauthenticated.",
        "Unauthenticated.",
        "Too Many Attempts.",
        None,
    ]
    sandbox.inject(Fault.HTTP_500_HTML, count=5)
    sandbox.clear_faults()
    assert sandbox.pending_faults == 0
    assert (await call(session, sandbox, "GET", "me")).status == 200
    with pytest.raises(ValueError):
        sandbox.inject(Fault.SLOW, count=0)


def test_fault_queue_skips_rules_for_other_paths() -> None:
    queue = FaultQueue()
    queue.add(Fault.SLOW, path="sms/send")
    queue.add(Fault.DISCONNECT)
    hit = queue.take("me")
    assert hit is not None
    assert hit.fault is Fault.DISCONNECT
    assert len(queue) == 1
    assert queue.take("me") is None


async def test_latency_holds_every_answer_back(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.latency = 30.0
    with pytest.raises(TimeoutError):
        await call(session, sandbox, "GET", "me", time_limit=0.2)
    assert sandbox.requests[0].fault is None
    sandbox.latency = 0.01
    answer = await call(session, sandbox, "GET", "me")
    assert answer.json["status"] == "success"
