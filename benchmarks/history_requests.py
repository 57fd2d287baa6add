"""Requests that reading the message history since a moment costs, per kind of server.

Run with ``.venv/bin/python benchmarks/history_requests.py``. It starts the
sandbox with a history of 2,000 messages, one a minute, and reads the newest N
of them with ``TextBoostClient.iter_messages_since`` from each kind of server
WIRE-NOTES describes ("Listing"): newest first or oldest first, with the list
filters honoured or ignored on ``api/v3``. For each it prints the ``GET sms``
requests that reached the sandbox against the documented bound
ceil(N/25) + 2. Figures only; nothing is timed.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import math
from pathlib import Path
import sys

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from custom_components.textboost.api import TextBoostClient
from sandbox import Sandbox

HISTORY = 2000
NEW_ROWS = (0, 1, 24, 25, 26, 100, 1000)
SERVERS = (
    ("newest", True, "current server (newest first, filters)"),
    ("newest", False, "newest first, filters ignored"),
    ("oldest", True, "oldest first, filters"),
    ("oldest", False, "older server (oldest first, no filters)"),
)


async def main() -> None:
    """Print one row per kind of server and number of new rows."""
    sandbox = Sandbox()
    await sandbox.start()
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    for index in range(HISTORY):
        sandbox.add_message(
            "31612345678", f"Message {index}", sent_at=start + timedelta(minutes=index)
        )
    print(f"history: {HISTORY} messages, 25 a page")
    print(f"{'server':<42} {'new rows':>8} {'requests':>8} {'bound':>5}")
    try:
        async with aiohttp.ClientSession() as session:
            for order, filters, name in SERVERS:
                sandbox.list_order = order
                sandbox.list_filters = filters
                for new in NEW_ROWS:
                    client = TextBoostClient(session, sandbox.token, sandbox.base_url)
                    since = start + timedelta(minutes=HISTORY - new)
                    sandbox.clear_requests()
                    seen = [m async for m in client.iter_messages_since(since)]
                    assert len(seen) == new, (name, new, len(seen))
                    requests = len(sandbox.requests_to("sms", "GET"))
                    bound = math.ceil(new / 25) + 2
                    print(f"{name:<42} {new:>8} {requests:>8} {bound:>5}")
    finally:
        await sandbox.close()


if __name__ == "__main__":
    asyncio.run(main())
