"""Receiving messages: the webhook, polling, verification and filters.

``__init__`` creates the receiver of each account, starts it once the
platforms are set up and stops it on unload.
With receiving off it makes no request and registers nothing.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from ..api import TextBoostClient
from ..outbox.manners import RateLimitManners
from .filters import ReceiveSettings, match_keyword
from .receiver import ReceivedMessage, Receiver
from .webhook import async_register_webhook, async_unregister_webhook, webhook_url

__all__ = [
    "ReceiveSettings",
    "ReceivedMessage",
    "Receiver",
    "async_start_receiving",
    "async_stop_receiving",
    "create_receiver",
    "match_keyword",
    "webhook_url",
]


def create_receiver(
    hass: HomeAssistant,
    entry: ConfigEntry[Any],
    client: TextBoostClient,
    manners: RateLimitManners,
) -> Receiver:
    """The receiver of an account, as its options say; it does nothing yet.

    ``manners`` is the account's one ``RateLimitManners`` (the outbox's), so
    that polling and delivery tracking share one pause.
    """
    return Receiver(
        hass, entry, client, ReceiveSettings.from_options(entry.options), manners
    )


async def async_start_receiving(hass: HomeAssistant, receiver: Receiver) -> None:
    """Start polling and listen at the webhook, when the options ask for them.

    Called once the platforms are set up, so that the event entity hears the
    first message. The webhook is Home Assistant's (``webhook.async_register``).
    """
    await receiver.async_start()
    if receiver.settings.webhook:
        assert receiver.settings.webhook_id is not None
        async_register_webhook(hass, receiver, receiver.settings.webhook_id)


async def async_stop_receiving(hass: HomeAssistant, receiver: Receiver) -> None:
    """Stop listening: the webhook goes, the position is kept.

    ``webhook.async_unregister``; the position is written at once (``Store``).
    """
    if receiver.settings.webhook:
        assert receiver.settings.webhook_id is not None
        async_unregister_webhook(hass, receiver.settings.webhook_id)
    await receiver.async_stop()
