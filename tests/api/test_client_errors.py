"""Every failure becomes one exception class, provoked through the sandbox.

The exception decides whether a message may be sent again, so each class is
shown with the fault that produces it, and with what it promises
(``certainly_not_sent``) checked against what the sandbox really did.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
import json
import traceback
from typing import Any

import aiohttp
import pytest

from custom_components.textboost.api import (
    AuthenticationFailed,
    CannotConnect,
    InvalidBaseUrl,
    InvalidRecipientError,
    InvalidResponse,
    OutcomeUnknown,
    RateLimited,
    RateLimitInfo,
    RequestRejected,
    SenderIdRejected,
    ServiceUnavailable,
    TextBoostClient,
    TextBoostError,
)
from sandbox import Fault
from tests.helpers import SecretGuard

from .conftest import WRONG_TOKEN, StubServer

NUMBER = "31612345678"
JSON = "application/json"


def _json(payload: object) -> bytes:
    return json.dumps(payload).encode()


async def _balance(client: TextBoostClient, sandbox: Any) -> object:
    return await client.balance()


async def _send(client: TextBoostClient, sandbox: Any) -> object:
    return await client.send([NUMBER], "Hello")


@dataclass(frozen=True)
class Scenario:
    """One way to make a client call fail."""

    arrange: Callable[[Any], Awaitable[None] | None]
    call: Callable[[TextBoostClient, Any], Awaitable[object]] = _balance
    token: str | None = None
    timeout: float = 10.0


async def _refuse(sandbox: Any) -> None:
    await sandbox.refuse_connections()


def _slow(sandbox: Any) -> None:
    sandbox.slow_seconds = 5.0
    sandbox.inject(Fault.SLOW)


def _nothing(sandbox: Any) -> None:
    return None


def _blacklist(sandbox: Any) -> None:
    sandbox.state.blacklist.add(NUMBER)


async def _add_bad_contact(client: TextBoostClient, sandbox: Any) -> object:
    group = sandbox.add_group("Family")
    return await client.add_contact(group, "not a phone")


async def _send_from_bad_sender(client: TextBoostClient, sandbox: Any) -> object:
    return await client.send([NUMBER], "Hello", sender_id="Not Allowed!")


SCENARIOS: dict[str, Scenario] = {
    "unauthenticated": Scenario(lambda s: s.inject(Fault.UNAUTHENTICATED)),
    "wrong token": Scenario(_nothing, token=WRONG_TOKEN),
    "credentials do not match": Scenario(
        lambda s: s.inject_response(
            200,
            _json(
                {
                    "status": "error",
                    "message": "These credentials do not match our records.",
                }
            ),
            JSON,
        )
    ),
    "html 401": Scenario(
        lambda s: s.inject_response(401, b"<html>Unauthorized</html>", "text/html")
    ),
    "json 401": Scenario(
        lambda s: s.inject_response(401, _json({"message": "Token expired"}), JSON)
    ),
    "insufficient balance": Scenario(
        lambda s: s.inject(Fault.INSUFFICIENT_BALANCE), call=_send
    ),
    "blacklisted number": Scenario(_blacklist, call=_send),
    "bad sender id": Scenario(_nothing, call=_send_from_bad_sender),
    "contact validation": Scenario(_nothing, call=_add_bad_contact),
    "server echoes the token": Scenario(
        lambda s: s.inject_response(
            403,
            _json({"status": "error", "message": f"Token {s.token} may not send"}),
            JSON,
        ),
        call=_send,
    ),
    "http 429": Scenario(lambda s: s.inject(Fault.HTTP_429), call=_send),
    "too many attempts": Scenario(
        lambda s: s.inject(Fault.TOO_MANY_ATTEMPTS), call=_send
    ),
    "refused connection": Scenario(_refuse, call=_send),
    "slow answer": Scenario(_slow, call=_send, timeout=0.3),
    "disconnect": Scenario(lambda s: s.inject(Fault.DISCONNECT), call=_send),
    "html 500": Scenario(lambda s: s.inject(Fault.HTTP_500_HTML), call=_send),
    "html 502 from a proxy": Scenario(
        lambda s: s.inject_response(502, b"<html>Bad Gateway</html>", "text/html"),
        call=_send,
    ),
    "empty 503": Scenario(lambda s: s.inject_response(503, b"", "text/plain")),
    "html 200": Scenario(
        lambda s: s.inject_response(
            200, b"<!DOCTYPE html><html>Shop</html>", "text/html"
        )
    ),
    "html 404": Scenario(
        lambda s: s.inject_response(404, b"<html>Not Found</html>", "text/html")
    ),
    "sender id required": Scenario(
        lambda s: s.inject_response(
            200,
            _json(
                {
                    "status": "error",
                    "message": "Sender ID is required for sending messages.",
                }
            ),
            JSON,
        ),
        call=_send,
    ),
    "sender id field required": Scenario(
        lambda s: s.inject_response(
            422,
            _json({"status": "error", "message": "The sender id field is required."}),
            JSON,
        ),
        call=_send,
    ),
    "malformed json": Scenario(lambda s: s.inject(Fault.MALFORMED_JSON), call=_send),
    "json array": Scenario(lambda s: s.inject_response(200, b"[1, 2]", JSON)),
    "no status": Scenario(
        lambda s: s.inject_response(200, _json({"data": {"remaining_unit": "5"}}), JSON)
    ),
    "wrong data shape": Scenario(
        lambda s: s.inject_response(
            200, _json({"status": "success", "data": [1, 2]}), JSON
        )
    ),
    "missing uid": Scenario(
        lambda s: s.inject_response(
            200, _json({"status": "success", "data": {"to": NUMBER}}), JSON
        ),
        call=_send,
    ),
}


@pytest.fixture
def provoke(sandbox: Any) -> Callable[[str], Awaitable[TextBoostError]]:
    """Play one scenario and return the exception the client raised.

    Each scenario gets a fresh session, so that no pooled keep-alive
    connection of an earlier scenario changes how this one fails.
    """

    async def play(name: str) -> TextBoostError:
        scenario = SCENARIOS[name]
        sandbox.clear_requests()
        sandbox.clear_faults()
        async with aiohttp.ClientSession() as session:
            client = TextBoostClient(
                session,
                scenario.token or sandbox.token,
                sandbox.base_url,
                timeout=scenario.timeout,
            )
            arranged = scenario.arrange(sandbox)
            if arranged is not None:
                await arranged
            try:
                with pytest.raises(TextBoostError) as caught:
                    await scenario.call(client, sandbox)
            finally:
                await sandbox.accept_connections()
        return caught.value

    return play


# AuthenticationFailed


@pytest.mark.parametrize(
    "name",
    [
        "unauthenticated",
        "wrong token",
        "credentials do not match",
        "html 401",
        "json 401",
    ],
)
async def test_a_refused_token_is_authentication_failed(provoke, name: str) -> None:
    err = await provoke(name)

    assert type(err) is AuthenticationFailed
    assert str(err) == "The API token was refused"
    assert err.certainly_not_sent is False


async def test_a_wrong_token_reaches_the_server_redacted(provoke, sandbox) -> None:
    await provoke("wrong token")

    (logged,) = sandbox.requests
    assert logged.headers["Authorization"] == "Bearer **REDACTED**"


# RequestRejected


@pytest.mark.parametrize(
    ("name", "message", "http_status"),
    [
        (
            "insufficient balance",
            "There is not enough balance available to send this message. "
            "Please recharge your account.",
            200,
        ),
        ("blacklisted number", "Number contains in the blacklist", 200),
        ("contact validation", "The phone must be a number.", 422),
    ],
)
async def test_a_refusal_is_request_rejected_with_the_server_message(
    provoke, sandbox, name: str, message: str, http_status: int
) -> None:
    err = await provoke(name)

    assert type(err) is RequestRejected
    assert (err.message, str(err), err.http_status) == (message, message, http_status)
    assert err.certainly_not_sent is False
    assert sandbox.sent_messages() == []


# SenderIdRejected


@pytest.mark.parametrize(
    ("name", "message", "sender_id", "http_status"),
    [
        (
            "bad sender id",
            "Originator Not Allowed! is not authorized to send this message",
            "Not Allowed!",
            200,
        ),
        (
            "sender id required",
            "Sender ID is required for sending messages.",
            None,
            200,
        ),
        ("sender id field required", "The sender id field is required.", None, 422),
    ],
)
async def test_a_refusal_of_the_sender_is_sender_id_rejected(
    provoke,
    sandbox,
    name: str,
    message: str,
    sender_id: str | None,
    http_status: int,
) -> None:
    err = await provoke(name)

    assert type(err) is SenderIdRejected
    assert isinstance(err, RequestRejected)
    assert (err.message, err.sender_id, err.http_status) == (
        message,
        sender_id,
        http_status,
    )
    assert err.certainly_not_sent is False
    assert sandbox.sent_messages() == []


async def test_the_token_is_redacted_from_a_server_message(provoke, sandbox) -> None:
    err = await provoke("server echoes the token")

    assert type(err) is RequestRejected
    assert err.message == "Token **REDACTED** may not send"
    assert err.http_status == 403


async def test_an_error_without_a_message_names_the_http_status(
    client: TextBoostClient, sandbox
) -> None:
    sandbox.inject_response(404, _json({"status": "error", "message": None}), JSON)

    with pytest.raises(RequestRejected) as caught:
        await client.balance()

    assert (caught.value.message, caught.value.http_status) == ("HTTP 404", 404)


# RateLimited


async def test_http_429_is_rate_limited_with_the_retry_after_header(
    provoke, sandbox
) -> None:
    err = await provoke("http 429")

    assert type(err) is RateLimited
    assert err.retry_after == 7.0
    assert str(err) == "Too many requests; retry after 7 s"
    assert err.certainly_not_sent is True
    assert sandbox.sent_messages() == []


async def test_too_many_attempts_with_http_200_is_rate_limited_without_delay(
    provoke, sandbox
) -> None:
    err = await provoke("too many attempts")

    assert type(err) is RateLimited
    assert err.retry_after is None
    assert str(err) == "Too many requests"
    assert err.certainly_not_sent is True
    assert sandbox.sent_messages() == []


async def test_the_servers_own_throttle_is_rate_limited(
    client: TextBoostClient, sandbox
) -> None:
    sandbox.rate_limit = 1
    await client.balance()

    with pytest.raises(RateLimited) as caught:
        await client.balance()

    assert caught.value.retry_after is not None
    assert 1.0 <= caught.value.retry_after <= 60.0


def _http_date(delta: timedelta) -> Callable[[], str]:
    """An HTTP date ``delta`` from the moment the test runs."""
    return lambda: format_datetime(datetime.now(UTC) + delta, usegmt=True)


def _zoneless_http_date(delta: timedelta) -> Callable[[], str]:
    """An HTTP date with "-0000", which means no zone: read as UTC."""
    return lambda: format_datetime(datetime.now(UTC).replace(tzinfo=None) + delta)


@pytest.mark.parametrize(
    ("header", "low", "high"),
    [
        (lambda: "7", 7.0, 7.0),
        (lambda: " 2.5 ", 2.5, 2.5),
        (lambda: "-5", 0.0, 0.0),
        (_http_date(timedelta(hours=1)), 3000.0, 3600.0),
        (_http_date(timedelta(hours=-1)), 0.0, 0.0),
        (_zoneless_http_date(timedelta(hours=1)), 3000.0, 3600.0),
    ],
    ids=[
        "seconds",
        "padded fraction",
        "negative",
        "date in an hour",
        "date an hour ago",
        "date without a zone",
    ],
)
async def test_retry_after_reads_seconds_or_an_http_date(
    client: TextBoostClient,
    sandbox,
    header: Callable[[], str],
    low: float,
    high: float,
) -> None:
    sandbox.retry_after = header()
    sandbox.inject(Fault.HTTP_429)

    with pytest.raises(RateLimited) as caught:
        await client.balance()

    assert caught.value.retry_after is not None
    assert low <= caught.value.retry_after <= high


@pytest.mark.parametrize(
    "header",
    [
        None,
        "soon",
        "nan",
        "inf",
        "1e999",
        "Fri, 01 Jan 99999999999999999999 00:00:00 GMT",
        "Fri, 32 Jan 2026 00:00:00 GMT",
    ],
)
async def test_retry_after_that_is_missing_or_unusable_gives_none(
    client: TextBoostClient, sandbox, header: str | None
) -> None:
    sandbox.retry_after = header
    sandbox.inject(Fault.HTTP_429)

    with pytest.raises(RateLimited) as caught:
        await client.balance()

    assert caught.value.retry_after is None


async def test_the_rate_limit_headers_are_kept(
    client: TextBoostClient, sandbox
) -> None:
    assert client.rate_limit is None

    await client.balance()
    await client.balance()

    assert client.rate_limit == RateLimitInfo(limit=1000, remaining=998)


@pytest.mark.parametrize(
    ("limit", "remaining", "info"),
    [
        ("60", "59", RateLimitInfo(60, 59)),
        ("", "-1", RateLimitInfo(None, None)),
        ("²", "٣", RateLimitInfo(None, None)),
        ("9" * 5000, "1.5", RateLimitInfo(None, None)),
    ],
)
async def test_rate_limit_headers_that_are_not_whole_numbers_are_ignored(
    session: aiohttp.ClientSession,
    stub_server: StubServer,
    limit: str,
    remaining: str,
    info: RateLimitInfo,
) -> None:
    stub_server.headers.update(
        {"X-RateLimit-Limit": limit, "X-RateLimit-Remaining": remaining}
    )
    client = TextBoostClient(session, WRONG_TOKEN, stub_server.url)

    await client.balance()

    assert client.rate_limit == info


# CannotConnect


async def test_a_refused_connection_is_cannot_connect(provoke, sandbox) -> None:
    err = await provoke("refused connection")

    assert type(err) is CannotConnect
    assert str(err) == "Cannot connect to the TextBoost server (ClientConnectorError)"
    assert err.certainly_not_sent is True
    assert sandbox.requests == []
    assert sandbox.sent_messages() == []


async def test_the_client_works_again_once_the_server_accepts(
    provoke, client: TextBoostClient
) -> None:
    await provoke("refused connection")

    assert (await client.balance()).amount is not None


# OutcomeUnknown


async def test_a_slow_answer_is_outcome_unknown_but_the_message_was_sent(
    provoke, sandbox
) -> None:
    err = await provoke("slow answer")

    assert type(err) is OutcomeUnknown
    assert str(err) == "The TextBoost server did not answer in time"
    assert err.certainly_not_sent is False
    assert [r.fault for r in sandbox.requests] == [Fault.SLOW]
    assert [m.to for m in sandbox.sent_messages()] == [NUMBER]


async def test_a_dropped_connection_is_outcome_unknown_but_the_message_was_sent(
    provoke, sandbox
) -> None:
    err = await provoke("disconnect")

    assert type(err) is OutcomeUnknown
    assert str(err).startswith("The connection to the TextBoost server was lost (")
    assert err.certainly_not_sent is False
    assert [m.to for m in sandbox.sent_messages()] == [NUMBER]


# ServiceUnavailable: an outage, not a wrong address


@pytest.mark.parametrize(
    ("name", "http_status"),
    [("html 500", 500), ("html 502 from a proxy", 502), ("empty 503", 503)],
)
async def test_a_server_failure_without_json_is_service_unavailable(
    provoke, name: str, http_status: int
) -> None:
    err = await provoke(name)

    assert type(err) is ServiceUnavailable
    assert isinstance(err, OutcomeUnknown)
    assert not isinstance(err, InvalidResponse)
    assert err.http_status == http_status
    assert str(err) == f"The TextBoost server failed with HTTP {http_status}"
    assert err.certainly_not_sent is False


@pytest.mark.parametrize(
    ("header", "retry_after"), [("120", 120.0), (None, None)], ids=["asked", "not"]
)
async def test_maintenance_mode_says_how_long_to_wait(
    session: aiohttp.ClientSession,
    stub_server: StubServer,
    header: str | None,
    retry_after: float | None,
) -> None:
    # Laravel's maintenance mode: HTTP 503, an HTML page, maybe Retry-After.
    stub_server.status = 503
    stub_server.body = b"<!DOCTYPE html><title>Service Unavailable</title>"
    stub_server.headers = {"Content-Type": "text/html"}
    if header is not None:
        stub_server.headers["Retry-After"] = header
    client = TextBoostClient(session, WRONG_TOKEN, stub_server.url)

    with pytest.raises(ServiceUnavailable) as caught:
        await client.balance()

    assert (caught.value.http_status, caught.value.retry_after) == (503, retry_after)


# InvalidResponse: not the API at all


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "html 200",
            "The TextBoost server answered HTTP 200 with a body that is not JSON",
        ),
        (
            "html 404",
            "The TextBoost server answered HTTP 404 with a body that is not JSON",
        ),
        (
            "malformed json",
            "The TextBoost server answered HTTP 200 with a body that is not JSON",
        ),
        ("json array", "The TextBoost server answered HTTP 200 without the envelope"),
        ("no status", "The TextBoost server answered HTTP 200 without a status"),
        ("wrong data shape", "expected an object in the answer"),
        ("missing uid", "field 'uid' is missing"),
    ],
)
async def test_an_unusable_answer_is_invalid_response(
    provoke, name: str, text: str
) -> None:
    err = await provoke(name)

    assert type(err) is InvalidResponse
    assert isinstance(err, OutcomeUnknown)
    assert str(err) == text
    assert err.certainly_not_sent is False


async def test_a_malformed_answer_still_means_the_message_was_sent(
    provoke, sandbox
) -> None:
    await provoke("malformed json")

    assert [m.to for m in sandbox.sent_messages()] == [NUMBER]


# The hierarchy.


@pytest.mark.parametrize(
    ("error", "certainly_not_sent"),
    [
        (AuthenticationFailed, False),
        (RequestRejected, False),
        (SenderIdRejected, False),
        (RateLimited, True),
        (CannotConnect, True),
        (OutcomeUnknown, False),
        (ServiceUnavailable, False),
        (InvalidResponse, False),
        (InvalidRecipientError, False),
        (InvalidBaseUrl, False),
    ],
)
def test_every_error_is_a_textboost_error(
    error: type[TextBoostError], certainly_not_sent: bool
) -> None:
    assert issubclass(error, TextBoostError)
    assert error.certainly_not_sent is certainly_not_sent


def test_an_unusable_or_failed_answer_is_an_outcome_unknown() -> None:
    assert issubclass(InvalidResponse, OutcomeUnknown)
    assert issubclass(ServiceUnavailable, OutcomeUnknown)
    assert issubclass(SenderIdRejected, RequestRejected)


# Secrecy: no exception of any scenario carries a token.


def _everything_about(err: BaseException) -> str:
    parts = [str(err), repr(err), *map(repr, err.args), repr(vars(err))]
    parts += traceback.format_exception(err)
    chained = err.__cause__ or err.__context__
    if chained is not None:
        parts.append(_everything_about(chained))
    return "\n".join(parts)


async def test_no_exception_of_any_scenario_contains_a_token(
    provoke, sandbox, secret_guard: SecretGuard
) -> None:
    texts = {name: _everything_about(await provoke(name)) for name in SCENARIOS}

    for name, text in texts.items():
        for secret in secret_guard.secrets:
            assert secret not in text, f"{name} leaks a token"
    assert sandbox.token in secret_guard.secrets
    assert WRONG_TOKEN in secret_guard.secrets


async def test_the_debug_log_of_every_scenario_is_token_free(
    provoke, secret_guard: SecretGuard
) -> None:
    for name in SCENARIOS:
        await provoke(name)

    client_records = [
        r
        for r in secret_guard.records
        if r.name.startswith("custom_components.textboost")
    ]
    assert client_records, "the client logs at DEBUG level"
    assert secret_guard.leaks() == []


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_server_failure_with_an_error_envelope_is_an_unknown_outcome(
    client: TextBoostClient, sandbox, status: int
) -> None:
    # A failing server or proxy may have acted on the request before failing,
    # so even a tidy error body must not read as a refusal.
    body = json.dumps({"status": "error", "message": "Server Error"}).encode()
    sandbox.inject_response(status, body, "application/json")

    with pytest.raises(ServiceUnavailable) as caught:
        await client.send(["31612345678"], "Hi")

    assert isinstance(caught.value, OutcomeUnknown)
    assert not isinstance(caught.value, RequestRejected)
    assert not caught.value.certainly_not_sent
    assert str(caught.value) == f"The TextBoost server failed with HTTP {status}"
