"""Actions of the TextBoost integration: messages, contacts and the outbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import asdict
from typing import Any, Final

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .api import (
    Contact,
    ContactGroup,
    Message,
    NotFound,
    TextBoostError,
    delivery_state,
    normalize_phone,
)
from .const import DOMAIN
from .coordinator import TextBoostConfigEntry
from .errors import action_error
from .messaging import (
    SendRequest,
    async_send,
    invalid,
    resolve_entry,
    resolve_groups,
)

ATTR_CONFIG_ENTRY: Final = "config_entry"
ATTR_RECIPIENTS: Final = "recipients"
ATTR_GROUPS: Final = "groups"
ATTR_MESSAGE: Final = "message"
ATTR_SENDER_ID: Final = "sender_id"
ATTR_SCHEDULE: Final = "schedule"
ATTR_DLT_TEMPLATE_ID: Final = "dlt_template_id"
ATTR_ENCODING: Final = "encoding"
ATTR_LANGUAGE: Final = "language"
ATTR_GENDER: Final = "gender"
ATTR_MEDIA_URL: Final = "media_url"
ATTR_CAMERA: Final = "camera_entity_id"
ATTR_UID: Final = "uid"
ATTR_PAGE: Final = "page"
ATTR_COUNT: Final = "count"
ATTR_GROUP: Final = "group"
ATTR_NAME: Final = "name"
ATTR_CONTACT: Final = "contact"
ATTR_PHONE: Final = "phone"
ATTR_FIRST_NAME: Final = "first_name"
ATTR_LAST_NAME: Final = "last_name"

ENCODINGS: Final = ("auto", "gsm7", "unicode")
MAX_LIST_COUNT: Final = 500

_ENTRY: dict[vol.Marker, Any] = {vol.Optional(ATTR_CONFIG_ENTRY): cv.string}
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
        **_ENTRY,
        **_TARGETS,
        vol.Required(ATTR_MESSAGE): cv.string,
        vol.Optional(ATTR_DLT_TEMPLATE_ID): cv.string,
        vol.Optional(ATTR_ENCODING, default="auto"): vol.In(ENCODINGS),
    }
)
SEND_VOICE_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        **_TARGETS,
        vol.Required(ATTR_MESSAGE): cv.string,
        vol.Optional(ATTR_LANGUAGE): cv.string,
        vol.Optional(ATTR_GENDER): cv.string,
    }
)
SEND_MMS_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        **_TARGETS,
        vol.Optional(ATTR_MESSAGE): cv.string,
        vol.Exclusive(ATTR_MEDIA_URL, "media"): cv.string,
        vol.Exclusive(ATTR_CAMERA, "media"): cv.entity_domain("camera"),
    }
)
GET_MESSAGE_SCHEMA = vol.Schema({**_ENTRY, vol.Required(ATTR_UID): cv.string})
LIST_MESSAGES_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Exclusive(ATTR_PAGE, "how_many"): vol.All(
            vol.Coerce(int), vol.Range(min=1)
        ),
        vol.Exclusive(ATTR_COUNT, "how_many"): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=MAX_LIST_COUNT)
        ),
    }
)
ENTRY_ONLY_SCHEMA = vol.Schema(_ENTRY)
#: The model the server names when it does not know a contact group.
_GROUP_MODEL: Final = "ContactGroups"
# A group (name or uid), a contact uid or a name: text that is not blank.
_FILLED = vol.All(cv.string, vol.Strip, vol.Length(min=1))
# A phone number as typed; checked (and named if bad) by the handler.
_PHONE = vol.Any(int, cv.string)
GROUP_SCHEMA = vol.Schema({**_ENTRY, vol.Required(ATTR_GROUP): _FILLED})
CREATE_GROUP_SCHEMA = vol.Schema({**_ENTRY, vol.Required(ATTR_NAME): _FILLED})
RENAME_GROUP_SCHEMA = vol.Schema(
    {**_ENTRY, vol.Required(ATTR_GROUP): _FILLED, vol.Required(ATTR_NAME): _FILLED}
)
LIST_CONTACTS_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_GROUP): _FILLED,
        vol.Optional(ATTR_PAGE): vol.All(vol.Coerce(int), vol.Range(min=1)),
    }
)
CONTACT_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_GROUP): _FILLED,
        vol.Required(ATTR_CONTACT): _FILLED,
    }
)
_NAMES: dict[vol.Marker, Any] = {
    vol.Optional(ATTR_FIRST_NAME): cv.string,
    vol.Optional(ATTR_LAST_NAME): cv.string,
}
ADD_CONTACT_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_GROUP): _FILLED,
        vol.Required(ATTR_PHONE): _PHONE,
        **_NAMES,
    }
)
UPDATE_CONTACT_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_GROUP): _FILLED,
        vol.Required(ATTR_CONTACT): _FILLED,
        # Optional: the server wants a number with every update, so the
        # handler keeps the contact's current one when none is given.
        vol.Optional(ATTR_PHONE): _PHONE,
        **_NAMES,
    }
)

type Handler = Callable[[ServiceCall, TextBoostConfigEntry], Awaitable[ServiceResponse]]


def message_to_dict(message: Message) -> dict[str, Any]:
    """A message as action response data."""
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
        "sent_at": message.sent_at,
    }


def group_to_dict(group: ContactGroup) -> dict[str, Any]:
    """A contact group as action response data."""
    return {"uid": group.uid, "name": group.name}


def contact_to_dict(contact: Contact) -> dict[str, Any]:
    """A contact as action response data."""
    data = asdict(contact)
    data["custom_fields"] = dict(contact.custom_fields)
    return data


def _send_request(call: ServiceCall, kind: Any) -> SendRequest:
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


async def _send_sms(call: ServiceCall, entry: TextBoostConfigEntry) -> ServiceResponse:
    return await async_send(call.hass, entry, _send_request(call, "sms"))


async def _send_voice(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    return await async_send(call.hass, entry, _send_request(call, "voice"))


async def _send_mms(call: ServiceCall, entry: TextBoostConfigEntry) -> ServiceResponse:
    return await async_send(call.hass, entry, _send_request(call, "mms"))


async def _get_message(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    uid = call.data[ATTR_UID]
    try:
        message = await entry.runtime_data.client.get_message(uid)
    except NotFound as err:
        raise invalid("unknown_message", uid=uid) from err
    return message_to_dict(message)


async def _list_messages(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
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


async def _group(call: ServiceCall, entry: TextBoostConfigEntry) -> ContactGroup:
    """The group an action names, by uid or by name; unknown ones are refused."""
    # The schema refuses a blank name, so resolve_groups finds one or raises.
    return (await resolve_groups(call.hass, entry, [call.data[ATTR_GROUP]]))[0]


async def _groups_changed(
    entry: TextBoostConfigEntry, *, groups_changed: bool = False
) -> None:
    """Have the group sensors follow a change that an action made.

    A group created, renamed or deleted is read again at once: its sensor
    appears or goes before the action returns, and the next action finds the
    group by its new name. A contact added or removed only changes a count,
    so that refresh may wait a little and be shared with the next changes.
    """
    coordinator = entry.runtime_data.groups
    if groups_changed:
        await coordinator.async_refresh()
    else:
        await coordinator.async_request_refresh()


async def _create_group(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    group = await entry.runtime_data.client.create_group(call.data[ATTR_NAME])
    await _groups_changed(entry, groups_changed=True)
    return group_to_dict(group)


async def _rename_group(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    group = await _group(call, entry)
    renamed = await _contact_call(
        call,
        entry,
        entry.runtime_data.client.rename_group(group.uid, call.data[ATTR_NAME]),
    )
    await _groups_changed(entry, groups_changed=True)
    return group_to_dict(renamed)


async def _delete_group(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    group = await _group(call, entry)
    await _contact_call(call, entry, entry.runtime_data.client.delete_group(group.uid))
    await _groups_changed(entry, groups_changed=True)
    return {**group_to_dict(group), "deleted": True}


async def _get_group(call: ServiceCall, entry: TextBoostConfigEntry) -> ServiceResponse:
    group = await _group(call, entry)
    client = entry.runtime_data.client
    found = await _contact_call(call, entry, client.get_group(group.uid))
    contacts = await _contact_call(call, entry, client.list_contacts(group.uid))
    return {**group_to_dict(found), "contacts": contacts.total}


async def _list_groups(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    groups = [g async for g in entry.runtime_data.client.iter_groups()]
    return {"groups": [group_to_dict(g) for g in groups], "total": len(groups)}


def _phone(call: ServiceCall) -> str:
    """The contact's number as the API wants it, or a translated error."""
    raw = call.data[ATTR_PHONE]
    number = normalize_phone(raw)
    if number is None:
        raise invalid("invalid_phone", phone=str(raw))
    return number


async def _add_contact(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    phone = _phone(call)
    group = await _group(call, entry)
    contact = await _contact_call(
        call,
        entry,
        entry.runtime_data.client.add_contact(
            group.uid,
            phone,
            call.data.get(ATTR_FIRST_NAME),
            call.data.get(ATTR_LAST_NAME),
        ),
    )
    await _groups_changed(entry)
    return {**contact_to_dict(contact), "group": group.uid}


async def _get_contact(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    group = await _group(call, entry)
    contact = await _contact_call(
        call,
        entry,
        entry.runtime_data.client.get_contact(group.uid, call.data[ATTR_CONTACT]),
    )
    return {**contact_to_dict(contact), "group": group.uid}


async def _update_contact(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    phone = _phone(call) if ATTR_PHONE in call.data else None
    group = await _group(call, entry)
    uid = call.data[ATTR_CONTACT]
    client = entry.runtime_data.client
    if phone is None:
        # The server wants the number with every update: keep the current one.
        current = await _contact_call(call, entry, client.get_contact(group.uid, uid))
        phone = current.phone
    contact = await _contact_call(
        call,
        entry,
        client.update_contact(
            group.uid,
            uid,
            phone,
            call.data.get(ATTR_FIRST_NAME),
            call.data.get(ATTR_LAST_NAME),
        ),
    )
    return {**contact_to_dict(contact), "group": group.uid}


async def _delete_contact(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    group = await _group(call, entry)
    uid = call.data[ATTR_CONTACT]
    await _contact_call(
        call, entry, entry.runtime_data.client.delete_contact(group.uid, uid)
    )
    await _groups_changed(entry)
    return {"uid": uid, "group": group.uid, "deleted": True}


async def _list_contacts(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    group = await _group(call, entry)
    client = entry.runtime_data.client
    if page_number := call.data.get(ATTR_PAGE):
        page = await _contact_call(
            call, entry, client.list_contacts(group.uid, page_number)
        )
        return {
            "group": group.uid,
            "contacts": [contact_to_dict(c) for c in page.items],
            "page": page.current_page,
            "last_page": page.last_page,
            "total": page.total,
        }

    async def every_contact() -> list[Contact]:
        return [c async for c in client.iter_contacts(group.uid)]

    contacts = await _contact_call(call, entry, every_contact())
    return {
        "group": group.uid,
        "contacts": [contact_to_dict(c) for c in contacts],
        "total": len(contacts),
    }


async def _contact_call[T](
    call: ServiceCall, entry: TextBoostConfigEntry, request: Awaitable[T]
) -> T:
    """Run an address-book request; an unknown group or contact is the user's mistake.

    The server names the model it could not find ("No query results for model
    [...ContactGroups] ..."). A group it does not know was deleted
    behind Home Assistant's back: the groups are read again, so that the
    next action looks it up afresh.
    """
    try:
        return await request
    except NotFound as err:
        group = call.data[ATTR_GROUP]
        contact = call.data.get(ATTR_CONTACT)
        if contact is not None and err.model != _GROUP_MODEL:
            raise invalid("unknown_contact", contact=contact, group=group) from err
        await entry.runtime_data.groups.async_request_refresh()
        raise invalid("unknown_group", group=group) from err


async def _retry_queued(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """Try the queued retries now; say how many, and how many still wait."""
    outbox = entry.runtime_data.outbox
    retried = await outbox.retry_now()
    return {"retried": retried, "queued": outbox.pending_count}


async def _clear_queue(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    return {"cleared": await entry.runtime_data.outbox.clear()}


SERVICES: Final[dict[str, tuple[Handler, vol.Schema, SupportsResponse]]] = {
    "send_sms": (_send_sms, SEND_SMS_SCHEMA, SupportsResponse.OPTIONAL),
    "send_voice": (_send_voice, SEND_VOICE_SCHEMA, SupportsResponse.OPTIONAL),
    "send_mms": (_send_mms, SEND_MMS_SCHEMA, SupportsResponse.OPTIONAL),
    "get_message": (_get_message, GET_MESSAGE_SCHEMA, SupportsResponse.ONLY),
    "list_messages": (_list_messages, LIST_MESSAGES_SCHEMA, SupportsResponse.ONLY),
    "create_group": (_create_group, CREATE_GROUP_SCHEMA, SupportsResponse.OPTIONAL),
    "rename_group": (_rename_group, RENAME_GROUP_SCHEMA, SupportsResponse.OPTIONAL),
    "delete_group": (_delete_group, GROUP_SCHEMA, SupportsResponse.OPTIONAL),
    "get_group": (_get_group, GROUP_SCHEMA, SupportsResponse.ONLY),
    "list_groups": (_list_groups, ENTRY_ONLY_SCHEMA, SupportsResponse.ONLY),
    "add_contact": (_add_contact, ADD_CONTACT_SCHEMA, SupportsResponse.OPTIONAL),
    "get_contact": (_get_contact, CONTACT_SCHEMA, SupportsResponse.ONLY),
    "update_contact": (
        _update_contact,
        UPDATE_CONTACT_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
    "delete_contact": (_delete_contact, CONTACT_SCHEMA, SupportsResponse.OPTIONAL),
    "list_contacts": (_list_contacts, LIST_CONTACTS_SCHEMA, SupportsResponse.ONLY),
    "retry_queued": (_retry_queued, ENTRY_ONLY_SCHEMA, SupportsResponse.OPTIONAL),
    "clear_queue": (_clear_queue, ENTRY_ONLY_SCHEMA, SupportsResponse.OPTIONAL),
}


def _wrap(
    handler: Handler,
) -> Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]:
    """Find the account, run the handler, and turn client errors into readable ones."""

    async def run(call: ServiceCall) -> ServiceResponse:
        entry = resolve_entry(call.hass, call.data.get(ATTR_CONFIG_ENTRY))
        try:
            return await handler(call, entry)
        except TextBoostError as err:
            raise action_error(call.hass, entry, err) from err

    return run


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every action of the integration."""
    for name, (handler, schema, supports_response) in SERVICES.items():
        hass.services.async_register(
            DOMAIN,
            name,
            _wrap(handler),
            schema=schema,
            supports_response=supports_response,
        )
