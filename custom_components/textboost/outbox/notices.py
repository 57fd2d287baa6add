"""What the outbox tells Home Assistant: events, listeners and log lines.

Events (their data is documented in the README, "Events"):

* ``textboost_message_status``: a delivery status. A send fires ONE for all
  the statuses its answer gave (``recipients`` lists them; ``uid``, ``to``
  and ``status`` are those of the only recipient, or None when there were
  several); each later change fires one per message. A recipient the
  server refused has status ``Rejected`` and no uid; one whose fate is
  unknown has status ``Unknown``.
* ``textboost_message_dropped``: a waiting message left the outbox unsent.
* ``textboost_outcome_unknown``: a message may or may not have gone out; it
  is never sent again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import logging
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from ..api import mask_phone
from ..const import EVENT_MESSAGE_DROPPED, EVENT_MESSAGE_STATUS, EVENT_OUTCOME_UNKNOWN
from .model import OutboxEntry, OutgoingMessage, StatusChange

_LOGGER = logging.getLogger(__name__)

#: Called with the status changes and whether they are the first statuses of
#: a message its caller handed over directly (``Notices.statuses``).
type StatusListener = Callable[[list[StatusChange], bool], None]


@dataclass(slots=True)
class Notices:
    """Fires the outbox's events and calls its listeners."""

    hass: HomeAssistant
    entry_id: str
    changed_listeners: list[CALLBACK_TYPE] = field(default_factory=list)
    status_listeners: list[StatusListener] = field(default_factory=list)
    #: Set once the outbox is closed: the journal and its in-flight marks
    #: belong to the next outbox (which reports them).
    closed: bool = False

    @callback
    def add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``update`` whenever the queue changes; returns the remover."""
        self.changed_listeners.append(update)
        return lambda: self.changed_listeners.remove(update)

    @callback
    def add_status_listener(self, update: StatusListener) -> CALLBACK_TYPE:
        """Call ``update`` with the status changes of each send and each round.

        Its arguments: a list of ``StatusChange`` and ``answered`` (see
        ``statuses``). Returns the remover.
        """
        self.status_listeners.append(update)
        return lambda: self.status_listeners.remove(update)

    def queue_changed(self) -> None:
        """Tell the listeners (the queue sensor) that the queue changed."""
        for update in list(self.changed_listeners):
            update()

    def statuses(
        self, changes: list[StatusChange], *, coalesce: bool, answered: bool = False
    ) -> None:
        """Fire status events: one for a whole send, else one per change.

        Fired as ``textboost_message_status`` on the bus (``hass.bus``);
        ``coalesce`` makes several changes of one send one event.

        ``answered``: these are the first statuses of a message its caller
        handed over directly, so the caller has them already (listeners may
        skip the routine ones); False for retries, schedules and rounds.
        """
        if not changes:
            return
        if coalesce and len(changes) > 1:
            shared = {c.status for c in changes}
            self._fire_status(
                None,
                None,
                shared.pop() if len(shared) == 1 else None,
                recipients=changes,
            )
        else:
            for change in changes:
                self._fire_status(
                    change.uid, change.to, change.status, recipients=[change]
                )
        for update in list(self.status_listeners):
            update(changes, answered)

    def _fire_status(
        self,
        uid: str | None,
        to: str | None,
        status: str | None,
        *,
        recipients: list[StatusChange],
    ) -> None:
        data: dict[str, Any] = {
            "entry_id": self.entry_id,
            "uid": uid,
            "to": to,
            "status": status,
            "recipients": [
                {"uid": c.uid, "to": c.to, "status": c.status, "error": c.error}
                for c in recipients
            ],
        }
        self.hass.bus.async_fire(EVENT_MESSAGE_STATUS, data)

    def dropped(self, entry: OutboxEntry, reason: str, error: str | None) -> None:
        """A waiting message leaves the outbox unsent.

        Fires ``textboost_message_dropped``. ``reason``: ``expired``,
        ``rejected`` or ``cleared``; ``error`` (else the entry's last error).
        """
        self.hass.bus.async_fire(
            EVENT_MESSAGE_DROPPED,
            {
                "entry_id": self.entry_id,
                "queue_id": entry.id,
                "reason": reason,
                "error": error or entry.last_error,
                "recipients": entry.message.recipients,
                "message": entry.message.message,
                "type": str(entry.message.message_type),
                "attempts": entry.attempts,
            },
        )

    def outcome_unknown(
        self, message: OutgoingMessage, queue_id: str | None, error: str
    ) -> None:
        """A message may or may not have gone out; it is not sent again.

        Fires ``textboost_outcome_unknown``. ``queue_id`` is None for a direct
        send; ``error`` is the client's text, or ``interrupted`` (a stop).
        """
        self.hass.bus.async_fire(
            EVENT_OUTCOME_UNKNOWN,
            {
                "entry_id": self.entry_id,
                "queue_id": queue_id,
                "recipients": message.recipients,
                "message": message.message,
                "type": str(message.message_type),
                "error": error,
            },
        )


def warn_not_sent(changes: list[StatusChange], *, context: str) -> None:
    """Log each refused or unknown recipient: reason, number masked.

    For paths with no response to read (notify, retries from the outbox);
    ``context`` names the path in the line.
    """
    for change in changes:
        _LOGGER.warning(
            "%s: the message to %s was %s: %s",
            context,
            mask_phone(change.to),
            "refused" if change.status == "Rejected" else "perhaps not sent",
            change.error,
        )
