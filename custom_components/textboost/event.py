"""Event entity: the latest delivery status of a sent message."""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import delivery_state
from .coordinator import TextBoostConfigEntry
from .entity import TextBoostEntity
from .outbox import StatusChange

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


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TextBoostConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the message status event entity."""
    async_add_entities([MessageStatusEvent(entry, MESSAGE_STATUS)])


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
    def _on_status(self, change: StatusChange) -> None:
        self._trigger_event(
            event_type_for(change.status),
            {"uid": change.uid, "to": change.to, "status": change.status},
        )
        self.async_write_ha_state()
