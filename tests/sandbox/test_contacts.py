"""Contact routes inside a group."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from sandbox import Sandbox

from .helpers import call

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_contact_life_cycle(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    group = sandbox.add_group("Family")
    answer = await call(
        session,
        sandbox,
        "POST",
        f"contacts/{group}/store",
        body={"phone": "+31612345678", "first_name": "Anna", "last_name": "Smit"},
    )
    contact = answer.json["data"]
    assert contact == {
        "uid": contact["uid"],
        "phone": "31612345678",
        "first_name": "Anna",
        "last_name": "Smit",
    }
    uid = contact["uid"]
    answer = await call(session, sandbox, "POST", f"contacts/{group}/search/{uid}")
    assert answer.json["data"] == contact

    answer = await call(
        session,
        sandbox,
        "PATCH",
        f"contacts/{group}/update/{uid}",
        body={"phone": 31612345678, "last_name": "Jansen"},
    )
    assert answer.json["data"] == {**contact, "last_name": "Jansen"}
    answer = await call(
        session,
        sandbox,
        "PATCH",
        f"contacts/{group}/update/{uid}",
        body={"phone": "31687654321", "first_name": ""},
    )
    assert answer.json["data"] == {
        "uid": uid,
        "phone": "31687654321",
        "first_name": None,
        "last_name": "Jansen",
    }

    sandbox.contact_shape = "new"
    answer = await call(session, sandbox, "POST", f"contacts/{group}/search/{uid}")
    assert answer.json["data"] == {
        "uid": uid,
        "phone": "31687654321",
        "status": "subscribe",
        "custom_fields": {"FIRST_NAME": None, "LAST_NAME": "Jansen"},
    }

    answer = await call(session, sandbox, "DELETE", f"contacts/{group}/delete/{uid}")
    assert answer.json["status"] == "success"
    assert answer.json["data"] is None
    assert sandbox.state.groups[group].contacts == {}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "The phone field is required."),
        ({"phone": ""}, "The phone field is required."),
        ({"phone": "12345"}, "The phone must be a number."),
        ({"phone": "3161234567a"}, "The phone must be a number."),
        ({"phone": 3.5}, "The phone must be a number."),
        ({"phone": {"n": 1}}, "The phone must be a string."),
        ({"phone": "31610000001"}, "The phone has already been taken."),
        (
            {"phone": "31612345678", "first_name": ["A"]},
            "The first name must be a string.",
        ),
    ],
)
async def test_contact_validation_is_http_422(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    body: dict[str, Any],
    message: str,
) -> None:
    group = sandbox.add_group("Family", contacts=2)
    answer = await call(session, sandbox, "POST", f"contacts/{group}/store", body=body)
    assert answer.status == 422
    assert answer.json == {"status": "error", "message": message}
    assert len(sandbox.state.groups[group].contacts) == 2


async def test_update_to_a_taken_phone_is_rejected(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    group = sandbox.add_group("Family", contacts=2)
    first = next(iter(sandbox.state.groups[group].contacts))
    answer = await call(
        session,
        sandbox,
        "PATCH",
        f"contacts/{group}/update/{first}",
        body={"phone": "31610000002"},
    )
    assert answer.status == 422
    assert answer.json["message"] == "The phone has already been taken."


@pytest.mark.parametrize(
    ("method", "action"),
    [("POST", "search"), ("PATCH", "update"), ("DELETE", "delete")],
)
async def test_unknown_contact(
    sandbox: Sandbox, session: aiohttp.ClientSession, method: str, action: str
) -> None:
    group = sandbox.add_group("Family")
    answer = await call(
        session,
        sandbox,
        method,
        f"contacts/{group}/{action}/0000000000000",
        body={"phone": "31612345678"},
    )
    assert answer.status == 200
    assert answer.json == {
        "status": "error",
        "message": "No query results for model [App\\Models\\Contacts] 0000000000000",
    }


async def test_list_contacts_is_paginated(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    group = sandbox.add_group("Big", contacts=30)
    answer = await call(session, sandbox, "POST", f"contacts/{group}/all")
    page = answer.json["data"]
    assert page["total"] == 30
    assert page["path"] == f"{sandbox.base_url}contacts/{group}/all"
    assert page["data"][0]["phone"] == "31610000001"
    assert page["data"][0]["first_name"] == "Contact"
    assert page["data"][0]["last_name"] == "1"
    answer = await call(
        session, sandbox, "POST", f"contacts/{group}/all", body={"page": 2}
    )
    assert [item["phone"] for item in answer.json["data"]["data"]] == [
        f"316100000{index}" for index in range(26, 31)
    ]
    answer = await call(
        session, sandbox, "POST", f"contacts/{group}/all", params={"page": "2"}
    )
    assert len(answer.json["data"]["data"]) == 5


async def test_add_contact_to_unknown_group(sandbox: Sandbox) -> None:
    with pytest.raises(KeyError):
        sandbox.add_contact("nope", "31612345678")
