"""Helpers shared by the address-book tests (contact groups and contacts)."""

from __future__ import annotations

import json
import math
from typing import Any

from homeassistant.core import HomeAssistant

from sandbox import Sandbox
from tests.helpers import call_action

UNKNOWN_UID = "0badc0ffee000"
FAMILY_SENSOR = "sensor.ada_lovelace_family_contacts"

type Wire = tuple[str, str, dict[str, str], Any]


def wire(account: Sandbox) -> list[Wire]:
    """Every request since the log was cleared: method, path, query, body."""
    return [(r.method, r.path, r.query, r.body) for r in account.requests]


def group_list(count: int) -> list[Wire]:
    """The requests that read every contact group (25 a page)."""
    return [
        ("GET", "contacts", {"page": str(page)}, None)
        for page in range(1, max(1, math.ceil(count / 25)) + 1)
    ]


def count_read(group_uid: str) -> list[Wire]:
    """The one request that re-reads a group's count (its sensor is enabled)."""
    return [("POST", f"contacts/{group_uid}/all", {"page": "1"}, None)]


async def act(hass: HomeAssistant, action: str, **data: Any) -> dict[str, Any]:
    """Call an action with response data; the response must be plain JSON."""
    response = await call_action(hass, action, **data)
    await hass.async_block_till_done()
    assert json.loads(json.dumps(response)) == response
    return response
