"""Defensive parsing of the values the server formats for display."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
import re

from .exceptions import InvalidResponse

UNLIMITED = "unlimited"

_PLAIN_DECIMAL = re.compile(r"-?\d{1,30}(?:\.\d{1,30})?\Z")
_NUMBER_CHARS = re.compile(r"[^0-9.,\-]")
# Currency words, with the dot of an abbreviation ("Rs.", "Tk.").
_CURRENCY_WORD = re.compile(r"[^\W\d_]+\.?")
_EXPIRY_FORMATS = (
    "%d %b %Y %I:%M %p",
    "%d %B %Y %I:%M %p",
    "%d %b %Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
)


def parse_amount(raw: object) -> Decimal:
    """Read a number the server may have formatted for display.

    Handles thousands separators of any locale (``"9,99,999"``,
    ``"1,234.50"``, ``"1.234,50"``, ``"1 234"``) and currency signs or codes
    around the number. Raises ``InvalidResponse`` for anything else.
    """
    if isinstance(raw, bool):
        raise InvalidResponse("a balance cannot be a boolean")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return _finite(Decimal(str(raw)))
    if not isinstance(raw, str):
        raise InvalidResponse("a balance must be a number or a string")
    if _PLAIN_DECIMAL.match(raw):
        return Decimal(raw)  # "0.0500": the common case, nothing to undo
    text = _NUMBER_CHARS.sub("", _CURRENCY_WORD.sub("", raw))
    negative = text.startswith("-")
    text = text.lstrip("-")
    if not text or "-" in text or not any(c.isdigit() for c in text):
        raise InvalidResponse("the balance is not a number")
    text = _drop_grouping(text)
    try:
        value = Decimal(text)
    except InvalidOperation as err:
        raise InvalidResponse("the balance is not a number") from err
    return _finite(-value if negative else value)


def _finite(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise InvalidResponse("the balance is not a finite number")
    return value


def _drop_grouping(text: str) -> str:
    """Turn a grouped number into a plain decimal with a ``.`` point."""
    last_comma, last_dot = text.rfind(","), text.rfind(".")
    if last_comma >= 0 and last_dot >= 0:
        # Both appear: whichever comes last is the decimal separator.
        point = "," if last_comma > last_dot else "."
        grouping = "." if point == "," else ","
        text = text.replace(grouping, "")
        return text.replace(",", ".")
    for sep in (",", "."):
        if sep not in text:
            continue
        parts = text.split(sep)
        if len(parts) > 2 or (len(parts[-1]) == 3 and sep == ","):
            # "9,99,999", "1,234" or "1.234.567": grouping only.
            return text.replace(sep, "")
        return text.replace(sep, ".")
    return text


def parse_balance_value(raw: object) -> Decimal | str:
    """Return the balance as a Decimal, or ``UNLIMITED``.

    Any text containing "unlimited" (any case) is ``UNLIMITED``; anything
    else goes through ``parse_amount`` (``InvalidResponse`` when unreadable).
    """
    if isinstance(raw, str) and "unlimited" in raw.lower():
        return UNLIMITED
    return parse_amount(raw)


#: Currency signs that name one currency (not "$", "¥" or "Rs", which name several).
_CURRENCY_SIGNS = {
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "৳": "BDT",
    "₦": "NGN",
    "₱": "PHP",
    "₺": "TRY",
    "₩": "KRW",
    "₫": "VND",
    "₴": "UAH",
    "₪": "ILS",
    "฿": "THB",
}
_CURRENCY_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")


def parse_currency(raw: object) -> str | None:
    """The ISO 4217 code a displayed balance names, or None.

    ``"EUR 1,234.50"`` and ``"1.234,50 BDT"`` name their code; ``"€12"``
    names EUR by its sign. A sign several currencies share (``$``), a plain
    number and ``"Unlimited"`` name none (WIRE-NOTES: the balance is a
    display string, "sometimes a currency sign").
    """
    if not isinstance(raw, str):
        return None
    if match := _CURRENCY_CODE.search(raw):
        return match.group(1)
    return next((code for sign, code in _CURRENCY_SIGNS.items() if sign in raw), None)


def parse_optional_amount(raw: object) -> Decimal | None:
    """Parse a cost: None when missing or empty, else a Decimal.

    Raises ``InvalidResponse`` as ``parse_amount`` does.
    """
    if raw is None or raw == "":
        return None
    return parse_amount(raw)


def parse_count(raw: object) -> int | None:
    """Parse a whole number such as a segment count or a page number.

    None when missing or empty; ``InvalidResponse`` for anything that is not
    a whole number (a boolean, a fraction, words, superscript digits).
    """
    if raw is None or raw == "" or isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdecimal():
        try:
            return int(raw.strip())
        except ValueError as err:  # over 4300 digits
            raise InvalidResponse("a count is too long") from err
    raise InvalidResponse("a count is not a whole number")


def parse_expiry(raw: object) -> datetime | None:
    """Parse ``expired_on``: naive wall time in the account's zone, or None.

    The server shows ``d M Y g:i A`` (``"31 Dec 2026 11:59 PM"``) or a bare
    date (WIRE-NOTES "Endpoints"); a few ISO-like forms are also read. None
    when empty or unreadable.
    """
    if raw is None or not isinstance(raw, str) or not raw.strip():
        return None
    text = " ".join(raw.split())
    for fmt in _EXPIRY_FORMATS:
        try:
            return datetime.strptime(text, fmt)  # noqa: DTZ007 (wall time)
        except ValueError:
            continue
    return None


def parse_sent_at(raw: object) -> datetime | None:
    """Parse a report's ``sent_at`` into an aware UTC time, or None.

    Accepts Laravel's serialisation (``2026-11-29T10:49:22.000000Z``), ISO
    8601 with an offset (``2026-11-29T11:49:22+01:00``), and ``Y-m-d H:i:s``
    without a zone, read as UTC, the server's usual zone (WIRE-NOTES
    "Listing"). None when missing or unreadable: a report's age is then
    unknown, which never fails the report.
    """
    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_lenient_amount(raw: object) -> Decimal | None:
    """Like ``parse_optional_amount``, but None instead of ``InvalidResponse``."""
    try:
        return parse_optional_amount(raw)
    except InvalidResponse:
        return None


def parse_lenient_count(raw: object) -> int | None:
    """Like ``parse_count``, but None instead of ``InvalidResponse``."""
    try:
        return parse_count(raw)
    except InvalidResponse:
        return None
