"""The account's webhook: where the server posts each incoming message.

One Home Assistant webhook per account (``webhook.async_register``,
``local_only=False`` because the server posts from the internet, POST only).
Its id is the only secret of the URL: it is never logged, and diagnostics
redact it. Every POST is answered ``200 OK`` with an empty body, whether
it carried a message or not, so a prober learns nothing; what was refused is
counted and logged once, without the body.
"""

from __future__ import annotations

from aiohttp import hdrs, web
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.network import NoURLAvailableError

from ..api.incoming import (
    MAX_WEBHOOK_BODY,
    InvalidWebhookPayload,
    parse_webhook_body,
)
from ..const import DOMAIN
from .receiver import Receiver


@callback
def async_register_webhook(
    hass: HomeAssistant, receiver: Receiver, webhook_id: str
) -> None:
    """Listen at ``/api/webhook/<webhook_id>`` for the receiver's account.

    ``webhook.async_register``: POST only, reachable from the internet;
    every POST is answered ``200 OK`` with an empty body.
    """

    async def handle(
        hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        await _async_handle(receiver, request)
        return web.Response(status=200)

    webhook.async_register(
        hass,
        DOMAIN,
        f"TextBoost SMS: {receiver.entry.title}",
        webhook_id,
        handle,
        local_only=False,
        allowed_methods=[hdrs.METH_POST],
    )


@callback
def async_unregister_webhook(hass: HomeAssistant, webhook_id: str) -> None:
    """Stop listening at the account's webhook (``webhook.async_unregister``)."""
    webhook.async_unregister(hass, webhook_id)


async def _async_handle(receiver: Receiver, request: web.Request) -> None:
    """Read at most ``MAX_WEBHOOK_BODY`` bytes and hand the message over."""
    if (request.content_length or 0) > MAX_WEBHOOK_BODY:
        receiver.refuse_body("too_large")
        return
    body = bytearray()
    async for chunk in request.content.iter_any():
        body += chunk
        if len(body) > MAX_WEBHOOK_BODY:
            break
    try:
        message = parse_webhook_body(
            bytes(body), request.headers.get(hdrs.CONTENT_TYPE, "")
        )
    except InvalidWebhookPayload as err:
        receiver.refuse_body(err.reason)
        return
    await receiver.async_posted(message)


def webhook_url(hass: HomeAssistant, webhook_id: str) -> str | None:
    """The URL to paste into TextBoost, or None when Home Assistant has none.

    The external URL is preferred: the server posts from the internet
    (``webhook.async_generate_url``).
    """
    try:
        return webhook.async_generate_url(hass, webhook_id)
    except NoURLAvailableError:
        return None
