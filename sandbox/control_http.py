"""The test-control HTTP API under `/_sandbox/`: steering a running sandbox.

Not part of the provider's API. It lets `python -m sandbox text ...` (or
`scripts/develop`) "text the house" and point the webhook at a running Home
Assistant while the sandbox serves in another process. Every call needs the
sandbox's API token as `Authorization: Bearer TOKEN`. These requests are not
written to the request log (they are not wire traffic, and counting tests
must not see them), and faults do not apply to them.

- `POST /_sandbox/incoming` with JSON `{"from": NUMBER, "text": TEXT, "to":
  NUMBER (optional)}` stores an incoming message and posts it to the webhook;
  answers `{"uid": UID, "webhook": null | {"url", "status", "error"}}` (the
  URL masked).
- `PUT /_sandbox/webhook` with JSON `{"url": URL | null, "encoding": "json" |
  "form" (optional, default "json")}` sets or clears the webhook; answers
  `{"url": MASKED | null, "encoding": ...}`.

Failures answer `{"error": TEXT}` with 400 (bad body), 401 (token), 404
(unknown path) or 405 (wrong method).
"""

from __future__ import annotations

import hmac
import json
from typing import Any, Final

from aiohttp import web

from .context import SandboxContext
from .incoming import receive
from .webhook import mask_url

PREFIX: Final = "/_sandbox/"
"""Paths of the control API start with this."""


def _answer(payload: object, status: int = 200) -> web.Response:
    return web.json_response(payload, status=status)


def _failure(text: str, status: int) -> web.Response:
    return _answer({"error": text}, status)


def _string(body: dict[str, Any], key: str, *, required: bool) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"'{key}' must be a non-empty string")
    return value.strip()


async def _incoming(ctx: SandboxContext, body: dict[str, Any]) -> web.Response:
    sender = _string(body, "from", required=True)
    text = _string(body, "text", required=True)
    assert sender is not None
    assert text is not None
    msg, post = await receive(ctx, sender, text, to=_string(body, "to", required=False))
    webhook = (
        None
        if post is None
        else {"url": post.url, "status": post.status, "error": post.error}
    )
    return _answer({"uid": msg.uid, "webhook": webhook})


async def _webhook(ctx: SandboxContext, body: dict[str, Any]) -> web.Response:
    url = _string(body, "url", required=False)
    encoding = body.get("encoding", "json")
    if encoding not in ("json", "form"):
        raise ValueError('\'encoding\' must be "json" or "form"')
    ctx.webhook_url = url
    ctx.webhook_encoding = encoding
    masked = None if url is None else mask_url(url)
    return _answer({"url": masked, "encoding": encoding})


_ENDPOINTS: Final = {"incoming": ("POST", _incoming), "webhook": ("PUT", _webhook)}


async def answer(ctx: SandboxContext, request: web.Request) -> web.Response:
    """Answer one request whose path starts with `PREFIX`."""
    scheme, _, supplied = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        supplied.strip().encode(), ctx.token.encode()
    ):
        return _failure("Unauthenticated.", 401)
    endpoint = _ENDPOINTS.get(request.path.removeprefix(PREFIX).strip("/"))
    if endpoint is None:
        return _failure(f"No control endpoint {request.path}", 404)
    method, handler = endpoint
    if request.method != method:
        return _failure(f"Use {method} for {request.path}", 405)
    try:
        body = json.loads(await request.read())
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return _failure("The body must be a JSON object", 400)
    try:
        return await handler(ctx, body)
    except ValueError as err:
        return _failure(str(err), 400)
