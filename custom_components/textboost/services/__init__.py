"""Actions of the TextBoost integration: one registry of every action.

The actions live by family: ``messages`` (send and read messages),
``address_book`` (contact groups and contacts), ``outbox`` (the queue) and
``receiving`` (replies to received messages, the webhook's URL).
``schemas`` holds the field names and schema fragments they share.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, Final, NamedTuple

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
import voluptuous as vol

from ..api import AuthenticationFailed, NotFound, TextBoostError
from ..const import DOMAIN
from ..errors import action_error, not_found_error
from ..messaging import resolve_entry
from . import address_book, messages, outbox, receiving
from .schemas import ATTR_CONFIG_ENTRY, ENTRY_ONLY_SCHEMA, Handler


class Action(NamedTuple):
    """An action: its body, its schema and whether it returns data."""

    handler: Handler
    schema: vol.Schema
    supports_response: SupportsResponse


_OPTIONAL = SupportsResponse.OPTIONAL
_ONLY = SupportsResponse.ONLY

#: Every action of the integration, by service name.
SERVICES: Final[dict[str, Action]] = {
    # Messages
    "send_sms": Action(messages.async_send_sms, messages.SEND_SMS_SCHEMA, _OPTIONAL),
    "send_voice": Action(
        messages.async_send_voice, messages.SEND_VOICE_SCHEMA, _OPTIONAL
    ),
    "send_mms": Action(messages.async_send_mms, messages.SEND_MMS_SCHEMA, _OPTIONAL),
    "get_message": Action(
        messages.async_get_message, messages.GET_MESSAGE_SCHEMA, _ONLY
    ),
    "list_messages": Action(
        messages.async_list_messages, messages.LIST_MESSAGES_SCHEMA, _ONLY
    ),
    # Address book
    "create_group": Action(
        address_book.async_create_group, address_book.CREATE_GROUP_SCHEMA, _OPTIONAL
    ),
    "rename_group": Action(
        address_book.async_rename_group, address_book.RENAME_GROUP_SCHEMA, _OPTIONAL
    ),
    "delete_group": Action(
        address_book.async_delete_group, address_book.GROUP_SCHEMA, _OPTIONAL
    ),
    "get_group": Action(address_book.async_get_group, address_book.GROUP_SCHEMA, _ONLY),
    "list_groups": Action(address_book.async_list_groups, ENTRY_ONLY_SCHEMA, _ONLY),
    "add_contact": Action(
        address_book.async_add_contact, address_book.ADD_CONTACT_SCHEMA, _OPTIONAL
    ),
    "get_contact": Action(
        address_book.async_get_contact, address_book.CONTACT_SCHEMA, _ONLY
    ),
    "update_contact": Action(
        address_book.async_update_contact,
        address_book.UPDATE_CONTACT_SCHEMA,
        _OPTIONAL,
    ),
    "delete_contact": Action(
        address_book.async_delete_contact, address_book.CONTACT_SCHEMA, _OPTIONAL
    ),
    "list_contacts": Action(
        address_book.async_list_contacts, address_book.LIST_CONTACTS_SCHEMA, _ONLY
    ),
    # Outbox
    "retry_queued": Action(outbox.async_retry_queued, ENTRY_ONLY_SCHEMA, _OPTIONAL),
    "clear_queue": Action(outbox.async_clear_queue, ENTRY_ONLY_SCHEMA, _OPTIONAL),
    # Received messages
    "reply": Action(receiving.async_reply, receiving.REPLY_SCHEMA, _OPTIONAL),
    "get_webhook_url": Action(
        receiving.async_get_webhook_url, receiving.WEBHOOK_URL_SCHEMA, _OPTIONAL
    ),
}


def _wrap(
    handler: Handler,
) -> Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]:
    """Find the account, run the handler, and turn client errors into readable ones.

    A record the server does not have is the user's mistake
    (``errors.not_found_error``); a group it does not know was deleted behind
    Home Assistant's back, so the groups are read again for the next action.
    """

    async def run(call: ServiceCall) -> ServiceResponse:
        entry = resolve_entry(call.hass, call.data.get(ATTR_CONFIG_ENTRY))
        try:
            return await handler(call, entry)
        except NotFound as err:
            error = not_found_error(err, call.data)
            if error.translation_key == "unknown_group":
                await entry.runtime_data.groups.async_request_refresh()
            raise error from err
        except TextBoostError as err:
            if isinstance(err, AuthenticationFailed):
                entry.async_start_reauth(call.hass)
            raise action_error(err) from err

    return run


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every action of the integration (once, from ``async_setup``)."""
    for name, action in SERVICES.items():
        hass.services.async_register(
            DOMAIN,
            name,
            _wrap(action.handler),
            schema=action.schema,
            supports_response=action.supports_response,
        )
