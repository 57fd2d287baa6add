"""SMS segment arithmetic: GSM-7 160/153, UCS-2 70/67."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.textboost.api import (
    Encoding,
    count_segments,
    non_gsm7_characters,
    pick_encoding,
)

GSM7 = Encoding.GSM7
UCS2 = Encoding.UCS2


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("", GSM7, 1),
        ("a" * 160, GSM7, 1),
        ("a" * 161, GSM7, 2),
        ("a" * 306, GSM7, 2),
        ("a" * 307, GSM7, 3),
        ("a" * 459, GSM7, 3),
        ("a" * 460, GSM7, 4),
        # Extension characters take two septets.
        ("€" * 80, GSM7, 1),
        ("€" * 80 + "a", GSM7, 2),
        ("a" * 159 + "{", GSM7, 2),
        ("[]" * 76 + "a", GSM7, 2),
        ("[]" * 76 + "ab", GSM7, 2),
        ("[]" * 76 + "abc", GSM7, 3),
        ("", UCS2, 1),
        ("я" * 70, UCS2, 1),
        ("я" * 71, UCS2, 2),
        ("я" * 134, UCS2, 2),
        ("я" * 135, UCS2, 3),
        # Characters outside the BMP take two 16-bit units (a surrogate pair).
        ("😀" * 35, UCS2, 1),
        ("😀" * 35 + "я", UCS2, 2),
        ("😀" * 67, UCS2, 2),
        ("😀" * 67 + "я", UCS2, 3),
    ],
)
def test_count_segments_at_the_boundaries(
    text: str, encoding: Encoding, segments: int
) -> None:
    assert count_segments(text, encoding) == segments


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Hello, world!", GSM7),
        ("Price: €5 {ok} [x] ~ | ^ \\", GSM7),
        ("Ärger über Öl, Åse & Ñandu @ £5", GSM7),
        ("ΔΦΓΛΩΠΨΣΘΞ", GSM7),
        ("line\nbreak\r\x0c", GSM7),
        ("ça", UCS2),  # lowercase ç is not GSM-7 (only Ç is)
        ("Привет", UCS2),
        ("Hi 😀", UCS2),
        ("\u2018curly quotes\u2019", UCS2),
    ],
)
def test_pick_encoding(text: str, encoding: Encoding) -> None:
    assert pick_encoding(text) is encoding


def test_non_gsm7_characters_are_distinct_and_in_order() -> None:
    assert non_gsm7_characters("aЖЯЖШ 😀 €") == ["Ж", "Я", "Ш", "😀"]


def test_non_gsm7_characters_of_gsm7_text_is_empty() -> None:
    assert non_gsm7_characters("Hello €") == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("a€{Я😀"), max_size=400))
def test_segments_grow_with_the_text(text: str) -> None:
    encoding = pick_encoding(text)
    segments = count_segments(text, encoding)
    assert segments >= 1
    assert count_segments(text + "a", encoding) >= segments
    assert (encoding is GSM7) == (not non_gsm7_characters(text))
