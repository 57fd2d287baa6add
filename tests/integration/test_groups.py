"""Contact groups managed from Home Assistant, and sending to a big group.

Each action is checked against the sandbox: the exact requests it makes
(method, path, query, JSON body), the response data, and what the group
sensors show once the action returned.
"""

from __future__ import annotations

import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.textboost.const import DOMAIN
from sandbox import Fault, Sandbox
from tests.helpers import ACCOUNT_UID, advance, translated

from .address_book import (
    FAMILY_SENSOR,
    UNKNOWN_UID,
    act,
    count_read,
    group_list,
    wire,
)


def uid_of(account: Sandbox, name: str) -> str:
    return next(g.uid for g in account.state.groups.values() if g.name == name)


def group_sensor(hass: HomeAssistant, uid: str) -> str | None:
    """The entity id of a group's sensor, whatever its name."""
    return er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{ACCOUNT_UID}_group_{uid}"
    )


@pytest.fixture
def family(account: Sandbox) -> str:
    """A group of three, known to Home Assistant from its first read."""
    return account.add_group("Family", contacts=3)


# Creating, renaming and deleting: the sensors follow at once.


@pytest.mark.usefixtures("init_integration")
async def test_create_group(
    hass: HomeAssistant, account: Sandbox, entity_registry: er.EntityRegistry
) -> None:
    account.clear_requests()

    response = await act(hass, "create_group", name="  Family ")

    uid = uid_of(account, "Family")
    assert response == {"uid": uid, "name": "Family"}
    # The coordinator takes the action's own result: no other request.
    assert wire(account) == [("POST", "contacts", {}, {"name": "Family"})]
    # The new group's sensor is there when the action returns.
    assert hass.states.get(FAMILY_SENSOR).state == "0"
    assert hass.states.get(FAMILY_SENSOR).attributes["group_uid"] == uid
    assert entity_registry.async_get(FAMILY_SENSOR) is not None


@pytest.mark.parametrize(
    ("wanted", "known"),
    [
        pytest.param("Family", True, id="by-name"),
        pytest.param("fAMILY", True, id="by-name-any-case"),
        pytest.param("{uid}", True, id="by-uid"),
        pytest.param("Family", False, id="by-name-created-after-the-last-read"),
        pytest.param("{uid}", False, id="by-uid-created-after-the-last-read"),
    ],
)
async def test_rename_group(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    wanted: str,
    known: bool,
) -> None:
    if known:
        uid = account.add_group("Family", contacts=3)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    if not known:
        uid = account.add_group("Family", contacts=3)
    account.clear_requests()

    response = await act(
        hass, "rename_group", group=wanted.format(uid=uid), name="Relatives"
    )

    assert response == {"uid": uid, "name": "Relatives"}
    assert account.state.groups[uid].name == "Relatives"
    # A group not read yet is looked up first; a known one is not.
    assert wire(account) == [
        *([] if known else group_list(1)),
        ("PATCH", f"contacts/{uid}", {}, {"name": "Relatives"}),
        *([] if known else count_read(uid)),  # a new sensor reads its count
    ]
    sensor = group_sensor(hass, uid)
    assert sensor is not None
    assert hass.states.get(sensor).attributes["group_name"] == "Relatives"


async def test_delete_group(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    neighbours = account.add_group("Neighbours")
    assert hass.states.get(FAMILY_SENSOR).state == "3"
    account.clear_requests()

    response = await act(hass, "delete_group", group="family")

    assert response == {"uid": family, "name": "Family", "deleted": True}
    assert list(account.state.groups) == [neighbours]
    assert wire(account) == [("DELETE", f"contacts/{family}", {}, None)]
    # The deleted group's sensor is gone; a group made elsewhere waits for
    # the daily read of the list.
    assert hass.states.get(FAMILY_SENSOR) is None
    assert entity_registry.async_get(FAMILY_SENSOR) is None
    assert hass.states.get("sensor.ada_lovelace_neighbours_contacts") is None


@pytest.mark.usefixtures("init_integration")
async def test_groups_appear_and_disappear_as_entities(
    hass: HomeAssistant, account: Sandbox, entity_registry: er.EntityRegistry
) -> None:
    """One action after the other: no refresh waits for a cool-down."""
    await act(hass, "create_group", name="Guests")
    guests = "sensor.ada_lovelace_guests_contacts"
    assert hass.states.get(guests).state == "0"

    await act(hass, "add_contact", group="Guests", phone="+44 7700 900123")
    await act(hass, "create_group", name="On call")
    assert hass.states.get("sensor.ada_lovelace_on_call_contacts").state == "0"

    await act(hass, "delete_group", group="Guests")
    assert hass.states.get(guests) is None
    assert entity_registry.async_get(guests) is None
    assert hass.states.get("sensor.ada_lovelace_on_call_contacts") is not None


async def test_a_renamed_group_is_found_by_its_new_name_at_once(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
) -> None:
    """Rename "Family", create a new "Family": a contact lands in the new one."""
    # A first change starts the cool-down of the sensors' refresh.
    await act(hass, "add_contact", group="Family", phone="31655555555")

    await act(hass, "rename_group", group="Family", name="Relatives")
    created = await act(hass, "create_group", name="Family")
    added = await act(hass, "add_contact", group="Family", phone="31666666666")

    assert created["uid"] != family
    assert added["group"] == created["uid"]
    assert [
        c.phone for c in account.state.groups[created["uid"]].contacts.values()
    ] == ["31666666666"]
    assert len(account.state.groups[family].contacts) == 4


# Reading groups.


async def test_get_group_counts_every_contact(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    uid = account.add_group("Choir", contacts=30)
    await act(hass, "list_groups")  # Home Assistant has not read it yet.
    account.clear_requests()

    response = await act(hass, "get_group", group="Choir")

    assert response == {"uid": uid, "name": "Choir", "contacts": 30}
    assert wire(account) == [
        *group_list(1),
        ("POST", f"contacts/{uid}/show", {}, None),
        ("POST", f"contacts/{uid}/all", {"page": "1"}, None),
    ]


@pytest.mark.usefixtures("init_integration")
async def test_list_groups_reads_every_page(
    hass: HomeAssistant, account: Sandbox
) -> None:
    uids = [account.add_group(f"Team {index:02d}") for index in range(27)]
    account.clear_requests()

    response = await act(hass, "list_groups")

    assert response == {
        "groups": [
            {"uid": uid, "name": f"Team {index:02d}"} for index, uid in enumerate(uids)
        ],
        "total": 27,
    }
    assert wire(account) == group_list(27)
    assert len(group_list(27)) == 2


# A group of 260 contacts: 11 pages, 3 sends.


@pytest.mark.usefixtures("init_integration")
async def test_big_group_listed_and_sent_to(
    hass: HomeAssistant, account: Sandbox
) -> None:
    uid = account.add_group("Everyone", contacts=260)
    everyone = [f"3161000{index:04d}" for index in range(1, 261)]

    listed = await act(hass, "list_contacts", group=uid)

    assert [c["phone"] for c in listed["contacts"]] == everyone
    assert listed["total"] == 260
    assert [r.query for r in account.requests_to(f"contacts/{uid}/all")] == [
        {"page": str(page)} for page in range(1, 12)
    ]

    account.clear_requests()
    response = await act(
        hass,
        "send_sms",
        groups=["Everyone"],
        recipients=["+31 6 1000 0007", "+31 6 1000 0260"],
        message="Fire drill at noon",
    )

    sends = account.requests_to("sms/send")
    recipients = [body["recipient"].split(",") for body in (r.body for r in sends)]
    assert [len(chunk) for chunk in recipients] == [100, 100, 60]
    sent = [number for chunk in recipients for number in chunk]
    assert len(sent) == len(set(sent)) == 260
    assert set(sent) == set(everyone)
    assert len(account.requests_to(f"contacts/{uid}/all")) == 11
    assert [r.method for r in sends] == ["POST"] * 3
    for request in sends:
        assert request.body.keys() == {"recipient", "type", "message"}
        assert request.body["message"] == "Fire drill at noon"
    assert response["requests"] == 3
    assert len(account.sent_messages()) == 260


# Mistakes and refusals.

CONTACT = "5f2b1c3d4e5a6"
#: Every action that names a group, and the path it would change or read.
GROUP_ACTIONS: list[tuple[str, dict[str, Any], str]] = [
    ("rename_group", {"name": "Relatives"}, "contacts/{uid}"),
    ("delete_group", {}, "contacts/{uid}"),
    ("get_group", {}, "contacts/{uid}/show"),
    ("list_contacts", {}, "contacts/{uid}/all"),
    ("list_contacts", {"page": 2}, "contacts/{uid}/all"),
    ("add_contact", {"phone": "+31 6 1234 5678"}, "contacts/{uid}/store"),
    ("get_contact", {"contact": CONTACT}, "contacts/{uid}/search/" + CONTACT),
    (
        "update_contact",
        {"contact": CONTACT, "phone": "31612345678"},
        "contacts/{uid}/update/" + CONTACT,
    ),
    ("delete_contact", {"contact": CONTACT}, "contacts/{uid}/delete/" + CONTACT),
]


@pytest.mark.parametrize("wanted", ["Strangers", UNKNOWN_UID], ids=["name", "uid"])
@pytest.mark.parametrize(
    ("action", "data"),
    [(action, data) for action, data, _ in GROUP_ACTIONS],
    ids=[f"{action}-{index}" for index, (action, _, _) in enumerate(GROUP_ACTIONS)],
)
async def test_unknown_group(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
    action: str,
    data: dict[str, Any],
    wanted: str,
) -> None:
    """The group is named; only the group list was read, nothing changed."""
    account.clear_requests()

    with pytest.raises(ServiceValidationError) as caught:
        await act(hass, action, group=wanted, **data)

    assert caught.value.translation_key == "unknown_group"
    assert str(caught.value) == translated("unknown_group", group=wanted)
    assert wire(account) == group_list(1)
    assert len(account.state.groups[family].contacts) == 3


@pytest.mark.parametrize(
    ("action", "data", "path"),
    GROUP_ACTIONS,
    ids=[f"{action}-{index}" for index, (action, _, _) in enumerate(GROUP_ACTIONS)],
)
async def test_group_deleted_behind_home_assistants_back(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
    action: str,
    data: dict[str, Any],
    path: str,
) -> None:
    """The server does not know a group the sensors still show: it is unknown."""
    del account.state.groups[family]
    account.clear_requests()

    with pytest.raises(ServiceValidationError) as caught:
        await act(hass, action, group="Family", **data)

    assert str(caught.value) == translated("unknown_group", group="Family")
    assert account.requests[0].path == path.format(uid=family)
    # The groups were read again: the sensor is gone, the next call is exact.
    await hass.async_block_till_done()
    assert hass.states.get(FAMILY_SENSOR) is None
    account.clear_requests()
    with pytest.raises(ServiceValidationError):
        await act(hass, action, group="Family", **data)
    assert wire(account) == group_list(0)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        pytest.param(422, "The name has already been taken.", id="http-422"),
        pytest.param(200, "The name must be a string.", id="error-as-http-200"),
    ],
)
@pytest.mark.parametrize(
    ("action", "path"),
    [("create_group", "contacts"), ("rename_group", "contacts/{uid}")],
)
async def test_provider_refusal_is_shown_in_its_own_words(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
    action: str,
    path: str,
    status: int,
    message: str,
) -> None:
    body = json.dumps({"status": "error", "message": message}).encode()
    account.inject_response(
        status, body, "application/json", path=path.format(uid=family)
    )
    data = {"name": "Relatives"} | ({"group": "Family"} if "{uid}" in path else {})

    with pytest.raises(HomeAssistantError) as caught:
        await act(hass, action, **data)

    assert not isinstance(caught.value, ServiceValidationError)
    assert caught.value.translation_key == "rejected"
    assert str(caught.value) == f"TextBoost refused the request: {message}"
    assert [g.name for g in account.state.groups.values()] == ["Family"]


async def test_not_found_outside_a_lookup_is_the_servers_refusal(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    """A "not found" for an action that names no record is shown in its own words."""
    message = "No query results for model [App\\Models\\Users] 1"
    body = json.dumps({"status": "error", "message": message}).encode()
    account.inject_response(200, body, "application/json", path="contacts")

    with pytest.raises(HomeAssistantError) as caught:
        await act(hass, "create_group", name="Relatives")

    assert not isinstance(caught.value, ServiceValidationError)
    assert caught.value.translation_key == "rejected"
    assert str(caught.value) == f"TextBoost refused the request: {message}"
    assert not account.state.groups


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("create_group", {"name": "  "}),
        ("rename_group", {"group": "Family", "name": ""}),
        ("delete_group", {"group": " "}),
        ("get_group", {}),
    ],
)
@pytest.mark.usefixtures("family", "init_integration")
async def test_blank_input_is_refused_before_any_request(
    hass: HomeAssistant, account: Sandbox, action: str, data: dict[str, Any]
) -> None:
    account.clear_requests()

    with pytest.raises(vol.Invalid):
        await act(hass, action, **data)

    assert account.requests == []


# What groups cost the account


@pytest.fixture
def three_hundred_groups(account: Sandbox) -> None:
    """An account with 300 contact groups of one contact each."""
    for index in range(300):
        account.add_group(f"Group {index:03d}", contacts=1)


async def set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up and let its background reads end."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.mark.usefixtures("three_hundred_groups")
async def test_set_up_with_300_groups_does_not_wait_for_them(
    hass: HomeAssistant, account: Sandbox, mock_config_entry: MockConfigEntry
) -> None:
    """A constant number of requests before the entry is loaded; sensors follow."""
    account.clear_requests()
    mock_config_entry.add_to_hass(hass)

    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    before_loaded = [(r.method, r.path) for r in account.requests]
    await hass.async_block_till_done()

    assert before_loaded == [("GET", "me"), ("GET", "balance")]
    assert len(before_loaded) <= 3 + 300 // 25
    assert hass.states.get("sensor.ada_lovelace_group_299_contacts") is not None
    lists = account.requests_to("contacts", "GET")
    assert len(lists) == 12  # the list, 25 a page, once
    # Counts: at most COUNTS_PER_POLL now, the rest at the next account polls.
    assert len([r for r in account.requests if r.path.endswith("/all")]) == 100


@pytest.mark.usefixtures("three_hundred_groups")
async def test_idle_hour_with_300_groups(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await set_up(hass, mock_config_entry)
    for _ in range(4):  # the daily counts of 300 enabled sensors, 100 a poll
        await advance(hass, freezer, 15 * 60, background=True)
    account.clear_requests()

    for _ in range(60):
        await advance(hass, freezer, 60, background=True)

    assert len(account.requests) <= 12
    assert {r.path for r in account.requests} == {"me", "balance"}


@pytest.mark.usefixtures("three_hundred_groups")
async def test_ten_add_contact_calls_with_300_groups(
    hass: HomeAssistant, account: Sandbox, mock_config_entry: MockConfigEntry
) -> None:
    await set_up(hass, mock_config_entry)
    account.clear_requests()

    for index in range(10):
        await act(hass, "add_contact", group="Group 299", phone=f"3161100{index:04d}")

    assert len(account.requests) <= 20
    assert hass.states.get("sensor.ada_lovelace_group_299_contacts").state == "11"


async def test_a_disabled_group_sensor_costs_no_count(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    family = account.add_group("Family", contacts=3)
    mock_config_entry.add_to_hass(hass)
    entity_registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{ACCOUNT_UID}_group_{family}",
        config_entry=mock_config_entry,
        disabled_by=er.RegistryEntryDisabler.USER,
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await act(hass, "add_contact", group="Family", phone="31611000000")
    await advance(hass, freezer, 7 * 24 * 3600, background=True)

    assert account.requests_to(f"contacts/{family}/all") == []


async def test_a_count_that_cannot_be_read_waits_for_the_next_poll(
    hass: HomeAssistant,
    account: Sandbox,
    family: str,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    account.inject(Fault.HTTP_500_HTML, path=f"contacts/{family}/all")

    await act(hass, "add_contact", group="Family", phone="31611000000")
    assert hass.states.get(FAMILY_SENSOR).state == "3"  # not read: as it was

    await advance(hass, freezer, 24 * 3600, background=True)
    assert hass.states.get(FAMILY_SENSOR).state == "4"


async def test_a_group_created_before_the_first_list_comes_with_it(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    account.inject(Fault.HTTP_500_HTML, path="contacts")  # the first list fails
    await set_up(hass, mock_config_entry)

    await act(hass, "create_group", name="Family")
    assert hass.states.get(FAMILY_SENSOR) is None  # the list is not read yet

    await advance(hass, freezer, 15 * 60, background=True)  # read again
    assert hass.states.get(FAMILY_SENSOR).state == "0"
