"""Helpers shared by the address-book tests (contact groups and contacts)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant

from custom_components.textboost import services
from custom_components.textboost.const import DOMAIN
from sandbox import Sandbox

STRINGS: dict[str, Any] = json.loads(
    (Path(services.__file__).parent / "strings.json").read_text()
)
UNKNOWN_UID = "0badc0ffee000"
FAMILY_SENSOR = "sensor.ada_lovelace_family_contacts"

type Wire = tuple[str, str, dict[str, str], Any]


def translated(key: str, **placeholders: str) -> str:
    """The English text of an exception, as Home Assistant shows it."""
    text: str = STRINGS["exceptions"][key]["message"]
    message = text.rstrip(".").format(**placeholders)
    assert "{" not in message
    return message


def wire(account: Sandbox) -> list[Wire]:
    """Every request since the log was cleared: method, path, query, body."""
    return [(r.method, r.path, r.query, r.body) for r in account.requests]


def group_list(count: int) -> list[Wire]:
    """The requests that read every contact group (25 a page)."""
    return [
        ("GET", "contacts", {"page": str(page)}, None)
        for page in range(1, max(1, math.ceil(count / 25)) + 1)
    ]


def sensors_refresh(account: Sandbox) -> list[Wire]:
    """The requests of one refresh of the group sensors: the groups, each count."""
    return [
        *group_list(len(account.state.groups)),
        *(
            ("POST", f"contacts/{uid}/all", {"page": "1"}, None)
            for uid in account.state.groups
        ),
    ]


async def act(hass: HomeAssistant, action: str, **data: Any) -> dict[str, Any]:
    """Call an action with response data; the response must be plain JSON."""
    response = await hass.services.async_call(
        DOMAIN, action, data, blocking=True, return_response=True
    )
    await hass.async_block_till_done()
    assert isinstance(response, dict)
    assert json.loads(json.dumps(response)) == response
    return response
