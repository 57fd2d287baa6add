"""Run the sandbox from the command line: `python -m sandbox`."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
import contextlib
from datetime import UTC, datetime, timedelta
import sys
from typing import TextIO

from .const import DEFAULT_TOKEN
from .facade import Sandbox
from .state import BalanceShape


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m sandbox",
        description="Run a local TextBoost-SMS-compatible server.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument(
        "--balance-shape",
        type=BalanceShape,
        choices=list(BalanceShape),
        default=BalanceShape.REMAINING_BALANCE,
    )
    parser.add_argument(
        "--no-seed", dest="seed", action="store_false", help="start without demo data"
    )
    return parser.parse_args(argv)


def seed_demo(sandbox: Sandbox) -> None:
    """Fill the sandbox with a few groups, contacts and past messages."""
    family = sandbox.add_group("Family")
    sandbox.add_contact(family, "31612345001", "Anna", "de Vries")
    sandbox.add_contact(family, "31612345002", "Bram", "de Vries")
    sandbox.add_contact(family, "31612345003", "Cor", "Jansen")
    on_call = sandbox.add_group("On call")
    sandbox.add_contact(on_call, "31612345101", "Dirk", "Bakker")
    sandbox.add_contact(on_call, "31612345102", "Eva", "Visser")
    now = datetime.now(UTC)
    sandbox.add_message(
        "31612345001", "Dinner at 7?", sent_at=now - timedelta(days=1, hours=2)
    )
    sandbox.add_message(
        "31612345101", "Backup job failed on nas-01", sent_at=now - timedelta(hours=3)
    )


def banner(sandbox: Sandbox) -> str:
    """Return the lines printed once the sandbox listens."""
    return (
        "TextBoost sandbox is running.\n"
        f"  Base URL: {sandbox.base_url}\n"
        f"  Token:    {sandbox.token}\n"
    )


async def run(
    argv: Sequence[str] | None = None,
    *,
    stop: asyncio.Event | None = None,
    out: TextIO | None = None,
) -> None:
    """Serve until `stop` is set (forever when None, i.e. until Ctrl-C)."""
    args = parse_args(argv)
    sandbox = Sandbox(token=args.token)
    sandbox.balance_shape = args.balance_shape
    if args.seed:
        seed_demo(sandbox)
    await sandbox.start(host=args.host, port=args.port)
    try:
        print(banner(sandbox), end="", file=out or sys.stdout, flush=True)
        await (stop or asyncio.Event()).wait()
    finally:
        await sandbox.close()


def main(argv: Sequence[str] | None = None) -> None:
    """Run the sandbox until interrupted."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(argv))


if __name__ == "__main__":  # pragma: no cover
    main()
