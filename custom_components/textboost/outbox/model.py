"""What the outbox keeps and what it answers: messages, entries and outcomes.

Every record here has an ``as_dict`` / ``from_dict`` pair: the form written
to the outbox journal (``store.py``). Times are aware UTC datetimes, written
as ISO 8601 text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from ..api import (
    MessageType,
    RecipientResult,
    RecipientState as ClientState,
    TextBoostError,
    VoiceGender,
)


@dataclass(slots=True)
class OutgoingMessage:
    """One message to one or more numbers, as the actions and notify build it.

    ``recipients`` are already normalised (7 to 15 digits, WIRE-NOTES
    "Sending rules"): nothing after ``messaging.py`` normalises them again.
    ``encoding`` (``gsm7`` or ``unicode``) and ``segments`` (the local count)
    are set for text messages only.
    """

    message_type: MessageType
    recipients: list[str]
    message: str | None = None
    sender_id: str | None = None
    dlt_template_id: str | None = None
    language: str | None = None
    gender: VoiceGender | None = None
    media_url: str | None = None
    #: Wall time in the account's zone, for the server's own scheduling.
    schedule_time: datetime | None = None
    encoding: str | None = None
    segments: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the journal: a JSON-ready dict, times as ISO 8601."""
        return {
            "message_type": str(self.message_type),
            "recipients": list(self.recipients),
            "message": self.message,
            "sender_id": self.sender_id,
            "dlt_template_id": self.dlt_template_id,
            "language": self.language,
            "gender": str(self.gender) if self.gender else None,
            "media_url": self.media_url,
            "schedule_time": self.schedule_time.isoformat()
            if self.schedule_time
            else None,
            "encoding": self.encoding,
            "segments": self.segments,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutgoingMessage:
        """Read back from the journal (raises KeyError/TypeError/ValueError)."""
        values = dict(data)
        values["message_type"] = MessageType(values["message_type"])
        values["recipients"] = [str(r) for r in values["recipients"]]
        if values.get("gender"):
            values["gender"] = VoiceGender(values["gender"])
        if values.get("schedule_time"):
            values["schedule_time"] = datetime.fromisoformat(values["schedule_time"])
        return cls(**values)


@dataclass(slots=True)
class OutboxEntry:
    """A message waiting in the outbox: a retry or a local schedule.

    ``id`` is 12 hex characters; ``due`` and ``expires`` are aware UTC;
    ``scheduled`` marks a local schedule (else a retry); ``attempts`` counts
    the attempts made from the queue.
    """

    id: str
    message: OutgoingMessage
    due: datetime
    expires: datetime
    scheduled: bool
    attempts: int = 0
    #: Set (and on disk) before an attempt starts: after a stop, its fate is unknown.
    in_flight: bool = False
    last_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the journal."""
        return {
            "id": self.id,
            "message": self.message.as_dict(),
            "due": self.due.isoformat(),
            "expires": self.expires.isoformat(),
            "scheduled": self.scheduled,
            "attempts": self.attempts,
            "in_flight": self.in_flight,
            "last_error": self.last_error,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutboxEntry:
        """Read back from the journal (raises KeyError/TypeError/ValueError)."""
        return cls(
            id=str(data["id"]),
            message=OutgoingMessage.from_dict(data["message"]),
            due=datetime.fromisoformat(data["due"]),
            expires=datetime.fromisoformat(data["expires"]),
            scheduled=bool(data.get("scheduled", False)),
            attempts=int(data.get("attempts", 0)),
            in_flight=bool(data.get("in_flight", False)),
            last_error=data.get("last_error"),
        )


@dataclass(slots=True)
class TrackedMessage:
    """A sent message whose delivery status may still change.

    About 250 bytes in memory (slots, short strings) and about 110 bytes in
    the journal: 10,000 tracked messages cost about 2.5 MB of memory.
    """

    uid: str
    to: str
    status: str
    #: When the server accepted it (UTC): the status schedule counts from here.
    sent: datetime
    #: When a status round last looked for it (in memory only).
    looked: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the journal."""
        return {
            "uid": self.uid,
            "to": self.to,
            "status": self.status,
            "sent": self.sent.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrackedMessage:
        """Read back from the journal (raises KeyError/TypeError/ValueError)."""
        return cls(
            uid=str(data["uid"]),
            to=str(data["to"]),
            status=str(data["status"]),
            sent=datetime.fromisoformat(data["sent"]),
        )


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A message's delivery status, as the server last reported it.

    ``to`` is the number as digits; ``status`` the server's word
    (``Enroute``, ``Delivered``, ...; WIRE-NOTES "Endpoints"). ``uid`` is
    None for a recipient the server refused or whose fate is unknown: such
    a message has no server record to follow.
    """

    uid: str | None
    to: str
    status: str
    #: Why the server refused the number, for ``Rejected`` without a uid.
    error: str | None = None


class RecipientState(StrEnum):
    """What happened to one recipient of a send, as the response says it.

    The client's ``RecipientState`` one to one; its ``NOT_SENT`` is ``QUEUED``.
    """

    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    REJECTED = "rejected"
    UNKNOWN = "unknown"
    #: Certainly not sent; waits in the outbox for a retry.
    QUEUED = "queued"


_STATES: Final = {
    ClientState.ACCEPTED: RecipientState.ACCEPTED,
    ClientState.SCHEDULED: RecipientState.SCHEDULED,
    ClientState.REJECTED: RecipientState.REJECTED,
    ClientState.UNKNOWN: RecipientState.UNKNOWN,
    ClientState.NOT_SENT: RecipientState.QUEUED,
}


@dataclass(frozen=True, slots=True)
class RecipientOutcome:
    """One recipient of a send: its state, the server's record and its cost."""

    #: The number as digits (``normalize_recipients``).
    recipient: str
    state: RecipientState
    #: The server's uid for the message to this number (accepted only).
    uid: str | None = None
    #: The server's delivery status word, for example ``Enroute``.
    status: str | None = None
    #: In the account's currency, as the server reported it (None: not said).
    cost: Decimal | None = None
    #: SMS parts billed: the server's ``sms_count``, else the local count.
    segments: int | None = None
    #: Why it was refused or its fate is unknown (the server's text).
    error: str | None = None

    @classmethod
    def from_result(
        cls, result: RecipientResult, segments: int | None
    ) -> RecipientOutcome:
        """From the client's result (``segments``: the local count, if none)."""
        sent = result.message
        return cls(
            recipient=result.recipient,
            state=_STATES[result.state],
            uid=sent.uid if sent else None,
            status=sent.status if sent else None,
            cost=sent.cost if sent else None,
            segments=sent.segments if sent else segments,
            error=result.error,
        )


@dataclass(slots=True)
class SendOutcome:
    """What became of a message handed to the outbox.

    ``failure`` is set when the whole send failed and nothing was queued:
    the boundary (action, notify) raises it as a translated error.
    ``queue_id`` names the outbox entry holding what waits (queued or
    scheduled); ``send_at`` is set for a message held for a local schedule.
    ``requests`` counts the ``POST sms/send`` requests made (0 when held);
    ``encoding`` is ``gsm7``, ``unicode`` or None (not a text message).
    """

    recipients: list[RecipientOutcome] = field(default_factory=list)
    requests: int = 0
    queue_id: str | None = None
    server_message: str | None = None
    send_at: datetime | None = None
    encoding: str | None = None
    failure: TextBoostError | None = None

    def in_state(self, *states: RecipientState) -> list[RecipientOutcome]:
        """The recipients whose state is one of ``states``, in send order."""
        return [r for r in self.recipients if r.state in states]

    def refusals(self) -> list[StatusChange]:
        """A status change for each recipient refused (``Rejected``) or of unknown fate."""
        return [
            StatusChange(
                None,
                r.recipient,
                "Rejected" if r.state is RecipientState.REJECTED else "Unknown",
                r.error,
            )
            for r in self.in_state(RecipientState.REJECTED, RecipientState.UNKNOWN)
        ]

    @classmethod
    def held(cls, entry: OutboxEntry, state: RecipientState) -> SendOutcome:
        """The outcome of a message that waits in the outbox (queued or scheduled)."""
        return cls(
            recipients=[
                RecipientOutcome(
                    number,
                    state,
                    segments=entry.message.segments,
                    error=entry.last_error,
                )
                for number in entry.message.recipients
            ],
            queue_id=entry.id,
            send_at=entry.due if state is RecipientState.SCHEDULED else None,
            encoding=entry.message.encoding,
        )

    @property
    def nothing_went_out(self) -> bool:
        """Whether no recipient was accepted, scheduled or queued."""
        return not self.in_state(
            RecipientState.ACCEPTED, RecipientState.SCHEDULED, RecipientState.QUEUED
        )
