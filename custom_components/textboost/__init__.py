"""The TextBoost SMS integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

from homeassistant.components.notify.const import DOMAIN as NOTIFY_DOMAIN
from homeassistant.const import CONF_API_TOKEN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    config_validation as cv,
    discovery,
    issue_registry as ir,
)
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.typing import ConfigType

from .api import TextBoostClient
from .const import (
    CONF_BASE_URL,
    CONF_NOTIFY_SERVICE,
    CONF_QUEUE_TTL,
    DEFAULT_QUEUE_TTL,
    DOMAIN,
)
from .coordinator import AccountCoordinator, GroupsCoordinator
from .data import TextBoostConfigEntry, TextBoostData
from .entity import async_register_devices
from .guard_rails import GuardRails
from .media import async_setup_media
from .outbox import Outbox, async_remove_outbox
from .receiving import async_start_receiving, async_stop_receiving, create_receiver
from .services import async_setup_services
from .statistics import SpendStatistics

_LOGGER = logging.getLogger(__name__)

#: Seconds between two balance reads caused by sends and status changes.
BALANCE_REFRESH_COOLDOWN: Final = 10.0

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.EVENT,
    Platform.NOTIFY,
    Platform.SENSOR,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions and the snapshot view once."""
    async_setup_services(hass)
    await async_setup_media(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: TextBoostConfigEntry) -> bool:
    """Connect to the account, read it once, and start the outbox."""
    client = TextBoostClient(
        async_get_clientsession(hass),
        entry.data[CONF_API_TOKEN],
        entry.data[CONF_BASE_URL],
    )
    groups = GroupsCoordinator(hass, entry, client)
    account = AccountCoordinator(hass, entry, client, groups)
    await account.async_config_entry_first_refresh()
    outbox = Outbox(
        hass,
        entry.entry_id,
        client,
        queue_ttl=timedelta(
            minutes=entry.options.get(CONF_QUEUE_TTL, DEFAULT_QUEUE_TTL)
        ),
        reauth=lambda: entry.async_start_reauth(hass),
    )
    guard = GuardRails(hass, entry.entry_id, entry.title)
    await guard.async_load(entry.options)
    entry.async_on_unload(guard.async_unload)
    receiver = create_receiver(hass, entry, client, outbox.manners)
    entry.runtime_data = TextBoostData(client, account, groups, outbox, guard, receiver)
    await outbox.async_load()
    if "recorder" in hass.config.components:
        statistics = SpendStatistics(
            hass,
            client,
            account_uid=account.data.profile.uid,
            title=entry.title,
            unit=lambda: guard.options.unit,
            guard=guard,
        )
        entry.runtime_data.statistics = statistics
        statistics.async_start()
        entry.async_on_unload(statistics.async_stop)
        # In the background, cancelled when the entry unloads.
        entry.async_create_background_task(
            hass, statistics.async_import(), "TextBoost statistics"
        )

    # A message went out (or its status moved): read the balance again, now
    # and then at most once per cooldown, so a burst of sends costs two reads,
    # not one each. Debouncer.async_schedule_call is a callback: a send
    # within the cooldown only sets a flag (no task per send).
    balance_refresh = Debouncer(
        hass,
        _LOGGER,
        cooldown=BALANCE_REFRESH_COOLDOWN,
        immediate=True,
        function=account.async_request_refresh,
    )
    entry.async_on_unload(balance_refresh.async_shutdown)
    entry.async_on_unload(
        outbox.async_add_status_listener(
            lambda _changes, _answered: balance_refresh.async_schedule_call()
        )
    )

    async_register_devices(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    await async_start_receiving(hass, receiver)
    # Group sensors appear a moment later: set-up does not wait for the list.
    entry.async_create_task(
        hass, groups.async_refresh(), "TextBoost contact groups", eager_start=False
    )
    hass.async_create_task(
        discovery.async_load_platform(
            hass,
            Platform.NOTIFY,
            DOMAIN,
            {"entry_id": entry.entry_id, "name": entry.data[CONF_NOTIFY_SERVICE]},
            {},
        ),
        eager_start=True,
    )
    entry.async_on_unload(entry.add_update_listener(_async_reload))
    return True


async def _async_reload(hass: HomeAssistant, entry: TextBoostConfigEntry) -> None:
    """Apply new options, credentials or recipients."""
    hass.config_entries.async_schedule_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: TextBoostConfigEntry) -> bool:
    """Stop the outbox and remove what the account added."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await async_stop_receiving(hass, entry.runtime_data.receiver)
        await entry.runtime_data.outbox.async_unload()
        # The legacy service is registered by a task; it may not be there yet.
        if hass.services.has_service(NOTIFY_DOMAIN, entry.data[CONF_NOTIFY_SERVICE]):
            hass.services.async_remove(NOTIFY_DOMAIN, entry.data[CONF_NOTIFY_SERVICE])
        ir.async_delete_issue(hass, DOMAIN, entry.runtime_data.account.issue_id)
        for issue_id in (
            entry.runtime_data.guard.cap_issue_id,
            entry.runtime_data.guard.loop_issue_id,
        ):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: TextBoostConfigEntry) -> None:
    """Forget the outbox of a removed account."""
    await async_remove_outbox(hass, entry.entry_id)
    await GuardRails(hass, entry.entry_id, entry.title).async_remove()
