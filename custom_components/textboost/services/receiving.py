"""Actions for received messages: reply to one, and the webhook's URL."""

from __future__ import annotations

from typing import Final

from homeassistant.components import webhook
from homeassistant.core import ServiceCall, ServiceResponse
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from ..api import normalize_phone, normalize_sender_id
from ..api.incoming import INCOMING, address
from ..const import CONF_WEBHOOK_ID
from ..data import TextBoostConfigEntry
from ..errors import invalid
from ..messaging import SendRequest
from ..receiving import webhook_url
from .messages import async_send_and_respond
from .schemas import ATTR_MESSAGE, ATTR_SENDER_ID, ENTRY, FILLED

ATTR_MESSAGE_ID: Final = "message_id"
ATTR_REGENERATE: Final = "regenerate"
_LOCAL_PREFIX: Final = "local-"

REPLY_SCHEMA = vol.Schema(
    {
        **ENTRY,
        vol.Required(ATTR_MESSAGE_ID): FILLED,
        vol.Required(ATTR_MESSAGE): cv.string,
        vol.Optional(ATTR_SENDER_ID): cv.string,
    }
)
WEBHOOK_URL_SCHEMA = vol.Schema(
    {
        **ENTRY,
        vol.Optional(ATTR_REGENERATE, default=False): cv.boolean,
    }
)


async def _sender_of(entry: TextBoostConfigEntry, message_id: str) -> tuple[str, str]:
    """Who sent a received message, and to which number of the account."""
    received = entry.runtime_data.receiver.messages.get(message_id)
    if received is not None:
        return received.sender, received.to
    if message_id.startswith(_LOCAL_PREFIX):
        raise invalid("unknown_incoming_message", message_id=message_id)
    # The action wrapper turns the server's NotFound into the same error.
    found = await entry.runtime_data.client.get_message(message_id)
    if found.direction != INCOMING:
        raise invalid("unknown_incoming_message", message_id=message_id)
    return address(found.sender), address(found.to)


async def async_reply(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """Text the sender of a received message, from the number it was sent to.

    The message is found among those received since Home Assistant started,
    else read from the server by its uid. The reply goes out like
    ``send_sms`` (same checks, outbox and response), with the sender ID the
    action gives, else the account number the message was sent to (so the
    answer lands in the same conversation), else the options' default.
    """
    message_id = call.data[ATTR_MESSAGE_ID]
    sender, to = await _sender_of(entry, message_id)
    if normalize_phone(sender) is None:
        raise invalid("cannot_reply", sender=sender)
    sender_id = call.data.get(ATTR_SENDER_ID) or (
        to if to and normalize_sender_id(to) else None
    )
    response = await async_send_and_respond(
        call,
        entry,
        SendRequest(
            kind="sms",
            recipients=[sender],
            message=call.data[ATTR_MESSAGE],
            sender_id=sender_id,
        ),
    )
    return {**response, "in_reply_to": message_id}


async def async_get_webhook_url(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """The URL to paste into TextBoost; a new one (the old stops) on request."""
    receiver = entry.runtime_data.receiver
    if not receiver.settings.webhook:
        raise invalid("webhook_off", account=entry.title)
    webhook_id = receiver.settings.webhook_id
    assert webhook_id is not None
    if call.data[ATTR_REGENERATE]:
        webhook_id = webhook.async_generate_id()
        # The update listener reloads the entry: the old URL stops at once.
        call.hass.config_entries.async_update_entry(
            entry, options={**entry.options, CONF_WEBHOOK_ID: webhook_id}
        )
    return {
        "url": webhook_url(call.hass, webhook_id)
        or webhook.async_generate_path(webhook_id)
    }
