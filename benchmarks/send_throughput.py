"""Throughput of textboost.send_sms against bare aiohttp, on the local sandbox.

Run with ``.venv/bin/python benchmarks/send_throughput.py``. It starts the
sandbox and a Home Assistant test instance with the integration loaded
against it, then, in one run:

* 1,000 ``textboost.send_sms`` calls through the service layer (one recipient
  each, awaited one after another), and 1,000 bare aiohttp POSTs of the very
  same request bodies to the sandbox;
* two floors, 1,000 calls each of an action with ``send_sms``'s schema:
  one whose handler only calls the integration's client (no checks, guard
  rails, outbox, tracking, events or response), what any action that sends
  through this client costs at least; and one whose handler makes the bare
  aiohttp POST itself, what any Home Assistant action costs at least;
* one ``send_sms`` call with 1,000 recipients, and how many requests it took.

The four paths take turns block by block. It prints figures only (target,
issue 11: the integration reaches at least 0.85 of bare aiohttp, median of
3 runs; 1,000 recipients take 10 requests).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
import cProfile
import logging
from pathlib import Path
import pstats
import sys
import tempfile
import time

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from homeassistant import loader
from homeassistant.const import CONF_API_TOKEN
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
)
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.textboost.const import (
    CONF_BASE_URL,
    CONF_NOTIFY_SERVICE,
    DOMAIN,
)
from custom_components.textboost.services.messages import SEND_SMS_SCHEMA
from sandbox import Sandbox

CALLS = 1000
BLOCK = 100  # calls per block; the two paths take turns, block by block
BULK_RECIPIENTS = 1000
WARM_UP = 20
PROFILE_SORT = "tottime"
#: The paths measured, and how the output names them.
LABELS = {
    "integration": "textboost.send_sms (HA actions)",
    "client": "floor: an action, then the client",
    "action": "floor: an action, then a bare POST",
    "bare": "bare aiohttp POST sms/send",
}


def number(index: int) -> str:
    """A distinct Dutch mobile number per message."""
    return f"3162{index:07d}"


def body(index: int) -> dict[str, str]:
    """The request body the integration sends for message ``index``."""
    return {
        "recipient": number(index),
        "type": "plain",
        "message": f"Benchmark message {index}",
    }


async def send_sms(hass: HomeAssistant, index: int) -> ServiceResponse:
    """One textboost.send_sms call through the service layer."""
    return await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"recipients": [f"+{number(index)}"], "message": f"Benchmark message {index}"},
        blocking=True,
        return_response=True,
    )


async def register_floors(
    hass: HomeAssistant, post: Callable[[dict[str, str]], Awaitable[None]]
) -> None:
    """``benchmark.client_only`` and ``benchmark.post_only``: send_sms's schema.

    The first calls the integration's client alone; the second makes the
    bare POST (``post``) of the body the integration would send.
    """
    client = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.client

    async def client_only(call: ServiceCall) -> ServiceResponse:
        await client.send(call.data["recipients"], call.data["message"])
        return {}

    async def post_only(call: ServiceCall) -> ServiceResponse:
        [recipient] = call.data["recipients"]
        await post(
            {"recipient": recipient, "type": "plain", "message": call.data["message"]}
        )
        return {}

    for name, handler in (("client_only", client_only), ("post_only", post_only)):
        hass.services.async_register(
            "benchmark",
            name,
            handler,
            schema=SEND_SMS_SCHEMA,
            supports_response=SupportsResponse.ONLY,
        )


async def machinery_cost(hass: HomeAssistant) -> float:
    """Seconds per call of a no-op action with the same schema: the fixed cost."""

    async def noop(call: ServiceCall) -> ServiceResponse:
        return {}

    hass.services.async_register(
        "benchmark",
        "noop",
        noop,
        schema=SEND_SMS_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    started = time.perf_counter()
    for index in range(CALLS):
        await hass.services.async_call(
            "benchmark",
            "noop",
            {"recipients": [f"+{number(index)}"], "message": f"Benchmark {index}"},
            blocking=True,
            return_response=True,
        )
    return (time.perf_counter() - started) / CALLS


async def benchmark(profile: bool) -> None:
    """Start the sandbox and Home Assistant, measure, then clean everything up."""
    sandbox = Sandbox()
    sandbox.rate_limit = 10**9  # the real server allows 1,000 a minute
    sandbox.delivery_delay = 10**6  # no status changes while we measure
    await sandbox.start()
    try:
        with tempfile.TemporaryDirectory() as config_dir:
            async with async_test_home_assistant(config_dir=config_dir) as hass:
                hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # custom_components
                entry = MockConfigEntry(
                    domain=DOMAIN,
                    title="Benchmark",
                    unique_id="benchmark",
                    data={
                        CONF_API_TOKEN: sandbox.token,
                        CONF_BASE_URL: sandbox.base_url,
                        CONF_NOTIFY_SERVICE: "textboost_sms",
                    },
                )
                entry.add_to_hass(hass)
                await hass.config_entries.async_setup(entry.entry_id)
                await hass.async_block_till_done()
                try:
                    await measure(hass, sandbox, profile)
                finally:
                    await hass.config_entries.async_unload(entry.entry_id)
                    await hass.async_block_till_done()
                    await hass.async_stop(force=True)
    finally:
        await sandbox.close()
    leftover = [
        task
        for task in asyncio.all_tasks()
        if task is not asyncio.current_task() and not task.done()
    ]
    print(f"{'tasks left running':<34} {len(leftover)}")


async def measure(hass: HomeAssistant, sandbox: Sandbox, profile: bool) -> None:
    """The four throughput figures, the ratios to bare aiohttp, and the bulk send."""
    headers = {
        "Authorization": f"Bearer {sandbox.token}",
        "Accept": "application/json",
    }
    url = sandbox.base_url + "sms/send"
    profiler = cProfile.Profile() if profile else None
    wall = dict.fromkeys(LABELS, 0.0)
    cpu = dict.fromkeys(LABELS, 0.0)
    sent: dict[str, list[object]] = {name: [] for name in LABELS}

    async with aiohttp.ClientSession() as session:

        async def post(request_body: dict[str, str]) -> None:
            async with session.post(url, json=request_body, headers=headers) as reply:
                await reply.json()  # a client must at least read the answer

        await register_floors(hass, post)

        async def bare_post(index: int) -> None:
            await post(body(index))

        async def integration(index: int) -> None:
            await send_sms(hass, index)

        def action(service: str) -> Callable[[int], Awaitable[None]]:
            async def call(index: int) -> None:
                await hass.services.async_call(
                    "benchmark",
                    service,
                    {
                        "recipients": [number(index)],
                        "message": f"Benchmark message {index}",
                    },
                    blocking=True,
                    return_response=True,
                )

            return call

        paths: dict[str, Callable[[int], Awaitable[None]]] = {
            "integration": integration,
            "client": action("client_only"),
            "action": action("post_only"),
            "bare": bare_post,
        }
        for index in range(WARM_UP):
            for path in paths.values():
                await path(CALLS + index)

        for block, start in enumerate(range(0, CALLS, BLOCK)):
            shift = block % len(paths)  # each path goes first, middle and last
            order = [*list(paths)[shift:], *list(paths)[:shift]]
            for name in order:
                # The sandbox scans its messages on every request: keep that equal.
                sandbox.state.messages.clear()
                logged = len(sandbox.requests)
                if profiler and name == "integration":
                    profiler.enable()
                started, cpu_started = time.perf_counter(), time.process_time()
                for index in range(start, start + BLOCK):
                    await paths[name](index)
                wall[name] += time.perf_counter() - started
                cpu[name] += time.process_time() - cpu_started
                if profiler and name == "integration":
                    profiler.disable()
                sent[name] += [
                    r.body for r in sandbox.requests[logged:] if r.path == "sms/send"
                ]

    for name, label in LABELS.items():
        print(
            f"{label:<34} {CALLS} messages in {wall[name]:5.2f} s = "
            f"{CALLS / wall[name]:7.1f} msg/s "
            f"(CPU {cpu[name] / CALLS * 1e6:5.0f} us/msg, sandbox included)"
        )
    for name in ("integration", "client", "action"):
        target = "target >= 0.85; " if name == "integration" else ""
        print(
            f"{'ratio ' + name + ' / bare':<34} {wall['bare'] / wall[name]:.2f} "
            f"({target}by CPU time {cpu['bare'] / cpu[name]:.2f}; overhead "
            f"{(cpu[name] - cpu['bare']) / CALLS * 1e6:3.0f} us/msg CPU)"
        )
    print(
        f"{'identical request bodies':<34} "
        f"{all(sent[name] == sent['bare'] for name in LABELS)}"
    )
    print(
        f"{'HA action machinery alone':<34} "
        f"{await machinery_cost(hass) * 1e6:5.0f} us/call "
        "(a no-op action with send_sms's schema and response)"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats(PROFILE_SORT).print_stats(
            "custom_components", 25
        )

    sandbox.state.messages.clear()
    before = len(sandbox.requests_to("sms/send"))
    started = time.perf_counter()
    response = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {
            "recipients": [number(index) for index in range(BULK_RECIPIENTS)],
            "message": "One message to a thousand numbers",
        },
        blocking=True,
        return_response=True,
    )
    seconds = time.perf_counter() - started
    requests = len(sandbox.requests_to("sms/send")) - before
    said = response["requests"] if response else None
    print(
        f"{'send_sms to 1,000 recipients':<34} {requests} requests "
        f"(the response says {said}) in {seconds:.2f} s"
    )


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the integration's path"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(benchmark(args.profile))


if __name__ == "__main__":
    main()
