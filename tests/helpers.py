"""What the integration tests share: the account's numbers, calls and clocks.

* ``NUMBER``/``OTHER`` are numbers as the API wants them, ``TYPED_NUMBER`` is
  ``NUMBER`` as a person types it;
* ``call_action``/``send_sms``/``send_text`` call the integration's actions;
* ``bodies`` reads what reached the sandbox;
* ``advance`` moves the clock;
* ``translated`` is the English text Home Assistant shows for an error key;
* ``SecretGuard`` finds secrets in what a test showed (see tests/conftest.py).
"""

from __future__ import annotations

from datetime import timedelta
import json
import logging
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
#: The webhook id of test entries that receive: a secret (see ``SecretGuard``).
WEBHOOK_ID: Final = "0f9e8d7c6b5a49382716a5b4c3d2e1f0b9a8c7d6e5f4a3b2c1d0e9f8a7b6c5d4"
#: Home Assistant's own request logs, which name every URL they serve, webhook
#: ids included (off unless a user turns on their debug logging).
REQUEST_LOGGERS: Final = frozenset(
    {"aiohttp.access", "homeassistant.helpers.http", "homeassistant.components.webhook"}
)


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


class SecretGuard(logging.Handler):
    """What a test showed, checked for secrets: log records and diagnostics.

    Installed on the root logger for every test by the autouse fixture
    ``secret_guard`` of tests/conftest.py, which fails the test when
    ``leaks()`` is not empty. ``secrets`` starts as the ``secrets`` fixture;
    ``add`` watches one more (a webhook id, a token a test makes up).
    """

    def __init__(self, secrets: set[str]) -> None:
        """Watch ``secrets`` (the set itself: later additions count too)."""
        super().__init__(level=logging.DEBUG)
        self.setFormatter(
            logging.Formatter("%(levelname)s %(name)s %(message)s %(args)s")
        )
        self.secrets = secrets
        #: Secrets that are part of a URL Home Assistant serves (webhook ids):
        #: shown nowhere either, except in ``REQUEST_LOGGERS``.
        self.url_secrets: set[str] = set()
        #: Every record that reached the root logger, whatever its level.
        self.records: list[logging.LogRecord] = []
        #: Every diagnostics dump the integration returned, as JSON text.
        self.diagnostics: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record."""
        self.records.append(record)

    def add(self, secret: str) -> None:
        """Watch for one more secret."""
        self.secrets.add(secret)

    def leaks(self) -> list[str]:
        """Formatted records (with tracebacks) and diagnostics that hold a secret."""
        every = self.secrets | self.url_secrets
        found = [
            text
            for record in self.records
            if any(
                secret in (text := self._text(record))
                for secret in (
                    self.secrets if record.name in REQUEST_LOGGERS else every
                )
            )
        ]
        found += [t for t in self.diagnostics if any(s in t for s in every)]
        return found

    def deprecations(self) -> list[str]:
        """Warnings that Home Assistant gave about this integration's deprecated use."""
        found = []
        for record in self.records:
            text = self._text(record).lower()
            if (
                record.levelno >= logging.WARNING
                and "textboost" in text
                and ("deprecat" in text or "detected that custom integration" in text)
            ):
                found.append(self._text(record))
        return found

    def _text(self, record: logging.LogRecord) -> str:
        try:
            return self.format(record)
        except Exception:  # a record that cannot be formatted: read its parts
            return f"{record.msg!r} {record.args!r} {record.exc_info!r}"
