"""Base entity of the TextBoost integration: one service device per account."""

from __future__ import annotations

from urllib.parse import urlsplit

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import CONF_BASE_URL, DOMAIN, MANUFACTURER, MODEL
from .coordinator import AccountCoordinator, TextBoostConfigEntry


def web_app_url(base_url: str) -> str:
    """The provider's web app: the API base URL without its API path."""
    parts = urlsplit(base_url)
    path = parts.path
    if "/api/" in path:
        path = path[: path.index("/api/")]
    return f"{parts.scheme}://{parts.netloc}{path}/"


def account_device_info(entry: TextBoostConfigEntry) -> DeviceInfo:
    """The service device that stands for the account."""
    assert entry.unique_id is not None
    return DeviceInfo(
        identifiers={(DOMAIN, entry.unique_id)},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer=MANUFACTURER,
        model=MODEL,
        name=entry.title,
        configuration_url=web_app_url(entry.data[CONF_BASE_URL]),
    )


class TextBoostEntity(Entity):
    """An entity of a TextBoost account."""

    _attr_has_entity_name = True

    def __init__(self, entry: TextBoostConfigEntry, key: str) -> None:
        """Attach the entity to the account device, with a stable unique id."""
        self._attr_unique_id = f"{entry.unique_id}_{key}"
        self._attr_device_info = account_device_info(entry)


class TextBoostAccountEntity(CoordinatorEntity[AccountCoordinator], TextBoostEntity):
    """An entity fed by the account coordinator."""

    def __init__(self, coordinator: AccountCoordinator, key: str) -> None:
        """Bind to the coordinator and the account device."""
        CoordinatorEntity.__init__(self, coordinator)
        TextBoostEntity.__init__(self, coordinator.config_entry, key)
