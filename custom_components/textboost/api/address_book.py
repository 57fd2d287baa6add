"""Address-book endpoints: contact groups and their contacts.

Paths and shapes from WIRE-NOTES "Endpoints": groups are ``{uid, name}``;
contacts are ``{uid, phone, first_name, last_name}`` on older servers and
``{uid, phone, status, custom_fields}`` on newer ones. Lists come 25 a page.
Every method raises the client's exceptions; an unknown uid raises
``NotFound`` (its ``model`` names what was looked up).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from .models import Contact, ContactGroup, Page
from .phone import normalize_phone
from .transport import Transport, as_dict, iterate_pages, path_segment


class AddressBookEndpoints(Transport):
    """Contact groups and contacts."""

    # Contact groups

    async def create_group(self, name: str) -> ContactGroup:
        """Create a contact group (``POST contacts``)."""
        data, _ = await self._request("POST", "contacts", body={"name": name})
        return ContactGroup.from_api(as_dict(data))

    async def get_group(self, group_uid: str) -> ContactGroup:
        """One contact group by uid (``POST contacts/{group}/show``)."""
        data, _ = await self._request(
            "POST", f"contacts/{path_segment(group_uid)}/show"
        )
        return ContactGroup.from_api(as_dict(data))

    async def rename_group(self, group_uid: str, name: str) -> ContactGroup:
        """Give a contact group a new name (``PATCH contacts/{group}``)."""
        data, _ = await self._request(
            "PATCH", f"contacts/{path_segment(group_uid)}", body={"name": name}
        )
        return ContactGroup.from_api(as_dict(data))

    async def delete_group(self, group_uid: str) -> None:
        """Delete a contact group and its contacts (``DELETE contacts/{group}``)."""
        await self._request("DELETE", f"contacts/{path_segment(group_uid)}")

    async def list_groups(self, page: int = 1) -> Page[ContactGroup]:
        """One page (25) of contact groups (``GET contacts?page=N``)."""
        data, _ = await self._request("GET", "contacts", params={"page": str(page)})
        return Page.from_api(data, ContactGroup.from_api)

    def iter_groups(self) -> AsyncIterator[ContactGroup]:
        """Every contact group: ⌈groups/25⌉ requests, at most 1,000."""
        return iterate_pages(self.list_groups)

    # Contacts

    async def add_contact(
        self,
        group_uid: str,
        phone: str | int,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> Contact:
        """Add a contact to a group (``POST contacts/{group}/store``).

        The number is sent in digits only when it reads as a phone number,
        else as given, for the server to refuse (``RequestRejected``).
        """
        data, _ = await self._request(
            "POST",
            f"contacts/{path_segment(group_uid)}/store",
            body=_contact_body(phone, first_name, last_name),
        )
        return Contact.from_api(as_dict(data))

    async def get_contact(self, group_uid: str, contact_uid: str) -> Contact:
        """One contact of a group (``POST contacts/{group}/search/{uid}``)."""
        data, _ = await self._request(
            "POST",
            f"contacts/{path_segment(group_uid)}/search/{path_segment(contact_uid)}",
        )
        return Contact.from_api(as_dict(data))

    async def update_contact(
        self,
        group_uid: str,
        contact_uid: str,
        phone: str | int,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> Contact:
        """Change a contact's number or name (``PATCH .../update/{uid}``)."""
        data, _ = await self._request(
            "PATCH",
            f"contacts/{path_segment(group_uid)}/update/{path_segment(contact_uid)}",
            body=_contact_body(phone, first_name, last_name),
        )
        return Contact.from_api(as_dict(data))

    async def delete_contact(self, group_uid: str, contact_uid: str) -> None:
        """Remove a contact from a group (``DELETE .../delete/{uid}``)."""
        await self._request(
            "DELETE",
            f"contacts/{path_segment(group_uid)}/delete/{path_segment(contact_uid)}",
        )

    async def list_contacts(self, group_uid: str, page: int = 1) -> Page[Contact]:
        """One page (25) of a group's contacts (``POST contacts/{group}/all``).

        ``Page.total`` is the group's contact count, so page 1 alone counts a
        group.
        """
        data, _ = await self._request(
            "POST",
            f"contacts/{path_segment(group_uid)}/all",
            params={"page": str(page)},
        )
        return Page.from_api(data, Contact.from_api)

    def iter_contacts(self, group_uid: str) -> AsyncIterator[Contact]:
        """Every contact of a group: ⌈contacts/25⌉ requests, at most 1,000."""

        async def page_of(page: int) -> Page[Contact]:
            return await self.list_contacts(group_uid, page)

        return iterate_pages(page_of)


def _contact_body(
    phone: str | int, first_name: str | None, last_name: str | None
) -> dict[str, str]:
    number = normalize_phone(phone)
    body = {"phone": number if number is not None else str(phone)}
    if first_name:
        body["first_name"] = first_name
    if last_name:
        body["last_name"] = last_name
    return body
