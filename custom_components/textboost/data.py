"""The typed config entry and what a loaded entry holds.

Nothing below this module imports it back: the coordinators and the outbox
take a plain ``ConfigEntry`` or only what they need, so the import graph has
no circle to hide behind ``TYPE_CHECKING``.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry

from .api import TextBoostClient
from .coordinator import AccountCoordinator, GroupsCoordinator
from .guard_rails import GuardRails
from .outbox import Outbox
from .receiving import Receiver
from .statistics import SpendStatistics


@dataclass(slots=True)
class TextBoostData:
    """What a loaded config entry holds (``entry.runtime_data``)."""

    client: TextBoostClient
    account: AccountCoordinator
    groups: GroupsCoordinator
    outbox: Outbox
    guard: GuardRails
    receiver: Receiver
    statistics: SpendStatistics | None = None


type TextBoostConfigEntry = ConfigEntry[TextBoostData]
