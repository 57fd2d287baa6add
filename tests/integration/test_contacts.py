"""Contacts managed from Home Assistant, in both server shapes.

Each action is checked against the sandbox: the exact requests it makes
(method, path, query, JSON body) and the response data.
"""

from __future__ import annotations

import json
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from sandbox import Sandbox
from sandbox.state import ContactShape
from tests.helpers import translated

from .address_book import (
    FAMILY_SENSOR,
    UNKNOWN_UID,
    act,
    count_read,
    wire,
)

UNKNOWN_CONTACT = UNKNOWN_UID


def expected_contact(
    shape: ContactShape,
    uid: str,
    phone: str,
    first_name: str | None,
    last_name: str | None,
) -> dict[str, Any]:
    """A contact as the actions answer, from either server shape."""
    if shape == "old":
        return {
            "uid": uid,
            "phone": phone,
            "first_name": first_name,
            "last_name": last_name,
            "status": None,
            "custom_fields": {},
        }
    return {
        "uid": uid,
        "phone": phone,
        "first_name": first_name,
        "last_name": last_name,
        "status": "subscribe",
        "custom_fields": {
            key: value
            for key, value in (("FIRST_NAME", first_name), ("LAST_NAME", last_name))
            if value is not None
        },
    }


@pytest.fixture(params=["old", "new"])
def shape(request: pytest.FixtureRequest, account: Sandbox) -> ContactShape:
    """Contacts as older or newer servers send them."""
    account.contact_shape = request.param
    return account.contact_shape


@pytest.fixture
def family(account: Sandbox) -> str:
    """A group of three, known to Home Assistant from its first read."""
    return account.add_group("Family", contacts=3)


@pytest.fixture
def grace(account: Sandbox, family: str) -> str:
    """A fourth member of the family."""
    return account.add_contact(family, "31612345678", "Grace", "Hopper")


# Adding.


@pytest.mark.parametrize(
    ("typed", "names", "body"),
    [
        pytest.param(
            "+31 6 1234 5678",
            {"first_name": "Grace", "last_name": "Hopper"},
            {"phone": "31612345678", "first_name": "Grace", "last_name": "Hopper"},
            id="spaces-and-plus-with-names",
        ),
        pytest.param(
            "0031 (6) 1234-5678",
            {"first_name": "Grace"},
            {"phone": "31612345678", "first_name": "Grace"},
            id="double-zero-and-punctuation-first-name-only",
        ),
        pytest.param(31612345678, {}, {"phone": "31612345678"}, id="an-integer"),
    ],
)
async def test_add_contact(
    hass: HomeAssistant,
    account: Sandbox,
    shape: ContactShape,
    family: str,
    init_integration: MockConfigEntry,
    typed: str | int,
    names: dict[str, str],
    body: dict[str, str],
) -> None:
    assert hass.states.get(FAMILY_SENSOR).state == "3"
    account.clear_requests()

    response = await act(hass, "add_contact", group="family", phone=typed, **names)

    contacts = account.state.groups[family].contacts.values()
    (uid,) = [c.uid for c in contacts if c.phone == "31612345678"]
    assert response == {
        **expected_contact(
            shape,
            uid,
            "31612345678",
            names.get("first_name"),
            names.get("last_name"),
        ),
        "group": family,
    }
    assert wire(account) == [
        ("POST", f"contacts/{family}/store", {}, body),
        *count_read(family),  # that group's count only
    ]
    # The group's sensor counts the new contact.
    assert hass.states.get(FAMILY_SENSOR).state == "4"


@pytest.mark.parametrize("typed", ["call me", "12", "+31 6 1234 5678 9012 3456"])
@pytest.mark.parametrize("action", ["add_contact", "update_contact"])
@pytest.mark.usefixtures("init_integration")
async def test_invalid_phone_is_refused_before_any_request(
    hass: HomeAssistant, account: Sandbox, grace: str, action: str, typed: str
) -> None:
    account.clear_requests()
    data = {"contact": grace} if action == "update_contact" else {}

    with pytest.raises(ServiceValidationError) as caught:
        await act(hass, action, group="Family", phone=typed, **data)

    assert caught.value.translation_key == "invalid_phone"
    assert str(caught.value) == translated("invalid_phone", phone=typed)
    assert account.requests == []


# Reading.


async def test_get_contact(
    hass: HomeAssistant,
    account: Sandbox,
    shape: ContactShape,
    family: str,
    grace: str,
    init_integration: MockConfigEntry,
) -> None:
    account.clear_requests()

    response = await act(hass, "get_contact", group="Family", contact=grace)

    assert response == {
        **expected_contact(shape, grace, "31612345678", "Grace", "Hopper"),
        "group": family,
    }
    assert wire(account) == [("POST", f"contacts/{family}/search/{grace}", {}, None)]


async def test_list_contacts_one_page(
    hass: HomeAssistant,
    account: Sandbox,
    shape: ContactShape,
    init_integration: MockConfigEntry,
) -> None:
    uid = account.add_group("Choir", contacts=30)
    members = list(account.state.groups[uid].contacts.values())
    account.clear_requests()

    response = await act(hass, "list_contacts", group=uid, page=2)

    assert response == {
        "group": uid,
        "contacts": [
            expected_contact(shape, c.uid, c.phone, c.first_name, c.last_name)
            for c in members[25:]
        ],
        "page": 2,
        "last_page": 2,
        "total": 30,
    }
    assert wire(account) == [
        ("GET", "contacts", {"page": "1"}, None),  # Choir is new: looked up
        ("POST", f"contacts/{uid}/all", {"page": "2"}, None),
    ]


async def test_list_contacts_every_page(
    hass: HomeAssistant,
    account: Sandbox,
    shape: ContactShape,
    family: str,
    init_integration: MockConfigEntry,
) -> None:
    for index in range(4, 31):
        account.add_contact(family, f"3162000{index:04d}", "Cousin", str(index))
    members = list(account.state.groups[family].contacts.values())
    account.clear_requests()

    response = await act(hass, "list_contacts", group="Family")

    assert response == {
        "group": family,
        "contacts": [
            expected_contact(shape, c.uid, c.phone, c.first_name, c.last_name)
            for c in members
        ],
        "total": 30,
    }
    assert wire(account) == [
        ("POST", f"contacts/{family}/all", {"page": "1"}, None),
        ("POST", f"contacts/{family}/all", {"page": "2"}, None),
    ]


# Changing and removing.


@pytest.mark.parametrize(
    ("data", "body", "after"),
    [
        pytest.param(
            {"phone": "+31 6 8765 4321", "first_name": "Amazing"},
            {"phone": "31687654321", "first_name": "Amazing"},
            ("31687654321", "Amazing", "Hopper"),
            id="number-and-first-name",
        ),
        pytest.param(
            {"phone": "0031687654321", "first_name": "Amazing", "last_name": "Grace"},
            {"phone": "31687654321", "first_name": "Amazing", "last_name": "Grace"},
            ("31687654321", "Amazing", "Grace"),
            id="everything",
        ),
    ],
)
async def test_update_contact(
    hass: HomeAssistant,
    account: Sandbox,
    shape: ContactShape,
    family: str,
    grace: str,
    init_integration: MockConfigEntry,
    data: dict[str, str],
    body: dict[str, str],
    after: tuple[str, str, str],
) -> None:
    account.clear_requests()

    response = await act(hass, "update_contact", group=family, contact=grace, **data)

    assert response == {**expected_contact(shape, grace, *after), "group": family}
    stored = account.state.groups[family].contacts[grace]
    assert (stored.phone, stored.first_name, stored.last_name) == after
    assert wire(account) == [
        ("PATCH", f"contacts/{family}/update/{grace}", {}, body),
    ]


async def test_update_contact_keeps_the_number_when_none_is_given(
    hass: HomeAssistant,
    account: Sandbox,
    shape: ContactShape,
    family: str,
    grace: str,
    init_integration: MockConfigEntry,
) -> None:
    account.clear_requests()

    response = await act(
        hass, "update_contact", group="Family", contact=grace, last_name="Brewster"
    )

    assert response == {
        **expected_contact(shape, grace, "31612345678", "Grace", "Brewster"),
        "group": family,
    }
    assert wire(account) == [
        ("POST", f"contacts/{family}/search/{grace}", {}, None),
        (
            "PATCH",
            f"contacts/{family}/update/{grace}",
            {},
            {"phone": "31612345678", "last_name": "Brewster"},
        ),
    ]


async def test_delete_contact(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    grace: str,
    init_integration: MockConfigEntry,
) -> None:
    assert hass.states.get(FAMILY_SENSOR).state == "4"
    account.clear_requests()

    response = await act(hass, "delete_contact", group="Family", contact=grace)

    assert response == {"uid": grace, "group": family, "deleted": True}
    assert grace not in account.state.groups[family].contacts
    assert wire(account) == [
        ("DELETE", f"contacts/{family}/delete/{grace}", {}, None),
        *count_read(family),
    ]
    assert hass.states.get(FAMILY_SENSOR).state == "3"


# Mistakes and refusals.


@pytest.mark.parametrize(
    ("action", "data", "method", "path"),
    [
        ("get_contact", {}, "POST", "search"),
        ("update_contact", {"phone": "31687654321"}, "PATCH", "update"),
        ("delete_contact", {}, "DELETE", "delete"),
    ],
)
async def test_unknown_contact(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
    action: str,
    data: dict[str, str],
    method: str,
    path: str,
) -> None:
    account.clear_requests()

    with pytest.raises(ServiceValidationError) as caught:
        await act(hass, action, group="Family", contact=UNKNOWN_CONTACT, **data)

    assert caught.value.translation_key == "unknown_contact"
    assert str(caught.value) == translated(
        "unknown_contact", contact=UNKNOWN_CONTACT, group="Family"
    )
    assert [(r.method, r.path) for r in account.requests] == [
        (method, f"contacts/{family}/{path}/{UNKNOWN_CONTACT}")
    ]
    assert len(account.state.groups[family].contacts) == 3


async def test_update_without_number_of_unknown_contact(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
) -> None:
    """The contact is looked up first, so nothing is changed."""
    account.clear_requests()

    with pytest.raises(ServiceValidationError) as caught:
        await act(
            hass,
            "update_contact",
            group="Family",
            contact=UNKNOWN_CONTACT,
            first_name="Nobody",
        )

    assert str(caught.value) == translated(
        "unknown_contact", contact=UNKNOWN_CONTACT, group="Family"
    )
    assert [(r.method, r.path) for r in account.requests] == [
        ("POST", f"contacts/{family}/search/{UNKNOWN_CONTACT}")
    ]


@pytest.mark.parametrize("action", ["add_contact", "update_contact"])
async def test_duplicate_number_is_refused_in_the_providers_words(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    grace: str,
    init_integration: MockConfigEntry,
    action: str,
) -> None:
    """The sandbox answers HTTP 422, as the server does for contact validation."""
    other = next(iter(account.state.groups[family].contacts))
    data = {"contact": other} if action == "update_contact" else {}
    before = {c.uid: c.phone for c in account.state.groups[family].contacts.values()}

    with pytest.raises(HomeAssistantError) as caught:
        await act(hass, action, group="Family", phone="+31 6 1234 5678", **data)

    assert not isinstance(caught.value, ServiceValidationError)
    assert caught.value.translation_key == "rejected"
    assert (
        str(caught.value)
        == "TextBoost refused the request: The phone has already been taken."
    )
    logged = account.requests_to(
        f"contacts/{family}/update/{other}"
        if action == "update_contact"
        else f"contacts/{family}/store"
    )
    assert logged[0].fault is None
    assert {
        c.uid: c.phone for c in account.state.groups[family].contacts.values()
    } == before


@pytest.mark.parametrize(
    ("status", "message"),
    [
        pytest.param(200, "Invalid phone number format", id="error-as-http-200"),
        pytest.param(
            422, "The first name may not be greater than 255 characters.", id="http-422"
        ),
        pytest.param(403, "You do not have permission to access API", id="http-403"),
    ],
)
async def test_other_refusals_are_shown_in_the_providers_words(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
    status: int,
    message: str,
) -> None:
    body = json.dumps({"status": "error", "message": message, "data": None})
    account.inject_response(
        status, body.encode(), "application/json", path=f"contacts/{family}/store"
    )

    with pytest.raises(HomeAssistantError) as caught:
        await act(hass, "add_contact", group="Family", phone="31612345678")

    assert caught.value.translation_key == "rejected"
    assert str(caught.value) == f"TextBoost refused the request: {message}"
    assert len(account.state.groups[family].contacts) == 3


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("get_contact", {"contact": "  "}),
        ("delete_contact", {"contact": ""}),
        ("update_contact", {"phone": "31612345678"}),
        ("add_contact", {}),
    ],
)
@pytest.mark.usefixtures("family", "init_integration")
async def test_missing_input_is_refused_before_any_request(
    hass: HomeAssistant, account: Sandbox, action: str, data: dict[str, Any]
) -> None:
    account.clear_requests()

    with pytest.raises(vol.Invalid):
        await act(hass, action, group="Family", **data)

    assert account.requests == []
