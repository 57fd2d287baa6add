"""Sending: the request that reaches the server and the per-recipient result."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
import json

import pytest

from custom_components.textboost.api import (
    MAX_RECIPIENTS_PER_REQUEST,
    InvalidRecipientError,
    MessageType,
    RateLimited,
    RecipientResult,
    RecipientState,
    SenderIdRejected,
    SendResult,
    SentMessage,
    TextBoostClient,
    VoiceGender,
)
from sandbox import Fault

from .conftest import RequestHooks
from .helpers import assert_request

NUMBER = "31612345678"


def _numbers(count: int) -> list[str]:
    return [f"3161{index:07d}" for index in range(count)]


def _canned(payload: object) -> bytes:
    return json.dumps(payload).encode()


# One recipient: every option reaches the server as documented.


async def test_send_plain_text(client: TextBoostClient, sandbox) -> None:
    result = await client.send([NUMBER], "Hello from Home Assistant")

    assert_request(
        sandbox.requests[-1],
        "POST",
        "sms/send",
        body={
            "recipient": NUMBER,
            "type": "plain",
            "message": "Hello from Home Assistant",
        },
    )
    (stored,) = sandbox.sent_messages()
    assert result == SendResult(
        recipients=[
            RecipientResult(
                NUMBER,
                RecipientState.ACCEPTED,
                message=SentMessage(
                    uid=stored.uid,
                    to=NUMBER,
                    sender="TextBoost",
                    status="Enroute",
                    cost=Decimal("0.05"),
                    segments=1,
                    message="Hello from Home Assistant",
                ),
            )
        ],
        requests=1,
        server_message="Your message was successfully delivered",
    )
    assert result.messages == [result.recipients[0].message]


async def test_send_unicode(client: TextBoostClient, sandbox) -> None:
    text = "Привет! " * 10  # 80 UCS-2 units: two parts

    result = await client.send([NUMBER], text, message_type=MessageType.UNICODE)

    assert_request(
        sandbox.requests[-1],
        "POST",
        "sms/send",
        body={
            "recipient": NUMBER,
            "type": "unicode",
            "message": text,
        },
    )
    (sent,) = result.messages
    assert (sent.segments, sent.cost) == (2, Decimal("0.10"))
    assert sandbox.sent_messages()[0].type == "unicode"


async def test_send_voice_with_language_and_gender(
    client: TextBoostClient, sandbox
) -> None:
    await client.send(
        [NUMBER],
        "The alarm went off",
        message_type=MessageType.VOICE,
        language="en-gb",
        gender=VoiceGender.FEMALE,
    )

    assert_request(
        sandbox.requests[-1],
        "POST",
        "sms/send",
        body={
            "recipient": NUMBER,
            "type": "voice",
            "message": "The alarm went off",
            "language": "en-gb",
            "gender": "female",
        },
    )
    (stored,) = sandbox.sent_messages()
    assert (stored.type, stored.language, stored.gender) == ("voice", "en-gb", "female")


async def test_send_mms_with_media_url_and_no_text(
    client: TextBoostClient, sandbox
) -> None:
    url = "https://example.com/snapshot.jpg"

    result = await client.send(
        [NUMBER], None, message_type=MessageType.MMS, media_url=url
    )

    assert_request(
        sandbox.requests[-1],
        "POST",
        "sms/send",
        body={
            "recipient": NUMBER,
            "type": "mms",
            "media_url": url,
        },
    )
    assert result.recipients[0].state is RecipientState.ACCEPTED
    assert sandbox.sent_messages()[0].media_url == url


async def test_send_with_sender_id(client: TextBoostClient, sandbox) -> None:
    result = await client.send([NUMBER], "Hi", sender_id="HomeAssist")

    assert_request(
        sandbox.requests[-1],
        "POST",
        "sms/send",
        body={
            "recipient": NUMBER,
            "type": "plain",
            "message": "Hi",
            "sender_id": "HomeAssist",
        },
    )
    assert result.messages[0].sender == "HomeAssist"


async def test_send_with_dlt_template_id(client: TextBoostClient, sandbox) -> None:
    await client.send([NUMBER], "Your OTP is 1234", dlt_template_id="1207161234567")

    assert_request(
        sandbox.requests[-1],
        "POST",
        "sms/send",
        body={
            "recipient": NUMBER,
            "type": "plain",
            "message": "Your OTP is 1234",
            "dlt_template_id": "1207161234567",
        },
    )
    assert sandbox.sent_messages()[0].dlt_template_id == "1207161234567"


async def test_send_with_every_option_at_once(client: TextBoostClient, sandbox) -> None:
    await client.send(
        ["+31 6 1234 5678"],
        "Doorbell",
        message_type=MessageType.VOICE,
        sender_id="3197010000000",
        schedule_time=datetime(2026, 12, 24, 18, 30, 45),
        dlt_template_id="T1",
        language="nl-nl",
        gender=VoiceGender.MALE,
    )

    assert_request(
        sandbox.requests[-1],
        "POST",
        "sms/send",
        body={
            "recipient": NUMBER,
            "type": "voice",
            "message": "Doorbell",
            "sender_id": "3197010000000",
            "schedule_time": "2026-12-24 18:30",
            "dlt_template_id": "T1",
            "language": "nl-nl",
            "gender": "male",
        },
    )


# Scheduling.


async def test_schedule_time_is_sent_as_minutes_without_seconds(
    client: TextBoostClient, sandbox
) -> None:
    await client.send(
        [NUMBER], "Merry Christmas", schedule_time=datetime(2026, 12, 24, 18, 30, 45)
    )

    assert sandbox.requests[-1].body["schedule_time"] == "2026-12-24 18:30"


async def test_scheduled_send_to_one_number_is_accepted_at_once(
    client: TextBoostClient, sandbox
) -> None:
    # The server's known defect: one recipient ignores the schedule.
    result = await client.send(
        [NUMBER], "Hi", schedule_time=datetime(2026, 12, 24, 18, 30)
    )

    assert result.recipients[0].state is RecipientState.ACCEPTED
    assert result.recipients[0].message is not None


async def test_scheduled_send_to_several_numbers_is_scheduled_per_recipient(
    client: TextBoostClient, sandbox
) -> None:
    numbers = _numbers(3)

    result = await client.send(
        numbers, "Hi", schedule_time=datetime(2026, 12, 24, 18, 30)
    )

    assert result.recipients == [
        RecipientResult(number, RecipientState.SCHEDULED) for number in numbers
    ]
    assert result.server_message == "Message is scheduled successfully."
    stored = sandbox.sent_messages()
    assert [m.to for m in stored] == numbers
    assert {(m.status, m.scheduled_for) for m in stored} == {
        ("Scheduled", datetime(2026, 12, 24, 18, 30))
    }


# Recipients as people type them.


async def test_recipients_are_normalised_to_digits(
    client: TextBoostClient, sandbox
) -> None:
    result = await client.send(
        ["+31 6 1234 5678", "0031 6 1234 5679", "(020) 555-0100", 31612345670], "Hi"
    )

    expected = ["31612345678", "31612345679", "0205550100", "31612345670"]
    assert sandbox.requests[-1].body["recipient"] == ",".join(expected)
    assert [r.recipient for r in result.recipients] == expected
    assert {r.state for r in result.recipients} == {RecipientState.ACCEPTED}
    assert [r.message.to for r in result.recipients if r.message] == expected


async def test_an_invalid_recipient_stops_the_send_before_any_request(
    client: TextBoostClient, sandbox
) -> None:
    with pytest.raises(InvalidRecipientError) as caught:
        await client.send(
            ["+31 6 1234 5678", "call me", "12", "0031 6 1234 5679"], "Hi"
        )

    assert caught.value.invalid == ["call me", "12"]
    assert "call me" in str(caught.value)
    assert "12" in str(caught.value)
    assert sandbox.requests == []


@pytest.mark.parametrize("normalized", [False, True])
async def test_no_recipient_at_all_is_refused_before_any_request(
    client: TextBoostClient, sandbox, normalized: bool
) -> None:
    with pytest.raises(InvalidRecipientError):
        await client.send([], "Hi", normalized=normalized)
    assert sandbox.requests == []


async def test_normalized_numbers_are_sent_as_given(
    client: TextBoostClient, sandbox
) -> None:
    await client.send(["31612345678", "31612345679"], "Hi", normalized=True)

    [request] = sandbox.requests_to("sms/send")
    assert request.body["recipient"] == "31612345678,31612345679"


# Many recipients: at most 100 per request.


async def test_250_recipients_take_three_requests_of_100_100_and_50(
    client: TextBoostClient, sandbox
) -> None:
    numbers = _numbers(250)

    result = await client.send(numbers, "Hi all")

    sends = sandbox.requests_to("sms/send", "POST")
    assert [r.body["recipient"] for r in sends] == [
        ",".join(numbers[:100]),
        ",".join(numbers[100:200]),
        ",".join(numbers[200:]),
    ]
    assert all(r.body["message"] == "Hi all" for r in sends)
    assert MAX_RECIPIENTS_PER_REQUEST == 100
    assert result.requests == 3
    assert len(result.recipients) == 250
    assert [r.recipient for r in result.recipients] == numbers
    assert {r.state for r in result.recipients} == {RecipientState.ACCEPTED}
    assert [r.message.to for r in result.recipients if r.message] == numbers
    assert {m.uid for m in result.messages} == {m.uid for m in sandbox.sent_messages()}
    assert result.server_message == " ".join(["Message is scheduled successfully."] * 3)


async def test_a_blacklisted_number_is_rejected_and_the_others_accepted(
    client: TextBoostClient, sandbox
) -> None:
    numbers = _numbers(3)
    sandbox.state.blacklist.add(numbers[1])

    result = await client.send(numbers, "Hi")

    first, blocked, last = result.recipients
    assert (first.state, last.state) == (
        RecipientState.ACCEPTED,
        RecipientState.ACCEPTED,
    )
    assert blocked == RecipientResult(
        numbers[1], RecipientState.REJECTED, error="Number contains in the blacklist"
    )
    assert result.in_state(RecipientState.REJECTED) == [blocked]
    assert [m.to for m in sandbox.sent_messages()] == [numbers[0], numbers[2]]


@pytest.mark.parametrize(
    ("fault", "second", "error_type", "error", "stored"),
    [
        (
            Fault.HTTP_429,
            RecipientState.NOT_SENT,
            "RateLimited",
            "Too many requests; retry after 7 s",
            100,
        ),
        (
            Fault.TOO_MANY_ATTEMPTS,
            RecipientState.NOT_SENT,
            "RateLimited",
            "Too many requests",
            100,
        ),
        (
            Fault.HTTP_500_HTML,
            RecipientState.UNKNOWN,
            "ServiceUnavailable",
            "The TextBoost server failed with HTTP 500",
            100,
        ),
        # The sandbox processed this one before dropping the connection.
        (Fault.DISCONNECT, RecipientState.UNKNOWN, "OutcomeUnknown", None, 200),
        (
            Fault.INSUFFICIENT_BALANCE,
            RecipientState.REJECTED,
            "RequestRejected",
            "There is not enough balance available to send this message. "
            "Please recharge your account.",
            100,
        ),
        (
            Fault.UNAUTHENTICATED,
            RecipientState.REJECTED,
            "AuthenticationFailed",
            "The API token was refused",
            100,
        ),
    ],
)
async def test_a_failed_second_request_is_reported_per_recipient(
    client: TextBoostClient,
    sandbox,
    request_hooks: RequestHooks,
    fault: Fault,
    second: RecipientState,
    error_type: str,
    error: str | None,
    stored: int,
) -> None:
    numbers = _numbers(250)
    request_hooks.before(2, lambda: sandbox.inject(fault, path="sms/send"))

    result = await client.send(numbers, "Hi")

    assert result.requests == 2
    assert [r.fault for r in sandbox.requests_to("sms/send")] == [None, fault]
    states = [r.state for r in result.recipients]
    assert states == (
        [RecipientState.ACCEPTED] * 100
        + [second] * 100
        + [RecipientState.NOT_SENT] * 50
    )
    failed = result.recipients[100:200]
    assert {r.error_type for r in failed} == {error_type}
    if error is not None:
        assert {r.error for r in failed} == {error}
    assert {(r.error, r.error_type) for r in result.recipients[200:]} == {
        ("Not attempted", None)
    }
    assert len(result.messages) == 100
    assert len(sandbox.sent_messages()) == stored


async def test_a_second_request_answered_with_garbage_success_is_unknown(
    client: TextBoostClient, sandbox, request_hooks: RequestHooks
) -> None:
    numbers = _numbers(250)
    garbage = _canned({"status": "success", "message": None, "data": [{"to": "x"}]})
    request_hooks.before(
        2,
        lambda: sandbox.inject_response(
            200, garbage, "application/json", path="sms/send"
        ),
    )

    result = await client.send(numbers, "Hi")

    states = [r.state for r in result.recipients]
    assert states == (
        [RecipientState.ACCEPTED] * 100
        + [RecipientState.UNKNOWN] * 100
        + [RecipientState.NOT_SENT] * 50
    )
    assert {r.error_type for r in result.recipients[100:200]} == {"InvalidResponse"}


async def test_a_failed_first_request_raises_and_nothing_else_is_tried(
    client: TextBoostClient, sandbox
) -> None:
    sandbox.inject(Fault.HTTP_429, path="sms/send")

    with pytest.raises(RateLimited):
        await client.send(_numbers(250), "Hi")

    assert len(sandbox.requests_to("sms/send")) == 1
    assert sandbox.sent_messages() == []


# Answers the sandbox does not give by itself, served verbatim.


async def test_an_answer_without_data_for_an_immediate_send_is_accepted(
    client: TextBoostClient, sandbox
) -> None:
    numbers = _numbers(2)
    sandbox.inject_response(
        200,
        _canned({"status": "success", "message": "Message is scheduled successfully."}),
        "application/json",
    )

    result = await client.send(numbers, "Hi")

    assert result.recipients == [
        RecipientResult(number, RecipientState.ACCEPTED) for number in numbers
    ]


async def test_a_single_answer_without_to_belongs_to_the_only_recipient(
    client: TextBoostClient, sandbox
) -> None:
    sandbox.inject_response(
        200,
        _canned(
            {"status": "success", "data": {"uid": "0123456789abc", "status": "Enroute"}}
        ),
        "application/json",
    )

    result = await client.send([NUMBER], "Hi")

    assert result.recipients[0].state is RecipientState.ACCEPTED
    assert result.recipients[0].message.uid == "0123456789abc"
    assert result.server_message is None


async def test_each_rejected_number_gets_the_part_of_the_message_naming_it(
    client: TextBoostClient, sandbox
) -> None:
    good, bad, other = _numbers(3)
    payload = {
        "status": "success",
        "message": f"{bad} is a invalid phone number, Number contains in the blacklist",
        "data": [{"uid": "0123456789abc", "to": f"+{good}"}, {"uid": "x", "to": "n/a"}],
    }
    sandbox.inject_response(200, _canned(payload), "application/json")

    result = await client.send([good, bad, other], "Hi")

    assert [(r.state, r.error) for r in result.recipients] == [
        (RecipientState.ACCEPTED, None),
        (RecipientState.REJECTED, f"{bad} is a invalid phone number"),
        (RecipientState.REJECTED, payload["message"]),
    ]


@pytest.mark.parametrize("message", [None, "Message is scheduled successfully."])
async def test_a_number_missing_from_a_success_answer_is_unknown(
    client: TextBoostClient, sandbox, message: str | None
) -> None:
    # Nothing says it was refused, so it may have been sent: never "refused",
    # which would invite a paid re-send.
    sandbox.inject_response(
        200,
        _canned({"status": "success", "message": message, "data": []}),
        "application/json",
    )

    result = await client.send(_numbers(2), "Hi")

    assert {(r.state, r.error) for r in result.recipients} == {
        (RecipientState.UNKNOWN, "The server's answer does not mention this number")
    }


@pytest.mark.parametrize(
    ("sender_id", "refused"),
    [(None, None), ("Nope", "Nope"), ("3197010000000", "3197010000000")],
    ids=["missing", "not approved", "not a number of the account"],
)
async def test_an_account_that_verifies_sender_ids_refuses_others(
    client: TextBoostClient, sandbox, sender_id: str | None, refused: str | None
) -> None:
    sandbox.sender_id_verification = True
    sandbox.approved_sender_ids.add("HomeAlarm")

    with pytest.raises(SenderIdRejected) as caught:
        await client.send([NUMBER], "Hi", sender_id=sender_id)

    assert caught.value.sender_id == refused
    assert sandbox.sent_messages() == []
    result = await client.send([NUMBER], "Hi", sender_id="HomeAlarm")
    assert result.messages[0].sender == "HomeAlarm"
