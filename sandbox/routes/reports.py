"""Report routes: `GET sms` (the paginated list) and `GET sms/{uid}` (one report).

What the real server does (WIRE-NOTES, "Listing, incoming messages and
campaigns"): current servers (3.13) list the account's reports on both
families **newest first**, 25 a page, by default only the **last 30 days**,
with the filters `start_date` and `end_date` (`Y-m-d H:i:s`, read in
`timezone`, default the server's zone, UTC here), `sms_type` and `direction`
(`outgoing`, `incoming`, `api`). Rows are `uid, to, from, message, sms_type,
direction, status, sms_count, cost, sent_at`, `sent_at` in Laravel's JSON
date form (`2026-11-29T10:49:22.000000Z`, UTC; null while a message waits
for its schedule). Older servers list **oldest first** with no filters on
`api/v3`: `Sandbox.list_order = "oldest"` and `Sandbox.list_filters = False`
play that (filters still apply on `api/http`, which always had them). On such
a server `api/v3` rows lack what `api/http` adds (`sms_type, direction,
sent_at`, WIRE-NOTES endpoint table): with `list_filters = False` and
`report_shape = "old"` they are `{uid, to, from, message, customer_status,
cost}`.

The sandbox's choices where the notes are silent:
- a bad filter value is HTTP 422 with Laravel's validation text ("bad list
  filters" is listed among the 422 cases);
- the 30-day default applies when `start_date` is absent; an explicit
  `start_date` replaces it, `end_date` is inclusive;
- reports are ordered and filtered by when they were sent (received for
  incoming messages; stored, for scheduled ones still waiting);
- messages sent through the API have the direction `outgoing`.

`GET sms/{uid}` answers the older shape `{uid, to, from, message,
customer_status, cost}` by default; `Sandbox.report_shape = "new"` plays a
current server (3.13): `{uid, to, from, message, sms_type, direction, status,
sms_count, cost}` (WIRE-NOTES, `GET sms/{uid}` row).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..const import MESSAGE_TYPES
from ..context import SandboxContext
from ..delivery import advance
from ..envelope import ApiError, NotFoundError, Reply, iso, paginate, success
from ..params import Call, page, text
from ..state import Message

LIST_WINDOW: Final = timedelta(days=30)
"""How far back `GET sms` lists without a `start_date`."""

DIRECTIONS: Final = frozenset({"outgoing", "incoming", "api"})
_DATE_FORMAT: Final = "%Y-%m-%d %H:%M:%S"


def report_json(msg: Message) -> dict[str, Any]:
    """Return `msg` as the older `GET sms/{uid}` shape (with `customer_status`)."""
    return {
        "uid": msg.uid,
        "to": msg.to,
        "from": msg.sender,
        "message": msg.message,
        "customer_status": msg.status,
        "cost": str(msg.cost),
    }


def _row_json(msg: Message) -> dict[str, Any]:
    return {
        "uid": msg.uid,
        "to": msg.to,
        "from": msg.sender,
        "message": msg.message,
        "sms_type": msg.type,
        "direction": msg.direction,
        "status": msg.status,
        "sms_count": msg.segments,
        "cost": str(msg.cost),
        "sent_at": iso(msg.sent_at),
    }


def get_sms(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`GET sms/{uid}`: one report in `ctx.report_shape`; "No query results ..." when unknown."""
    advance(ctx.state, ctx.delivery_delay)
    msg = ctx.state.find_message(args["uid"])
    if msg is None:
        raise NotFoundError("Reports", args["uid"])
    if ctx.report_shape == "new":
        row = _row_json(msg)
        del row["sent_at"]
        return success(row)
    return success(report_json(msg))


def _zone(params: Mapping[str, Any]) -> ZoneInfo:
    name = text(params, "timezone", status=422) or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ApiError("The selected timezone is invalid.", 422) from None


def _date(params: Mapping[str, Any], key: str, zone: ZoneInfo) -> datetime | None:
    value = text(params, key, status=422)
    if value is None:
        return None
    try:
        moment = datetime.strptime(value, _DATE_FORMAT)  # noqa: DTZ007
    except ValueError:
        name = key.replace("_", " ")
        msg = f"The {name} does not match the format Y-m-d H:i:s."
        raise ApiError(msg, 422) from None
    return moment.replace(tzinfo=zone).astimezone(UTC)


def _choice(params: Mapping[str, Any], key: str, allowed: frozenset[str]) -> str | None:
    value = text(params, key, status=422)
    if value is not None and value not in allowed:
        name = key.replace("_", " ")
        raise ApiError(f"The selected {name} is invalid.", 422)
    return value


def _filtered(params: Mapping[str, Any], messages: list[Message]) -> list[Message]:
    zone = _zone(params)
    start = _date(params, "start_date", zone)
    end = _date(params, "end_date", zone)
    sms_type = _choice(params, "sms_type", MESSAGE_TYPES)
    direction = _choice(params, "direction", DIRECTIONS)
    if start is None:
        start = datetime.now(UTC) - LIST_WINDOW
    return [
        msg
        for msg in messages
        if msg.listed_at >= start
        and (end is None or msg.listed_at <= end)
        and (sms_type is None or msg.type == sms_type)
        and (direction is None or msg.direction == direction)
    ]


def list_sms(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`GET sms`: the reports, filtered and ordered as the module docstring says."""
    advance(ctx.state, ctx.delivery_delay)
    messages = list(ctx.state.messages)
    if ctx.list_filters or call.family == "http":
        messages = _filtered(call.params, messages)
    # Stable sorts: reports stored together keep their storage order.
    if ctx.list_order == "oldest":
        messages.sort(key=lambda msg: msg.listed_at)
    else:
        messages.reverse()
        messages.sort(key=lambda msg: msg.listed_at, reverse=True)
    url = f"{call.base}sms"
    old_rows = ctx.list_rows == "old" and call.family == "v3"
    render = report_json if old_rows else _row_json
    return success(paginate(messages, page(call.params), url, render))
