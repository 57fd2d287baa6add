"""The token stays out of logs, reprs and results (see also test_client_errors).

The guard itself is tested in tests/test_secret_guard.py.
"""

from __future__ import annotations

from dataclasses import asdict
import logging

import aiohttp

from custom_components.textboost.api import TextBoostClient
from tests.helpers import SecretGuard


def test_the_guard_watches_the_sandbox_token(
    sandbox, secret_guard: SecretGuard
) -> None:
    assert sandbox.token in secret_guard.secrets
    assert logging.getLogger("custom_components.textboost").isEnabledFor(logging.DEBUG)


async def test_a_whole_session_of_calls_keeps_the_token_out_of_sight(
    client: TextBoostClient, sandbox, secret_guard: SecretGuard
) -> None:
    profile = await client.me()
    balance = await client.balance()
    result = await client.send(["31612345678", "31612345679"], "Hi")
    group = await client.create_group("Family")
    contact = await client.add_contact(group.uid, "31612345678", "Ada")
    messages = [m async for m in client.iter_messages()]

    seen = repr([profile, balance, result, group, contact, messages, asdict(profile)])
    assert sandbox.token not in seen
    assert sandbox.token not in repr(client)
    assert sandbox.token not in repr(client.rate_limit)
    assert any(
        r.name.startswith("custom_components.textboost") for r in secret_guard.records
    )
    assert secret_guard.leaks() == []


async def test_the_token_is_sent_only_in_the_authorization_header(sandbox) -> None:
    sent: list[str] = []

    async def on_request_start(
        _: object, __: object, params: aiohttp.TraceRequestStartParams
    ) -> None:
        sent.append(str(params.url))
        sent.append(params.headers.get("Authorization", ""))

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_request_start)
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        await TextBoostClient(session, sandbox.token, sandbox.base_url).balance()

    url, authorization = sent
    assert sandbox.token not in url
    assert authorization == f"Bearer {sandbox.token}"
    assert sandbox.requests[-1].query == {}
