"""Sending: ``POST sms/send`` and what it says about each recipient."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
import re
from typing import Final

from .exceptions import InvalidRecipientError, OutcomeUnknown, TextBoostError
from .models import (
    MessageType,
    RecipientResult,
    RecipientState,
    SendResult,
    SentMessage,
    VoiceGender,
)
from .phone import normalize_phone, normalize_recipients
from .transport import Transport, as_dict

#: The server refuses more in one request (WIRE-NOTES "Sending rules").
MAX_RECIPIENTS_PER_REQUEST: Final = 100
#: ``schedule_time`` as the server reads it, in the account's zone.
SCHEDULE_FORMAT: Final = "%Y-%m-%d %H:%M"
#: The server's boilerplate for an accepted send, which names no refusal.
SUCCESS_MESSAGES: Final = frozenset(
    {"Message is scheduled successfully.", "Your message was successfully delivered"}
)


class SendingEndpoints(Transport):
    """Sending one message to any number of recipients."""

    async def send(
        self,
        recipients: Sequence[str | int],
        message: str | None,
        *,
        message_type: MessageType = MessageType.PLAIN,
        sender_id: str | None = None,
        schedule_time: datetime | None = None,
        dlt_template_id: str | None = None,
        language: str | None = None,
        gender: VoiceGender | None = None,
        media_url: str | None = None,
        normalized: bool = False,
    ) -> SendResult:
        """Send one message to any number of recipients (``POST sms/send``).

        Recipients are normalised to digits (``InvalidRecipientError`` names
        every bad one, before any request), unless ``normalized`` says they
        already are (digit strings from ``normalize_recipients``, each once:
        a caller that normalised them does not pay for it twice), and sent in
        requests of at most
        100 (WIRE-NOTES "Sending rules"). ``schedule_time`` is naive wall
        time in the account's time zone (``Profile.timezone``), sent to the
        minute. Empty optional fields are left out of the body.

        Returns a ``SendResult`` with one ``RecipientResult`` per normalised
        number, in order: ``ACCEPTED`` with the server's ``SentMessage``,
        ``SCHEDULED`` (a scheduled send to several numbers answers without
        details), ``REJECTED`` with the server's reason for that number,
        ``UNKNOWN`` (may have been sent: never repeat it) or ``NOT_SENT``.

        If the first request fails, its exception is raised (see
        ``exceptions.py``); if a later one fails, the result says so per
        recipient and the remaining requests are not made.
        """
        if normalized:
            numbers = [str(r) for r in recipients]
            if not numbers:
                raise InvalidRecipientError([])
        else:
            numbers = normalize_recipients(recipients)
        body: dict[str, str] = {"type": str(message_type)}
        if message:
            body["message"] = message
        optional = {
            "sender_id": sender_id,
            "schedule_time": schedule_time.strftime(SCHEDULE_FORMAT)
            if schedule_time
            else None,
            "dlt_template_id": dlt_template_id,
            "language": language,
            "gender": str(gender) if gender else None,
            "media_url": media_url,
        }
        body.update({k: v for k, v in optional.items() if v})
        chunks = [
            numbers[i : i + MAX_RECIPIENTS_PER_REQUEST]
            for i in range(0, len(numbers), MAX_RECIPIENTS_PER_REQUEST)
        ]
        results: list[RecipientResult] = []
        server_messages: list[str] = []
        requests = 0
        for index, chunk in enumerate(chunks):
            requests += 1
            try:
                data, server_message = await self._request(
                    "POST", "sms/send", body={"recipient": ",".join(chunk), **body}
                )
                chunk_results = _chunk_results(
                    chunk, data, server_message, scheduled=bool(schedule_time)
                )
            except TextBoostError as err:
                if index == 0:
                    raise
                results.extend(_failed(chunk, err))
                for rest in chunks[index + 1 :]:
                    results.extend(
                        RecipientResult(
                            n, RecipientState.NOT_SENT, error="Not attempted"
                        )
                        for n in rest
                    )
                break
            if server_message:
                server_messages.append(server_message)
            results.extend(chunk_results)
        return SendResult(
            recipients=results,
            requests=requests,
            server_message=" ".join(server_messages) or None,
        )


def _failed(chunk: list[str], err: TextBoostError) -> list[RecipientResult]:
    """Per-recipient results of a request that failed as a whole."""
    if err.certainly_not_sent:
        state = RecipientState.NOT_SENT
    elif isinstance(err, OutcomeUnknown):
        state = RecipientState.UNKNOWN
    else:
        state = RecipientState.REJECTED
    return [
        RecipientResult(n, state, error=str(err), error_type=type(err).__name__)
        for n in chunk
    ]


def _chunk_results(
    chunk: list[str], data: object, server_message: str | None, *, scheduled: bool
) -> list[RecipientResult]:
    """Per-recipient results of one accepted request."""
    if isinstance(data, dict):
        rows: list[object] = [data]
    elif isinstance(data, list):
        rows = data
    else:
        # A scheduled send to several numbers answers with no details at all.
        state = RecipientState.SCHEDULED if scheduled else RecipientState.ACCEPTED
        return [RecipientResult(n, state) for n in chunk]
    sent_rows = [SentMessage.from_api(as_dict(row)) for row in rows]
    if len(chunk) == 1 and len(sent_rows) == 1:
        # The answer to a one-number request is that number's, however the
        # server writes it.
        accepted = {chunk[0]: sent_rows[0]}
    else:
        accepted = {
            number: sent
            for sent in sent_rows
            if (number := normalize_phone(sent.to)) is not None
        }
    results = []
    for number in chunk:
        if number in accepted:
            results.append(
                RecipientResult(
                    number, RecipientState.ACCEPTED, message=accepted[number]
                )
            )
        elif (error := _error_for(number, server_message)) is not None:
            results.append(
                RecipientResult(number, RecipientState.REJECTED, error=error)
            )
        else:
            # Neither accepted nor named as refused: it may have been sent.
            results.append(
                RecipientResult(
                    number,
                    RecipientState.UNKNOWN,
                    error="The server's answer does not mention this number",
                )
            )
    return results


def _error_for(number: str, server_message: str | None) -> str | None:
    """Why the server left ``number`` out of its answer, if it said so.

    When some numbers fail, the server joins their errors into ``message``:
    the part naming the number, else (for errors such as "Number contains in
    the blacklist" that name none) the whole message. None when the message
    is a plain success text: then nothing says the number was refused.
    """
    message = (server_message or "").strip()
    if not message or message in SUCCESS_MESSAGES:
        return None
    named = re.compile(rf"(?<!\d){re.escape(number)}(?!\d)")
    for part in message.replace("\n", ",").split(","):
        if named.search(part):
            return part.strip()
    return message
