"""Sending: `POST sms/send` (the reports it stores are read in `reports`).

What the real server does (WIRE-NOTES, "Endpoints" and "Sending rules"):
- one recipient: `data` is `{uid, to, from, message, status, cost, sms_count}`
  and the message "Your message was successfully delivered";
- several: a list of rows with `customer_status`, the message "Message is
  scheduled successfully." even for immediate sends, or the joined errors of
  the numbers that failed while `status` stays `success`; scheduled: no `data`;
- refusals (validation, balance, blacklist) are `status: error` with HTTP 200;
- sender IDs (WIRE-NOTES, `sender_id`): a malformed one is refused with
  "Originator {sender} is not authorized to send this message"; when the
  account verifies sender IDs (`Sandbox.sender_id_verification`), so is one
  that is neither in `Sandbox.approved_sender_ids` nor a number of the account
  (`state.numbers`). A missing one is then refused with the sandbox's own text
  "Sender ID is required: this account verifies sender IDs." (the notes only
  say the refusal names the sender; there is none to name). Without
  verification a missing sender uses the default originator "TextBoost";
- text that is not GSM-7 sent as `plain` becomes `unicode`; cost is parts x
  the unit price; a scheduled single-recipient send leaves at once (known
  defect of the newer server).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
import time
from typing import Any

from ..const import (
    DEFAULT_SENDER,
    MAX_RECIPIENTS,
    MESSAGE_TYPES,
    NOT_ENOUGH_BALANCE,
    SCHEDULED,
    SENDER_ID_REQUIRED,
    SENT_ONE,
    VOICE_GENDERS,
    VOICE_LANGUAGES,
    not_authorized,
)
from ..context import SandboxContext
from ..delivery import advance
from ..envelope import ApiError, Reply, success
from ..gsm import Encoding, count_segments
from ..params import (
    NUMBER,
    Call,
    clean_number,
    is_http_url,
    parse_schedule,
    required,
    text,
    valid_sender,
)
from ..state import Message, new_uid
from .reports import report_json


@dataclass(frozen=True, slots=True)
class SendOrder:
    """What a send asks for, once validated."""

    numbers: list[str]
    sender: str
    type: str
    text: str
    schedule: datetime | None
    language: str | None
    gender: str | None
    media_url: str | None
    dlt_template_id: str | None


def check_sender(ctx: SandboxContext, sender: str | None) -> None:
    """Refuse a malformed sender, and under verification a missing or unapproved one."""
    if sender is not None and not valid_sender(sender):
        raise ApiError(not_authorized(sender))
    if not ctx.sender_id_verification:
        return
    if sender is None:
        raise ApiError(SENDER_ID_REQUIRED)
    allowed = {clean_number(s) for s in (*ctx.approved_sender_ids, *ctx.state.numbers)}
    if clean_number(sender) not in allowed:
        raise ApiError(not_authorized(sender))


def _read_send_order(ctx: SandboxContext, params: Mapping[str, Any]) -> SendOrder:
    recipient = required(params, "recipient")
    sms_type = required(params, "type")
    if sms_type not in MESSAGE_TYPES:
        raise ApiError("The selected type is invalid.")
    body = text(params, "message")
    if body is None and sms_type != "mms":
        raise ApiError("The message field is required.")
    schedule = parse_schedule(text(params, "schedule_time"))
    language = text(params, "language")
    gender = text(params, "gender")
    if sms_type == "voice" and (
        language not in VOICE_LANGUAGES or gender not in VOICE_GENDERS
    ):
        raise ApiError("Language and gender parameters are required")
    media_url = text(params, "media_url")
    if sms_type == "mms" and not is_http_url(media_url):
        raise ApiError("Valid media url is required.")
    numbers = [clean_number(part) for part in recipient.split(",")]
    numbers = [number for number in numbers if number]
    if not numbers:
        raise ApiError("The recipient field is required.")
    if len(numbers) > MAX_RECIPIENTS:
        raise ApiError("You cannot send more than 100 SMS in a single request.")
    sender = text(params, "sender_id")
    check_sender(ctx, sender)
    return SendOrder(
        numbers=numbers,
        sender=sender or DEFAULT_SENDER,
        type=sms_type,
        text=body or "",
        schedule=schedule,
        language=language,
        gender=gender,
        media_url=media_url,
        dlt_template_id=text(params, "dlt_template_id"),
    )


def screen_numbers(
    ctx: SandboxContext, numbers: list[str]
) -> tuple[list[str], list[str]]:
    """Split cleaned `numbers` into those accepted and the errors of the others."""
    blacklist = {clean_number(number) for number in ctx.state.blacklist}
    accepted: list[str] = []
    errors: list[str] = []
    for number in numbers:
        if not NUMBER.fullmatch(number):
            errors.append(f"{number} is a invalid phone number")
        elif number in blacklist:
            errors.append("Number contains in the blacklist")
        else:
            accepted.append(number)
    return accepted, errors


def charge(
    ctx: SandboxContext, sms_type: str, body: str, count: int
) -> tuple[str, int, Decimal]:
    """Price `count` messages of `body`; deduct it; return (type, parts, unit cost).

    `plain` text that needs UCS-2 becomes `unicode`; voice and MMS take one
    part. Raises `ApiError` when the balance does not cover it.
    """
    state = ctx.state
    segments = 1
    if sms_type not in {"voice", "mms"}:
        counted = count_segments(body, force_unicode=sms_type == "unicode")
        segments = counted.segments
        if sms_type == "plain" and counted.encoding is Encoding.UCS2:
            sms_type = "unicode"
    cost = state.unit_price * segments
    if not state.unlimited:
        total = cost * count
        if total > state.balance:
            raise ApiError(NOT_ENOUGH_BALANCE)
        state.balance -= total
    return sms_type, segments, cost


def send_sms(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`POST sms/send`: validate, charge, store one report per accepted number."""
    state = ctx.state
    order = _read_send_order(ctx, call.params)
    accepted, errors = screen_numbers(ctx, order.numbers)
    if not accepted:
        raise ApiError(", ".join(errors))
    sms_type, segments, cost = charge(ctx, order.type, order.text, len(accepted))

    single = len(order.numbers) == 1
    scheduled = order.schedule is not None and not single
    sent = [
        store_message(
            ctx,
            order,
            number=number,
            sms_type=sms_type,
            segments=segments,
            cost=cost,
            scheduled=scheduled,
        )
        for number in accepted
    ]
    advance(state, ctx.delivery_delay)
    if single:
        msg = sent[0]
        data = {
            "uid": msg.uid,
            "to": msg.to,
            "from": msg.sender,
            "message": msg.message,
            "status": msg.status,
            "cost": str(msg.cost),
            "sms_count": msg.segments,
        }
        return success(data, SENT_ONE)
    message = ", ".join(errors) if errors else SCHEDULED
    if scheduled:
        return success(None, message, with_data=False)
    items = [{**report_json(msg), "sms_count": msg.segments} for msg in sent]
    return success(items, message)


def store_message(
    ctx: SandboxContext,
    order: SendOrder,
    *,
    number: str,
    sms_type: str,
    segments: int,
    cost: Decimal,
    scheduled: bool,
    campaign_uid: str | None = None,
) -> Message:
    """Store the report of `order` to `number` (waiting when `scheduled`)."""
    msg = Message(
        uid=new_uid(),
        to=number,
        sender=order.sender,
        message=order.text,
        type=sms_type,
        cost=cost,
        segments=segments,
        status="Scheduled" if scheduled else "Enroute",
        scheduled_for=order.schedule,
        language=order.language,
        gender=order.gender,
        media_url=order.media_url,
        dlt_template_id=order.dlt_template_id,
        sent_at=None if scheduled else datetime.now(UTC),
        sent_monotonic=None if scheduled else time.monotonic(),
        campaign_uid=campaign_uid,
    )
    ctx.state.messages.append(msg)
    return msg
