"""Data update coordinators of the TextBoost integration: the account and its groups."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
import logging
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import (
    DataUpdateCoordinator,
    TimestampDataUpdateCoordinator,
)
from homeassistant.util import dt as dt_util

from .api import (
    Balance,
    ContactGroup,
    Profile,
    TextBoostClient,
    TextBoostError,
)
from .const import (
    CONF_LOW_BALANCE,
    CONF_SCAN_INTERVAL,
    CONF_SPEND_UNIT,
    CONF_SPENDING,
    COUNT_INTERVAL,
    COUNTS_PER_POLL,
    DEFAULT_LOW_BALANCE,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    GROUPS_SCAN_INTERVAL,
    ISSUE_LOW_BALANCE,
)
from .errors import read_error, warn_in_repairs

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AccountState:
    """The account as last read: profile, balance and resolved times."""

    profile: Profile
    balance: Balance
    time_zone: tzinfo
    expires_at: datetime | None

    @property
    def amount(self) -> Decimal | None:
        """The numeric balance, None for an unlimited plan."""
        return self.balance.amount

    def unit(self, options: Mapping[str, Any]) -> str | None:
        """The balance's unit: the currency the server shows, else the user's.

        The server's display string sometimes names a currency (WIRE-NOTES,
        ``GET balance``); otherwise the option "Currency or unit of the
        account" (``spending.spend_unit``) is used; None when neither is set.
        """
        chosen = str((options.get(CONF_SPENDING) or {}).get(CONF_SPEND_UNIT) or "")
        return self.balance.currency or chosen.strip() or None


def format_amount(value: Decimal | float, unit: str | None) -> str:
    """An amount as the balance sensor shows it: two decimals, then the unit."""
    text = f"{Decimal(str(value)):.2f}"
    return f"{text} {unit}" if unit else text


@dataclass(frozen=True, slots=True)
class GroupState:
    """A contact group and how many contacts it holds (None: not read)."""

    group: ContactGroup
    contacts: int | None = None
    #: When ``contacts`` was read (UTC), None if never.
    counted: datetime | None = None


class AccountCoordinator(DataUpdateCoordinator[AccountState]):
    """Reads the profile and the balance of one account.

    It is the account's only poller: after each good read it asks the groups
    coordinator to refresh when its groups are due. So an outage is found, and
    logged, once (by this coordinator), not once per coordinator.
    """

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: TextBoostClient,
        groups: GroupsCoordinator,
    ) -> None:
        """Poll at the interval chosen in the options."""
        minutes = entry.options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL)
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name="TextBoost account",
            update_interval=timedelta(minutes=minutes),
        )
        self.client = client
        self.groups = groups

    async def _async_update_data(self) -> AccountState:
        try:
            profile = await self.client.me()
            balance = await self.client.balance()
        except TextBoostError as err:
            raise read_error(err) from err
        zone = await dt_util.async_get_time_zone(profile.timezone) or dt_util.UTC
        expires = (
            balance.expires_local.replace(tzinfo=zone)
            if balance.expires_local
            else None
        )
        state = AccountState(profile, balance, zone, expires)
        self._update_low_balance_issue(state)
        if self.groups.due or self.groups.stale_counts():
            self.config_entry.async_create_background_task(
                self.hass, self.groups.async_poll(), "TextBoost contact groups"
            )
        return state

    @property
    def low_balance_threshold(self) -> float:
        """The balance under which the user is warned."""
        return float(
            self.config_entry.options.get(CONF_LOW_BALANCE, DEFAULT_LOW_BALANCE)
        )

    def is_low(self, state: AccountState) -> bool:
        """Whether the balance is below the threshold (never for unlimited)."""
        return state.amount is not None and state.amount < Decimal(
            str(self.low_balance_threshold)
        )

    @property
    def issue_id(self) -> str:
        """The repair issue raised for this entry's low balance."""
        return f"{ISSUE_LOW_BALANCE}_{self.config_entry.entry_id}"

    def _update_low_balance_issue(self, state: AccountState) -> None:
        if not self.is_low(state) or state.amount is None:
            ir.async_delete_issue(self.hass, DOMAIN, self.issue_id)
            return
        unit = state.unit(self.config_entry.options)
        warn_in_repairs(
            self.hass,
            self.issue_id,
            ISSUE_LOW_BALANCE,
            {
                "account": self.config_entry.title,
                "balance": format_amount(state.amount, unit),
                "threshold": format_amount(self.low_balance_threshold, unit),
            },
        )


class GroupsCoordinator(TimestampDataUpdateCoordinator[dict[str, GroupState]]):
    """The contact groups, and the contact counts of enabled group sensors.

    Costs (WIRE-NOTES: ``GET contacts`` and ``POST contacts/{group}/all`` are
    paginated by 25):

    * the list of groups, ``ceil(groups / 25)`` requests, is read in the
      background after set-up (group sensors appear a moment later), then at
      most every ``GROUPS_SCAN_INTERVAL`` (a day): groups change through the
      actions, which update this coordinator from their own results;
    * a group's count, one request, is read only while its sensor is
      enabled: when the sensor is added, at most every ``COUNT_INTERVAL`` (a
      day), and after an action on a contact of that group; at most
      ``COUNTS_PER_POLL`` counts each time the account is polled.

    It has no timer of its own: the account coordinator calls ``async_poll``
    after a good read, so an outage is found (and logged) once.
    """

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: TextBoostClient,
    ) -> None:
        """Prepare the reads; the first list is read after set-up."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name="TextBoost contact groups",
            update_interval=None,
        )
        self.client = client
        #: Groups whose sensor is enabled: their counts are read.
        self._counted: set[str] = set()
        self._count_task: asyncio.Task[None] | None = None

    @property
    def due(self) -> bool:
        """Whether the list of groups should be read again."""
        if not self.last_update_success:
            return True
        if self.last_update_success_time is None:
            return False  # the first read is under way
        return dt_util.utcnow() - self.last_update_success_time >= GROUPS_SCAN_INTERVAL

    @property
    def groups(self) -> dict[str, GroupState]:
        """The groups as last read (none before the first list)."""
        return self.data if self.last_update_success_time is not None else {}

    def stale_counts(self) -> list[str]:
        """Enabled groups whose count was never read or is a day old."""
        now = dt_util.utcnow()
        return [
            uid
            for uid, state in self.groups.items()
            if uid in self._counted
            and (state.counted is None or now - state.counted >= COUNT_INTERVAL)
        ]

    async def _async_update_data(self) -> dict[str, GroupState]:
        """Read the list of groups; keep the counts already read."""
        try:
            groups = [group async for group in self.client.iter_groups()]
        except TextBoostError as err:
            raise read_error(err) from err
        known = self.groups
        return {
            group.uid: replace(known[group.uid], group=group)
            if group.uid in known
            else GroupState(group)
            for group in groups
        }

    async def async_poll(self) -> None:
        """Read the list if it is due, then the stale counts of enabled groups."""
        if self.due:
            await self.async_refresh()
            if not self.last_update_success:
                return  # the counts wait for the list
        await self.async_count(self.stale_counts()[:COUNTS_PER_POLL])

    @callback
    def async_count_when_enabled(self, group_uid: str) -> CALLBACK_TYPE:
        """Read ``group_uid``'s count while its sensor is enabled (soon if stale).

        The sensors added together share one task, which reads at most
        ``COUNTS_PER_POLL`` counts, one after the other.
        """
        self._counted.add(group_uid)
        if self._count_task is None:
            self._count_task = self.config_entry.async_create_task(
                self.hass, self._async_count_stale(), "TextBoost group counts"
            )
        return lambda: self._counted.discard(group_uid)

    async def _async_count_stale(self) -> None:
        try:
            await asyncio.sleep(0)  # the sensors added with this one join
            await self.async_count(self.stale_counts()[:COUNTS_PER_POLL])
        finally:
            self._count_task = None

    async def async_count(self, group_uids: list[str]) -> None:
        """Read the counts of ``group_uids`` (one request each); stop at an error."""
        counts: dict[str, int] = {}
        for uid in group_uids:
            try:
                counts[uid] = (await self.client.list_contacts(uid)).total
            except TextBoostError as err:
                _LOGGER.debug("Contact count of group %s not read: %s", uid, err)
                break
        if not counts or self.last_update_success_time is None:
            return
        now = dt_util.utcnow()
        self._set_groups(
            {
                uid: replace(state, contacts=counts[uid], counted=now)
                if uid in counts
                else state
                for uid, state in self.data.items()
            }
        )

    async def async_contacts_changed(self, group_uid: str) -> None:
        """An action added or removed a contact: re-read that count if shown."""
        if group_uid in self._counted:
            await self.async_count([group_uid])

    @callback
    def async_group_changed(self, group: ContactGroup, *, created: bool) -> None:
        """An action created or renamed ``group``: take its own result."""
        if self.last_update_success_time is None:
            return  # the first list, under way, will have it
        known = self.data.get(group.uid)
        if created:
            state = GroupState(group, 0, dt_util.utcnow())
        else:
            state = replace(known, group=group) if known else GroupState(group)
        self._set_groups({**self.data, group.uid: state})

    @callback
    def async_group_deleted(self, group_uid: str) -> None:
        """An action deleted a group (or the server no longer knows it)."""
        if self.last_update_success_time is not None and group_uid in self.data:
            self._set_groups(
                {uid: s for uid, s in self.data.items() if uid != group_uid}
            )

    def _set_groups(self, groups: dict[str, GroupState]) -> None:
        """Publish a change without counting it as a fresh read of the list."""
        read_at = self.last_update_success_time
        self.async_set_updated_data(groups)
        self.last_update_success_time = read_at
