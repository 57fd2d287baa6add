"""Contact-group routes."""

from __future__ import annotations

import aiohttp
import pytest

from sandbox import Sandbox

from .helpers import call

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_group_life_cycle(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    answer = await call(session, sandbox, "POST", "contacts", body={"name": "Team"})
    assert answer.status == 200
    group = answer.json["data"]
    assert group == {"uid": group["uid"], "name": "Team"}
    uid = group["uid"]
    answer = await call(session, sandbox, "POST", f"contacts/{uid}/show")
    assert answer.json["data"] == group
    answer = await call(
        session, sandbox, "PATCH", f"contacts/{uid}", body={"name": "Crew"}
    )
    assert answer.json["data"] == {"uid": uid, "name": "Crew"}
    assert sandbox.state.groups[uid].name == "Crew"
    answer = await call(session, sandbox, "DELETE", f"contacts/{uid}")
    assert answer.json["status"] == "success"
    assert answer.json["data"] is None
    assert uid not in sandbox.state.groups


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("POST", "/show"), ("PATCH", ""), ("DELETE", ""), ("POST", "/all")],
)
async def test_unknown_group(
    sandbox: Sandbox, session: aiohttp.ClientSession, method: str, suffix: str
) -> None:
    answer = await call(
        session, sandbox, method, f"contacts/fffffffffffff{suffix}", body={"name": "x"}
    )
    assert answer.status == 200
    assert answer.json == {
        "status": "error",
        "message": "No query results for model [App\\Models\\ContactGroups] "
        "fffffffffffff",
    }


@pytest.mark.parametrize("body", [{}, {"name": "  "}])
async def test_group_name_is_required(
    sandbox: Sandbox, session: aiohttp.ClientSession, body: dict[str, str]
) -> None:
    uid = sandbox.add_group("Old")
    for method, path in (("POST", "contacts"), ("PATCH", f"contacts/{uid}")):
        answer = await call(session, sandbox, method, path, body=body)
        assert answer.status == 422
        assert answer.json == {
            "status": "error",
            "message": "The name field is required.",
        }
    assert sandbox.state.groups[uid].name == "Old"


async def test_list_groups_is_paginated(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    uids = [sandbox.add_group(f"Group {index}") for index in range(27)]
    answer = await call(session, sandbox, "GET", "contacts")
    page = answer.json["data"]
    assert page["total"] == 27
    assert page["data"][0] == {"uid": uids[0], "name": "Group 0"}
    assert len(page["data"]) == 25
    answer = await call(session, sandbox, "GET", "contacts", params={"page": "2"})
    assert [group["uid"] for group in answer.json["data"]["data"]] == uids[25:]
