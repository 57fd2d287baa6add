"""The suite's one secret guard (tests/conftest.py) sees logs and diagnostics."""

from __future__ import annotations

import logging

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from sandbox import DEFAULT_TOKEN
from tests.helpers import SecretGuard

SECRET = "whsec_0123456789abcdef"


def _record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("any", logging.DEBUG, __file__, 1, message, args, None)


def test_a_secret_in_a_message_its_arguments_or_a_traceback_is_a_leak() -> None:
    guard = SecretGuard({SECRET})
    guard.handle(_record("harmless"))
    assert guard.leaks() == []

    guard.handle(_record("id=%s", SECRET))
    guard.handle(_record(f"url /api/webhook/{SECRET}"))
    try:
        raise ValueError(SECRET)
    except ValueError as err:
        failed = _record("failed")
        failed.exc_info = (ValueError, err, err.__traceback__)
    guard.handle(failed)

    assert len(guard.leaks()) == 3


def test_a_deprecation_warning_about_the_integration_is_reported() -> None:
    guard = SecretGuard(set())
    warning = _record("Detected that custom integration 'textboost' calls X")
    warning.levelno = logging.WARNING
    guard.handle(warning)
    guard.handle(_record("textboost: deprecated, but only at DEBUG level"))

    assert len(guard.deprecations()) == 1


def test_a_secret_added_to_the_fixture_is_watched(
    secrets: set[str], secret_guard: SecretGuard
) -> None:
    assert DEFAULT_TOKEN in secret_guard.secrets
    secrets.add(SECRET)
    logging.getLogger("custom_components.textboost").debug("harmless")

    assert SECRET in secret_guard.secrets
    assert secret_guard.leaks() == []


async def test_diagnostics_are_checked_too(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    secret_guard: SecretGuard,
) -> None:
    await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    [dump] = secret_guard.diagnostics
    # Something the dump shows, watched as if it were a secret, is a leak.
    secret_guard.add('"last_update_success"')
    assert secret_guard.leaks() == [dump]
    secret_guard.secrets.discard('"last_update_success"')


@pytest.mark.parametrize("level", [logging.DEBUG, logging.ERROR])
def test_the_integration_logs_at_every_level_reach_the_guard(
    secret_guard: SecretGuard, level: int
) -> None:
    logging.getLogger("custom_components.textboost.test").log(level, "seen")
    assert [r.getMessage() for r in secret_guard.records] == ["seen"]
