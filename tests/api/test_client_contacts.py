"""Contact groups and contacts, in both server shapes."""

from __future__ import annotations

import pytest

from custom_components.textboost.api import (
    Contact,
    ContactGroup,
    RequestRejected,
    TextBoostClient,
)

from .helpers import assert_request

# Groups.


async def test_create_group(client: TextBoostClient, sandbox) -> None:
    group = await client.create_group("Family")

    assert group == ContactGroup(uid=group.uid, name="Family")
    assert sandbox.state.groups[group.uid].name == "Family"
    assert_request(sandbox.requests[-1], "POST", "contacts", body={"name": "Family"})


async def test_get_group(client: TextBoostClient, sandbox) -> None:
    uid = sandbox.add_group("Neighbours")

    assert await client.get_group(uid) == ContactGroup(uid=uid, name="Neighbours")
    assert_request(sandbox.requests[-1], "POST", f"contacts/{uid}/show")


async def test_rename_group(client: TextBoostClient, sandbox) -> None:
    uid = sandbox.add_group("Old name")

    group = await client.rename_group(uid, "New name")

    assert group == ContactGroup(uid=uid, name="New name")
    assert sandbox.state.groups[uid].name == "New name"
    assert_request(
        sandbox.requests[-1], "PATCH", f"contacts/{uid}", body={"name": "New name"}
    )


async def test_delete_group(client: TextBoostClient, sandbox) -> None:
    uid = sandbox.add_group("Doomed", contacts=2)

    assert await client.delete_group(uid) is None

    assert uid not in sandbox.state.groups
    assert_request(sandbox.requests[-1], "DELETE", f"contacts/{uid}")


async def test_list_groups(client: TextBoostClient, sandbox) -> None:
    uids = [sandbox.add_group(f"Group {i}") for i in range(3)]

    page = await client.list_groups()

    assert page.items == [ContactGroup(uid, f"Group {i}") for i, uid in enumerate(uids)]
    assert (page.current_page, page.last_page, page.total) == (1, 1, 3)
    assert_request(sandbox.requests[-1], "GET", "contacts", query={"page": "1"})


async def test_iter_groups_walks_every_page(client: TextBoostClient, sandbox) -> None:
    uids = [sandbox.add_group(f"Group {i}") for i in range(30)]

    seen = [group.uid async for group in client.iter_groups()]

    assert seen == uids
    assert [r.query for r in sandbox.requests_to("contacts", "GET")] == [
        {"page": "1"},
        {"page": "2"},
    ]


async def test_an_unknown_group_is_rejected(client: TextBoostClient, sandbox) -> None:
    with pytest.raises(RequestRejected, match=r"No query results for model \[App"):
        await client.get_group("0000000000000")


async def test_a_group_needs_a_name(client: TextBoostClient, sandbox) -> None:
    with pytest.raises(RequestRejected) as caught:
        await client.create_group("  ")

    assert caught.value.message == "The name field is required."
    assert caught.value.http_status == 422


# Contacts, as older ("old") and newer ("new") servers send them.

SHAPES = pytest.mark.parametrize("shape", ["old", "new"])


def _contact(
    shape: str, uid: str, phone: str, first: str | None, last: str | None
) -> Contact:
    if shape == "old":
        return Contact(uid=uid, phone=phone, first_name=first, last_name=last)
    fields = {k: v for k, v in (("FIRST_NAME", first), ("LAST_NAME", last)) if v}
    return Contact(
        uid=uid,
        phone=phone,
        first_name=first,
        last_name=last,
        status="subscribe",
        custom_fields=fields,
    )


@SHAPES
async def test_add_contact(client: TextBoostClient, sandbox, shape: str) -> None:
    sandbox.contact_shape = shape
    group = sandbox.add_group("Family")

    contact = await client.add_contact(group, "+31 6 1234 5678", "Ada", "Lovelace")

    assert contact == _contact(shape, contact.uid, "31612345678", "Ada", "Lovelace")
    assert sandbox.state.groups[group].contacts[contact.uid].phone == "31612345678"
    assert_request(
        sandbox.requests[-1],
        "POST",
        f"contacts/{group}/store",
        body={"phone": "31612345678", "first_name": "Ada", "last_name": "Lovelace"},
    )


@SHAPES
async def test_add_contact_with_only_a_number(
    client: TextBoostClient, sandbox, shape: str
) -> None:
    sandbox.contact_shape = shape
    group = sandbox.add_group("Family")

    contact = await client.add_contact(group, 31612345678)

    assert contact == _contact(shape, contact.uid, "31612345678", None, None)
    assert sandbox.requests[-1].body == {"phone": "31612345678"}


@SHAPES
async def test_get_contact(client: TextBoostClient, sandbox, shape: str) -> None:
    sandbox.contact_shape = shape
    group = sandbox.add_group("Family")
    uid = sandbox.add_contact(group, "31612345678", "Ada", "Lovelace")

    contact = await client.get_contact(group, uid)

    assert contact == _contact(shape, uid, "31612345678", "Ada", "Lovelace")
    assert_request(sandbox.requests[-1], "POST", f"contacts/{group}/search/{uid}")


@SHAPES
async def test_update_contact(client: TextBoostClient, sandbox, shape: str) -> None:
    sandbox.contact_shape = shape
    group = sandbox.add_group("Family")
    uid = sandbox.add_contact(group, "31612345678", "Ada", "Lovelace")

    contact = await client.update_contact(group, uid, "0031 6 1234 5679", "Augusta")

    assert contact == _contact(shape, uid, "31612345679", "Augusta", "Lovelace")
    assert_request(
        sandbox.requests[-1],
        "PATCH",
        f"contacts/{group}/update/{uid}",
        body={"phone": "31612345679", "first_name": "Augusta"},
    )


async def test_delete_contact(client: TextBoostClient, sandbox) -> None:
    group = sandbox.add_group("Family")
    uid = sandbox.add_contact(group, "31612345678")

    assert await client.delete_contact(group, uid) is None

    assert sandbox.state.groups[group].contacts == {}
    assert_request(sandbox.requests[-1], "DELETE", f"contacts/{group}/delete/{uid}")


@SHAPES
async def test_list_contacts(client: TextBoostClient, sandbox, shape: str) -> None:
    sandbox.contact_shape = shape
    group = sandbox.add_group("Family", contacts=3)

    page = await client.list_contacts(group)

    assert [c.phone for c in page.items] == [
        "31610000001",
        "31610000002",
        "31610000003",
    ]
    assert [c.last_name for c in page.items] == ["1", "2", "3"]
    assert {c.first_name for c in page.items} == {"Contact"}
    assert_request(
        sandbox.requests[-1], "POST", f"contacts/{group}/all", query={"page": "1"}
    )


@SHAPES
async def test_iter_contacts_walks_every_page(
    client: TextBoostClient, sandbox, shape: str
) -> None:
    sandbox.contact_shape = shape
    group = sandbox.add_group("Everyone", contacts=60)

    seen = [c async for c in client.iter_contacts(group)]

    assert [c.last_name for c in seen] == [str(i) for i in range(1, 61)]
    assert [r.query for r in sandbox.requests_to(f"contacts/{group}/all")] == [
        {"page": "1"},
        {"page": "2"},
        {"page": "3"},
    ]


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("not a phone", "The phone must be a number."),
        ("31610000001", "The phone has already been taken."),
    ],
)
async def test_contact_validation_errors_are_rejected_with_http_422(
    client: TextBoostClient, sandbox, phone: str, message: str
) -> None:
    group = sandbox.add_group("Family", contacts=1)

    with pytest.raises(RequestRejected) as caught:
        await client.add_contact(group, phone)

    assert caught.value.message == message
    assert caught.value.http_status == 422
    assert sandbox.requests[-1].body == {"phone": phone}
