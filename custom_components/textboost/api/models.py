"""Typed results of the TextBoost API."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .exceptions import InvalidResponse
from .parsing import (
    UNLIMITED,
    parse_balance_value,
    parse_count,
    parse_currency,
    parse_expiry,
    parse_lenient_amount,
    parse_lenient_count,
    parse_optional_amount,
    parse_sent_at,
)

BALANCE_KEYS = ("remaining_balance", "remaining_unit", "sms_credit_balance")

FINAL_DELIVERED = "Delivered"
#: Statuses after which a message's fate no longer changes.
FINAL_STATUSES = frozenset(
    {"Delivered", "Expired", "Undelivered", "Rejected", "Skipped", "Failed"}
)
#: Statuses of a message still on its way.
PENDING_STATUSES = frozenset({"Enroute", "Accepted", "Scheduled", "Queued", "Pending"})


class MessageType(StrEnum):
    """The ``type`` of a message."""

    PLAIN = "plain"
    UNICODE = "unicode"
    VOICE = "voice"
    MMS = "mms"


class MessageDirection(StrEnum):
    """The ``direction`` of a message report (WIRE-NOTES "Listing")."""

    #: Sent from the web interface.
    OUTGOING = "outgoing"
    #: Received on a number or sender ID of the account.
    INCOMING = "incoming"
    #: Sent through the API.
    API = "api"


class VoiceGender(StrEnum):
    """The voice reading a voice message."""

    MALE = "male"
    FEMALE = "female"


VOICE_LANGUAGES: tuple[str, ...] = (
    "cy-gb", "da-dk", "de-de", "el-gr", "en-au", "en-gb", "en-gb-wls", "en-in",
    "en-us", "es-es", "es-mx", "es-us", "fr-ca", "fr-fr", "id-id", "is-is",
    "it-it", "ja-jp", "ko-kr", "ms-my", "nb-no", "nl-nl", "pl-pl", "pt-br",
    "pt-pt", "ro-ro", "ru-ru", "sv-se", "ta-in", "th-th", "tr-tr", "vi-vn",
    "zh-cn", "zh-hk",
)  # fmt: skip


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise InvalidResponse(f"field {key!r} is not text")


def _required(data: Mapping[str, Any], key: str) -> str:
    value = _text(data, key)
    if not value:
        raise InvalidResponse(f"field {key!r} is missing")
    return value


def _optional(data: Mapping[str, Any], key: str) -> str | None:
    return _text(data, key) or None


def delivery_state(status: str) -> str:
    """Classify a delivery status: ``pending``, ``delivered`` or ``failed``.

    ``Delivered`` is delivered; ``Enroute``, ``Accepted`` and the statuses of
    a message not yet sent are pending; anything else counts as failed
    (WIRE-NOTES "Delivery status values").
    """
    if status in PENDING_STATUSES:
        return "pending"
    if status == FINAL_DELIVERED:
        return "delivered"
    return "failed"


@dataclass(frozen=True, slots=True)
class Profile:
    """The account behind the token (the echoed ``api_token`` is dropped)."""

    uid: str
    first_name: str
    last_name: str
    email: str
    locale: str
    timezone: str
    last_access_at: str | None = None

    @property
    def name(self) -> str:
        """The account holder's full name."""
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Profile:
        """Build from the ``me`` payload; ``InvalidResponse`` without ``uid``.

        ``timezone`` defaults to ``UTC`` when the server leaves it empty.
        """
        return cls(
            uid=_required(data, "uid"),
            first_name=_text(data, "first_name"),
            last_name=_text(data, "last_name"),
            email=_text(data, "email"),
            locale=_text(data, "locale"),
            timezone=_text(data, "timezone") or "UTC",
            last_access_at=_optional(data, "last_access_at"),
        )


@dataclass(frozen=True, slots=True)
class Balance:
    """What is left to spend, and until when."""

    amount: Decimal | None
    unlimited: bool
    #: Expiry as shown by the server: wall time in the account's time zone.
    expires_local: datetime | None
    #: Which of the known keys carried the value.
    source_key: str
    #: ISO 4217 code the displayed balance names ("EUR 12.50", "€12"), if any.
    currency: str | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Balance:
        """Build from the ``balance`` payload, whichever shape it has.

        The first known key with a value wins (``BALANCE_KEYS``, WIRE-NOTES
        "Endpoints"). Raises ``InvalidResponse`` when none is there or its
        value is not a number.
        """
        for key in BALANCE_KEYS:
            if key in data and data[key] is not None:
                value = parse_balance_value(data[key])
                return cls(
                    amount=None if value == UNLIMITED else value,  # type: ignore[arg-type]
                    unlimited=value == UNLIMITED,
                    expires_local=parse_expiry(data.get("expired_on")),
                    source_key=key,
                    currency=parse_currency(data[key]),
                )
        raise InvalidResponse("the balance payload has no known balance key")


@dataclass(frozen=True, slots=True)
class SentMessage:
    """One message the server accepted for one recipient."""

    uid: str
    to: str
    sender: str
    status: str
    cost: Decimal | None
    segments: int | None
    message: str = ""

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> SentMessage:
        """Build from a send answer (``status`` or ``customer_status``).

        Raises ``InvalidResponse`` without ``uid``, or for a ``cost`` or
        ``sms_count`` that is not a number: a send answer that cannot be read
        leaves its outcome unknown.
        """
        return cls(
            uid=_required(data, "uid"),
            to=_text(data, "to"),
            sender=_text(data, "from"),
            status=_text(data, "status") or _text(data, "customer_status"),
            cost=parse_optional_amount(data.get("cost")),
            segments=parse_count(data.get("sms_count")),
            message=_text(data, "message"),
        )


@dataclass(frozen=True, slots=True)
class Message:
    """A message report as the server lists it later (``sms/{uid}``, ``sms``).

    Old and current shapes both read (WIRE-NOTES "Endpoints", "Listing"):
    the fields a server leaves out are None.
    """

    uid: str
    to: str
    sender: str
    message: str
    #: Delivery status (``customer_status`` or ``status``), e.g. "Delivered".
    status: str
    #: What the message cost, in the account's currency or units.
    cost: Decimal | None
    #: ``plain``, ``unicode``, ``voice``, ``mms``, ...
    sms_type: str | None = None
    #: ``outgoing``, ``incoming`` or ``api`` (see ``MessageDirection``).
    direction: str | None = None
    #: When it was sent or received: aware, in UTC.
    sent_at: datetime | None = None
    #: How many segments it took (``sms_count``).
    segments: int | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Message:
        """Build from ``sms/{uid}`` or an item of ``sms``.

        Raises ``InvalidResponse`` only when ``uid`` is missing or a text
        field is not text: an unreadable ``cost``, ``sms_count`` or
        ``sent_at`` becomes None, so that one odd report never hides the
        others of its page.
        """
        return cls(
            uid=_required(data, "uid"),
            to=_text(data, "to"),
            sender=_text(data, "from"),
            message=_text(data, "message"),
            status=_text(data, "customer_status") or _text(data, "status"),
            cost=parse_lenient_amount(data.get("cost")),
            sms_type=_optional(data, "sms_type"),
            direction=_optional(data, "direction"),
            sent_at=parse_sent_at(data.get("sent_at")),
            segments=parse_lenient_count(data.get("sms_count")),
        )


@dataclass(frozen=True, slots=True)
class ContactGroup:
    """A named list of contacts."""

    uid: str
    name: str

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> ContactGroup:
        """Build from a group payload."""
        return cls(uid=_required(data, "uid"), name=_text(data, "name"))


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact in a group (old and new server shapes)."""

    uid: str
    phone: str
    first_name: str | None = None
    last_name: str | None = None
    status: str | None = None
    custom_fields: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Contact:
        """Build from a contact payload."""
        raw_fields = data.get("custom_fields")
        custom = (
            {str(k): str(v) for k, v in raw_fields.items() if v is not None}
            if isinstance(raw_fields, dict)
            else {}
        )
        return cls(
            uid=_required(data, "uid"),
            phone=_text(data, "phone"),
            first_name=_optional(data, "first_name") or custom.get("FIRST_NAME"),
            last_name=_optional(data, "last_name") or custom.get("LAST_NAME"),
            status=_optional(data, "status"),
            custom_fields=custom,
        )


@dataclass(frozen=True, slots=True)
class Page[T]:
    """One page of a Laravel paginator."""

    items: list[T]
    current_page: int
    last_page: int
    per_page: int
    total: int

    @property
    def next_page(self) -> int | None:
        """The number of the next page, or None on the last one."""
        return self.current_page + 1 if self.current_page < self.last_page else None

    @classmethod
    def from_api(cls, data: object, item: Callable[[Mapping[str, Any]], T]) -> Page[T]:
        """Build from a Laravel paginator, each row through ``item``.

        Missing counts default to what the page shows (page 1, itself the
        last). Raises ``InvalidResponse`` when ``data`` is not a list of
        objects, or whatever ``item`` raises.
        """
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            raise InvalidResponse("expected a paginated list")
        rows = data["data"]
        if not all(isinstance(row, dict) for row in rows):
            raise InvalidResponse("expected a list of objects")
        current = parse_count(data.get("current_page")) or 1
        return cls(
            items=[item(row) for row in rows],
            current_page=current,
            last_page=parse_count(data.get("last_page")) or current,
            per_page=parse_count(data.get("per_page")) or len(rows),
            total=parse_count(data.get("total")) or len(rows),
        )


class RecipientState(StrEnum):
    """What happened to one recipient of a send."""

    #: The server accepted the message for this number.
    ACCEPTED = "accepted"
    #: The server accepted a scheduled message (it gives no per-number details).
    SCHEDULED = "scheduled"
    #: The server refused this number (the error says why).
    REJECTED = "rejected"
    #: Certainly not sent: the request never reached the server, or was not tried.
    NOT_SENT = "not_sent"
    #: The request may or may not have been acted on.
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class RecipientResult:
    """The outcome of a send for one recipient."""

    recipient: str
    state: RecipientState
    message: SentMessage | None = None
    error: str | None = None
    #: The exception class behind ``error``, when a request failed.
    error_type: str | None = None


@dataclass(frozen=True, slots=True)
class SendResult:
    """The outcome of a send, which may have taken several requests."""

    recipients: list[RecipientResult]
    requests: int
    server_message: str | None = None

    @property
    def messages(self) -> list[SentMessage]:
        """The messages the server accepted."""
        return [r.message for r in self.recipients if r.message is not None]

    def in_state(self, *states: RecipientState) -> list[RecipientResult]:
        """The recipients whose outcome is one of ``states``."""
        return [r for r in self.recipients if r.state in states]


@dataclass(frozen=True, slots=True)
class RateLimitInfo:
    """The throttling headers of the last answer."""

    limit: int | None
    remaining: int | None
