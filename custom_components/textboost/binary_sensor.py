"""Binary sensor: the balance is below the low-balance threshold."""

from __future__ import annotations

from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import AccountCoordinator
from .data import TextBoostConfigEntry
from .entity import TextBoostCoordinatorEntity

PARALLEL_UPDATES = 0

LOW_BALANCE = BinarySensorEntityDescription(
    key="low_balance",
    translation_key="low_balance",
    device_class=BinarySensorDeviceClass.PROBLEM,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TextBoostConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the low-balance sensor."""
    async_add_entities([LowBalanceSensor(entry.runtime_data.account, LOW_BALANCE)])


class LowBalanceSensor(
    TextBoostCoordinatorEntity[AccountCoordinator], BinarySensorEntity
):
    """On when the balance is below the threshold set in the options."""

    @property
    def is_on(self) -> bool:
        """Whether the balance is low (never for an unlimited plan)."""
        return self.coordinator.is_low(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The threshold the balance is compared with (in the account's currency)."""
        return {"threshold": self.coordinator.low_balance_threshold}
