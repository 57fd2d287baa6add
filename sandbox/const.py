"""Constants of the sandbox: the fake token, limits, and the server's own words.

Every text below is what the real server (the "Ultimate SMS" platform that
TextBoost runs) answers, as recorded in `WIRE-NOTES.md`; tests and the client
compare against these exact strings.
"""

from __future__ import annotations

from typing import Final, Literal

DEFAULT_TOKEN: Final = "49|SandboxToken0123456789abcdefghijklmnopqrstu"  # noqa: S105, RUF100
"""The (fake) API token a `Sandbox` accepts unless told otherwise."""

REDACTED: Final = "**REDACTED**"
"""What the request log shows instead of a secret."""

PER_PAGE: Final = 25
"""Rows per page of every Laravel paginator (WIRE-NOTES: "per_page (25)")."""

MAX_RECIPIENTS: Final = 100
"""Recipients one `POST sms/send` may carry (WIRE-NOTES: "At most 100 recipients")."""

DEFAULT_SENDER: Final = "TextBoost"
"""The originator used when a send names no `sender_id`."""

RATE_LIMIT: Final = 1000
"""Requests per user per rolling minute (WIRE-NOTES: "default 1,000 requests a minute")."""

RATE_WINDOW: Final = 60.0
"""Length of the rate-limit window, in seconds."""

Family = Literal["v3", "http"]
"""The two API families: `api/v3` (bearer token) and `api/http` (`api_token`)."""

ListOrder = Literal["newest", "oldest"]
"""Order of `GET sms`: current servers list newest first, older ones oldest first."""

FAMILY_PREFIXES: Final[dict[Family, str]] = {"v3": "/api/v3/", "http": "/api/http/"}

MESSAGE_TYPES: Final = frozenset(
    {"plain", "unicode", "voice", "mms", "whatsapp", "viber", "otp"}
)
VOICE_LANGUAGES: Final = frozenset(
    {
        "cy-gb", "da-dk", "de-de", "el-gr", "en-au", "en-gb", "en-gb-wls", "en-in",
        "en-us", "es-es", "es-mx", "es-us", "fr-ca", "fr-fr", "id-id", "is-is",
        "it-it", "ja-jp", "ko-kr", "ms-my", "nb-no", "nl-nl", "pl-pl", "pt-br",
        "pt-pt", "ro-ro", "ru-ru", "sv-se", "ta-in", "th-th", "tr-tr", "vi-vn",
        "zh-cn", "zh-hk",
    }
)  # fmt: skip
VOICE_GENDERS: Final = frozenset({"male", "female"})

UNAUTHENTICATED: Final = "Unauthenticated."
BAD_CREDENTIALS: Final = "These credentials do not match our records."
TOO_MANY_ATTEMPTS: Final = "Too Many Attempts."
NOT_ENOUGH_BALANCE: Final = (
    "There is not enough balance available to send this message. "
    "Please recharge your account."
)
SENT_ONE: Final = "Your message was successfully delivered"
SCHEDULED: Final = "Message is scheduled successfully."
SENDER_ID_REQUIRED: Final = "Sender ID is required: this account verifies sender IDs."
"""The sandbox's own text for a send without `sender_id` under verification.

WIRE-NOTES only says the refusal "names the sender"; with no sender to name,
the sandbox says this instead (see `sandbox.routes.messages`)."""


def not_authorized(sender: str) -> str:
    """Return the refusal of an unapproved or malformed sender ID (WIRE-NOTES)."""
    return f"Originator {sender} is not authorized to send this message"
