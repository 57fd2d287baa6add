"""Incoming messages: the webhook payload and the account's incoming list.

Source of the facts (``../shared/api/WIRE-NOTES.md``, "Listing, incoming
messages and campaigns"): current servers store each message received on a
number or sender ID of the account as a report with ``direction`` =
``incoming``, listed by ``GET sms``; servers since early 2025 also POST it to
the user's webhook URL with the fields ``to, from, content, country,
country_name``, JSON or form encoded, unsigned, without a uid, not retried.

Nothing here imports Home Assistant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
import json
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl

from .phone import normalize_phone

if TYPE_CHECKING:
    from .client import TextBoostClient
    from .models import Message

#: The largest webhook body read, in bytes. A text of 10 UCS-2 segments is at
#: most 670 characters (2,680 bytes of UTF-8, three times that form-encoded);
#: 16 KiB leaves room for everything a server adds and refuses the rest.
MAX_WEBHOOK_BODY: Final = 16_384
#: The ``direction`` of a received message in ``GET sms``.
INCOMING: Final = "incoming"

_JSON: Final = "application/json"
_FORM: Final = "application/x-www-form-urlencoded"
_SENT_AT_FORMATS: Final = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


class InvalidWebhookPayload(ValueError):
    """A webhook body that is not an incoming message.

    ``reason`` is one of ``too_large``, ``content_type``, ``encoding``,
    ``malformed`` and ``missing_fields``; the text never holds the body.
    """

    def __init__(self, reason: str) -> None:
        """Say why the body was refused, without quoting it."""
        super().__init__(f"Not an incoming message ({reason})")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """A text received on a number or sender ID of the account.

    ``sender`` and ``to`` are phone numbers as 7 to 15 digits when they are
    numbers, else the alphanumeric sender as given. ``uid`` and
    ``received_at`` (aware, UTC) are known only for messages read from the
    account's list; the webhook carries neither.
    """

    sender: str
    to: str
    text: str
    country: str | None = None
    country_name: str | None = None
    uid: str | None = None
    received_at: datetime | None = None

    def same_text_as(self, other: IncomingMessage) -> bool:
        """Whether both are the same text from the same sender to the same number.

        The webhook carries no uid, so this is how a posted message is found
        in the list; the text is compared without surrounding white space.
        """
        return (
            self.sender == other.sender
            and (not self.to or not other.to or self.to == other.to)
            and self.text.strip() == other.text.strip()
        )

    @classmethod
    def from_message(cls, message: Message) -> IncomingMessage:
        """Build from a row of ``GET sms`` (``from``, ``to``, ``message``, ``sent_at``)."""
        return cls(
            sender=address(message.sender),
            to=address(message.to),
            text=message.message,
            uid=message.uid,
            received_at=parse_sent_at(message.sent_at),
        )


def address(value: object) -> str:
    """A sender or receiver as digits when it is a phone number, else as given."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    text = str(value).strip()
    return normalize_phone(text) or text


def parse_sent_at(value: object) -> datetime | None:
    """``sent_at`` as an aware UTC time.

    Accepts a ``datetime`` (naive means UTC), ISO 8601 text and
    ``Y-m-d H:i:s`` (the server's zone, usually UTC: WIRE-NOTES). None when
    missing or unreadable.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        for fmt in _SENT_AT_FORMATS:
            try:
                moment = datetime.strptime(text, fmt)  # noqa: DTZ007 (UTC below)
                break
            except ValueError:
                continue
        else:
            try:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                return None
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_webhook_body(body: bytes, content_type: str) -> IncomingMessage:
    """Read the body the server POSTs to the webhook URL.

    ``content_type`` is the header's media type (``application/json`` or
    ``application/x-www-form-urlencoded``); without one, a body starting with
    ``{`` is read as JSON, anything else as a form. Raises
    ``InvalidWebhookPayload`` for a body over ``MAX_WEBHOOK_BODY`` bytes, one
    that is not UTF-8, not an object, or lacks ``from`` or ``content``.
    """
    if len(body) > MAX_WEBHOOK_BODY:
        raise InvalidWebhookPayload("too_large")
    try:
        text = body.decode()
    except UnicodeDecodeError:
        raise InvalidWebhookPayload("encoding") from None
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in ("", "text/plain"):
        media_type = _JSON if text.lstrip().startswith("{") else _FORM
    if media_type == _JSON:
        fields = _json_fields(text)
    elif media_type == _FORM:
        fields = _form_fields(text)
    else:
        raise InvalidWebhookPayload("content_type")
    return _message(fields)


def _json_fields(text: str) -> Mapping[str, Any]:
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        raise InvalidWebhookPayload("malformed") from None
    if not isinstance(payload, dict):
        raise InvalidWebhookPayload("malformed")
    return payload


def _form_fields(text: str) -> Mapping[str, Any]:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InvalidWebhookPayload("malformed") from None
    fields: dict[str, str] = {}
    for key, value in pairs:
        fields.setdefault(key, value)  # the first of repeated fields
    return fields


def _message(fields: Mapping[str, Any]) -> IncomingMessage:
    sender = address(fields.get("from"))
    content = fields.get("content")
    if not sender or not isinstance(content, str):
        raise InvalidWebhookPayload("missing_fields")
    return IncomingMessage(
        sender=sender,
        to=address(fields.get("to")),
        text=content,
        country=_optional_text(fields.get("country")),
        country_name=_optional_text(fields.get("country_name")),
    )


def _optional_text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


async def list_incoming_since(
    client: TextBoostClient, since: datetime
) -> list[IncomingMessage]:
    """Every incoming message the account lists from ``since`` (aware) on.

    Reads ``GET sms`` with ``direction=incoming`` through the client, in
    whichever order the server lists (WIRE-NOTES: never rely on it); rows of
    another direction, or none (an older server ignores the filter), are left out.
    Raises the client's errors.
    """
    return [
        IncomingMessage.from_message(message)
        async for message in client.iter_messages_since(since, direction=INCOMING)
        if message.direction == INCOMING
    ]
