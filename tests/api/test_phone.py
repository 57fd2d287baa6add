"""Phone numbers as people type them become the digits the API wants."""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st
import pytest

from custom_components.textboost.api import (
    InvalidRecipientError,
    normalize_phone,
    normalize_recipients,
)
from custom_components.textboost.api.phone import normalize_sender_id

PROPERTY = settings(max_examples=200, deadline=None)


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("+31 6 1234 5678", "31612345678"),
        ("0031 6 1234 5679", "31612345679"),
        ("(020) 555-0100", "0205550100"),
        (31612345670, "31612345670"),
        (31612345670.0, "31612345670"),
        ("31612345670.0", "31612345670"),
        (" +31612345678 ", "31612345678"),
        ("+44 (0)20-7946.0958", "4402079460958"),
        ("+31\u00a06\u20111234\u20125678", "31612345678"),
        ("1234567", "1234567"),
        ("123456789012345", "123456789012345"),
    ],
)
def test_normalize_phone_keeps_only_the_digits(typed: str | int, digits: str) -> None:
    assert normalize_phone(typed) == digits


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "123456",  # 6 digits: too short
        "1234567890123456",  # 16 digits: too long
        "+31 6 abc 5678",
        "++31612345678",
        "٣١٦١٢٣٤٥٦٧٨",  # Arabic-Indic digits are not ASCII
        "31612345678#",
        True,
        10**15,
        3161234567.5,
        1e20,
        float("inf"),
        float("nan"),
        pytest.param(10**5000, id="int-of-5001-digits"),
    ],
)
def test_normalize_phone_returns_none_for_what_cannot_be_a_number(
    typed: str | int,
) -> None:
    assert normalize_phone(typed) is None


def test_normalize_recipients_splits_dedups_and_keeps_the_order() -> None:
    typed = ["+31 6 1234 5678, 0031 6 1234 5679", "31612345678;(020) 555-0100\n"]
    assert normalize_recipients(typed) == ["31612345678", "31612345679", "0205550100"]


def test_normalize_recipients_names_every_bad_entry() -> None:
    with pytest.raises(InvalidRecipientError) as caught:
        normalize_recipients(["31612345678", "hello", "12", "+31 6 1234 5679", 99])
    assert caught.value.invalid == ["hello", "12", "99"]
    assert str(caught.value) == "Not a phone number: hello, 12, 99"


@pytest.mark.parametrize("typed", [[], [""], [" , ;"]])
def test_normalize_recipients_refuses_an_empty_list(typed: list[str]) -> None:
    with pytest.raises(InvalidRecipientError) as caught:
        normalize_recipients(typed)
    assert caught.value.invalid == []
    assert str(caught.value) == "No recipients"


def test_normalize_recipients_names_an_int_too_long_to_print() -> None:
    with pytest.raises(InvalidRecipientError) as caught:
        normalize_recipients(["31612345678", 10**5000])
    assert caught.value.invalid == ["<a number too long to show>"]


@pytest.mark.parametrize(
    ("sender", "sent_as"),
    [
        ("HomeAssist", "HomeAssist"),
        (" HomeAssist ", "HomeAssist"),
        ("+31 6 1234 5678", "31612345678"),
        ("Home Assist", None),  # the server takes no spaces
        ("HomeAssistant", None),  # 13 characters
        ("Alarm!", None),
        ("", None),
    ],
)
def test_sender_id_is_sent_as_the_server_takes_it(
    sender: str, sent_as: str | None
) -> None:
    assert normalize_sender_id(sender) == sent_as


def test_invalid_recipient_error_is_a_value_error() -> None:
    assert issubclass(InvalidRecipientError, ValueError)


def _is_valid_number(number: str) -> bool:
    return number.isascii() and number.isdigit() and 7 <= len(number) <= 15


phone_like = st.text(alphabet="0123456789+()-. /,;\n\u00a0x", max_size=40)
entries = st.one_of(st.text(), phone_like, st.integers(), st.floats(), st.booleans())


@PROPERTY
@given(entries)
@example(10**5000)
@example("²³⁴⁵⁶⁷⁸")
@example("0000000")
def test_normalize_phone_gives_7_to_15_ascii_digits_or_none(value: str | int) -> None:
    number = normalize_phone(value)
    assert number is None or _is_valid_number(number)


@PROPERTY
@given(st.lists(entries, max_size=8))
@example([10**5000])
@example(["+31612345678", "31612345678"])
def test_normalize_recipients_raises_only_invalid_recipient_error(
    values: list[str | int],
) -> None:
    try:
        numbers, invalid = normalize_recipients(values), None
    except InvalidRecipientError as err:
        numbers, invalid = [], err.invalid
    if invalid is None:
        assert numbers
        assert len(set(numbers)) == len(numbers)
        assert all(_is_valid_number(n) for n in numbers)
    else:
        # Either some entries are named, or there was no entry at all.
        assert invalid or not any(normalize_phone(v) for v in values)
