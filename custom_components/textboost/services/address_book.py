"""Address-book actions: contact groups and the contacts in them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.core import ServiceCall, ServiceResponse
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from ..api import Contact, ContactGroup, normalize_phone
from ..data import TextBoostConfigEntry
from ..errors import invalid
from ..messaging import async_resolve_groups
from .schemas import (
    ATTR_CONTACT,
    ATTR_FIRST_NAME,
    ATTR_GROUP,
    ATTR_LAST_NAME,
    ATTR_NAME,
    ATTR_PAGE,
    ATTR_PHONE,
    ENTRY,
    FILLED,
    PAGE,
)

# A phone number as typed; checked (and named if bad) by the handler.
_PHONE = vol.Any(int, cv.string)
_NAMES: dict[vol.Marker, Any] = {
    vol.Optional(ATTR_FIRST_NAME): cv.string,
    vol.Optional(ATTR_LAST_NAME): cv.string,
}

GROUP_SCHEMA = vol.Schema({**ENTRY, vol.Required(ATTR_GROUP): FILLED})
CREATE_GROUP_SCHEMA = vol.Schema({**ENTRY, vol.Required(ATTR_NAME): FILLED})
RENAME_GROUP_SCHEMA = vol.Schema(
    {**ENTRY, vol.Required(ATTR_GROUP): FILLED, vol.Required(ATTR_NAME): FILLED}
)
LIST_CONTACTS_SCHEMA = vol.Schema(
    {**ENTRY, vol.Required(ATTR_GROUP): FILLED, vol.Optional(ATTR_PAGE): PAGE}
)
CONTACT_SCHEMA = vol.Schema(
    {**ENTRY, vol.Required(ATTR_GROUP): FILLED, vol.Required(ATTR_CONTACT): FILLED}
)
ADD_CONTACT_SCHEMA = vol.Schema(
    {
        **ENTRY,
        vol.Required(ATTR_GROUP): FILLED,
        vol.Required(ATTR_PHONE): _PHONE,
        **_NAMES,
    }
)
UPDATE_CONTACT_SCHEMA = vol.Schema(
    {
        **ENTRY,
        vol.Required(ATTR_GROUP): FILLED,
        vol.Required(ATTR_CONTACT): FILLED,
        # Optional: the server wants a number with every update, so the
        # handler keeps the contact's current one when none is given.
        vol.Optional(ATTR_PHONE): _PHONE,
        **_NAMES,
    }
)


def group_to_dict(group: ContactGroup) -> dict[str, Any]:
    """A contact group as action response data: ``{"uid": str, "name": str}``."""
    return {"uid": group.uid, "name": group.name}


def contact_to_dict(contact: Contact) -> dict[str, Any]:
    """A contact as action response data: the ``Contact`` fields as a dict."""
    data = asdict(contact)
    data["custom_fields"] = dict(contact.custom_fields)
    return data


async def _group(call: ServiceCall, entry: TextBoostConfigEntry) -> ContactGroup:
    """The group an action names, by uid or by name; unknown ones are refused."""
    # The schema refuses a blank name, so async_resolve_groups finds one or raises.
    return (await async_resolve_groups(call.hass, entry, [call.data[ATTR_GROUP]]))[0]


def _phone(call: ServiceCall) -> str:
    """The contact's number as the API wants it, or a translated error."""
    raw = call.data[ATTR_PHONE]
    number = normalize_phone(raw)
    if number is None:
        raise invalid("invalid_phone", phone=str(raw))
    return number


async def async_create_group(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """Create a group: ``group_to_dict`` of the new group."""
    group = await entry.runtime_data.client.create_group(call.data[ATTR_NAME])
    entry.runtime_data.groups.async_group_changed(group, created=True)
    return group_to_dict(group)


async def async_rename_group(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """Rename a group: ``group_to_dict`` of the renamed group."""
    group = await _group(call, entry)
    renamed = await entry.runtime_data.client.rename_group(
        group.uid, call.data[ATTR_NAME]
    )
    entry.runtime_data.groups.async_group_changed(renamed, created=False)
    return group_to_dict(renamed)


async def async_delete_group(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """Delete a group: its ``uid`` and ``name``, and ``"deleted": True``."""
    group = await _group(call, entry)
    await entry.runtime_data.client.delete_group(group.uid)
    entry.runtime_data.groups.async_group_deleted(group.uid)
    return {**group_to_dict(group), "deleted": True}


async def async_get_group(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """A group's ``uid`` and ``name``, and ``contacts``: how many it holds."""
    group = await _group(call, entry)
    client = entry.runtime_data.client
    found = await client.get_group(group.uid)
    contacts = await client.list_contacts(group.uid)
    return {**group_to_dict(found), "contacts": contacts.total}


async def async_list_groups(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """Every group: ``{"groups": [group_to_dict, ...], "total": int}``."""
    groups = [g async for g in entry.runtime_data.client.iter_groups()]
    return {"groups": [group_to_dict(g) for g in groups], "total": len(groups)}


async def async_add_contact(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """Add a contact to a group: ``contact_to_dict`` and the ``group`` uid.

    Raises ServiceValidationError ``invalid_phone`` for a number that is not one.
    """
    phone = _phone(call)
    group = await _group(call, entry)
    contact = await entry.runtime_data.client.add_contact(
        group.uid,
        phone,
        call.data.get(ATTR_FIRST_NAME),
        call.data.get(ATTR_LAST_NAME),
    )
    await entry.runtime_data.groups.async_contacts_changed(group.uid)
    return {**contact_to_dict(contact), "group": group.uid}


async def async_get_contact(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """One contact of a group: ``contact_to_dict`` and the ``group`` uid."""
    group = await _group(call, entry)
    contact = await entry.runtime_data.client.get_contact(
        group.uid, call.data[ATTR_CONTACT]
    )
    return {**contact_to_dict(contact), "group": group.uid}


async def async_update_contact(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """Change a contact's number or names: ``contact_to_dict`` and ``group``.

    Raises ServiceValidationError ``invalid_phone`` for a number that is not one.
    """
    phone = _phone(call) if ATTR_PHONE in call.data else None
    group = await _group(call, entry)
    uid = call.data[ATTR_CONTACT]
    client = entry.runtime_data.client
    if phone is None:
        # The server wants the number with every update: keep the current one.
        current = await client.get_contact(group.uid, uid)
        phone = current.phone
    contact = await client.update_contact(
        group.uid,
        uid,
        phone,
        call.data.get(ATTR_FIRST_NAME),
        call.data.get(ATTR_LAST_NAME),
    )
    return {**contact_to_dict(contact), "group": group.uid}


async def async_delete_contact(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """Delete a contact: ``{"uid": str, "group": str, "deleted": True}``."""
    group = await _group(call, entry)
    uid = call.data[ATTR_CONTACT]
    await entry.runtime_data.client.delete_contact(group.uid, uid)
    await entry.runtime_data.groups.async_contacts_changed(group.uid)
    return {"uid": uid, "group": group.uid, "deleted": True}


async def async_list_contacts(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """The contacts of a group, every one or one page.

    Every one: ``{"group": str, "contacts": [...], "total": int}``; with
    ``page``, also ``"page"`` and ``"last_page"``, and ``total`` counts the
    whole group.
    """
    group = await _group(call, entry)
    client = entry.runtime_data.client
    if page_number := call.data.get(ATTR_PAGE):
        page = await client.list_contacts(group.uid, page_number)
        return {
            "group": group.uid,
            "contacts": [contact_to_dict(c) for c in page.items],
            "page": page.current_page,
            "last_page": page.last_page,
            "total": page.total,
        }

    async def every_contact() -> list[Contact]:
        return [c async for c in client.iter_contacts(group.uid)]

    contacts = await every_contact()
    return {
        "group": group.uid,
        "contacts": [contact_to_dict(c) for c in contacts],
        "total": len(contacts),
    }
