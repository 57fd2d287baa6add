"""Runtime data and data update coordinators of the TextBoost integration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import (
    DataUpdateCoordinator,
    TimestampDataUpdateCoordinator,
    UpdateFailed,
)
from homeassistant.util import dt as dt_util

from .api import (
    AuthenticationFailed,
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
    DEFAULT_LOW_BALANCE,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    GROUPS_SCAN_INTERVAL,
    ISSUE_LOW_BALANCE,
)
from .errors import error_key

if TYPE_CHECKING:
    from .guard_rails import GuardRails
    from .outbox import Outbox
    from .receiving import Receiver
    from .statistics import SpendStatistics

_LOGGER = logging.getLogger(__name__)


@dataclass(slots=True)
class TextBoostData:
    """What a loaded config entry holds."""

    client: TextBoostClient
    account: AccountCoordinator
    groups: GroupsCoordinator
    outbox: Outbox
    guard: GuardRails
    receiver: Receiver
    statistics: SpendStatistics | None = None


type TextBoostConfigEntry = ConfigEntry[TextBoostData]


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
    """A contact group and how many contacts it holds."""

    group: ContactGroup
    contacts: int


def _read_failed(err: TextBoostError) -> ConfigEntryAuthFailed | UpdateFailed:
    """What a coordinator raises for a failed read: reauth, or a retry later."""
    if isinstance(err, AuthenticationFailed):
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="auth_failed"
        )
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key=error_key(err),
        translation_placeholders={"error": str(err)},
    )


class AccountCoordinator(DataUpdateCoordinator[AccountState]):
    """Reads the profile and the balance of one account.

    It is the account's only poller: after each good read it asks the groups
    coordinator to refresh when its groups are due. So an outage is found, and
    logged, once (by this coordinator), not once per coordinator.
    """

    config_entry: TextBoostConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: TextBoostConfigEntry,
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
            raise _read_failed(err) from err
        zone = await dt_util.async_get_time_zone(profile.timezone) or dt_util.UTC
        expires = (
            balance.expires_local.replace(tzinfo=zone)
            if balance.expires_local
            else None
        )
        state = AccountState(profile, balance, zone, expires)
        self._update_low_balance_issue(state)
        if self.groups.due:
            self.config_entry.async_create_task(
                self.hass, self.groups.async_refresh(), "TextBoost contact groups"
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
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            self.issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_LOW_BALANCE,
            translation_placeholders={
                "account": self.config_entry.title,
                "balance": format_amount(state.amount, unit),
                "threshold": format_amount(self.low_balance_threshold, unit),
            },
        )


class GroupsCoordinator(TimestampDataUpdateCoordinator[dict[str, GroupState]]):
    """Reads the contact groups and how many contacts each holds.

    It has no timer of its own: the account coordinator refreshes it after a
    good read of the account, at most every ``GROUPS_SCAN_INTERVAL``. Actions
    that change groups ask for a refresh directly.
    """

    config_entry: TextBoostConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: TextBoostConfigEntry,
        client: TextBoostClient,
    ) -> None:
        """Prepare the reads; the first one is made at set-up."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name="TextBoost contact groups",
            update_interval=None,
        )
        self.client = client

    @property
    def due(self) -> bool:
        """Whether the groups should be read again (set-up makes the first read)."""
        if self.last_update_success_time is None:
            return False
        if not self.last_update_success:
            return True
        return dt_util.utcnow() - self.last_update_success_time >= GROUPS_SCAN_INTERVAL

    async def _async_update_data(self) -> dict[str, GroupState]:
        try:
            groups = [group async for group in self.client.iter_groups()]
            return {
                group.uid: GroupState(
                    group, (await self.client.list_contacts(group.uid)).total
                )
                for group in groups
            }
        except TextBoostError as err:
            raise _read_failed(err) from err
