"""Faults the sandbox can inject into its next responses."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum


class Fault(StrEnum):
    """A failure the sandbox plays instead of (or on top of) a normal answer.

    Faults marked "not processed" answer without touching the sandbox state;
    the others process the request (a message is really sent) and then spoil
    the response.
    """

    HTTP_500_HTML = "http_500_html"
    """HTTP 500 with an HTML page; not processed."""
    HTTP_429 = "http_429"
    """HTTP 429, `Retry-After`, `{"message": "Too Many Attempts."}`; not processed."""
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    """HTTP 200 `status: error` "Too Many Attempts."; not processed."""
    UNAUTHENTICATED = "unauthenticated"
    """HTTP 200 `status: error` "Unauthenticated."; not processed."""
    INSUFFICIENT_BALANCE = "insufficient_balance"
    """HTTP 200 `status: error` about the balance; not processed."""
    SLOW = "slow"
    """Processed, then the answer is held back for `Sandbox.slow_seconds`."""
    MALFORMED_JSON = "malformed_json"
    """Processed, then answered with a truncated JSON body."""
    DISCONNECT = "disconnect"
    """Processed, then the connection is closed halfway through the body."""
    CANNED_RESPONSE = "canned_response"
    """A response given to `Sandbox.inject_response`; not processed."""


PROCESSING_FAULTS = frozenset({Fault.SLOW, Fault.MALFORMED_JSON, Fault.DISCONNECT})
"""Faults that let the request be processed before spoiling the answer."""


@dataclass(frozen=True, slots=True)
class CannedResponse:
    """An arbitrary response to send as is."""

    status: int
    body: bytes
    content_type: str


@dataclass(frozen=True, slots=True)
class FaultHit:
    """The fault chosen for one request."""

    fault: Fault
    canned: CannedResponse | None = None


@dataclass(slots=True)
class _Rule:
    fault: Fault
    remaining: int
    path: str | None
    canned: CannedResponse | None


def normalize_path(path: str) -> str:
    """Return a relative API path without leading or trailing slashes."""
    return path.strip("/")


class FaultQueue:
    """Injected faults, consumed first in, first out."""

    def __init__(self) -> None:
        self._rules: deque[_Rule] = deque()

    def add(
        self,
        fault: Fault,
        count: int = 1,
        *,
        path: str | None = None,
        canned: CannedResponse | None = None,
    ) -> None:
        """Apply `fault` to the next `count` requests (only to `path` if given)."""
        if count < 1:
            msg = f"count must be at least 1, not {count}"
            raise ValueError(msg)
        target = None if path is None else normalize_path(path)
        self._rules.append(_Rule(fault, count, target, canned))

    def take(self, path: str) -> FaultHit | None:
        """Consume the oldest fault that applies to a request for `path`."""
        for rule in self._rules:
            if rule.path is None or rule.path == path:
                rule.remaining -= 1
                if rule.remaining == 0:
                    self._rules.remove(rule)
                return FaultHit(rule.fault, rule.canned)
        return None

    def clear(self) -> None:
        """Forget every pending fault."""
        self._rules.clear()

    def __len__(self) -> int:
        """Return how many requests the pending faults will still spoil."""
        return sum(rule.remaining for rule in self._rules)
