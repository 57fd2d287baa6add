"""The webhook POST of an incoming message: once, unsigned, never retried.

Servers since early 2025 POST each incoming message to the user's webhook URL
(WIRE-NOTES, "Incoming SMS"), JSON or form-encoded. The POST is unsigned,
carries no uid and is not retried: the sandbox makes exactly one attempt and
records its outcome as a `WebhookPost` (HTTP status, or the kind of error),
never raising. The webhook id at the end of the URL is a secret (anyone who
knows it can post messages): what the sandbox records shows only its first
four characters (`mask_url`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import urlsplit, urlunsplit

import aiohttp

WebhookEncoding = Literal["json", "form"]
"""How the webhook body is encoded: JSON or `application/x-www-form-urlencoded`."""

WEBHOOK_TIMEOUT: Final = 10.0
"""Seconds the sandbox waits for the webhook to answer."""


@dataclass(frozen=True, slots=True)
class WebhookPost:
    """One POST the sandbox made to the webhook URL, and how it ended."""

    url: str
    """The URL with its webhook id masked (see `mask_url`)."""
    encoding: WebhookEncoding
    payload: dict[str, str]
    status: int | None
    """The HTTP status of the answer; None when there was none."""
    error: str | None
    """Why there was no answer (connection refused, timeout); None otherwise."""


def webhook_id(url: str | None) -> str | None:
    """Return the secret part of a webhook URL: its last path segment, if any."""
    if url is None:
        return None
    return urlsplit(url).path.rpartition("/")[2] or None


def mask_url(url: str) -> str:
    """Hide the webhook id: the last path segment keeps its first 4 characters.

    For example "http://h/api/webhook/0123456789abcdef" becomes
    "http://h/api/webhook/0123****"; the query is dropped.
    """
    parts = urlsplit(url)
    secret = webhook_id(url)
    head = parts.path.rpartition("/")[0]
    path = f"{head}/{secret[:4]}****" if secret else parts.path
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


async def post_webhook(
    url: str, encoding: WebhookEncoding, payload: dict[str, str]
) -> WebhookPost:
    """POST `payload` to `url` once, unsigned; return how it went (never raises)."""
    status: int | None = None
    error: str | None = None
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                url,
                json=payload if encoding == "json" else None,
                data=payload if encoding == "form" else None,
                timeout=aiohttp.ClientTimeout(total=WEBHOOK_TIMEOUT),
            ) as response,
        ):
            await response.read()
            status = response.status
    except (aiohttp.ClientError, TimeoutError) as err:
        error = type(err).__name__
    return WebhookPost(mask_url(url), encoding, payload, status, error)
