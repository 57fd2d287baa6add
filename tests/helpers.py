"""What the integration tests share: the account's numbers, calls and clocks.

* ``NUMBER``/``OTHER`` are numbers as the API wants them, ``TYPED_NUMBER`` is
  ``NUMBER`` as a person types it;
* ``call_action``/``send_sms``/``send_text`` call the integration's actions;
* ``bodies`` reads what reached the sandbox;
* ``advance`` moves the clock;
* ``translated`` is the English text Home Assistant shows for an error key.
"""

from __future__ import annotations

from datetime import timedelta
import json
from pathlib import Path
from typing import Any, Final

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.textboost.const import DOMAIN
from sandbox import Sandbox

#: The integration's folder (strings.json, services.yaml, icons.json, ...).
INTEGRATION: Final = (
    Path(__file__).parent.parent / "custom_components" / "textboost"
).resolve()
STRINGS: Final[dict[str, Any]] = json.loads(
    (INTEGRATION / "strings.json").read_text(encoding="utf-8")
)

#: The uid of the sandbox account (the entry's unique id).
ACCOUNT_UID: Final = "6065ecdc9184a"
#: The entry id of the test entry.
ENTRY_ID: Final = "01JTEXTBOOSTENTRY000000000"
#: A Dutch mobile number, as the API wants it.
NUMBER: Final = "31612345678"
#: Another Dutch mobile number, as the API wants it.
OTHER: Final = "31612345679"
#: ``NUMBER`` as a person types it.
TYPED_NUMBER: Final = "+31 6 1234 5678"


def translated(key: str, **placeholders: str) -> str:
    """The English text of an exception, as Home Assistant shows it."""
    text: str = STRINGS["exceptions"][key]["message"]
    # Home Assistant drops the final full stop of exception messages.
    message = text.rstrip(".").format(**placeholders)
    assert "{" not in message
    return message


async def call_action(hass: HomeAssistant, action: str, **data: Any) -> dict[str, Any]:
    """Call an action of the integration and return its response."""
    response = await hass.services.async_call(
        DOMAIN, action, data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


async def send_sms(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    """Call textboost.send_sms with ``data`` and return its response."""
    return await call_action(hass, "send_sms", **data)


async def send_text(
    hass: HomeAssistant, message: str, number: str = TYPED_NUMBER
) -> dict[str, Any]:
    """Send one SMS to one number and return the action's response."""
    return await send_sms(hass, recipients=[number], message=message)


def bodies(sandbox: Sandbox) -> list[Any]:
    """The bodies of every sms/send request the sandbox received, oldest first."""
    return [request.body for request in sandbox.requests_to("sms/send")]


async def advance(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    seconds: float,
    *,
    background: bool = False,
) -> None:
    """Let ``seconds`` pass and run everything that became due.

    ``background`` also waits for background tasks (the coordinators'
    refreshes); the outbox's held requests would make that wait forever.
    """
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=background)
