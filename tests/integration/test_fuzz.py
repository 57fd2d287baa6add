"""Whatever the server answers, the integration fails cleanly and keeps running.

Hypothesis and asynchronous tests: the cases are drawn by a synchronous
``@given`` function that runs in an executor thread, and each case is checked
on Home Assistant's event loop with ``asyncio.run_coroutine_threadsafe``. The
test keeps one ``hass`` and one sandbox for all cases, and Hypothesis keeps
its shrinking: a failure is reported as the smallest answer that causes it.
The run is derandomized (a fixed seed, no example database), so every run
checks the same cases.

The last test drives an authentication failure and faults through the
integration and shows that the token reaches no log line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.textboost.api import TextBoostError
from custom_components.textboost.const import DOMAIN
from sandbox import Fault, Sandbox

NUMBER = "+31 6 1234 5678"
UID = "61a7b2c3d4e5f"
EXAMPLES = 300

KNOWN_MESSAGES = (
    "Unauthenticated.",
    "These credentials do not match our records.",
    "Too Many Attempts.",
    "Your message was successfully delivered",
    "There is not enough balance available to send this message.",
    "No query results for model [App\\Models\\Reports] x",
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


#: A row of a send answer as the server gives it; the fuzzer spoils a few fields.
GOOD_ROW: dict[str, Any] = {
    "uid": UID,
    "to": "31612345678",
    "from": "TextBoost",
    "message": "Water leak",
    "status": "Enroute",
    "cost": "0.05",
    "sms_count": 1,
}
ODD_VALUES = st.sampled_from(
    ["", "many", "NaN", "-Infinity", "1e999", "1,234.50", "Unlimited", "\x00", "٣"]
) | st.sampled_from([None, True, -1, 0, 10**400, 1.5, float("nan"), [], {}])
row_keys = st.sampled_from([*GOOD_ROW, "customer_status"])


@st.composite
def spoiled_rows(draw: st.DrawFn) -> dict[str, Any]:
    """A good row with one to three fields changed to odd values or removed."""
    row = dict(GOOD_ROW)
    changes = draw(
        st.lists(st.tuples(row_keys, ODD_VALUES | json_values), min_size=1, max_size=3)
    )
    for key, value in changes:
        if value == []:
            row.pop(key, None)
        else:
            row[key] = value
    return row


#: What the server sends when it accepted a message, more or less.
success_envelopes = st.fixed_dictionaries(
    {
        "status": st.just("success"),
        "message": st.sampled_from(KNOWN_MESSAGES) | st.none(),
        "data": spoiled_rows()
        | st.lists(spoiled_rows(), min_size=1, max_size=3)
        | json_values,
    }
)
#: An error envelope, or something that almost is one.
other_envelopes = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(["error", "Success", ""]) | json_values,
        "message": st.sampled_from(KNOWN_MESSAGES) | json_values,
        "data": json_values,
    },
)


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


bodies = st.one_of(
    success_envelopes.map(_json),
    success_envelopes.map(_json),
    success_envelopes.map(_json),
    other_envelopes.map(_json),
    other_envelopes.map(_json),
    success_envelopes.map(_json).map(lambda raw: raw[: len(raw) // 2]),
    json_values.map(_json),
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"",
            b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>",
            b"[" * 50_000 + b"]" * 50_000,
            b'{"status":"success","data":' * 5_000,
            b"\xff\xfe\x00",
        ]
    ),
)
status_codes = st.sampled_from(
    [200, 201, 301, 400, 401, 403, 404, 405, 419, 422, 429, 500, 502, 503]
) | st.integers(200, 599).filter(lambda code: code not in {204, 205, 304})
content_types = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/problem+json",
        "text/html; charset=UTF-8",
        "text/plain",
        "application/octet-stream",
    ]
) | st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=30
)


async def test_send_sms_raises_only_home_assistant_errors_for_any_answer(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
) -> None:
    entry = init_integration
    client = entry.runtime_data.client
    seen: dict[str, int] = {}

    async def check(status: int, body: bytes, content_type: str) -> None:
        account.clear_faults()
        account.inject_response(status, body, content_type, path="sms/send")
        try:
            await hass.services.async_call(
                DOMAIN,
                "send_sms",
                {"recipients": [NUMBER], "message": "Water leak"},
                blocking=True,
                return_response=True,
            )
            outcome = "returned"
        except HomeAssistantError as err:  # ServiceValidationError is one too
            outcome = str(err.translation_key)
        seen[outcome] = seen.get(outcome, 0) + 1
        assert entry.state is ConfigEntryState.LOADED

        # The client itself raises only its own documented errors.
        account.clear_faults()
        account.inject_response(status, body, content_type, path="sms/send")
        account.inject_response(status, body, content_type, path=f"sms/{UID}")
        for request in (client.send([NUMBER], "Water leak"), client.get_message(UID)):
            with contextlib.suppress(TextBoostError):
                await request

        account.clear_faults()
        await hass.services.async_call(DOMAIN, "clear_queue", {}, blocking=True)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(status=status_codes, body=bodies, content_type=content_types)
    def fuzz(status: int, body: bytes, content_type: str) -> None:
        asyncio.run_coroutine_threadsafe(
            check(status, body, content_type), hass.loop
        ).result(timeout=60)

    await hass.async_add_executor_job(fuzz)

    assert entry.state is ConfigEntryState.LOADED
    # The cases reached the interesting paths, not only one of them.
    for outcome in ("returned", "send_outcome_unknown", "send_rejected", "auth_failed"):
        assert seen.get(outcome), f"no case ended {outcome}: {seen}"
    response = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"recipients": [NUMBER], "message": "Still working"},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    assert [r["state"] for r in response["recipients"]] == ["accepted"]  # type: ignore[union-attr]


async def test_token_is_in_no_log_line_on_auth_failure_and_faults(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    token = account.token

    async def send() -> HomeAssistantError:
        with pytest.raises(HomeAssistantError) as caught:
            await hass.services.async_call(
                DOMAIN,
                "send_sms",
                {"recipients": [NUMBER], "message": "Water leak"},
                blocking=True,
                return_response=True,
            )
        return caught.value

    account.inject(Fault.UNAUTHENTICATED, path="sms/send")
    assert (await send()).translation_key == "auth_failed"
    account.inject_response(401, b"<html>401 | Unauthorized</html>", "text/html")
    assert (await send()).translation_key == "auth_failed"
    # A server that quotes the token back in its error text.
    account.inject_response(
        422,
        _json({"status": "error", "message": f"The token {token} is not valid."}),
        "application/json",
        path="sms/send",
    )
    rejected = await send()
    assert rejected.translation_key == "send_rejected"
    assert token not in str(rejected)
    account.inject(Fault.DISCONNECT, path="sms/send")
    assert (await send()).translation_key == "send_outcome_unknown"
    account.inject(Fault.HTTP_500_HTML, path="sms/send")
    assert (await send()).translation_key == "send_outcome_unknown"
    # The profile read echoes the token in its body (GET me).
    await entry_refresh(init_integration)

    assert [
        f["context"]["source"] for f in hass.config_entries.flow.async_progress()
    ] == ["reauth"]
    assert "POST sms/send: HTTP 200" in caplog.text
    assert "POST sms/send: connection lost" in caplog.text
    assert "GET me: HTTP 200" in caplog.text
    assert token not in caplog.text
    assert token.split("|", 1)[1] not in caplog.text


async def entry_refresh(entry: MockConfigEntry) -> None:
    """Read the account again, as the coordinator does on its schedule."""
    await entry.runtime_data.account.async_refresh()
