"""Phone numbers as people type them, turned into the digits the API wants."""

from __future__ import annotations

from collections.abc import Iterable
import re

from .exceptions import InvalidRecipientError

#: A recipient has 7 to 15 digits (WIRE-NOTES "Sending rules"; E.164 allows 15).
MIN_DIGITS = 7
MAX_DIGITS = 15

# Punctuation people put in numbers; the server strips "+ ( ) -" and spaces.
_PUNCTUATION = re.compile(r"[\s().\-/\u00a0\u2010-\u2015]")
#: What the server takes as an alphanumeric sender: 1 to 11 letters and digits.
_ALPHANUMERIC_SENDER = re.compile(r"^[A-Za-z0-9]{1,11}$")
_SEPARATORS = re.compile(r"[,;\n]")
_PLAIN_NUMBER = re.compile(r"[1-9]\d{6,14}\Z")
# "31612345678.0": a number that went through a float in a template.
_INTEGER_FLOAT = re.compile(r"(?<=\d)\.0+$")


def normalize_phone(value: str | int | float) -> str | None:
    """Return the number as 7 to 15 digits, or None when it cannot be one.

    ``+31 6 1234 5678``, ``0031 6 1234 5678``, ``(020) 555-0100`` and the
    integer ``31612345678`` (a template that lost its ``+``) are all accepted.
    A leading ``+`` or ``00`` international prefix is dropped; spaces, dots,
    slashes, brackets and dashes are removed, as the server does with
    ``+ ( ) -`` and spaces (WIRE-NOTES "Sending rules"). A national number
    (``(020) ...``) is not given a country code: the server reads it as is.
    """
    if isinstance(value, str) and _PLAIN_NUMBER.match(value):
        return value  # already what the API wants: the common case
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) >= 10**MAX_DIGITS:
        return None  # too long; str() even refuses ints of over 4300 digits
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 10**MAX_DIGITS:
            return None
        value = int(value)
    text = str(value) if isinstance(value, int) else value
    text = _PUNCTUATION.sub("", _INTEGER_FLOAT.sub("", text.strip()))
    if text.startswith("+"):
        text = text[1:]
    elif text.startswith("00"):
        text = text[2:]
    if not text.isascii() or not text.isdigit():
        return None
    if not MIN_DIGITS <= len(text) <= MAX_DIGITS:
        return None
    return text


def split_entries(values: Iterable[str | int]) -> list[str | int]:
    """Split entries that hold several numbers ("+31..., +44...").

    Strings are split at commas, semicolons and line breaks, and blank parts
    dropped; integers pass through. Returns the entries in order.
    """
    entries: list[str | int] = []
    for value in values:
        if isinstance(value, str):
            entries.extend(
                p for p in (s.strip() for s in _SEPARATORS.split(value)) if p
            )
        else:
            entries.append(value)
    return entries


def normalize_recipients(values: Iterable[str | int]) -> list[str]:
    """Normalise every entry, drop repeats, and name every bad one.

    Returns the numbers as digit strings (see ``normalize_phone``), each
    once, in the order first given. Raises ``InvalidRecipientError`` listing
    each entry that cannot be a phone number, or with an empty list when
    there is no recipient at all.
    """
    numbers: dict[str, None] = {}
    invalid: list[str] = []
    for entry in split_entries(values):
        number = normalize_phone(entry)
        if number is None:
            invalid.append(_shown(entry))
        else:
            numbers[number] = None
    if invalid or not numbers:
        raise InvalidRecipientError(invalid)
    return list(numbers)


def _shown(entry: str | int) -> str:
    """The entry as an error names it (str() refuses ints of over 4300 digits)."""
    try:
        return str(entry)
    except ValueError:
        return "<a number too long to show>"


def normalize_sender_id(value: str) -> str | None:
    """1 to 11 letters and digits as given, or a phone number as digits.

    None when the server would refuse it as a sender: a sender ID is a phone
    number with country code or at most 11 alphanumeric characters
    (WIRE-NOTES "Sending rules"). Whether the account may use it is only
    known when the server answers (``SenderIdRejected``).
    """
    sender = value.strip()
    if _ALPHANUMERIC_SENDER.match(sender):
        return sender
    return normalize_phone(sender)


def mask_phone(number: str) -> str:
    """A phone number for a log line or an error: only its last three digits.

    ``"31612345670"`` becomes ``"…670"``: enough to tell numbers apart, not
    enough to be personal data in a log (the project's rule for logs).
    """
    return f"…{number[-3:]}"
