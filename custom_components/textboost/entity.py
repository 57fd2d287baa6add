"""Base entities of the TextBoost integration: devices and unique ids.

Every entity belongs to an account (a config entry). Its unique id is
``<account uid>_<description key>`` (``entity_unique_id``). The account is a
service device; each saved recipient (a config subentry) is a device of its
own, connected via the account's device.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import CONF_BASE_URL, DOMAIN, MANUFACTURER, MODEL, SUBENTRY_RECIPIENT
from .coordinator import AccountCoordinator, GroupsCoordinator
from .data import TextBoostConfigEntry

#: The model of a saved recipient's device.
MODEL_RECIPIENT: Final = "SMS recipient"


def entity_unique_id(entry: TextBoostConfigEntry, key: str) -> str:
    """The unique id of the account's entity with description key ``key``."""
    return f"{entry.unique_id}_{key}"


def contact_group_key(group_uid: str) -> str:
    """The description key of a contact group's sensor (``group_<uid>``)."""
    return f"group_{group_uid}"


def web_app_url(base_url: str) -> str:
    """The provider's web app: the API base URL without its API path."""
    parts = urlsplit(base_url)
    path = parts.path
    if "/api/" in path:
        path = path[: path.index("/api/")]
    return f"{parts.scheme}://{parts.netloc}{path}/"


def account_device_info(entry: TextBoostConfigEntry) -> DeviceInfo:
    """The service device that stands for the account (identified by its uid)."""
    assert entry.unique_id is not None
    return DeviceInfo(
        identifiers={(DOMAIN, entry.unique_id)},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer=MANUFACTURER,
        model=MODEL,
        name=entry.title,
        configuration_url=web_app_url(entry.data[CONF_BASE_URL]),
    )


def recipient_device_info(
    entry: TextBoostConfigEntry, subentry: ConfigSubentry
) -> DeviceInfo:
    """The device of a saved recipient (``async_register_devices`` links it).

    Each recipient is a device of its own: a device belongs to one config
    subentry, so recipients cannot share the account's device.
    """
    assert entry.unique_id is not None
    return DeviceInfo(
        identifiers={(DOMAIN, f"{entry.unique_id}_{subentry.subentry_id}")},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer=MANUFACTURER,
        model=MODEL_RECIPIENT,
        name=subentry.title,
    )


@callback
def async_register_devices(hass: HomeAssistant, entry: TextBoostConfigEntry) -> None:
    """Register the account's device, then each recipient's, connected via it.

    Done before the platforms are set up, so that no entity points to a device
    that is not there yet. The link is made with ``async_update_device``'s
    ``via_device_id``: Home Assistant 2025.4's ``DeviceInfo`` only knows
    ``via_device``, which newer versions deprecate.
    """
    registry = dr.async_get(hass)
    account = registry.async_get_or_create(
        config_entry_id=entry.entry_id, **account_device_info(entry)
    )
    for subentry in entry.subentries.values():
        if subentry.subentry_type != SUBENTRY_RECIPIENT:
            continue
        recipient = registry.async_get_or_create(
            config_entry_id=entry.entry_id,
            config_subentry_id=subentry.subentry_id,
            **recipient_device_info(entry, subentry),
        )
        registry.async_update_device(recipient.id, via_device_id=account.id)


class TextBoostEntity(Entity):
    """An entity of an account that is told of changes (never polled).

    Attached to the account's device, or to a saved recipient's device when a
    ``subentry`` is given.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self,
        entry: TextBoostConfigEntry,
        description: EntityDescription,
        subentry: ConfigSubentry | None = None,
    ) -> None:
        """Describe the entity and attach it to its device."""
        self.entity_description = description
        self._attr_unique_id = entity_unique_id(entry, description.key)
        self._attr_device_info = (
            recipient_device_info(entry, subentry)
            if subentry is not None
            else account_device_info(entry)
        )


class TextBoostCoordinatorEntity[CoordinatorT: AccountCoordinator | GroupsCoordinator](
    CoordinatorEntity[CoordinatorT]
):
    """An entity of an account fed by one of its coordinators."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: CoordinatorT, description: EntityDescription
    ) -> None:
        """Follow the coordinator; attach to the account's device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.entity_description = description
        self._attr_unique_id = entity_unique_id(entry, description.key)
        self._attr_device_info = account_device_info(entry)
