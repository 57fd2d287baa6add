"""Contact-group routes: list, create, show, rename and delete groups.

`GET contacts`, `POST contacts`, `POST contacts/{group}/show`, `PATCH` and
`DELETE contacts/{group}`.

Each answers `{uid, name}` (delete: `data: null`); validation failures are
HTTP 422 on these routes (WIRE-NOTES, "Codes that do occur": "422 (contact
validation ...)"), unknown groups "No query results for model ...".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..context import SandboxContext
from ..envelope import NotFoundError, Reply, paginate, success
from ..params import Call, page, required
from ..state import Group, SandboxState, new_uid


def find_group(state: SandboxState, uid: str) -> Group:
    """Return the group `uid`; `NotFoundError` when there is none."""
    group = state.groups.get(uid)
    if group is None:
        raise NotFoundError("ContactGroups", uid)
    return group


def _group_json(group: Group) -> dict[str, Any]:
    return {"uid": group.uid, "name": group.name}


def _read_name(params: Mapping[str, Any]) -> str:
    return required(params, "name", status=422)


def list_groups(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`GET contacts`: every group, 25 a page."""
    items = [_group_json(group) for group in ctx.state.groups.values()]
    return success(paginate(items, page(call.params), f"{call.base}contacts"))


def create_group(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`POST contacts`: create a group named `name`."""
    name = _read_name(call.params)
    uid = new_uid()
    group = ctx.state.groups[uid] = Group(uid, name)
    return success(_group_json(group), "Contact group successfully created")


def show_group(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`POST contacts/{group}/show`: one group."""
    return success(_group_json(find_group(ctx.state, args["group"])))


def rename_group(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`PATCH contacts/{group}`: rename to `name`."""
    group = find_group(ctx.state, args["group"])
    group.name = _read_name(call.params)
    return success(_group_json(group), "Contact group successfully updated")


def delete_group(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`DELETE contacts/{group}`: delete the group and its contacts."""
    group = find_group(ctx.state, args["group"])
    del ctx.state.groups[group.uid]
    return success(None, "Contact group successfully deleted")
