"""Contact routes: the contacts inside one group.

`POST contacts/{group}/store`, `POST .../search/{uid}`, `PATCH
.../update/{uid}`, `DELETE .../delete/{uid}` and `POST contacts/{group}/all`
(paginated).

Older servers answer `{uid, phone, first_name, last_name}`, newer ones
`{uid, phone, status, custom_fields: {TAG: value}}` (WIRE-NOTES, contacts
row); `Sandbox.contact_shape` ("old" or "new") picks one. Validation failures
are HTTP 422.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..context import SandboxContext
from ..envelope import ApiError, NotFoundError, Reply, paginate, success
from ..params import NUMBER, Call, page, required, text
from ..state import Contact, Group, new_uid
from .groups import find_group


def _find_contact(group: Group, uid: str) -> Contact:
    contact = group.contacts.get(uid)
    if contact is None:
        raise NotFoundError("Contacts", uid)
    return contact


def _contact_json(ctx: SandboxContext, contact: Contact) -> dict[str, Any]:
    if ctx.contact_shape == "new":
        return {
            "uid": contact.uid,
            "phone": contact.phone,
            "status": "subscribe",
            "custom_fields": {
                "FIRST_NAME": contact.first_name,
                "LAST_NAME": contact.last_name,
            },
        }
    return {
        "uid": contact.uid,
        "phone": contact.phone,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
    }


def _read_phone(
    params: Mapping[str, Any], group: Group, exclude: str | None = None
) -> str:
    raw = required(params, "phone", status=422)
    phone = raw.removeprefix("+")
    if not NUMBER.fullmatch(phone):
        raise ApiError("The phone must be a number.", 422)
    for other in group.contacts.values():
        if other.phone == phone and other.uid != exclude:
            raise ApiError("The phone has already been taken.", 422)
    return phone


def store_contact(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`POST contacts/{group}/store`: add a contact (`phone`, names optional)."""
    group = find_group(ctx.state, args["group"])
    phone = _read_phone(call.params, group)
    contact = Contact(
        uid=new_uid(),
        phone=phone,
        first_name=text(call.params, "first_name", status=422),
        last_name=text(call.params, "last_name", status=422),
    )
    group.contacts[contact.uid] = contact
    return success(_contact_json(ctx, contact), "Contact successfully added")


def search_contact(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`POST contacts/{group}/search/{uid}`: one contact."""
    contact = _find_contact(find_group(ctx.state, args["group"]), args["uid"])
    return success(_contact_json(ctx, contact))


def update_contact(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`PATCH contacts/{group}/update/{uid}`: new phone; names only when given."""
    group = find_group(ctx.state, args["group"])
    contact = _find_contact(group, args["uid"])
    phone = _read_phone(call.params, group, exclude=contact.uid)
    first_name = text(call.params, "first_name", status=422)
    last_name = text(call.params, "last_name", status=422)
    contact.phone = phone
    if "first_name" in call.params:
        contact.first_name = first_name
    if "last_name" in call.params:
        contact.last_name = last_name
    return success(_contact_json(ctx, contact), "Contact successfully updated")


def delete_contact(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`DELETE contacts/{group}/delete/{uid}`: remove the contact."""
    group = find_group(ctx.state, args["group"])
    contact = _find_contact(group, args["uid"])
    del group.contacts[contact.uid]
    return success(None, "Contact successfully deleted")


def list_contacts(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`POST contacts/{group}/all`: the group's contacts, 25 a page."""
    group = find_group(ctx.state, args["group"])
    items = [_contact_json(ctx, contact) for contact in group.contacts.values()]
    url = f"{call.base}contacts/{group.uid}/all"
    return success(paginate(items, page(call.params), url))
