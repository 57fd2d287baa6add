"""Rate-limit manners: when the integration may ask the server on its own.

One ``RateLimitManners`` per config entry, shared by every reader that
polls of its own initiative (the delivery tracker; the incoming-message
reader). The server allows 1,000 requests a minute per user and reports what
is left in ``X-RateLimit-Remaining`` (WIRE-NOTES "Sending rules"); an alert a
user sends must never find that budget spent on bookkeeping.

Use::

    if not manners.may_request():
        return                      # try again at manners.paused_until
    try:
        page = await client.list_messages(...)
    except TextBoostError as err:
        if manners.pause_for(err):
            return                  # throttled or unreachable: wait
        ...
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from homeassistant.util import dt as dt_util

from ..api import (
    AuthenticationFailed,
    CannotConnect,
    RateLimited,
    RateLimitInfo,
    TextBoostClient,
    TextBoostError,
)

#: Requests left in the minute under which background reads wait.
RATE_LIMIT_RESERVE: Final = 50
#: Seconds background reads wait after throttling or an outage (or a low reserve).
RATE_LIMIT_PAUSE: Final = 60.0


class RateLimitManners:
    """Pauses background reads when the server throttles or is out of reach."""

    def __init__(self, client: TextBoostClient) -> None:
        """Watch ``client``'s last rate-limit headers."""
        self._client = client
        self._waited: RateLimitInfo | None = None
        #: Background reads wait until then (UTC), or None.
        self.paused_until: datetime | None = None

    def may_request(self) -> bool:
        """Whether a background read may be made now.

        False while paused, and when the last answer left fewer than
        ``RATE_LIMIT_RESERVE`` requests in the minute (then a pause of
        ``RATE_LIMIT_PAUSE`` starts, once per such answer). The count is the
        client's last ``X-RateLimit-Remaining`` (WIRE-NOTES "Sending rules").
        """
        now = dt_util.utcnow()
        if self.paused_until is not None and now < self.paused_until:
            return False
        limit = self._client.rate_limit
        if (
            limit is not None
            and limit is not self._waited
            and limit.remaining is not None
            and limit.remaining < RATE_LIMIT_RESERVE
        ):
            self._waited = limit
            self.pause(RATE_LIMIT_PAUSE)
            return False
        return True

    def pause(self, seconds: float) -> None:
        """Hold background reads for ``seconds`` (never shortens a pause)."""
        until = dt_util.utcnow() + timedelta(seconds=seconds)
        if self.paused_until is None or until > self.paused_until:
            self.paused_until = until

    def pause_for(self, err: TextBoostError) -> bool:
        """Pause after an error that every other read would meet too.

        Throttling waits ``Retry-After`` seconds (else ``RATE_LIMIT_PAUSE``); an
        unreachable server or a refused token waits ``RATE_LIMIT_PAUSE``.
        Returns whether a pause started.
        """
        if isinstance(err, RateLimited):
            self.pause(err.retry_after or RATE_LIMIT_PAUSE)
            return True
        if isinstance(err, CannotConnect | AuthenticationFailed):
            self.pause(RATE_LIMIT_PAUSE)
            return True
        return False
