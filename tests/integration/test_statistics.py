"""Hourly long-term statistics of messages, parts and cost, from the history."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.statistics import (
    get_metadata,
    statistics_during_period,
)
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.textboost.statistics import HAS_UNIT_CLASS
from sandbox import Fault, Sandbox
from tests.helpers import ACCOUNT_UID, NUMBER, OTHER

UTC = dt_util.UTC
IDS = {
    kind: f"textboost:{ACCOUNT_UID}_{kind}" for kind in ("messages", "parts", "cost")
}
#: Summer time ends in Amsterdam at 01:00 UTC: 02:00-03:00 local comes twice.
NOW = datetime(2026, 10, 25, 3, 30, tzinfo=UTC)
LONG = "x" * 200  # two GSM-7 parts


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_db_url: str, enable_custom_integrations: None
) -> None:
    """Prepare the recorder's database before Home Assistant starts."""


@pytest.fixture
def entry_options() -> dict[str, Any]:
    return {"spending": {"spend_unit": "EUR"}}


@pytest.fixture
async def history(
    hass: HomeAssistant, account: Sandbox, freezer: FrozenDateTimeFactory
) -> Sandbox:
    """Messages on the night the clocks go back in Amsterdam, at 0.05 a part."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    freezer.move_to(NOW)
    # 01:10 summer time
    account.add_message(
        NUMBER, "Hi", sent_at=datetime(2026, 10, 24, 23, 10, tzinfo=UTC)
    )
    # 02:20 summer time
    account.add_message(NUMBER, LONG, sent_at=datetime(2026, 10, 25, 0, 20, tzinfo=UTC))
    # 02:20 and 02:40 winter time: the same wall clock hour, an hour later
    account.add_message(OTHER, "Hi", sent_at=datetime(2026, 10, 25, 1, 20, tzinfo=UTC))
    account.add_message(NUMBER, "Hi", sent_at=datetime(2026, 10, 25, 1, 40, tzinfo=UTC))
    # Received, not sent: costs nothing and is not counted.
    await account.receive_sms(
        OTHER, "Thanks", at=datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    )
    # In the hour under way: counted once it is complete.
    account.add_message(NUMBER, "Hi", sent_at=datetime(2026, 10, 25, 3, 10, tzinfo=UTC))
    return account


async def hourly(hass: HomeAssistant) -> dict[str, list[tuple[str, float, float]]]:
    """Every stored hour of each statistic: (UTC start, value, sum)."""
    await async_wait_recording_done(hass)
    stored = await hass.async_add_executor_job(
        statistics_during_period,
        hass,
        datetime(2026, 10, 1, tzinfo=UTC),
        None,
        set(IDS.values()),
        "hour",
        None,
        {"state", "sum"},
    )
    return {
        kind: [
            (
                dt_util.utc_from_timestamp(row["start"]).strftime("%d %H:%M"),
                round(row["state"], 4),
                round(row["sum"], 4),
            )
            for row in stored.get(ident, [])
        ]
        for kind, ident in IDS.items()
    }


FIRST_IMPORT = {
    "messages": [
        ("24 23:00", 1, 1),
        ("25 00:00", 1, 2),
        ("25 01:00", 2, 4),
        ("25 02:00", 0, 4),
    ],
    "parts": [
        ("24 23:00", 1, 1),
        ("25 00:00", 2, 3),
        ("25 01:00", 2, 5),
        ("25 02:00", 0, 5),
    ],
    "cost": [
        ("24 23:00", 0.05, 0.05),
        ("25 00:00", 0.1, 0.15),
        ("25 01:00", 0.1, 0.25),
        ("25 02:00", 0, 0.25),
    ],
}


async def setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up and wait until its import is written."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_wait_recording_done(hass)


async def test_first_set_up_imports_the_history_hour_by_hour(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    history: Sandbox,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Complete UTC hours, across the change of time; the hour under way waits."""
    await setup(hass, mock_config_entry)

    assert await hourly(hass) == FIRST_IMPORT
    metadata = await hass.async_add_executor_job(
        lambda: get_metadata(hass, statistic_ids=set(IDS.values()))
    )
    cost = metadata[IDS["cost"]][1]
    assert cost["name"] == "Ada Lovelace cost"
    assert cost["unit_of_measurement"] == "EUR"
    assert cost["has_sum"] is True
    assert cost["source"] == "textboost"
    assert metadata[IDS["messages"]][1]["unit_of_measurement"] is None
    if HAS_UNIT_CLASS:
        assert cost["unit_class"] is None
    # The history taught the guard rails the price of a part.
    assert mock_config_entry.runtime_data.guard.price_per_part == Decimal("0.05")


async def test_the_next_hour_adds_only_new_hours(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    history: Sandbox,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup(hass, mock_config_entry)
    history.clear_requests()
    history.add_message(NUMBER, LONG, sent_at=datetime(2026, 10, 25, 3, 50, tzinfo=UTC))

    freezer.move_to(datetime(2026, 10, 25, 4, 5, tzinfo=UTC))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)

    stored = await hourly(hass)
    assert stored["messages"] == [*FIRST_IMPORT["messages"], ("25 03:00", 2, 6)]
    assert stored["parts"] == [*FIRST_IMPORT["parts"], ("25 03:00", 3, 8)]
    assert stored["cost"] == [*FIRST_IMPORT["cost"], ("25 03:00", 0.15, 0.4)]
    # Only what was sent from 03:00 UTC on was asked for.
    (listing,) = history.requests_to("sms", "GET")
    assert listing.query["start_date"] == "2026-10-25 03:00:00"
    assert listing.query["timezone"] == "UTC"


async def test_a_restart_adds_no_row_twice(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    history: Sandbox,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup(hass, mock_config_entry)
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert await hourly(hass) == FIRST_IMPORT

    freezer.move_to(datetime(2026, 10, 25, 5, 1, tzinfo=UTC))
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    stored = await hourly(hass)
    assert stored["messages"] == [
        *FIRST_IMPORT["messages"],
        ("25 03:00", 1, 5),
        ("25 04:00", 0, 5),
    ]


async def test_a_failed_read_is_tried_again_next_hour(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    history: Sandbox,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    history.inject(Fault.HTTP_500_HTML, path="sms")
    await setup(hass, mock_config_entry)
    assert await hourly(hass) == {kind: [] for kind in IDS}
    assert "Message history not read for statistics" in caplog.text

    freezer.move_to(datetime(2026, 10, 25, 4, 5, tzinfo=UTC))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert (await hourly(hass))["messages"][-2:] == [
        ("25 02:00", 0, 4),
        ("25 03:00", 1, 5),
    ]


async def test_without_a_recorder_there_are_no_statistics(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert init_integration.runtime_data.statistics is None
