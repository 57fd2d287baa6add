"""Reading an answer: the envelope, error classification and response headers.

Every answer of the API, whatever its HTTP code, goes through
``read_envelope``, which returns the envelope's ``data`` and ``message`` or
raises the one exception class that says what happened (see
``exceptions.py`` for what each class promises about a repeat).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
import json
import math
import re
from typing import Any, Final

from .exceptions import (
    AuthenticationFailed,
    InvalidResponse,
    NotFound,
    RateLimited,
    RequestRejected,
    SenderIdRejected,
    ServiceUnavailable,
)
from .models import RateLimitInfo

#: Texts meaning the token was refused (WIRE-NOTES "The envelope"; the second
#: is the ``api/http`` family's).
AUTH_MESSAGES: Final = frozenset(
    {"Unauthenticated.", "These credentials do not match our records."}
)
#: Laravel's throttling text, sent with HTTP 200 (WIRE-NOTES "The envelope").
THROTTLE_MESSAGE: Final = "Too Many Attempts."
#: Laravel's text for an unknown id: "No query results for model [...]".
NOT_FOUND_PREFIX: Final = "No query results"
#: Refusals for the sender (WIRE-NOTES "Sending rules"): "Originator ACME is
#: not authorized to send this message", "Sender ID is required ...", and
#: Laravel's validation text "The sender id field is required.".
SENDER_ID_REFUSAL: Final = re.compile(
    r"\boriginator\b|\bsender[ _-]?id\b", re.IGNORECASE
)


def read_envelope(
    status: int,
    headers: Mapping[str, str],
    raw: bytes,
    scrub: Callable[[str], str] = str,
) -> tuple[Any, str | None]:
    """Classify one answer and return its ``(data, message)``.

    ``status`` is the HTTP code, ``raw`` the undecoded body; ``scrub`` removes
    secrets from the server's message before it goes anywhere. The
    ``status`` field of the envelope decides, not the HTTP code, because the
    server answers most failures with HTTP 200 (WIRE-NOTES "The envelope").

    Raises:
        RateLimited: HTTP 429 or "Too Many Attempts." (``retry_after`` in
            seconds from the ``Retry-After`` header, when given).
        ServiceUnavailable: HTTP 5xx, whatever the body (an HTML page from a
            proxy, or JSON): an outage, during which the server may still
            have acted on the request (an ``OutcomeUnknown``); with
            ``retry_after`` when the answer says how long to wait.
        InvalidResponse: any other answer without the envelope, such as a web
            page with HTTP 200 or 404: the base URL is likely not the API (an
            ``OutcomeUnknown`` too).
        AuthenticationFailed: HTTP 401, or a refused-token text.
        NotFound: ``status: error`` with "No query results ...".
        SenderIdRejected: ``status: error`` about the sender
            (``SENDER_ID_REFUSAL``).
        RequestRejected: any other ``status: error``, with the server's text.
    """
    if status == 429:
        raise RateLimited(retry_after(headers))
    if status >= 500:
        # A failing server or proxy may have acted on the request first,
        # whatever its body says.
        raise ServiceUnavailable(status, retry_after(headers))
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):
        if status == 401:
            raise AuthenticationFailed("The API token was refused") from None
        raise InvalidResponse(
            f"The TextBoost server answered HTTP {status} with a body that is not JSON"
        ) from None
    if not isinstance(payload, dict):
        raise InvalidResponse(
            f"The TextBoost server answered HTTP {status} without the envelope"
        )
    message = payload.get("message")
    message = scrub(message) if isinstance(message, str) else None
    outcome = payload.get("status")
    if outcome == "success":
        return payload.get("data"), message
    if message in AUTH_MESSAGES or status == 401:
        raise AuthenticationFailed("The API token was refused")
    if message == THROTTLE_MESSAGE:
        raise RateLimited(retry_after(headers))
    if outcome == "error":
        if message and message.startswith(NOT_FOUND_PREFIX):
            raise NotFound(message, http_status=status)
        if message and SENDER_ID_REFUSAL.search(message):
            raise SenderIdRejected(message, http_status=status)
        raise RequestRejected(message or f"HTTP {status}", http_status=status)
    raise InvalidResponse(
        f"The TextBoost server answered HTTP {status} without a status"
    )


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from the ``Retry-After`` header, or None.

    Accepts a number of seconds or an HTTP date (RFC 9110, 10.2.3); a date in
    the past, or a negative number, gives 0. None when the header is absent
    or unreadable.
    """
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def rate_limit_info(headers: Mapping[str, str]) -> RateLimitInfo:
    """The ``X-RateLimit-Limit`` / ``X-RateLimit-Remaining`` headers.

    Requests per minute (WIRE-NOTES "Sending rules": 1,000 by default); each
    field is None when its header is absent or not a whole number.
    """
    return RateLimitInfo(
        limit=_header_int(headers, "X-RateLimit-Limit"),
        remaining=_header_int(headers, "X-RateLimit-Remaining"),
    )


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name, "")
    try:
        return int(value) if value.isascii() and value.isdigit() else None
    except ValueError:  # over 4300 digits
        return None
