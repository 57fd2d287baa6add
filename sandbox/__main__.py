"""Run the sandbox from the command line: `python -m sandbox`.

- `python -m sandbox [--port 8765] [--webhook-url URL] [--webhook-encoding
  json|form]` serves until Ctrl-C;
- `python -m sandbox text --from +31612345678 "HEAT ON"` makes that running
  sandbox receive a text (and post it to its webhook);
- `python -m sandbox webhook URL|off [--encoding json|form]` points the
  running sandbox's webhook elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Coroutine, Sequence
import contextlib
from datetime import UTC, datetime, timedelta
import sys
from typing import Any, TextIO

from .const import DEFAULT_TOKEN
from .facade import Sandbox
from .remote import DEFAULT_ROOT, RemoteError, set_webhook, text_the_house
from .state import BalanceShape
from .webhook import mask_url

ENCODINGS = ("json", "form")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line of the server."""
    parser = argparse.ArgumentParser(
        prog="python -m sandbox",
        description="Run a local TextBoost-SMS-compatible server.",
        epilog="Also: 'python -m sandbox text --help', 'python -m sandbox webhook --help'.",
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
    parser.add_argument(
        "--webhook-url", help="POST incoming messages here (e.g. Home Assistant's)"
    )
    parser.add_argument("--webhook-encoding", choices=ENCODINGS, default="json")
    return parser.parse_args(argv)


def parse_text_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse `python -m sandbox text ...`."""
    parser = argparse.ArgumentParser(
        prog="python -m sandbox text",
        description="Make a running sandbox receive a text message.",
    )
    parser.add_argument("--from", dest="sender", required=True, help="who texts")
    parser.add_argument("--to", help="the account's number it arrives on")
    parser.add_argument("--sandbox", default=DEFAULT_ROOT, help="its root URL")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("text")
    return parser.parse_args(argv)


def parse_webhook_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse `python -m sandbox webhook ...`."""
    parser = argparse.ArgumentParser(
        prog="python -m sandbox webhook",
        description="Set (or turn off) the webhook of a running sandbox.",
    )
    parser.add_argument("url", help="the webhook URL, or 'off'")
    parser.add_argument("--encoding", choices=ENCODINGS, default="json")
    parser.add_argument("--sandbox", default=DEFAULT_ROOT, help="its root URL")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
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
    webhook = (
        "not set (python -m sandbox webhook URL)"
        if sandbox.webhook_url is None
        else f"{mask_url(sandbox.webhook_url)} ({sandbox.webhook_encoding})"
    )
    return (
        "TextBoost sandbox is running.\n"
        f"  Base URL: {sandbox.base_url}\n"
        f"  Token:    {sandbox.token}\n"
        f"  Webhook:  {webhook}\n"
        '  Text the house: python -m sandbox text --from +31612345001 "HEAT ON"\n'
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
    sandbox.webhook_url = args.webhook_url
    sandbox.webhook_encoding = args.webhook_encoding
    if args.seed:
        seed_demo(sandbox)
    await sandbox.start(host=args.host, port=args.port)
    try:
        print(banner(sandbox), end="", file=out or sys.stdout, flush=True)
        await (stop or asyncio.Event()).wait()
    finally:
        await sandbox.close()


def control(argv: Sequence[str]) -> Coroutine[Any, Any, str] | None:
    """Return the control-API call `argv` asks for; None when it asks to serve."""
    if argv[:1] == ["text"]:
        args = parse_text_args(argv[1:])
        return text_the_house(
            args.sandbox, args.token, args.sender, args.text, to=args.to
        )
    if argv[:1] == ["webhook"]:
        args = parse_webhook_args(argv[1:])
        url = None if args.url == "off" else args.url
        return set_webhook(args.sandbox, args.token, url, args.encoding)
    return None


def main(argv: Sequence[str] | None = None) -> None:
    """Run the sandbox until interrupted, or make one control call."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    call = control(arguments)
    if call is None:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run(arguments))
        return
    try:
        print(asyncio.run(call))
    except RemoteError as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":  # pragma: no cover
    main()
