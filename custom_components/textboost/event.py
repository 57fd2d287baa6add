"""Event entities: delivery statuses of sent messages, and incoming messages."""

from __future__ import annotations

from homeassistant.components.event import (
    DOMAIN as EVENT_DOMAIN,
    EventEntity,
    EventEntityDescription,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import delivery_state
from .const import DOMAIN
from .data import TextBoostConfigEntry
from .entity import TextBoostEntity, entity_unique_id
from .outbox import StatusChange
from .receiving import ReceivedMessage

PARALLEL_UPDATES = 0

#: Delivery statuses the server reports, as event types.
KNOWN_STATUSES = (
    "scheduled",
    "enroute",
    "accepted",
    "delivered",
    "expired",
    "undelivered",
    "rejected",
    "skipped",
    "failed",
)

MESSAGE_STATUS = EventEntityDescription(
    key="message_status",
    translation_key="message_status",
    event_types=list(KNOWN_STATUSES),
)
INCOMING_MESSAGE = EventEntityDescription(
    key="incoming_message",
    translation_key="incoming_message",
    event_types=["message", "keyword"],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TextBoostConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the message status entity, and the incoming message one when receiving."""
    entities: list[EventEntity] = [MessageStatusEvent(entry, MESSAGE_STATUS)]
    if entry.runtime_data.receiver.settings.enabled:
        entities.append(IncomingMessageEvent(entry, INCOMING_MESSAGE))
    else:
        # Receiving was turned off: no entity that can never fire is left.
        registry = er.async_get(hass)
        if entity_id := registry.async_get_entity_id(
            EVENT_DOMAIN, DOMAIN, entity_unique_id(entry, INCOMING_MESSAGE.key)
        ):
            registry.async_remove(entity_id)
    async_add_entities(entities)


def event_type_for(status: str) -> str:
    """The event type of a server status.

    A status still on its way that has no event type of its own ("Queued",
    "Pending") is en route; anything else unknown counts as failed.
    """
    lowered = status.lower()
    if lowered in KNOWN_STATUSES:
        return lowered
    return "enroute" if delivery_state(status) == "pending" else "failed"


class MessageStatusEvent(TextBoostEntity, EventEntity):
    """Fires with each status change of a message sent from Home Assistant.

    Event data: ``uid``, ``to`` (the number, as the API wants it) and
    ``status`` (the server's word); the event type is ``event_type_for`` it.
    """

    def __init__(
        self, entry: TextBoostConfigEntry, description: EventEntityDescription
    ) -> None:
        """Follow the entry's outbox."""
        super().__init__(entry, description)
        self._outbox = entry.runtime_data.outbox

    async def async_added_to_hass(self) -> None:
        """Listen to the outbox."""
        await super().async_added_to_hass()
        self.async_on_remove(self._outbox.async_add_status_listener(self._on_status))

    @callback
    def _on_status(self, changes: list[StatusChange], answered: bool) -> None:
        """One event for a send or a status round, however many recipients.

        The first statuses of a message its caller handed over directly
        (``answered``) fire only when already final (refused, unknown,
        delivered): the routine ``Enroute`` is in the
        ``textboost_message_status`` event (and an action's response), and
        writing it would cost a state write per send. Retries and locally
        scheduled messages fire with every status. With several changes,
        ``uid`` and ``to`` are None and ``status`` is the one they share (None
        if they differ); ``recipients`` counts them.
        """
        if answered:
            changes = [c for c in changes if delivery_state(c.status) != "pending"]
            if not changes:
                return
        if len(changes) == 1:
            [change] = changes
            self._trigger_event(
                event_type_for(change.status),
                {"uid": change.uid, "to": change.to, "status": change.status},
            )
        else:
            shared = {c.status for c in changes}
            status = shared.pop() if len(shared) == 1 else None
            self._trigger_event(
                event_type_for(status or changes[-1].status),
                {"uid": None, "to": None, "status": status, "recipients": len(changes)},
            )
        self.async_write_ha_state()


class IncomingMessageEvent(TextBoostEntity, EventEntity):
    """Fires once with each message received on the account (after the filters).

    Event type ``keyword`` when the text starts with a keyword of the
    options, else ``message``; the attributes are the data of the bus event
    ``textboost_message_received`` (``ReceivedMessage.as_event_data``).
    """

    def __init__(
        self, entry: TextBoostConfigEntry, description: EventEntityDescription
    ) -> None:
        """Follow the entry's receiver."""
        super().__init__(entry, description)
        self._receiver = entry.runtime_data.receiver

    async def async_added_to_hass(self) -> None:
        """Listen to the receiver."""
        await super().async_added_to_hass()
        self.async_on_remove(self._receiver.async_add_listener(self._on_message))

    @callback
    def _on_message(self, message: ReceivedMessage) -> None:
        self._trigger_event(message.event_type, message.as_event_data())
        self.async_write_ha_state()
