"""Fixtures shared by every test: the sandbox account, the entry, and guards.

Two guards run around every test of the suite:

* the API token must appear in no log record (the sandbox's own, the client's
  and Home Assistant's), whatever the level;
* Home Assistant must report no deprecated use by this integration.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
import logging
from typing import Any

from homeassistant.const import CONF_API_TOKEN
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.textboost.const import (
    CONF_BASE_URL,
    CONF_NOTIFY_SERVICE,
    DOMAIN,
)
from sandbox import DEFAULT_TOKEN, Sandbox
from tests.helpers import ACCOUNT_UID, ENTRY_ID

pytest_plugins = ["sandbox.pytest_plugin"]

#: Every token a test uses; none may ever be logged.
TOKENS = {
    DEFAULT_TOKEN,
    "49|OtherAccountToken0123456789abcdefghij",
    "49|RotatedToken0123456789abcdefghijklmnop",
}


class _Recorder(logging.Handler):
    """Keeps every formatted record that names a token or a deprecation."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.leaks: list[str] = []
        self.deprecations: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:
            return
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        if any(token in text for token in TOKENS):
            self.leaks.append(f"{record.name}: {text}")
        lowered = text.lower()
        if (
            record.levelno >= logging.WARNING
            and "textboost" in lowered
            and ("deprecat" in lowered or "detected that custom integration" in lowered)
        ):
            self.deprecations.append(f"{record.name}: {text}")


_RECORDER = _Recorder()


def pytest_configure(config: pytest.Config) -> None:
    """Watch the root logger for the whole session."""
    logging.getLogger().addHandler(_RECORDER)


@pytest.fixture(autouse=True)
def _guard_logs() -> Iterator[None]:
    """Fail a test whose log names a token or reports deprecated use."""
    for name in ("custom_components.textboost", "sandbox"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    _RECORDER.leaks.clear()
    _RECORDER.deprecations.clear()
    yield
    assert not _RECORDER.leaks, f"the API token was logged: {_RECORDER.leaks}"
    assert not _RECORDER.deprecations, (
        f"Home Assistant reported deprecated use: {_RECORDER.deprecations}"
    )


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components."""


@pytest.fixture
def account(sandbox: Sandbox) -> Sandbox:
    """The sandbox, with a fixed profile so that snapshots are stable."""
    profile = sandbox.state.profile
    profile.uid = ACCOUNT_UID
    profile.first_name = "Ada"
    profile.last_name = "Lovelace"
    profile.email = "ada@example.com"
    profile.timezone = "Asia/Dhaka"
    profile.locale = "en"
    sandbox.state.expires_on = datetime(2026, 12, 31, 23, 59)
    sandbox.delivery_delay = 3600.0
    return sandbox


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Options of the test entry (tests override this fixture to change them)."""
    return {}


@pytest.fixture
def mock_config_entry(
    account: Sandbox, entry_options: dict[str, Any]
) -> MockConfigEntry:
    """A config entry for the sandbox account."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Ada Lovelace",
        unique_id=ACCOUNT_UID,
        data={
            CONF_API_TOKEN: account.token,
            CONF_BASE_URL: account.base_url,
            CONF_NOTIFY_SERVICE: "textboost_sms",
        },
        options=entry_options,
        entry_id=ENTRY_ID,
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> AsyncIterator[MockConfigEntry]:
    """Set the entry up and return it; unload it at the end."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    yield mock_config_entry
    if mock_config_entry.state.recoverable:
        await hass.config_entries.async_unload(mock_config_entry.entry_id)
        await hass.async_block_till_done()


@pytest.fixture
def entity_registry_enabled_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register every entity enabled, including those disabled by default."""
    monkeypatch.setattr(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        property(lambda self: True),
    )


@pytest.fixture
def snapshot(snapshot: Any) -> Any:
    """Snapshots in Home Assistant's format, the same on every supported version.

    The harness's own ``snapshot`` fixture loses to syrupy's, so it is made here
    (files in ``snapshots/`` beside the test). Entity registry entries leave out
    the fields only newer versions have, and list their own aliases alike
    (without the entity-name placeholder ``None`` that newer versions add).
    Capabilities and state attributes are named by plain strings (newer
    versions use enum members).
    """
    from pytest_homeassistant_custom_component.syrupy import (  # noqa: PLC0415
        HomeAssistantSnapshotExtension,
        HomeAssistantSnapshotSerializer,
    )

    class Serializer(HomeAssistantSnapshotSerializer):
        @classmethod
        def _serializable_entity_registry_entry(cls, data: Any) -> Any:
            serialized = super()._serializable_entity_registry_entry(data)
            serialized.pop("object_id_base", None)
            serialized.pop("suggested_object_id", None)
            serialized["aliases"] = sorted(
                alias for alias in serialized["aliases"] if alias is not None
            )
            if serialized["capabilities"]:
                serialized["capabilities"] = {
                    str(key): value for key, value in serialized["capabilities"].items()
                }
            return serialized

        @classmethod
        def _serializable_state(cls, data: Any) -> Any:
            serialized = super()._serializable_state(data)
            attributes = serialized["attributes"]
            serialized["attributes"] = type(attributes)(
                {str(key): value for key, value in attributes.items()}
            )
            return serialized

    class Extension(HomeAssistantSnapshotExtension):
        serializer_class = Serializer

    return snapshot.use_extension(Extension)
