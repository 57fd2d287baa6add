r"""Campaigns: `POST sms/campaign` and `GET campaign/{uid}/view`.

What the real server does (WIRE-NOTES, "Listing, incoming messages and
campaigns"): `POST sms/campaign` sends one message to whole contact groups
(`contact_list_id`) and returns a campaign `uid`; `GET campaign/{uid}/view`
returns counts per delivery status for that campaign.

The notes give no more, so these are the sandbox's choices:
- parameters: `contact_list_id` (one group uid, or several separated by
  commas), `type` (`plain` or `unicode`), `message`, and optionally
  `sender_id` (checked as for `POST sms/send`, verification included) and
  `schedule_time` (`Y-m-d H:i`, account time zone);
- every distinct number of those groups gets one report (listed by `GET sms`
  like any other); blacklisted or malformed numbers are skipped and named in
  `message`, as a multi-recipient send does; an unknown group is "No query
  results for model [App\Models\ContactGroups] ...", groups without any
  number "The contact list is empty."; no 100-recipient limit applies;
- the answer is `data: {"uid": CAMPAIGN_UID}` with the message "Campaign
  successfully created" (or the joined errors of skipped numbers);
- the view is `{"uid", "total", "statuses": {STATUS: count}}`, statuses as
  `GET sms` shows them ("Scheduled", "Enroute", "Delivered", ...).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any, Final

from ..const import DEFAULT_SENDER
from ..context import SandboxContext
from ..delivery import advance
from ..envelope import ApiError, NotFoundError, Reply, success
from ..params import Call, clean_number, parse_schedule, required, text
from ..state import new_uid
from .groups import find_group
from .messages import SendOrder, charge, check_sender, screen_numbers, store_message

CAMPAIGN_CREATED: Final = "Campaign successfully created"
CAMPAIGN_TYPES: Final = frozenset({"plain", "unicode"})


def _read_campaign(ctx: SandboxContext, params: Mapping[str, Any]) -> SendOrder:
    lists = required(params, "contact_list_id")
    sms_type = required(params, "type")
    if sms_type not in CAMPAIGN_TYPES:
        raise ApiError("The selected type is invalid.")
    body = required(params, "message")
    schedule = parse_schedule(text(params, "schedule_time"))
    sender = text(params, "sender_id")
    check_sender(ctx, sender)
    numbers: dict[str, None] = {}
    for uid in lists.split(","):
        if uid.strip():
            group = find_group(ctx.state, uid.strip())
            numbers.update(
                dict.fromkeys(clean_number(c.phone) for c in group.contacts.values())
            )
    if not numbers:
        raise ApiError("The contact list is empty.")
    return SendOrder(
        numbers=list(numbers),
        sender=sender or DEFAULT_SENDER,
        type=sms_type,
        text=body,
        schedule=schedule,
        language=None,
        gender=None,
        media_url=None,
        dlt_template_id=None,
    )


def send_campaign(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`POST sms/campaign`: one report per number of the groups; the campaign uid."""
    order = _read_campaign(ctx, call.params)
    accepted, errors = screen_numbers(ctx, order.numbers)
    if not accepted:
        raise ApiError(", ".join(errors))
    sms_type, segments, cost = charge(ctx, order.type, order.text, len(accepted))
    campaign_uid = new_uid()
    ctx.state.campaigns.add(campaign_uid)
    for number in accepted:
        store_message(
            ctx,
            order,
            number=number,
            sms_type=sms_type,
            segments=segments,
            cost=cost,
            scheduled=order.schedule is not None,
            campaign_uid=campaign_uid,
        )
    advance(ctx.state, ctx.delivery_delay)
    message = ", ".join(errors) if errors else CAMPAIGN_CREATED
    return success({"uid": campaign_uid}, message)


def view_campaign(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`GET campaign/{uid}/view`: how many of its messages are in each status."""
    uid = args["uid"]
    if uid not in ctx.state.campaigns:
        raise NotFoundError("Campaigns", uid)
    advance(ctx.state, ctx.delivery_delay)
    statuses = Counter(
        msg.status for msg in ctx.state.messages if msg.campaign_uid == uid
    )
    return success(
        {
            "uid": uid,
            "total": sum(statuses.values()),
            "statuses": dict(sorted(statuses.items())),
        }
    )
