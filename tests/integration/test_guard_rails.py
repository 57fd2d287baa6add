"""Guard rails: the daily spend cap and the loop breaker refuse before any request."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.textboost.const import DOMAIN
from custom_components.textboost.diagnostics import async_get_config_entry_diagnostics
from custom_components.textboost.sensor import SPEND_WRITE_COOLDOWN
from sandbox import Sandbox

NUMBER = "31612345678"
OTHER = "31612345679"
SPENT = "sensor.ada_lovelace_spent_today"
REMAINING = "sensor.ada_lovelace_remaining_allowance"
CAP_ISSUE = "daily_cap_reached_01JTEXTBOOSTENTRY000000000"
LOOP_ISSUE = "loop_breaker_01JTEXTBOOSTENTRY000000000"
#: 23:30 in Amsterdam (winter time, UTC+1).
LATE_EVENING = datetime(2026, 11, 20, 22, 30, tzinfo=dt_util.UTC)


def spending(**values: Any) -> dict[str, Any]:
    """Entry options with a spending section."""
    return {"spending": values}


async def send_sms(
    hass: HomeAssistant, message: str = "Hi", *numbers: str
) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"recipients": list(numbers or [NUMBER]), "message": message},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return dict(response)


def sends(account: Sandbox) -> int:
    return len(account.requests_to("sms/send"))


async def state(hass: HomeAssistant, entity_id: str) -> str:
    """What the sensor shows once its write cooldown (1 s) has passed."""
    async_fire_time_changed(
        hass, dt_util.utcnow() + timedelta(seconds=SPEND_WRITE_COOLDOWN)
    )
    await hass.async_block_till_done()
    found = hass.states.get(entity_id)
    assert found is not None
    return found.state


@pytest.fixture(autouse=True)
async def amsterdam(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Home Assistant in Amsterdam, late in the evening."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    freezer.move_to(LATE_EVENING)


# Off by default


@pytest.mark.usefixtures("init_integration")
async def test_guard_rails_are_off_by_default(
    hass: HomeAssistant, account: Sandbox
) -> None:
    """Without options every send goes out; spent today still counts."""
    for _ in range(12):
        await send_sms(hass)

    assert sends(account) == 12
    assert await state(hass, SPENT) == "0.60"
    assert hass.states.get(SPENT).attributes["messages"] == 12
    assert await state(hass, REMAINING) == "unknown"


@pytest.mark.usefixtures("init_integration")
async def test_a_burst_of_sends_writes_spent_today_twice(hass: HomeAssistant) -> None:
    """The first send shows at once; the rest of a burst in one write a second later."""
    written: list[str] = []
    hass.bus.async_listen(
        EVENT_STATE_CHANGED,
        lambda event: (
            written.append(event.data["new_state"].state)
            if event.data["entity_id"] == SPENT
            else None
        ),
    )

    for _ in range(10):
        await send_sms(hass)
    assert written == ["0.05"]

    assert await state(hass, SPENT) == "0.50"
    assert written == ["0.05", "0.50"]


# The daily spend cap


@pytest.mark.parametrize("entry_options", [spending(daily_spend_cap=0.15)])
@pytest.mark.parametrize(
    ("before", "allowed", "spent_after", "remaining_after"),
    [(1, True, "0.10", "0.05"), (2, True, "0.15", "0.00"), (3, False, "0.15", "0.00")],
    ids=["below", "at", "above"],
)
@pytest.mark.usefixtures("init_integration")
async def test_daily_cap(
    hass: HomeAssistant,
    account: Sandbox,
    issue_registry: ir.IssueRegistry,
    before: int,
    allowed: bool,
    spent_after: str,
    remaining_after: str,
) -> None:
    """Messages at 0.05 under a cap of 0.15: the third fits, the fourth does not."""
    for _ in range(before):
        await send_sms(hass)

    if allowed:
        await send_sms(hass)
        assert sends(account) == before + 1
        assert issue_registry.async_get_issue(DOMAIN, CAP_ISSUE) is None
    else:
        with pytest.raises(HomeAssistantError) as caught:
            await send_sms(hass)
        assert sends(account) == before, "a request was made"
        assert str(caught.value) == (
            "Not sent: 0.15  was spent today and this message (about 0.05 ) would "
            "go over the daily cap of 0.15 . Wait until midnight, or raise the cap "
            "in the integration's options"
        )
        issue = issue_registry.async_get_issue(DOMAIN, CAP_ISSUE)
        assert issue is not None
        assert issue.translation_key == "daily_cap_reached"
        assert issue.translation_placeholders["spent"] == "0.15"
    assert await state(hass, SPENT) == spent_after
    assert await state(hass, REMAINING) == remaining_after


@pytest.mark.parametrize(
    "entry_options", [spending(daily_spend_cap=0.15, spend_unit="EUR")]
)
@pytest.mark.usefixtures("init_integration")
async def test_a_longer_text_that_would_exceed_the_cap_is_refused(
    hass: HomeAssistant, account: Sandbox
) -> None:
    """Two parts at 0.05 after 0.10 spent would make 0.20: refused, with the unit."""
    await send_sms(hass)
    await send_sms(hass)

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, "x" * 200)

    assert sends(account) == 2
    assert caught.value.translation_placeholders == {
        "account": "Ada Lovelace",
        "spent": "0.1",
        "cap": "0.15",
        "estimate": "0.1",
        "unit": "EUR",
    }
    assert hass.states.get(SPENT).attributes["unit_of_measurement"] == "EUR"
    assert await state(hass, REMAINING) == "0.05"
    # A one-part message still fits.
    await send_sms(hass)
    assert sends(account) == 3


@pytest.mark.parametrize("entry_options", [spending(daily_spend_cap=0.1)])
@pytest.mark.usefixtures("init_integration")
async def test_every_send_path_is_guarded(
    hass: HomeAssistant, account: Sandbox
) -> None:
    """Actions, the legacy notify service and notify entities meet the same cap."""
    await send_sms(hass)
    await send_sms(hass)
    assert sends(account) == 2

    with pytest.raises(HomeAssistantError, match="daily cap"):
        await hass.services.async_call(
            "notify",
            "textboost_sms",
            {"message": "Hi", "target": [NUMBER]},
            blocking=True,
        )
    with pytest.raises(HomeAssistantError, match="daily cap"):
        await hass.services.async_call(
            DOMAIN,
            "send_voice",
            {"recipients": [NUMBER], "message": "Hi"},
            blocking=True,
        )
    assert sends(account) == 2


@pytest.mark.parametrize("entry_options", [spending(daily_spend_cap=0.1)])
@pytest.mark.parametrize(
    ("minutes", "allowed"),
    [(29, False), (31, True)],
    ids=["before-midnight", "after-midnight"],
)
async def test_the_cap_resets_at_local_midnight(
    hass: HomeAssistant,
    account: Sandbox,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
    minutes: int,
    allowed: bool,
) -> None:
    """Spent at 23:30 in Amsterdam; midnight there (not UTC) starts a new day."""
    await send_sms(hass)
    await send_sms(hass)
    with pytest.raises(HomeAssistantError):
        await send_sms(hass)
    assert issue_registry.async_get_issue(DOMAIN, CAP_ISSUE) is not None

    freezer.tick(timedelta(minutes=minutes))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    if allowed:
        assert await state(hass, SPENT) == "0"
        assert hass.states.get(SPENT).attributes["last_reset"] == (
            "2026-11-21T00:00:00+01:00"
        )
        assert issue_registry.async_get_issue(DOMAIN, CAP_ISSUE) is None
        await send_sms(hass)
        assert sends(account) == 3
        assert await state(hass, SPENT) == "0.05"
    else:
        assert await state(hass, SPENT) == "0.10"
        with pytest.raises(HomeAssistantError):
            await send_sms(hass)
        assert sends(account) == 2


@pytest.mark.parametrize("entry_options", [spending(daily_spend_cap=0.1)])
async def test_spent_today_survives_a_restart(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    await send_sms(hass)
    await send_sms(hass)

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert await state(hass, SPENT) == "0.10"
    with pytest.raises(HomeAssistantError, match="daily cap"):
        await send_sms(hass)
    assert sends(account) == 2


# With the outbox: a queued message counts once


async def _go_offline(account: Sandbox) -> None:
    await account.refuse_connections()
    for _ in range(20):
        await asyncio.sleep(0)


@pytest.mark.parametrize(
    "entry_options", [spending(daily_spend_cap=0.15, loop_max_messages=3)]
)
@pytest.mark.usefixtures("init_integration")
async def test_a_queued_message_counts_once(
    hass: HomeAssistant, account: Sandbox, freezer: FrozenDateTimeFactory
) -> None:
    """Counted when asked for (at the last known price), not again when retried."""
    await send_sms(hass)
    await _go_offline(account)
    response = await send_sms(hass)
    assert response["recipients"][0]["state"] == "queued"
    assert await state(hass, SPENT) == "0.10"

    await account.accept_connections()
    freezer.tick(timedelta(minutes=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert (
        sends(account) == 2
    )  # the first and the retry (the refused one never arrived)
    assert len(account.sent_messages()) == 2
    assert await state(hass, SPENT) == "0.10"

    # One more fits the cap and the loop breaker (3 messages to the number)...
    await send_sms(hass)
    assert await state(hass, SPENT) == "0.15"
    # ...and then both are full.
    with pytest.raises(HomeAssistantError):
        await send_sms(hass)
    assert len(account.sent_messages()) == 3


# The loop breaker


@pytest.mark.parametrize(
    "entry_options", [spending(loop_max_messages=3, loop_window=10)]
)
@pytest.mark.parametrize(
    ("before", "allowed"),
    [(1, True), (2, True), (3, False)],
    ids=["below", "at", "above"],
)
@pytest.mark.usefixtures("init_integration")
async def test_loop_breaker(
    hass: HomeAssistant,
    account: Sandbox,
    issue_registry: ir.IssueRegistry,
    before: int,
    allowed: bool,
) -> None:
    """At most 3 messages to one number within 10 minutes."""
    for _ in range(before):
        await send_sms(hass)

    if allowed:
        await send_sms(hass)
        assert sends(account) == before + 1
        return
    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass)
    assert sends(account) == before
    assert str(caught.value) == (
        f"Not sent: 3 messages went to {NUMBER} within 10 minutes, the most the "
        "loop breaker allows. Sends to this number resume at 23:40:00; check the "
        "automation or script that sends them (-), or change the loop breaker in "
        "the integration's options"
    )
    issue = issue_registry.async_get_issue(DOMAIN, LOOP_ISSUE)
    assert issue is not None
    assert issue.translation_key == "loop_breaker_unknown"
    # Another number is not held back.
    await send_sms(hass, "Hi", OTHER)
    assert sends(account) == before + 1


@pytest.mark.parametrize(
    "entry_options", [spending(loop_max_messages=2, loop_window=10)]
)
@pytest.mark.usefixtures("init_integration")
async def test_loop_breaker_lets_sends_through_once_the_window_passes(
    hass: HomeAssistant,
    account: Sandbox,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await send_sms(hass)
    freezer.tick(timedelta(minutes=4))
    await send_sms(hass)
    with pytest.raises(HomeAssistantError):
        await send_sms(hass)

    freezer.tick(timedelta(minutes=6, seconds=1))  # the first leaves the window
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    assert issue_registry.async_get_issue(DOMAIN, LOOP_ISSUE) is None
    await send_sms(hass)
    assert sends(account) == 3
    with pytest.raises(HomeAssistantError):
        await send_sms(hass)


@pytest.mark.parametrize(
    "entry_options", [spending(loop_max_messages=2, loop_window=10)]
)
@pytest.mark.usefixtures("init_integration")
async def test_loop_breaker_names_the_automation(
    hass: HomeAssistant, account: Sandbox, issue_registry: ir.IssueRegistry
) -> None:
    """An automation that texts on every event is stopped, and named."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "water_alarm_id",
                "alias": "Water alarm",
                "mode": "queued",
                "triggers": [{"trigger": "event", "event_type": "water"}],
                "actions": [
                    {
                        "action": "textboost.send_sms",
                        "data": {"recipients": [NUMBER], "message": "Water!"},
                    }
                ],
            }
        },
    )
    for _ in range(4):
        hass.bus.async_fire("water")
        await hass.async_block_till_done()

    assert sends(account) == 2
    issue = issue_registry.async_get_issue(DOMAIN, LOOP_ISSUE)
    assert issue is not None
    assert issue.translation_key == "loop_breaker"
    assert issue.translation_placeholders["source"] == (
        "Water alarm (automation.water_alarm)"
    )
    assert issue.translation_placeholders["number"] == NUMBER


@pytest.mark.parametrize(
    "entry_options", [spending(loop_max_messages=1, loop_window=10)]
)
@pytest.mark.usefixtures("init_integration")
async def test_loop_breaker_names_the_script(
    hass: HomeAssistant, account: Sandbox, issue_registry: ir.IssueRegistry
) -> None:
    assert await async_setup_component(
        hass,
        "script",
        {
            "script": {
                "text_mum": {
                    "alias": "Text mum",
                    "sequence": [
                        {
                            "action": "notify.textboost_sms",
                            "data": {"message": "Hi", "target": [NUMBER]},
                        }
                    ],
                }
            }
        },
    )
    await hass.services.async_call("script", "text_mum", blocking=True)
    with pytest.raises(HomeAssistantError, match="loop breaker"):
        await hass.services.async_call("script", "text_mum", blocking=True)

    assert sends(account) == 1
    issue = issue_registry.async_get_issue(DOMAIN, LOOP_ISSUE)
    assert issue is not None
    assert issue.translation_placeholders["source"] == "Text mum (script.text_mum)"


@pytest.mark.usefixtures("init_integration")
async def test_a_refused_number_costs_nothing(
    hass: HomeAssistant, account: Sandbox
) -> None:
    account.state.blacklist.add(OTHER)

    await send_sms(hass, "Hi", NUMBER, OTHER)

    assert await state(hass, SPENT) == "0.05"
    assert hass.states.get(SPENT).attributes["messages"] == 1


@pytest.mark.parametrize("entry_options", [spending(daily_spend_cap=0.1)])
async def test_removing_the_account_forgets_what_it_spent(
    hass: HomeAssistant,
    account: Sandbox,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await send_sms(hass)
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    key = f"{DOMAIN}.spend.{mock_config_entry.entry_id}"
    assert hass_storage[key]["data"]["spent"] == "0.05"

    await hass.config_entries.async_remove(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert key not in hass_storage


@pytest.mark.usefixtures("init_integration")
async def test_guard_rails_are_set_in_the_options(
    hass: HomeAssistant, account: Sandbox, init_integration: MockConfigEntry
) -> None:
    """The spending section of the options turns the guard rails on."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    sections = [
        key.schema
        for key, value in result["data_schema"].schema.items()
        if type(value).__name__ == "section"
    ]
    assert "spending" in sections

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "voice_language": "en-gb",
            "voice_gender": "female",
            "scan_interval": 15,
            "low_balance_threshold": 10,
            "max_segments": 6,
            "queue_ttl": 60,
            "spending": {"daily_spend_cap": 0.05, "spend_unit": " EUR "},
        },
    )
    await hass.async_block_till_done()

    assert init_integration.options["spending"] == {
        "daily_spend_cap": 0.05,
        "spend_unit": " EUR ",
        "loop_max_messages": 0,
        "loop_window": 10,
        "assist_any_number": False,
    }
    assert await state(hass, REMAINING) == "0.05"
    assert hass.states.get(REMAINING).attributes["unit_of_measurement"] == "EUR"
    await send_sms(hass)
    with pytest.raises(HomeAssistantError, match=r"daily cap of 0\.05 EUR"):
        await send_sms(hass)


# Diagnostics


@pytest.mark.parametrize(
    "entry_options", [spending(daily_spend_cap=0.15, loop_max_messages=3)]
)
async def test_diagnostics_show_the_guard_rails_without_numbers(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Spent, cap, price and how many numbers are watched; never which.

    (Called directly: loading the diagnostics component under the frozen
    clock of this module fails in Home Assistant's own imports.)
    """
    await send_sms(hass)
    await send_sms(hass, "Hi", OTHER)

    diagnostics = await async_get_config_entry_diagnostics(hass, init_integration)

    assert diagnostics["guard_rails"] == {
        "day": "2026-11-20",
        "spent": "0.10",
        "messages": 2,
        "price_per_part": "0.05",
        "daily_cap": "0.15",
        "loop_max": 3,
        "loop_window_seconds": 600,
        "numbers_watched": 2,
    }
    assert NUMBER not in str(diagnostics)
    assert OTHER not in str(diagnostics)
