"""The per-user throttle: a rolling window of requests.

The real server allows 1,000 requests a minute per user and answers each
request with `X-RateLimit-Limit` and `X-RateLimit-Remaining`; past the limit
it answers "Too Many Attempts." with `Retry-After` (WIRE-NOTES, "Throttling").
"""

from __future__ import annotations

from collections import deque
import math
import time

from .const import RATE_WINDOW


class RateLimiter:
    """Authenticated requests of the last `RATE_WINDOW` seconds (time.monotonic)."""

    def __init__(self) -> None:
        self._hits: deque[float] = deque()

    def _prune(self, now: float) -> None:
        while self._hits and now - self._hits[0] >= RATE_WINDOW:
            self._hits.popleft()

    def take_slot(self, limit: int) -> bool:
        """Count one request if fewer than `limit` are in the window; else False."""
        now = time.monotonic()
        self._prune(now)
        if len(self._hits) >= limit:
            return False
        self._hits.append(now)
        return True

    def retry_after_seconds(self) -> int:
        """Whole seconds until a slot frees up (the full window when none is held)."""
        if not self._hits:
            return int(RATE_WINDOW)
        now = time.monotonic()
        return max(1, math.ceil(self._hits[0] + RATE_WINDOW - now))

    def headers(self, limit: int) -> dict[str, str]:
        """Return the `X-RateLimit-*` headers for a limit of `limit` a window."""
        self._prune(time.monotonic())
        remaining = max(0, limit - len(self._hits))
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
        }
