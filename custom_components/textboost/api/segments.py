"""GSM-7 and UCS-2 segment arithmetic for SMS bodies."""

from __future__ import annotations

from enum import StrEnum

# GSM 03.38 basic character set, and the extension table (two septets each).
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")


class Encoding(StrEnum):
    """How a text message is encoded on the air (3GPP TS 23.038).

    The values are the names users and the wire know: UCS-2 is what the
    server's message type ``unicode`` and the ``encoding`` option call it.
    """

    GSM7 = "gsm7"
    UCS2 = "unicode"


_GSM7_ALL = _GSM7_BASIC | _GSM7_EXTENSION


def gsm7_compatible(text: str) -> bool:
    """Whether every character of the text exists in GSM-7."""
    return _GSM7_ALL.issuperset(text)


def non_gsm7_characters(text: str) -> list[str]:
    """The distinct characters that GSM-7 cannot carry, in order of appearance."""
    seen: list[str] = []
    for char in text:
        if char not in _GSM7_BASIC and char not in _GSM7_EXTENSION and char not in seen:
            seen.append(char)
    return seen


def pick_encoding(text: str) -> Encoding:
    """GSM-7 when every character fits it, else UCS-2."""
    return Encoding.GSM7 if gsm7_compatible(text) else Encoding.UCS2


def count_segments(text: str, encoding: Encoding) -> int:
    """How many segments (SMS parts) the text needs, at least one.

    GSM-7: 160 septets in one segment, 153 each when concatenated; extension
    characters (``€ [ ] { } | ^ ~``, backslash and form feed) take two. UCS-2: 70
    16-bit units in one, 67 each when concatenated; a character outside the
    Basic Multilingual Plane (an emoji) takes two units, as phones send it
    (WIRE-NOTES "Sending rules").
    """
    if encoding is Encoding.GSM7:
        units = len(text) + sum(text.count(c) for c in _GSM7_EXTENSION)
        single, multi = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    if units <= single:
        return 1
    return -(-units // multi)
