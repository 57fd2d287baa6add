"""Typed results built from the server's payloads."""

from __future__ import annotations

from collections.abc import Callable, Mapping
import contextlib
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import example, given, settings, strategies as st
import pytest

from custom_components.textboost.api import (
    Contact,
    ContactGroup,
    InvalidResponse,
    Message,
    MessageDirection,
    Page,
    Profile,
    RecipientResult,
    RecipientState,
    SendResult,
    SentMessage,
    delivery_state,
)

from .test_parsing import json_values


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("Enroute", "pending"),
        ("Accepted", "pending"),
        ("Scheduled", "pending"),
        ("Delivered", "delivered"),
        ("Undelivered", "failed"),
        ("Expired", "failed"),
        ("Rejected", "failed"),
        ("Skipped", "failed"),
        ("Something new", "failed"),
    ],
)
def test_delivery_state(status: str, state: str) -> None:
    assert delivery_state(status) == state


def test_profile_name_skips_a_missing_part() -> None:
    assert Profile.from_api({"uid": "u", "first_name": "Ada"}).name == "Ada"


def test_profile_keeps_numbers_as_text_and_needs_a_uid() -> None:
    assert Profile.from_api({"uid": 12345}).uid == "12345"
    with pytest.raises(InvalidResponse, match="field 'uid' is missing"):
        Profile.from_api({"uid": ""})


@pytest.mark.parametrize("value", [True, {"x": 1}, [1]])
def test_a_text_field_of_another_type_is_invalid(value: object) -> None:
    with pytest.raises(InvalidResponse, match="field 'email' is not text"):
        Profile.from_api({"uid": "u", "email": value})


def test_sent_message_reads_status_or_customer_status() -> None:
    assert SentMessage.from_api({"uid": "u", "status": "Enroute"}).status == "Enroute"
    sent = SentMessage.from_api(
        {"uid": "u", "customer_status": "Delivered", "cost": "0.10", "sms_count": "2"}
    )
    assert (sent.status, sent.cost, sent.segments) == ("Delivered", Decimal("0.10"), 2)


def test_message_prefers_customer_status() -> None:
    message = Message.from_api(
        {"uid": "u", "customer_status": "Delivered", "status": "ignored", "cost": ""}
    )
    assert (message.status, message.cost) == ("Delivered", None)
    assert Message.from_api({"uid": "u", "status": "Enroute"}).status == "Enroute"


def test_message_reads_a_list_row_of_a_current_server() -> None:
    message = Message.from_api(
        {
            "uid": "6745f1a2b3c4d",
            "to": "31612345678",
            "from": "HomeAssist",
            "message": "Hi",
            "sms_type": "plain",
            "direction": "incoming",
            "status": "Delivered",
            "sms_count": "2",
            "cost": "0.10",
            "sent_at": "2026-11-29T10:49:22.000000Z",
        }
    )

    assert message == Message(
        uid="6745f1a2b3c4d",
        to="31612345678",
        sender="HomeAssist",
        message="Hi",
        status="Delivered",
        cost=Decimal("0.10"),
        sms_type="plain",
        direction=MessageDirection.INCOMING,
        sent_at=datetime(2026, 11, 29, 10, 49, 22, tzinfo=UTC),
        segments=2,
    )


@pytest.mark.parametrize(
    "odd",
    [
        {"cost": "free"},
        {"cost": True},
        {"sms_count": "two"},
        {"sms_count": 1.5},
        {"sent_at": "soon"},
        {"sent_at": {"date": "2026-11-29"}},
    ],
)
def test_one_unreadable_number_or_date_does_not_fail_a_message(
    odd: dict[str, object],
) -> None:
    message = Message.from_api({"uid": "u", "status": "Delivered", **odd})

    assert (message.uid, message.status) == ("u", "Delivered")
    assert (message.cost, message.segments, message.sent_at) == (None, None, None)


def test_contact_takes_names_from_custom_fields_and_drops_empty_ones() -> None:
    contact = Contact.from_api(
        {
            "uid": "u",
            "phone": 31612345678,
            "status": "subscribe",
            "custom_fields": {"FIRST_NAME": "Ada", "LAST_NAME": None, "CITY": 7},
        }
    )
    assert contact == Contact(
        uid="u",
        phone="31612345678",
        first_name="Ada",
        last_name=None,
        status="subscribe",
        custom_fields={"FIRST_NAME": "Ada", "CITY": "7"},
    )


def test_contact_ignores_custom_fields_that_are_not_an_object() -> None:
    assert Contact.from_api({"uid": "u", "custom_fields": []}).custom_fields == {}


def test_page_reads_a_laravel_paginator() -> None:
    page = Page.from_api(
        {
            "current_page": 2,
            "last_page": "3",
            "per_page": 25,
            "total": 60,
            "data": [{"uid": "a", "name": "A"}],
        },
        ContactGroup.from_api,
    )
    assert page == Page(
        items=[ContactGroup("a", "A")],
        current_page=2,
        last_page=3,
        per_page=25,
        total=60,
    )
    assert page.next_page == 3


def test_page_fills_in_what_the_paginator_leaves_out() -> None:
    page = Page.from_api({"data": [{"uid": "a"}, {"uid": "b"}]}, ContactGroup.from_api)
    assert (page.current_page, page.last_page, page.per_page, page.total) == (
        1,
        1,
        2,
        2,
    )
    assert page.next_page is None


def test_page_past_the_end_keeps_the_servers_last_page() -> None:
    page = Page.from_api(
        {"current_page": 4, "last_page": 2, "data": []}, ContactGroup.from_api
    )
    assert (page.last_page, page.next_page) == (2, None)


@pytest.mark.parametrize(
    ("payload", "text"),
    [
        (None, "expected a paginated list"),
        ([], "expected a paginated list"),
        ({"data": {"uid": "a"}}, "expected a paginated list"),
        ({"data": [{"uid": "a"}, "b"]}, "expected a list of objects"),
    ],
)
def test_page_refuses_what_is_not_a_paginator(payload: object, text: str) -> None:
    with pytest.raises(InvalidResponse, match=text):
        Page.from_api(payload, ContactGroup.from_api)


def test_send_result_lists_messages_and_filters_by_state() -> None:
    sent = SentMessage("u", "1", "S", "Enroute", None, 1)
    accepted = RecipientResult("1", RecipientState.ACCEPTED, message=sent)
    rejected = RecipientResult("2", RecipientState.REJECTED, error="blacklisted")
    unknown = RecipientResult("3", RecipientState.UNKNOWN)
    result = SendResult([accepted, rejected, unknown], requests=1)

    assert result.messages == [sent]
    assert result.in_state(RecipientState.REJECTED, RecipientState.UNKNOWN) == [
        rejected,
        unknown,
    ]
    assert result.in_state(RecipientState.NOT_SENT) == []


# Property: any JSON object gives a model or InvalidResponse, nothing else.

FIELDS = [
    "uid", "to", "from", "message", "status", "customer_status", "cost", "sms_count",
    "first_name", "last_name", "email", "locale", "timezone", "last_access_at",
    "phone", "custom_fields", "sms_type", "direction", "sent_at", "name",
]  # fmt: skip
payloads = st.dictionaries(
    st.sampled_from(FIELDS) | st.text(max_size=5), json_values, max_size=8
)
BUILDERS: list[Callable[[Mapping[str, Any]], object]] = [
    Profile.from_api,
    SentMessage.from_api,
    Message.from_api,
    ContactGroup.from_api,
    Contact.from_api,
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(BUILDERS), payloads)
@example(SentMessage.from_api, {"uid": "u", "sms_count": "²"})
@example(SentMessage.from_api, {"uid": "u", "cost": "Rs. 1,234.50"})
def test_models_raise_only_invalid_response(
    build: Callable[[Mapping[str, Any]], object], payload: dict[str, Any]
) -> None:
    with contextlib.suppress(InvalidResponse):
        build(payload)


paginators = st.fixed_dictionaries(
    {},
    optional={
        "data": st.lists(payloads, max_size=3) | json_values,
        "current_page": json_values,
        "last_page": json_values,
        "per_page": json_values,
        "total": json_values,
    },
)


@settings(max_examples=200, deadline=None)
@given(paginators | json_values)
@example({"data": [], "current_page": "²"})
@example({"data": [], "last_page": "9" * 5000})
def test_page_raises_only_invalid_response(payload: object) -> None:
    try:
        page = Page.from_api(payload, Contact.from_api)
    except InvalidResponse:
        return
    assert page.next_page is None or page.next_page == page.current_page + 1
