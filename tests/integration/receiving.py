"""Helpers of the receiving tests: options, and texting the house."""

from __future__ import annotations

from typing import Any

from custom_components.textboost.const import CONF_RECEIVING, CONF_WEBHOOK_ID
from sandbox import Sandbox
from tests.helpers import WEBHOOK_ID

__all__ = ["HOUSE", "SENDER", "WEBHOOK_ID", "receiving_options", "text_the_house"]

#: The account's number that people text.
HOUSE = "+31 970 1020 3040"
#: Who texts the house.
SENDER = "+31 6 1234 5678"


def receiving_options(
    mode: str,
    *,
    verify: bool = True,
    keywords: list[str] | None = None,
    accept_from: str = "anyone",
    poll_interval: int = 5,
) -> dict[str, Any]:
    """Entry options that turn receiving on."""
    return {
        CONF_RECEIVING: {
            "mode": mode,
            "verify": verify,
            "poll_interval": poll_interval,
            "keywords": keywords or [],
            "accept_from": accept_from,
        },
        CONF_WEBHOOK_ID: WEBHOOK_ID,
    }


async def text_the_house(
    sandbox: Sandbox, text: str, sender: str = SENDER, to: str = HOUSE
) -> str:
    """A text received by the account: an incoming report (and the sandbox's
    webhook POST, when one is set); returns the report's uid."""
    return await sandbox.receive_sms(sender, text, to=to)
