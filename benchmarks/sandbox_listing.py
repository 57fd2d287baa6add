"""What paging through `GET sms` costs the sandbox itself, and how many bytes it answers.

Run with ``.venv/bin/python benchmarks/sandbox_listing.py``. It fills the
sandbox with 10,000 reports and reads every page of ``GET sms`` (25 a page)
over loopback with a bare aiohttp client, then prints the wall time, the time
a page, and the response bytes the request log counted
(``LoggedRequest.response_size``). The figure tells test and benchmark
authors what a long history costs in the sandbox, not anything about the
integration.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import sys
import time

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sandbox import Sandbox

REPORTS = 10_000
PAGES = REPORTS // 25


async def main() -> None:
    """Print the time and bytes of reading every page once."""
    sandbox = Sandbox()
    await sandbox.start()
    for index in range(REPORTS):
        sandbox.add_message(f"3161{index:07d}", f"Message {index}")
    headers = {"Authorization": f"Bearer {sandbox.token}", "Accept": "application/json"}
    try:
        async with aiohttp.ClientSession() as session:
            started = time.perf_counter()
            for page in range(1, PAGES + 1):
                async with session.get(
                    f"{sandbox.base_url}sms",
                    params={"page": str(page)},
                    headers=headers,
                ) as response:
                    await response.read()
            elapsed = time.perf_counter() - started
    finally:
        await sandbox.close()
    answered = sum(request.response_size or 0 for request in sandbox.requests)
    print(f"reports: {REPORTS}, pages read: {len(sandbox.requests)}")
    print(f"time: {elapsed:.2f} s, {elapsed / PAGES * 1000:.1f} ms a page")
    print(f"response bytes: {answered:,}")


if __name__ == "__main__":
    asyncio.run(main())
