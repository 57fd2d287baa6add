"""Incoming SMS (two-way): reports of direction `incoming`, and the webhook POST.

What the real server does (WIRE-NOTES, "Incoming SMS"): a message received on
a number or sender ID of the account is stored as a report with `direction`
= `incoming` and appears in `GET sms`; servers since early 2025 also POST it
once to the user's webhook URL with the fields `to, from, content, country,
country_name`, JSON or form-encoded. The POST is unsigned, carries no uid and
is not retried.

The sandbox does the same: `store_incoming` adds the report, and `receive`
also makes the one POST (see `sandbox.webhook`).

The sandbox's choices where the notes are silent: `country` is the ISO
3166-1 alpha-2 code and `country_name` the English name of the sender's
country, read from a small table of calling codes (both empty when the code
is not in it); `to` and `from` are digits without "+", as reports store them;
an incoming report costs nothing, has status "Delivered" and the type of its
text (`plain` or `unicode`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Final

from .context import SandboxContext
from .gsm import Encoding, count_segments
from .params import clean_number
from .state import Message, SandboxState, new_uid
from .webhook import WebhookPost, post_webhook

COUNTRIES: Final[dict[str, tuple[str, str]]] = {
    "1": ("US", "United States"),
    "31": ("NL", "Netherlands"),
    "32": ("BE", "Belgium"),
    "33": ("FR", "France"),
    "34": ("ES", "Spain"),
    "39": ("IT", "Italy"),
    "44": ("GB", "United Kingdom"),
    "49": ("DE", "Germany"),
    "61": ("AU", "Australia"),
    "86": ("CN", "China"),
    "91": ("IN", "India"),
    "880": ("BD", "Bangladesh"),
}
"""Calling code → (ISO code, English name), for the webhook's country fields."""


def country_of(number: str) -> tuple[str, str]:
    """Return the (ISO code, English name) of `number`'s country, or ("", "")."""
    digits = clean_number(number)
    for length in (3, 2, 1):
        found = COUNTRIES.get(digits[:length])
        if found is not None:
            return found
    return "", ""


def store_incoming(
    state: SandboxState,
    sender: str,
    text: str,
    *,
    to: str | None = None,
    at: datetime | None = None,
) -> Message:
    """Store a message from `sender` to `to` (default: the account's first number).

    `at` is an aware time (default now, UTC). Returns the stored report.
    """
    segments = count_segments(text)
    received = at or datetime.now(UTC)
    msg = Message(
        uid=new_uid(),
        to=clean_number(to or state.numbers[0]),
        sender=clean_number(sender),
        message=text,
        type="plain" if segments.encoding is Encoding.GSM7 else "unicode",
        cost=Decimal(0),
        segments=segments.segments,
        status="Delivered",
        sent_at=received,
        direction="incoming",
        created_at=received,
    )
    state.messages.append(msg)
    return msg


def webhook_payload(msg: Message) -> dict[str, str]:
    """Return the fields the server posts for an incoming message (WIRE-NOTES)."""
    country, country_name = country_of(msg.sender)
    return {
        "to": msg.to,
        "from": msg.sender,
        "content": msg.message,
        "country": country,
        "country_name": country_name,
    }


async def receive(
    ctx: SandboxContext,
    sender: str,
    text: str,
    *,
    to: str | None = None,
    at: datetime | None = None,
) -> tuple[Message, WebhookPost | None]:
    """Store an incoming message, then POST it to `ctx.webhook_url` if one is set.

    The outcome of the POST is appended to `ctx.webhook_posts` and returned.
    """
    msg = store_incoming(ctx.state, sender, text, to=to, at=at)
    if ctx.webhook_url is None:
        return msg, None
    post = await post_webhook(
        ctx.webhook_url, ctx.webhook_encoding, webhook_payload(msg)
    )
    ctx.webhook_posts.append(post)
    return msg, post
