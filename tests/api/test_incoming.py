"""The webhook payload parser and the incoming-message model (no Home Assistant)."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from urllib.parse import urlencode

import pytest

from custom_components.textboost.api import Message
from custom_components.textboost.api.incoming import (
    MAX_WEBHOOK_BODY,
    IncomingMessage,
    InvalidWebhookPayload,
    address,
    parse_sent_at,
    parse_webhook_body,
)

FIELDS = {
    "to": "+31 97 0102 0304",
    "from": "+31 6 1234 5678",
    "content": "HEAT on please",
    "country": "NL",
    "country_name": "Netherlands",
}
EXPECTED = IncomingMessage(
    sender="31612345678",
    to="319701020304",
    text="HEAT on please",
    country="NL",
    country_name="Netherlands",
)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (json.dumps(FIELDS).encode(), "application/json"),
        (json.dumps(FIELDS).encode(), "application/json; charset=utf-8"),
        (urlencode(FIELDS).encode(), "application/x-www-form-urlencoded"),
        (json.dumps(FIELDS).encode(), ""),
        (urlencode(FIELDS).encode(), ""),
        (urlencode(FIELDS).encode(), "text/plain"),
    ],
    ids=["json", "json-charset", "form", "json-sniffed", "form-sniffed", "text-plain"],
)
def test_json_and_form_bodies_give_the_same_message(
    body: bytes, content_type: str
) -> None:
    assert parse_webhook_body(body, content_type) == EXPECTED


def test_numbers_sent_as_json_numbers_and_alphanumeric_senders() -> None:
    body = json.dumps({"from": 31612345678, "to": "BANK", "content": "Hi"}).encode()
    message = parse_webhook_body(body, "application/json")
    assert (message.sender, message.to, message.text) == ("31612345678", "BANK", "Hi")
    assert message.country is None
    assert message.uid is None
    assert message.received_at is None


def test_the_first_of_repeated_form_fields_counts() -> None:
    body = b"from=31612345678&content=first&content=second"
    message = parse_webhook_body(body, "application/x-www-form-urlencoded")
    assert message.text == "first"
    assert message.to == ""


def test_a_body_of_the_limit_is_read_and_one_byte_more_is_refused() -> None:
    head = b"from=31612345678&content="
    fits = head + b"x" * (MAX_WEBHOOK_BODY - len(head))
    assert len(parse_webhook_body(fits, "").text) == MAX_WEBHOOK_BODY - len(head)
    with pytest.raises(InvalidWebhookPayload) as caught:
        parse_webhook_body(fits + b"x", "")
    assert caught.value.reason == "too_large"


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"\xff\xfe", "application/json", "encoding"),
        (b"{not json", "application/json", "malformed"),
        (b"[1, 2]", "application/json", "malformed"),
        (b"[" * 100_00, "application/json", "malformed"),
        (b"a=1&&=", "application/x-www-form-urlencoded", "malformed"),
        (b"<xml/>", "application/xml", "content_type"),
        (b"--b\r\n", "multipart/form-data; boundary=b", "content_type"),
        (b"{}", "application/json", "missing_fields"),
        (b'{"from": "31612345678"}', "application/json", "missing_fields"),
        (
            b'{"from": "31612345678", "content": 5}',
            "application/json",
            "missing_fields",
        ),
        (b'{"from": true, "content": "x"}', "application/json", "missing_fields"),
        (b'{"from": "  ", "content": "x"}', "application/json", "missing_fields"),
        (b"content=x", "", "missing_fields"),
    ],
)
def test_bodies_that_are_no_message_are_refused_with_a_reason(
    body: bytes, content_type: str, reason: str
) -> None:
    with pytest.raises(InvalidWebhookPayload) as caught:
        parse_webhook_body(body, content_type)
    assert caught.value.reason == reason
    # The error names the reason, never the body.
    assert str(caught.value) == f"Not an incoming message ({reason})"


def test_a_listed_row_becomes_an_incoming_message() -> None:
    row = Message.from_api(
        {
            "uid": "65f1a2b3c4d5e",
            "to": "3197010203 04",
            "from": "+31612345678",
            "message": "OK",
            "direction": "incoming",
            "sent_at": "2026-11-29 10:15:00",
        }
    )
    assert IncomingMessage.from_message(row) == IncomingMessage(
        sender="31612345678",
        to="319701020304",
        text="OK",
        uid="65f1a2b3c4d5e",
        received_at=datetime(2026, 11, 29, 10, 15, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-29 10:15:00", datetime(2026, 11, 29, 10, 15, tzinfo=UTC)),
        ("2026-11-29 10:15", datetime(2026, 11, 29, 10, 15, tzinfo=UTC)),
        ("2026-11-29T10:15:00Z", datetime(2026, 11, 29, 10, 15, tzinfo=UTC)),
        ("2026-11-29T11:15:00+01:00", datetime(2026, 11, 29, 10, 15, tzinfo=UTC)),
        (datetime(2026, 11, 29, 10, 15), datetime(2026, 11, 29, 10, 15, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
        (None, None),
        (1764411300, None),
    ],
)
def test_sent_at_is_read_as_utc(raw: object, expected: datetime | None) -> None:
    assert parse_sent_at(raw) == expected


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (EXPECTED, True),
        (IncomingMessage("31612345678", "319701020304", "  HEAT on please \n"), True),
        (IncomingMessage("31612345678", "", "HEAT on please"), True),
        (IncomingMessage("31612345679", "319701020304", "HEAT on please"), False),
        (IncomingMessage("31612345678", "319701020305", "HEAT on please"), False),
        (IncomingMessage("31612345678", "319701020304", "heat on please"), False),
    ],
)
def test_the_same_text_from_the_same_sender_to_the_same_number(
    other: IncomingMessage, same: bool
) -> None:
    assert EXPECTED.same_text_as(other) is same


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("+31 6 1234 5678", "31612345678"), ("BANK", "BANK"), (None, ""), (True, "")],
)
def test_addresses_are_digits_when_they_are_numbers(raw: object, expected: str) -> None:
    assert address(raw) == expected
