"""The outbox: sends, retries what certainly did not go out, and tracks delivery.

One concern a module, data flowing one way:

* ``model``: messages, waiting entries, tracked messages and typed outcomes;
* ``store``: the durable journal (append-only, group commit, compaction);
* ``sender``: attempts, backoff, hold-back, the local schedule, retry, clear;
* ``tracker``: delivery statuses read by list, with rate-limit manners
  (``manners``);
* ``notices``: the events and listeners the rest of Home Assistant sees;
* ``core``: the ``Outbox`` of one account that ties them together.
"""

from .core import Outbox, async_remove_outbox
from .manners import RateLimitManners
from .model import (
    OutgoingMessage,
    RecipientOutcome,
    RecipientState,
    SendOutcome,
    StatusChange,
)
from .notices import warn_not_sent

__all__ = [
    "Outbox",
    "OutgoingMessage",
    "RateLimitManners",
    "RecipientOutcome",
    "RecipientState",
    "SendOutcome",
    "StatusChange",
    "async_remove_outbox",
    "warn_not_sent",
]
