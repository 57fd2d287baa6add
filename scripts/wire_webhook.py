"""Keep the sandbox's webhook pointed at Home Assistant's, for `scripts/develop`.

TextBoost posts incoming texts to the webhook URL a user pastes into its web
interface; in development the sandbox plays TextBoost, so this does the
pasting. It watches Home Assistant's config entries
(`<config>/.storage/core.config_entries`) every two seconds. While a
TextBoost account of the sandbox receives by webhook, the sandbox posts
incoming texts to `<home assistant>/api/webhook/<id>`; when receiving is
turned off (or by polling only), the sandbox's webhook goes off.

It prints one line per change and never the webhook id (a secret).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from pathlib import Path
import sys
from typing import Any

from sandbox.remote import RemoteError, set_webhook

WEBHOOK_MODES = ("webhook", "both")


def wanted_url(
    entries: dict[str, Any], base_url: str, home_assistant: str
) -> str | None:
    """The webhook URL of the first TextBoost account of the sandbox that wants one."""
    for entry in entries.get("data", {}).get("entries", []):
        if entry.get("domain") != "textboost":
            continue
        if entry.get("data", {}).get("base_url") != base_url:
            continue
        options = entry.get("options", {})
        mode = (options.get("receiving") or {}).get("mode")
        if mode in WEBHOOK_MODES and options.get("webhook_id"):
            return f"{home_assistant.rstrip('/')}/api/webhook/{options['webhook_id']}"
    return None


def read_entries(storage: Path) -> dict[str, Any]:
    """Home Assistant's config entries, or nothing while the file is not there."""
    try:
        data: dict[str, Any] = json.loads(storage.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data


async def watch(args: argparse.Namespace) -> None:
    """Point the sandbox's webhook at Home Assistant's whenever it changes."""
    storage = Path(args.config) / ".storage" / "core.config_entries"
    current: str | None = None
    while True:
        url = wanted_url(read_entries(storage), args.base_url, args.home_assistant)
        if url != current:
            try:
                await set_webhook(args.sandbox, args.token, url, args.encoding)
            except RemoteError as err:
                print(f"develop: could not set the sandbox's webhook: {err}")
            else:
                current = url
                print(
                    "develop: the sandbox now posts incoming texts to Home Assistant"
                    if url
                    else "develop: the sandbox's webhook is off"
                )
            sys.stdout.flush()
        await asyncio.sleep(2)


def main() -> None:
    """Parse the command line and watch until stopped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="Home Assistant's config dir")
    parser.add_argument("--sandbox", required=True, help="the sandbox's root URL")
    parser.add_argument("--base-url", required=True, help="the sandbox's API base URL")
    parser.add_argument("--token", required=True)
    parser.add_argument("--home-assistant", default="http://127.0.0.1:8123")
    parser.add_argument("--encoding", choices=("json", "form"), default="json")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(watch(parser.parse_args()))


if __name__ == "__main__":
    main()
