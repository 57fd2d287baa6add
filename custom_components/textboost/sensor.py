"""Sensors: balance, plan expiry, profile, queued messages and contact groups."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
import logging
from typing import Any, Final

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .coordinator import AccountCoordinator, AccountState, GroupsCoordinator
from .data import TextBoostConfigEntry
from .entity import (
    TextBoostCoordinatorEntity,
    TextBoostEntity,
    contact_group_key,
    entity_unique_id,
)
from .guard_rails import GuardRails

PARALLEL_UPDATES = 0

_LOGGER = logging.getLogger(__name__)

#: Seconds the spend sensors wait before writing again after a write.
SPEND_WRITE_COOLDOWN: Final = 1.0


class SensorKey(StrEnum):
    """Keys (and translation keys) of the account sensors."""

    BALANCE = "balance"
    PLAN_EXPIRY = "plan_expiry"
    ACCOUNT_NAME = "account_name"
    EMAIL = "email"
    TIME_ZONE = "time_zone"
    LOCALE = "locale"
    QUEUED_MESSAGES = "queued_messages"
    CONTACT_GROUP = "contact_group"
    SPENT_TODAY = "spent_today"
    REMAINING_ALLOWANCE = "remaining_allowance"


@dataclass(frozen=True, kw_only=True)
class AccountSensorDescription(SensorEntityDescription):
    """How an account sensor reads its value."""

    value_fn: Callable[[AccountState], str | Decimal | datetime | None]
    attributes_fn: Callable[[AccountState], dict[str, Any]] | None = None
    #: The unit, from the account and the options (balance only).
    unit_fn: Callable[[AccountState, Mapping[str, Any]], str | None] | None = None


ACCOUNT_SENSORS: tuple[AccountSensorDescription, ...] = (
    AccountSensorDescription(
        key=SensorKey.BALANCE,
        translation_key=SensorKey.BALANCE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=lambda state: state.amount,
        attributes_fn=lambda state: {"unlimited": state.balance.unlimited},
        unit_fn=lambda state, options: state.unit(options),
    ),
    AccountSensorDescription(
        key=SensorKey.PLAN_EXPIRY,
        translation_key=SensorKey.PLAN_EXPIRY,
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda state: state.expires_at,
    ),
    AccountSensorDescription(
        key=SensorKey.ACCOUNT_NAME,
        translation_key=SensorKey.ACCOUNT_NAME,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda state: state.profile.name or None,
    ),
    AccountSensorDescription(
        key=SensorKey.EMAIL,
        translation_key=SensorKey.EMAIL,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda state: state.profile.email or None,
    ),
    AccountSensorDescription(
        key=SensorKey.TIME_ZONE,
        translation_key=SensorKey.TIME_ZONE,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda state: state.profile.timezone,
    ),
    AccountSensorDescription(
        key=SensorKey.LOCALE,
        translation_key=SensorKey.LOCALE,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda state: state.profile.locale or None,
    ),
)
QUEUED_MESSAGES = SensorEntityDescription(
    key=SensorKey.QUEUED_MESSAGES,
    translation_key=SensorKey.QUEUED_MESSAGES,
    state_class=SensorStateClass.MEASUREMENT,
)


@dataclass(frozen=True, kw_only=True)
class ContactGroupSensorDescription(SensorEntityDescription):
    """The sensor of one contact group (its key is ``contact_group_key``)."""

    group_uid: str


def contact_group_description(group_uid: str) -> ContactGroupSensorDescription:
    """Describe the sensor of the group ``group_uid``."""
    return ContactGroupSensorDescription(
        key=contact_group_key(group_uid),
        translation_key=SensorKey.CONTACT_GROUP,
        state_class=SensorStateClass.MEASUREMENT,
        group_uid=group_uid,
    )


@dataclass(frozen=True, kw_only=True)
class SpendSensorDescription(SensorEntityDescription):
    """How a spend sensor reads the guard rails (guard_rails.py)."""

    value_fn: Callable[[GuardRails], Decimal | None]
    attributes_fn: Callable[[GuardRails], dict[str, Any]]


SPEND_SENSORS: tuple[SpendSensorDescription, ...] = (
    SpendSensorDescription(
        key=SensorKey.SPENT_TODAY,
        translation_key=SensorKey.SPENT_TODAY,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=2,
        value_fn=lambda guard: guard.spent_today,
        attributes_fn=lambda guard: {"messages": guard.messages_today},
    ),
    SpendSensorDescription(
        key=SensorKey.REMAINING_ALLOWANCE,
        translation_key=SensorKey.REMAINING_ALLOWANCE,
        suggested_display_precision=2,
        value_fn=lambda guard: guard.remaining,
        attributes_fn=lambda guard: {
            "daily_cap": float(guard.options.daily_cap)
            if guard.options.daily_cap is not None
            else None
        },
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TextBoostConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the account sensors, the queue sensor and one sensor per group."""
    data = entry.runtime_data
    async_add_entities(
        [AccountSensor(data.account, description) for description in ACCOUNT_SENSORS]
    )
    async_add_entities([QueuedMessagesSensor(entry, QUEUED_MESSAGES)])
    async_add_entities(SpendSensor(entry, description) for description in SPEND_SENSORS)

    known: set[str] = set()
    registry = er.async_get(hass)
    group_prefix = entity_unique_id(entry, contact_group_key(""))

    @callback
    def sync_groups() -> None:
        """Add a sensor for each new group; remove those of deleted groups.

        Deleted groups are looked up in the entity registry, so that a group
        deleted while Home Assistant was stopped loses its sensor too.
        """
        if data.groups.last_update_success_time is None:
            return  # the first list is not read yet: nothing is known deleted
        current = set(data.groups.data)
        if added := current - known:
            async_add_entities(
                ContactGroupSensor(data.groups, contact_group_description(uid))
                for uid in added
            )
        wanted = {entity_unique_id(entry, contact_group_key(uid)) for uid in current}
        for registry_entry in er.async_entries_for_config_entry(
            registry, entry.entry_id
        ):
            unique_id = registry_entry.unique_id
            if (
                registry_entry.domain == Platform.SENSOR
                and unique_id.startswith(group_prefix)
                and unique_id not in wanted
            ):
                registry.async_remove(registry_entry.entity_id)
        known.clear()
        known.update(current)

    sync_groups()
    entry.async_on_unload(data.groups.async_add_listener(sync_groups))


class AccountSensor(TextBoostCoordinatorEntity[AccountCoordinator], SensorEntity):
    """A sensor of the account: balance, expiry or a profile field."""

    entity_description: AccountSensorDescription

    @property
    def native_value(self) -> str | Decimal | datetime | None:
        """The value read from the account."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Extra facts, such as whether the plan is unlimited."""
        if self.entity_description.attributes_fn is None:
            return None
        return self.entity_description.attributes_fn(self.coordinator.data)

    @property
    def native_unit_of_measurement(self) -> str | None:
        """The balance's currency, or the unit chosen in the options."""
        if self.entity_description.unit_fn is None:
            return None
        return self.entity_description.unit_fn(
            self.coordinator.data, self.coordinator.config_entry.options
        )


class QueuedMessagesSensor(TextBoostEntity, SensorEntity):
    """How many messages wait in the outbox (queued or scheduled)."""

    def __init__(
        self, entry: TextBoostConfigEntry, description: SensorEntityDescription
    ) -> None:
        """Follow the entry's outbox."""
        super().__init__(entry, description)
        self._outbox = entry.runtime_data.outbox

    async def async_added_to_hass(self) -> None:
        """Update whenever the outbox changes."""
        await super().async_added_to_hass()
        self.async_on_remove(self._outbox.async_add_listener(self.async_write_ha_state))

    @property
    def native_value(self) -> int:
        """The number of waiting messages."""
        return self._outbox.pending_count

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """How many of them are retries and how many are scheduled."""
        return self._outbox.pending_breakdown()


class ContactGroupSensor(TextBoostCoordinatorEntity[GroupsCoordinator], SensorEntity):
    """How many contacts a contact group holds."""

    entity_description: ContactGroupSensorDescription

    def __init__(
        self,
        coordinator: GroupsCoordinator,
        description: ContactGroupSensorDescription,
    ) -> None:
        """Follow one group, and the account's availability."""
        super().__init__(coordinator, description)
        self._account = coordinator.config_entry.runtime_data.account
        self._group_uid = description.group_uid
        group = coordinator.data[self._group_uid].group
        self._attr_translation_placeholders = {"group_name": group.name}

    async def async_added_to_hass(self) -> None:
        """Follow the account too; have the count read while this sensor is enabled."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._account.async_add_listener(self._handle_coordinator_update)
        )
        self.async_on_remove(self.coordinator.async_count_when_enabled(self._group_uid))

    @property
    def available(self) -> bool:
        """Unavailable while the account is unreachable or the group is missing."""
        return (
            super().available
            and self._account.last_update_success
            and self._group_uid in self.coordinator.data
        )

    @property
    def native_value(self) -> int | None:
        """The number of contacts."""
        state = self.coordinator.data.get(self._group_uid)
        return state.contacts if state else None

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The group's uid and name, for use in actions."""
        state = self.coordinator.data.get(self._group_uid)
        return (
            {"group_uid": state.group.uid, "group_name": state.group.name}
            if state
            else None
        )


class SpendSensor(TextBoostEntity, SensorEntity):
    """What was spent today, or what may still be spent, in the account's unit."""

    entity_description: SpendSensorDescription

    def __init__(
        self, entry: TextBoostConfigEntry, description: SpendSensorDescription
    ) -> None:
        """Follow the entry's guard rails."""
        super().__init__(entry, description)
        self._guard = entry.runtime_data.guard
        self._attr_native_unit_of_measurement = self._guard.options.unit
        self._written: tuple[Any, ...] | None = None

    async def async_added_to_hass(self) -> None:
        """Update after sends and at local midnight, at most once a second.

        A change is written at once; further changes within
        ``SPEND_WRITE_COOLDOWN`` share one write at its end (HA's
        ``Debouncer``), so a burst of sends does not write once per message.
        """
        await super().async_added_to_hass()
        writes = Debouncer(
            self.hass,
            _LOGGER,
            cooldown=SPEND_WRITE_COOLDOWN,
            immediate=True,
            function=self._async_changed,
        )
        self.async_on_remove(writes.async_shutdown)
        self.async_on_remove(self._guard.async_add_listener(writes.async_schedule_call))

    @callback
    def _async_changed(self) -> None:
        """Write the state only when what it shows changed."""
        shown = (self.native_value, self.extra_state_attributes, self.last_reset)
        if shown != self._written:
            self._written = shown
            self.async_write_ha_state()

    @property
    def native_value(self) -> Decimal | None:
        """The amount, None when the daily cap is off (remaining allowance)."""
        return self.entity_description.value_fn(self._guard)

    @property
    def last_reset(self) -> datetime | None:
        """Local midnight, for the total spent today."""
        if self.entity_description.state_class is SensorStateClass.TOTAL:
            return dt_util.start_of_local_day()
        return None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Messages counted today, or the cap."""
        return self.entity_description.attributes_fn(self._guard)
