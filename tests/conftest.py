"""Fixtures shared by every test: the sandbox account, the entry, and guards.

One guard, ``secret_guard``, runs around every test of the suite:

* no secret (``secrets``: the API tokens, and what a test adds) may appear in
  a log record (the sandbox's own, the client's and Home Assistant's),
  whatever the level, or in the integration's diagnostics; nor may a webhook
  id (the test entries' ``WEBHOOK_ID``, and every id made while a test runs),
  except in Home Assistant's own request logs (``REQUEST_LOGGERS``);
* Home Assistant must report no deprecated use by this integration.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
import json
import logging
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigSubentryDataWithId
from homeassistant.const import CONF_API_TOKEN
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.textboost import diagnostics
from custom_components.textboost.const import (
    CONF_BASE_URL,
    CONF_NOTIFY_SERVICE,
    CONF_PHONE,
    DOMAIN,
    SUBENTRY_RECIPIENT,
)
from sandbox import DEFAULT_TOKEN, Sandbox
from tests.helpers import ACCOUNT_UID, ENTRY_ID, WEBHOOK_ID, SecretGuard

pytest_plugins = ["sandbox.pytest_plugin"]

#: Loggers the guard lowers to DEBUG, so that it sees their traffic too.
DEBUG_LOGGERS = ("custom_components.textboost", "sandbox")
#: Every token a test uses; none may ever be shown.
TOKENS = {
    DEFAULT_TOKEN,
    "49|OtherAccountToken0123456789abcdefghij",
    "49|RotatedToken0123456789abcdefghijklmnop",
}


@pytest.fixture
def secrets() -> set[str]:
    """Every secret no test may show; a fixture or test may add its own."""
    return set(TOKENS)


@pytest.fixture(autouse=True)
def secret_guard(
    secrets: set[str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[SecretGuard]:
    """Fail a test whose log or diagnostics show a secret, or that HA calls deprecated.

    The guard sees every record that reaches the root logger (the
    integration's and the sandbox's at DEBUG level) and every diagnostics
    dump the integration returns.
    """
    guard = SecretGuard(secrets)
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in DEBUG_LOGGERS}
    for name in DEBUG_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    root.addHandler(guard)

    dump = diagnostics.async_get_config_entry_diagnostics

    async def watched_dump(hass: HomeAssistant, entry: Any) -> dict[str, Any]:
        result = await dump(hass, entry)
        guard.diagnostics.append(json.dumps(result, default=str))
        return result

    monkeypatch.setattr(diagnostics, "async_get_config_entry_diagnostics", watched_dump)
    try:
        yield guard
    finally:
        root.removeHandler(guard)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    assert not guard.leaks(), f"a secret was shown: {guard.leaks()}"
    assert not guard.deprecations(), (
        f"Home Assistant reported deprecated use: {guard.deprecations()}"
    )


@pytest.fixture(autouse=True)
def _watch_webhook_ids(
    secret_guard: SecretGuard, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Treat the test entries' webhook id, and every one made, as secrets."""
    secret_guard.url_secrets.add(WEBHOOK_ID)
    make_id = webhook.async_generate_id

    def generate() -> str:
        webhook_id = make_id()
        secret_guard.url_secrets.add(webhook_id)
        return webhook_id

    monkeypatch.setattr(webhook, "async_generate_id", generate)


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``platforms`` marker."""
    config.addinivalue_line(
        "markers", "platforms(*platforms): set up only these platforms of the entry"
    )


@pytest.fixture(autouse=True)
def _only_marked_platforms(request: pytest.FixtureRequest) -> Iterator[None]:
    """Set up only the platforms a test's ``platforms`` marker names, if any."""
    marker = request.node.get_closest_marker("platforms")
    if marker is None:
        yield
        return
    with patch("custom_components.textboost.PLATFORMS", list(marker.args)):
        yield


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components."""


@pytest.fixture(autouse=True)
def media_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """MMS camera snapshots go to the test's own folder, not the harness's config."""
    folder = tmp_path / "textboost_media"
    monkeypatch.setattr(
        "custom_components.textboost.media.media_dir", lambda hass: folder
    )
    return folder


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
def saved_recipients() -> list[tuple[str, str]]:
    """The account's saved recipients as (name, number); none unless a test says."""
    return []


@pytest.fixture
def mock_config_entry(
    account: Sandbox,
    entry_options: dict[str, Any],
    saved_recipients: list[tuple[str, str]],
) -> MockConfigEntry:
    """A config entry for the sandbox account, with a subentry per saved recipient.

    A recipient's subentry id is ``recipient<number>``, so that snapshots are
    stable.
    """
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
        subentries_data=[
            ConfigSubentryDataWithId(
                data={CONF_PHONE: number},
                subentry_id=f"recipient{number}",
                subentry_type=SUBENTRY_RECIPIENT,
                title=name,
                unique_id=number,
            )
            for name, number in saved_recipients
        ],
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


@pytest.fixture(autouse=True)
def _config_dir_per_test(request: pytest.FixtureRequest, tmp_path: Any) -> None:
    """Give each test's Home Assistant its own config directory.

    The outbox journal is a real file under ``.storage`` (not Home Assistant's
    mocked ``Store``): each test starts with none.
    """
    if "hass" in request.fixturenames:
        if "recorder_db_url" in request.fixturenames:
            request.getfixturevalue("recorder_db_url")  # must come before hass
        hass: HomeAssistant = request.getfixturevalue("hass")
        hass.config.config_dir = str(tmp_path)
