"""What a received message looks like to events, and numbers as logs show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class ReceivedMessage:
    """An incoming message as events show it.

    ``message_id`` is the server's uid when the message was read from the
    list, else a local id (``local-...``) known until Home Assistant stops.
    ``received_at`` is aware UTC (the list's ``sent_at``, else when Home
    Assistant got it); ``verified`` means it has the server's uid; ``name``
    is the sender's saved or address-book name; ``rest`` follows a
    ``keyword``.
    """

    message_id: str
    sender: str
    to: str
    text: str
    received_at: datetime
    verified: bool
    name: str | None = None
    country: str | None = None
    keyword: str | None = None
    rest: str | None = None

    @property
    def event_type(self) -> str:
        """``keyword`` when the text starts with a keyword, else ``message``."""
        return "message" if self.keyword is None else "keyword"

    def as_event_data(self) -> dict[str, Any]:
        """The event entity's attributes and the bus event's data.

        A dict with ``message_id``, ``from``, ``to``, ``text``,
        ``received_at`` (ISO 8601), ``name``, ``country`` and ``verified``;
        ``keyword`` and ``rest`` only when the text starts with a keyword.
        """
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender,
            "to": self.to,
            "text": self.text,
            "received_at": self.received_at.isoformat(),
            "name": self.name,
            "country": self.country,
            "verified": self.verified,
        }
        if self.keyword is not None:
            data["keyword"] = self.keyword
            data["rest"] = self.rest
        return data
