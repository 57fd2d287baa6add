"""What the integration costs the account: requests, set-up time, and disk writes.

Run with ``.venv/bin/python benchmarks/costs.py``. It drives the integration
against the local sandbox with Home Assistant's test harness (the same
fixtures as the tests; time is moved with the test clock), and prints:

* requests per recipient, sends and delivery tracking included, for 1, 100
  and 1,000 recipients whose statuses become final after 5 minutes, over the
  whole status schedule, and the most requests in one status round;
* set-up: requests before the entry is loaded and the time it takes, for 0,
  100 and 300 contact groups, with answers at once and with 50 ms added to
  every answer; the requests the background group list adds;
* idle requests in an hour, for 0 and 300 groups (one group sensor enabled);
* requests of 10 ``add_contact`` calls on an account with 300 groups;
* bytes written and writes to disk for 1,000 queued messages, added at once
  (concurrently) and one by one.

Figures only: the tests assert the bounds (tests/integration).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from pathlib import Path
import subprocess
import sys
import time
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from freezegun.api import FrozenDateTimeFactory  # noqa: E402
from homeassistant.core import HomeAssistant  # noqa: E402
import pytest  # noqa: E402
from pytest_homeassistant_custom_component.common import MockConfigEntry  # noqa: E402

from sandbox import Sandbox  # noqa: E402
from tests.helpers import advance, call_action, send_sms  # noqa: E402

#: The fixtures of the tests: the sandbox account, the entry, Home Assistant.
pytest_plugins = ["tests.conftest"]

#: Seconds between two looks at a message's status (the tracker's schedule).
SCHEDULE = (10, 20, 30, 60, 120, 300, 600, 1800)
LATENCY = 0.05


def report(label: str, value: str) -> None:
    """One figure, aligned."""
    print(f"{label:<58} {value}", flush=True)


def status_reads(sandbox: Sandbox) -> int:
    """Status reads that reached the sandbox: list pages and reads by uid."""
    return sum(
        1
        for r in sandbox.requests
        if r.method == "GET" and (r.path == "sms" or r.path.startswith("sms/"))
    )


@pytest.mark.parametrize("recipients", [1, 100, 1000])
async def bench_delivery_tracking(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    recipients: int,
) -> None:
    """Requests per recipient over the whole status schedule."""
    account.delivery_delay = 300
    account.clear_requests()
    numbers = [f"3161000{n:04d}" for n in range(recipients)]
    await send_sms(hass, recipients=numbers, message="Storm warning")
    sends = len(account.requests_to("sms/send"))
    busiest = 0
    for delay in SCHEDULE:
        before = status_reads(account)
        await advance(hass, freezer, delay)
        busiest = max(busiest, status_reads(account) - before)
    await advance(hass, freezer, 24 * 3600)
    total = sends + status_reads(account)
    report(
        f"send to {recipients:>5} recipient(s), final after 5 min",
        f"{sends} sends + {status_reads(account)} status reads = "
        f"{total / recipients:.3f} requests/recipient; busiest round {busiest}",
    )


@pytest.mark.parametrize("latency", [0.0, LATENCY])
@pytest.mark.parametrize("groups", [0, 100, 300])
async def bench_set_up(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    account: Sandbox,
    groups: int,
    latency: float,
) -> None:
    """Requests and time until the entry is loaded; then the background list."""
    for index in range(groups):
        account.add_group(f"Group {index:03d}", contacts=3)
    account.latency = latency
    account.clear_requests()
    mock_config_entry.add_to_hass(hass)
    started = time.perf_counter()
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    seconds = time.perf_counter() - started
    before_loaded = len(account.requests)
    await hass.async_block_till_done(wait_background_tasks=True)
    report(
        f"set-up, {groups:>3} groups, +{latency * 1000:.0f} ms an answer",
        f"{before_loaded} requests, {seconds:.2f} s until loaded; "
        f"then {len(account.requests) - before_loaded} in the background",
    )
    await hass.config_entries.async_unload(mock_config_entry.entry_id)


@pytest.mark.parametrize("groups", [0, 300])
async def bench_idle_hour(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    account: Sandbox,
    groups: int,
) -> None:
    """Requests in an idle hour after set-up (every minute of it run)."""
    for index in range(groups):
        account.add_group(f"Group {index:03d}", contacts=3)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    hours = []
    for _ in range(2):
        account.clear_requests()
        for _ in range(60):
            await advance(hass, freezer, 60, background=True)
        counts = sum(1 for r in account.requests if r.path.endswith("/all"))
        hours.append(f"{len(account.requests) - counts} (+{counts} daily count reads)")
    report(
        f"idle hours 1 and 2 after set-up, {groups:>3} groups",
        f"{hours[0]}; {hours[1]} requests",
    )
    await hass.config_entries.async_unload(mock_config_entry.entry_id)


async def bench_add_contact(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    account: Sandbox,
) -> None:
    """10 add_contact calls on an account with 300 groups."""
    for index in range(300):
        account.add_group(f"Group {index:03d}", contacts=3)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    account.clear_requests()
    for index in range(10):
        await call_action(
            hass, "add_contact", group="Group 007", phone=f"+3161100{index:04d}"
        )
    await hass.async_block_till_done(wait_background_tasks=True)
    report("10 add_contact calls, 300 groups", f"{len(account.requests)} requests")
    await hass.config_entries.async_unload(mock_config_entry.entry_id)


@pytest.mark.parametrize("at_once", [True, False])
async def bench_queue_writes(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    at_once: bool,
) -> None:
    """1,000 messages queued during an outage: what reaches the disk."""
    await account.refuse_connections()
    for _ in range(20):
        await asyncio.sleep(0)
    journal = init_integration.runtime_data.outbox.journal
    before = journal.stats.bytes_written, journal.stats.appends

    def one(index: int) -> Awaitable[dict[str, Any]]:
        return send_sms(
            hass,
            recipients=[f"3161200{index:04d}"],
            message=f"Alarm number {index}: the freezer is above -10 C",
        )

    started = time.perf_counter()
    if at_once:
        await asyncio.gather(*(one(index) for index in range(1000)))
    else:
        for index in range(1000):
            await one(index)
    seconds = time.perf_counter() - started
    written = journal.stats.bytes_written - before[0]
    appends = journal.stats.appends - before[1]
    report(
        f"1,000 queued {'at once' if at_once else 'one by one'}",
        f"{written / 1e6:.2f} MB written in {appends} writes, {seconds:.2f} s",
    )
    assert init_integration.runtime_data.outbox.pending_count == 1000
    await account.accept_connections()


def main() -> int:
    """Run the scenarios above with pytest (in a child), printing their figures."""
    return subprocess.call(
        [
            sys.executable,
            "-m",
            "pytest",
            __file__,
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            "--no-cov",
            "-o",
            "python_functions=bench_*",
            "-o",
            f"python_files={Path(__file__).name}",
            "-o",
            "log_level=WARNING",
            "--rootdir",
            str(ROOT),
        ],
        cwd=ROOT,
        stderr=subprocess.DEVNULL,  # the integration's debug log
    )


if __name__ == "__main__":
    sys.exit(main())
