"""SMS segment counting for the GSM-7 and UCS-2 encodings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import math
from typing import Final

GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""Characters of the GSM 03.38 default alphabet (one septet each)."""

GSM7_EXTENSION: Final = frozenset("^{}\\[~]|€\f")
"""Characters of the GSM 03.38 extension table (an escape plus one septet)."""

GSM7_SINGLE: Final = 160
GSM7_PART: Final = 153
UCS2_SINGLE: Final = 70
UCS2_PART: Final = 67


class Encoding(StrEnum):
    """How a text message is encoded on the air interface."""

    GSM7 = "gsm7"
    UCS2 = "ucs2"


@dataclass(frozen=True, slots=True)
class SegmentCount:
    """The encoding a text needs and the number of SMS parts it takes."""

    encoding: Encoding
    units: int
    segments: int


def is_gsm7(text: str) -> bool:
    """Return whether every character of `text` fits the GSM-7 alphabet."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def gsm7_length(text: str) -> int:
    """Return the number of septets `text` takes (extension characters count 2)."""
    return sum(2 if char in GSM7_EXTENSION else 1 for char in text)


def ucs2_length(text: str) -> int:
    """Return the number of UTF-16 code units `text` takes."""
    return len(text.encode("utf-16-le")) // 2


def count_segments(text: str, *, force_unicode: bool = False) -> SegmentCount:
    """Count the SMS parts `text` needs.

    GSM-7 is used when every character fits it (unless `force_unicode`):
    160 septets fit one part, 153 per part once the text is split.
    Otherwise UCS-2: 70 code units in one part, 67 per part.
    An empty text still takes one part.
    """
    if not force_unicode and is_gsm7(text):
        units = gsm7_length(text)
        single, part, encoding = GSM7_SINGLE, GSM7_PART, Encoding.GSM7
    else:
        units = ucs2_length(text)
        single, part, encoding = UCS2_SINGLE, UCS2_PART, Encoding.UCS2
    segments = 1 if units <= single else math.ceil(units / part)
    return SegmentCount(encoding=encoding, units=units, segments=segments)
