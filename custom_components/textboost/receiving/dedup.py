"""De-duplication: a message that came by webhook and by polling fires once.

A posted message is matched to a listed one by sender, number and text within
``MATCH_WINDOW``; an unverified message posted again within ``REPEAT_WINDOW``
is a repeat.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from ..api.incoming import IncomingMessage

#: A posted and a listed message this close in time, with the same sender,
#: number and text, are the same message (covers clock differences).
MATCH_WINDOW: Final = timedelta(minutes=10)
#: An unverified message posted again within this time is a repeat.
REPEAT_WINDOW: Final = timedelta(minutes=2)


@dataclass(slots=True)
class Recent:
    """A message lately fired (or refused by the filter): what a repeat matches.

    ``at`` is aware UTC; ``uid`` is the server's, None until the list showed
    it; ``by_webhook``: it came (also) by a post.
    """

    message: IncomingMessage
    at: datetime
    uid: str | None
    by_webhook: bool


@dataclass(slots=True)
class Waiting:
    """A posted message waiting to be found in the list.

    ``arrived`` is aware UTC; ``reads`` counts the reads that missed it.
    """

    message: IncomingMessage
    arrived: datetime
    reads: int = 0


def claim_recent(
    recent: Iterable[Recent], message: IncomingMessage, now: datetime
) -> bool:
    """Whether a posted message was fired already (by polling, or posted twice).

    ``recent`` is newest first. A match within ``MATCH_WINDOW`` of a polled
    message marks it posted; a post within ``REPEAT_WINDOW`` of a post is a
    repeat. True means: do not fire it again.
    """
    for item in recent:
        if not item.message.same_text_as(message):
            continue
        if not item.by_webhook and abs(now - item.at) <= MATCH_WINDOW:
            item.by_webhook = True  # the post of a polled message
            return True
        if item.by_webhook and now - item.at <= REPEAT_WINDOW:
            return True
    return False
