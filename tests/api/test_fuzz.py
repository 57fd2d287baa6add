"""Whatever the server answers, the client raises only TextBoostError.

Hypothesis draws a response (status code, body bytes, content type), the
sandbox serves it verbatim with ``inject_response``, and one client call reads
it over real HTTP. The examples below add the hand-made edge cases: HTML, an
empty body, bare JSON values, nesting 10,000 levels deep, numbers too large to
parse, and the envelope with every field of the wrong type.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import contextlib
import json
from typing import Any

import aiohttp
from hypothesis import HealthCheck, example, given, settings, strategies as st

from custom_components.textboost.api import TextBoostClient, TextBoostError

NUMBER = "31612345678"

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(
        ["", "Unlimited", "9,99,999", "1,234.50", "31 Dec 2026 11:59 PM", "²"]
    )
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = [
    "uid", "to", "from", "message", "status", "customer_status", "cost",
    "sms_count", "remaining_unit", "remaining_balance", "sms_credit_balance",
    "expired_on", "first_name", "last_name", "email", "timezone", "phone",
    "custom_fields", "current_page", "last_page", "per_page", "total", "data",
]  # fmt: skip
records = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8)
data_values = json_values | records | st.lists(records, max_size=3)
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(["success", "error", "Success", None, 1, True, []]),
        "message": json_values
        | st.sampled_from(["Unauthenticated.", "Too Many Attempts."]),
        "data": data_values
        | st.fixed_dictionaries(
            {"data": st.lists(records, max_size=3)},
            optional={
                "current_page": json_values,
                "last_page": json_values,
            },
        ),
    },
)
bodies = (
    envelopes.map(lambda payload: json.dumps(payload).encode())
    | json_values.map(lambda value: json.dumps(value).encode())
    | st.binary(max_size=64)
)
statuses = st.sampled_from([200, 201, 400, 401, 403, 404, 422, 429, 500, 502, 503]) | (
    st.integers(min_value=200, max_value=599)
)
content_types = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "text/html; charset=UTF-8",
        "text/plain",
        "application/octet-stream",
    ]
)

Call = Callable[[TextBoostClient], Awaitable[object]]
CALLS: dict[str, Call] = {
    "me": lambda c: c.me(),
    "balance": lambda c: c.balance(),
    "send to one": lambda c: c.send([NUMBER], "Hi"),
    "send to three": lambda c: c.send([NUMBER, "31612345679", "31612345670"], "Hi"),
    "get message": lambda c: c.get_message("0123456789abc"),
    "list messages": lambda c: c.list_messages(),
    "iterate contacts": lambda c: _drain(c.iter_contacts("0123456789abc")),
    "delete group": lambda c: c.delete_group("0123456789abc"),
}


async def _drain(items: Any) -> list[object]:
    return [item async for item in items]


DEEP = b"[" * 10_000 + b"]" * 10_000
HTML = b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"
HUGE_INT = (
    json.dumps({"status": "success", "data": {"remaining_unit": 0}})
    .encode()
    .replace(b"0", b"9" * 5000)
)
WRONG_TYPES = json.dumps(
    {
        "status": "success",
        "message": ["not", "text"],
        "data": {field: {"nested": [1.5, None]} for field in FIELDS},
    }
).encode()


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    status=statuses,
    body=bodies,
    content_type=content_types,
    call=st.sampled_from(sorted(CALLS)),
)
@example(status=502, body=HTML, content_type="text/html", call="send to one")
@example(status=200, body=b"", content_type="application/json", call="balance")
@example(status=200, body=b"null", content_type="application/json", call="balance")
@example(status=200, body=b"[]", content_type="application/json", call="me")
@example(
    status=200, body=b'"success"', content_type="application/json", call="send to one"
)
@example(status=200, body=DEEP, content_type="application/json", call="balance")
@example(status=200, body=HUGE_INT, content_type="application/json", call="balance")
@example(
    status=200,
    body=b'{"status":"success","data":{"remaining_unit":1e999}}',
    content_type="application/json",
    call="balance",
)
@example(
    status=200,
    body=b'{"status":"success","data":{"remaining_unit":NaN}}',
    content_type="application/json",
    call="balance",
)
@example(status=200, body=WRONG_TYPES, content_type="application/json", call="me")
@example(status=200, body=WRONG_TYPES, content_type="application/json", call="balance")
@example(
    status=200, body=WRONG_TYPES, content_type="application/json", call="send to one"
)
@example(
    status=200, body=WRONG_TYPES, content_type="application/json", call="list messages"
)
@example(
    status=200,
    body=b'{"status":"success","data":{"data":[{"uid":"a","sms_count":"\\u00b2"}],"current_page":"\\u00b2"}}',
    content_type="application/json",
    call="iterate contacts",
)
@example(
    status=200,
    body=b'{"status":"success","data":[{"uid":"a","to":"31612345678","sms_count":"\\u00b2"}]}',
    content_type="application/json",
    call="send to three",
)
@example(
    status=200,
    body=b'\xff\xfe{"status"',
    content_type="application/json",
    call="balance",
)
async def test_any_answer_raises_only_textboost_errors(
    sandbox, status: int, body: bytes, content_type: str, call: str
) -> None:
    sandbox.clear_faults()
    sandbox.inject_response(status, body, content_type)
    async with aiohttp.ClientSession() as session:
        client = TextBoostClient(session, sandbox.token, sandbox.base_url, timeout=5)
        with contextlib.suppress(TextBoostError):
            await CALLS[call](client)
    assert sandbox.pending_faults == 0
