"""What the receiving options say: the mode, keywords and who may text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import logging
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.util import dt as dt_util

from ..api import TextBoostClient, normalize_phone
from ..const import (
    ACCEPT_ANYONE,
    ACCEPT_KNOWN,
    CONF_PHONE,
    CONF_RECEIVE_ACCEPT_FROM,
    CONF_RECEIVE_KEYWORDS,
    CONF_RECEIVE_MODE,
    CONF_RECEIVE_POLL_INTERVAL,
    CONF_RECEIVE_VERIFY,
    CONF_RECEIVING,
    CONF_WEBHOOK_ID,
    DEFAULT_RECEIVE_POLL_INTERVAL,
    RECEIVE_BOTH,
    RECEIVE_OFF,
    RECEIVE_POLLING,
    RECEIVE_WEBHOOK,
    SUBENTRY_RECIPIENT,
)

_LOGGER = logging.getLogger(__name__)

#: How long the address book read for names and the sender filter is used.
ADDRESS_BOOK_TTL: Final = timedelta(minutes=30)
#: Punctuation that may follow a keyword ("OK!", "Heat, on").
_TRAILING: Final = ".,;:!?"


@dataclass(frozen=True, slots=True)
class ReceiveSettings:
    """The receiving options of one account.

    ``mode``: ``off``, ``webhook``, ``polling`` or ``both``; ``accept_from``:
    ``anyone`` or ``known``; ``keywords`` as the options spell them.
    """

    mode: str = RECEIVE_OFF
    verify: bool = True
    poll_interval: timedelta = timedelta(minutes=DEFAULT_RECEIVE_POLL_INTERVAL)
    keywords: tuple[str, ...] = ()
    accept_from: str = ACCEPT_ANYONE
    webhook_id: str | None = None

    @property
    def enabled(self) -> bool:
        """Whether the account listens at all."""
        return self.mode != RECEIVE_OFF

    @property
    def webhook(self) -> bool:
        """Whether messages come in by webhook (the mode, and an id is set)."""
        return self.mode in (RECEIVE_WEBHOOK, RECEIVE_BOTH) and bool(self.webhook_id)

    @property
    def polling(self) -> bool:
        """Whether the account's incoming list is read on a timer."""
        return self.mode in (RECEIVE_POLLING, RECEIVE_BOTH)

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> ReceiveSettings:
        """Read the ``receiving`` section of the entry's options.

        Missing keys take the defaults (receiving off, verification on, a
        poll every ``DEFAULT_RECEIVE_POLL_INTERVAL`` minutes); empty keywords
        are dropped. ``webhook_id`` lives outside the section.
        """
        section = options.get(CONF_RECEIVING) or {}
        return cls(
            mode=section.get(CONF_RECEIVE_MODE, RECEIVE_OFF),
            verify=section.get(CONF_RECEIVE_VERIFY, True),
            poll_interval=timedelta(
                minutes=section.get(
                    CONF_RECEIVE_POLL_INTERVAL, DEFAULT_RECEIVE_POLL_INTERVAL
                )
            ),
            keywords=tuple(
                word
                for raw in section.get(CONF_RECEIVE_KEYWORDS, ())
                if (word := str(raw).strip())
            ),
            accept_from=section.get(CONF_RECEIVE_ACCEPT_FROM, ACCEPT_ANYONE),
            webhook_id=options.get(CONF_WEBHOOK_ID),
        )


def match_keyword(text: str, keywords: tuple[str, ...]) -> tuple[str, str] | None:
    """The keyword a text starts with, and the rest of the text.

    The first word is compared without case and without trailing
    punctuation ("ok!" matches ``OK``); the keyword is returned as the
    options spell it. None when the first word is no keyword.
    """
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return None
    first = parts[0].rstrip(_TRAILING).casefold()
    for keyword in keywords:
        if keyword.casefold() == first:
            return keyword, parts[1] if len(parts) > 1 else ""
    return None


@dataclass(slots=True)
class SenderDirectory:
    """Names of the numbers the account knows: saved recipients and contacts.

    Saved recipients come from the config entry; the address book is read
    from the server only when a message arrives from a number that is not a
    saved recipient, and then kept for ``ADDRESS_BOOK_TTL``. Both map a
    number as digits to a name.
    """

    client: TextBoostClient
    recipients: dict[str, str] = field(default_factory=dict)
    _contacts: dict[str, str] = field(default_factory=dict)
    _read_at: datetime | None = None

    @classmethod
    def for_entry(
        cls, client: TextBoostClient, entry: ConfigEntry[Any]
    ) -> SenderDirectory:
        """The saved recipients of ``entry`` (its config subentries)."""
        recipients = {
            sub.data[CONF_PHONE]: sub.title
            for sub in entry.subentries.values()
            if sub.subentry_type == SUBENTRY_RECIPIENT
        }
        return cls(client, recipients)

    async def async_name_of(self, number: str) -> tuple[bool, str | None]:
        """Whether the number is known, and its name.

        Returns ``(known, name or None)``. The address book is every group's
        contacts (``GET contacts``, then each group's contacts; WIRE-NOTES
        "Endpoints"). Raises the client's ``TextBoostError`` when the address
        book cannot be read.
        """
        number = normalize_phone(number) or number
        if number in self.recipients:
            return True, self.recipients[number]
        now = dt_util.utcnow()
        if self._read_at is None or now - self._read_at >= ADDRESS_BOOK_TTL:
            self._contacts = await self._read_address_book()
            self._read_at = now
        if number in self._contacts:
            return True, self._contacts[number] or None
        return False, None

    async def _read_address_book(self) -> dict[str, str]:
        contacts: dict[str, str] = {}
        async for group in self.client.iter_groups():
            async for contact in self.client.iter_contacts(group.uid):
                if (number := normalize_phone(contact.phone)) is None:
                    continue
                name = " ".join(
                    part for part in (contact.first_name, contact.last_name) if part
                )
                contacts.setdefault(number, name)
        _LOGGER.debug("Address book read: %d numbers", len(contacts))
        return contacts


def accepts(settings: ReceiveSettings, known: bool) -> bool:
    """Whether a message from a known (or unknown) sender fires events."""
    return settings.accept_from != ACCEPT_KNOWN or known
