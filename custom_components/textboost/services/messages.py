"""Message actions: send an SMS, a voice call or an MMS; read the history."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.core import ServiceCall, ServiceResponse
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from ..api import AuthenticationFailed, Message, delivery_state
from ..data import TextBoostConfigEntry
from ..errors import send_error
from ..messaging import MessageKind, SendRequest, async_send, outcome_response
from .schemas import (
    ATTR_CAMERA,
    ATTR_COUNT,
    ATTR_DLT_TEMPLATE_ID,
    ATTR_ENCODING,
    ATTR_GENDER,
    ATTR_GROUPS,
    ATTR_LANGUAGE,
    ATTR_MEDIA_URL,
    ATTR_MESSAGE,
    ATTR_PAGE,
    ATTR_RECIPIENTS,
    ATTR_SCHEDULE,
    ATTR_SENDER_ID,
    ATTR_UID,
    ENTRY,
    PAGE,
)

ENCODINGS: Final = ("auto", "gsm7", "unicode")
#: The most messages ``list_messages`` returns for a ``count``.
MAX_LIST_COUNT: Final = 500

# Numbers as text: cv.string also takes the integer a template renders, and is
# much cheaper than trying int first.
_NUMBERS = vol.All(cv.ensure_list, [cv.string])
_TARGETS: dict[vol.Marker, Any] = {
    vol.Optional(ATTR_RECIPIENTS, default=list): _NUMBERS,
    vol.Optional(ATTR_GROUPS, default=list): vol.All(cv.ensure_list, [cv.string]),
    vol.Optional(ATTR_SENDER_ID): cv.string,
    vol.Optional(ATTR_SCHEDULE): cv.datetime,
}

SEND_SMS_SCHEMA = vol.Schema(
    {
        **ENTRY,
        **_TARGETS,
        vol.Required(ATTR_MESSAGE): cv.string,
        vol.Optional(ATTR_DLT_TEMPLATE_ID): cv.string,
        vol.Optional(ATTR_ENCODING, default="auto"): vol.In(ENCODINGS),
    }
)
SEND_VOICE_SCHEMA = vol.Schema(
    {
        **ENTRY,
        **_TARGETS,
        vol.Required(ATTR_MESSAGE): cv.string,
        vol.Optional(ATTR_LANGUAGE): cv.string,
        vol.Optional(ATTR_GENDER): cv.string,
    }
)
SEND_MMS_SCHEMA = vol.Schema(
    {
        **ENTRY,
        **_TARGETS,
        vol.Optional(ATTR_MESSAGE): cv.string,
        vol.Exclusive(ATTR_MEDIA_URL, "media"): cv.string,
        vol.Exclusive(ATTR_CAMERA, "media"): cv.entity_domain("camera"),
    }
)
GET_MESSAGE_SCHEMA = vol.Schema({**ENTRY, vol.Required(ATTR_UID): cv.string})
LIST_MESSAGES_SCHEMA = vol.Schema(
    {
        **ENTRY,
        vol.Exclusive(ATTR_PAGE, "how_many"): PAGE,
        vol.Exclusive(ATTR_COUNT, "how_many"): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=MAX_LIST_COUNT)
        ),
    }
)


def message_to_dict(message: Message) -> dict[str, Any]:
    """A message as action response data.

    Keys: ``uid``, ``to``, ``from``, ``message``, ``status`` (the server's
    word), ``delivery`` (``pending``, ``delivered`` or ``failed``), ``cost``
    (a float in the account's currency, or None), ``sms_type``, ``direction``
    and ``sent_at`` (ISO 8601 in UTC, or None).
    """
    return {
        "uid": message.uid,
        "to": message.to,
        "from": message.sender,
        "message": message.message,
        "status": message.status,
        "delivery": delivery_state(message.status),
        "cost": float(message.cost) if message.cost is not None else None,
        "sms_type": message.sms_type,
        "direction": message.direction,
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
    }


def _send_request(call: ServiceCall, kind: MessageKind) -> SendRequest:
    data = call.data
    return SendRequest(
        kind=kind,
        recipients=list(data[ATTR_RECIPIENTS]),
        groups=list(data[ATTR_GROUPS]),
        message=data.get(ATTR_MESSAGE),
        sender_id=data.get(ATTR_SENDER_ID),
        schedule=data.get(ATTR_SCHEDULE),
        dlt_template_id=data.get(ATTR_DLT_TEMPLATE_ID),
        encoding=data.get(ATTR_ENCODING, "auto"),
        language=data.get(ATTR_LANGUAGE),
        gender=data.get(ATTR_GENDER),
        media_url=data.get(ATTR_MEDIA_URL),
        camera_entity_id=data.get(ATTR_CAMERA),
    )


async def async_send_and_respond(
    call: ServiceCall, entry: TextBoostConfigEntry, request: SendRequest
) -> dict[str, Any]:
    """Send, and turn the outbox's outcome into the response or an error."""
    outcome = await async_send(call.hass, entry, request)
    if (error := send_error(outcome)) is not None:
        if isinstance(outcome.failure, AuthenticationFailed):
            entry.async_start_reauth(call.hass)
        raise error
    return outcome_response(outcome)


async def _async_send(
    call: ServiceCall, entry: TextBoostConfigEntry, kind: MessageKind
) -> ServiceResponse:
    return await async_send_and_respond(call, entry, _send_request(call, kind))


async def async_send_sms(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """Send an SMS; the response is ``messaging.outcome_response``'s."""
    return await _async_send(call, entry, "sms")


async def async_send_voice(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """Send a voice call; the response is ``messaging.outcome_response``'s."""
    return await _async_send(call, entry, "voice")


async def async_send_mms(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """Send an MMS; the response is ``messaging.outcome_response``'s."""
    return await _async_send(call, entry, "mms")


async def async_get_message(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """One message by uid, as ``message_to_dict`` shapes it.

    Raises ServiceValidationError ``unknown_message`` when the server has none
    (``errors.not_found_error``, from the action wrapper).
    """
    message = await entry.runtime_data.client.get_message(call.data[ATTR_UID])
    return message_to_dict(message)


async def async_list_messages(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """The latest ``count`` messages, or one page of the history.

    With ``count``: ``{"messages": [...], "count": int}``; otherwise
    ``{"messages": [...], "page": int, "last_page": int, "total": int}``.
    """
    client = entry.runtime_data.client
    if count := call.data.get(ATTR_COUNT):
        messages: list[Message] = []
        async for message in client.iter_messages():
            messages.append(message)
            if len(messages) >= count:
                break
        return {
            "messages": [message_to_dict(m) for m in messages],
            "count": len(messages),
        }
    page = await client.list_messages(call.data.get(ATTR_PAGE, 1))
    return {
        "messages": [message_to_dict(m) for m in page.items],
        "page": page.current_page,
        "last_page": page.last_page,
        "total": page.total,
    }
