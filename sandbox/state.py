"""In-memory data of the sandbox account: profile, balance, messages, contacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
import secrets
from typing import Literal

ContactShape = Literal["old", "new"]
"""Contact objects as older ("old") or newer ("new") servers send them."""

ReportShape = Literal["old", "new"]
"""`GET sms/{uid}` as older ("old") or current ("new", 3.13) servers send it."""


class BalanceShape(StrEnum):
    """The key under which `GET balance` reports the balance."""

    REMAINING_UNIT = "remaining_unit"
    """Older servers: a display string."""
    REMAINING_BALANCE = "remaining_balance"
    """Newer servers: a display string."""
    SMS_CREDIT_BALANCE = "sms_credit_balance"
    """Some brands: an integer."""


def new_uid() -> str:
    """Return a fresh identifier: 13 lowercase hexadecimal characters."""
    return secrets.token_hex(7)[:13]


@dataclass(slots=True)
class Profile:
    """The account owner, as `GET me` shows it (without the token)."""

    uid: str = field(default_factory=new_uid)
    first_name: str = "Sandy"
    last_name: str = "Box"
    email: str = "sandbox@example.com"
    locale: str = "en"
    timezone: str = "Europe/Amsterdam"
    last_access_at: datetime | None = None
    """Aware UTC time of the last authenticated request."""


@dataclass(slots=True)
class Contact:
    """A contact inside a group."""

    uid: str
    phone: str
    first_name: str | None = None
    last_name: str | None = None


@dataclass(slots=True)
class Group:
    """A contact group and its contacts by uid."""

    uid: str
    name: str
    contacts: dict[str, Contact] = field(default_factory=dict)


@dataclass(slots=True)
class Message:
    """One message to one recipient, as the server stores it."""

    uid: str
    to: str
    sender: str
    message: str
    type: str
    cost: Decimal
    segments: int
    status: str = "Enroute"
    """"Scheduled", "Enroute", then a final status such as "Delivered"."""
    scheduled_for: datetime | None = None
    """Naive account-time-zone time from `schedule_time`, if one was given."""
    language: str | None = None
    gender: str | None = None
    media_url: str | None = None
    dlt_template_id: str | None = None
    sent_at: datetime | None = None
    """Aware UTC time the message left, None while it waits for its schedule."""
    sent_monotonic: float | None = None
    """`time.monotonic()` when the message left, for the delivery delay."""
    direction: str = "outgoing"
    """"outgoing" for sends, "incoming" for messages received by the account."""
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    """Aware UTC time the report was stored."""
    campaign_uid: str | None = None
    """The campaign (`POST sms/campaign`) that sent it, if any."""

    @property
    def listed_at(self) -> datetime:
        """The time `GET sms` orders and filters by: sent, else stored."""
        return self.sent_at or self.created_at


def _default_expiry() -> datetime:
    # Naive on purpose: account-local time, like `Sandbox.now()`.
    return datetime.fromisoformat("2030-12-31 23:59")


@dataclass(slots=True)
class SandboxState:
    """Everything the sandbox account holds; tests may change any of it."""

    profile: Profile = field(default_factory=Profile)
    balance: Decimal = Decimal("1234.50")
    balance_display: str | None = None
    """Sent verbatim as the balance when set (e.g. "9,99,999", "Unlimited")."""
    unlimited: bool = False
    """Show "Unlimited" and never deduct."""
    expires_on: datetime | None = field(default_factory=_default_expiry)
    """Naive account-time-zone time the plan expires, or None."""
    unit_price: Decimal = Decimal("0.05")
    blacklist: set[str] = field(default_factory=set)
    final_status: dict[str, str] = field(default_factory=dict)
    """Final delivery status by number; numbers not listed end "Delivered"."""
    messages: list[Message] = field(default_factory=list)
    campaigns: set[str] = field(default_factory=set)
    """Uids of the campaigns sent (`POST sms/campaign`)."""
    numbers: list[str] = field(default_factory=lambda: ["3197010203040"])
    """Numbers assigned to the account: incoming messages arrive on the first
    one by default, and each may be used as a sender ID."""
    groups: dict[str, Group] = field(default_factory=dict)

    def find_message(self, uid: str) -> Message | None:
        """Return the message with `uid`, if any."""
        return next((msg for msg in self.messages if msg.uid == uid), None)
