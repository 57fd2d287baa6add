"""A client of the test-control HTTP API, for `python -m sandbox text|webhook`.

It talks to a sandbox running in another process (see `sandbox.control_http`
for the endpoints) and turns the answers into one line for a terminal.
"""

from __future__ import annotations

from typing import Any, Final

import aiohttp

DEFAULT_ROOT: Final = "http://127.0.0.1:8765"
"""Where `python -m sandbox` listens unless told otherwise."""


class RemoteError(Exception):
    """The running sandbox could not be reached or refused the call."""


async def _control(
    root_url: str, token: str, method: str, endpoint: str, body: dict[str, Any]
) -> dict[str, Any]:
    url = f"{root_url.rstrip('/')}/_sandbox/{endpoint}"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.request(
                method,
                url,
                json=body,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=30),
            ) as response,
        ):
            answer: dict[str, Any] = await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as err:
        msg = f"no sandbox answering at {root_url} ({type(err).__name__})"
        raise RemoteError(msg) from None
    if "error" in answer:
        raise RemoteError(str(answer["error"]))
    return answer


async def text_the_house(
    root_url: str, token: str, sender: str, text: str, *, to: str | None = None
) -> str:
    """Make the sandbox receive `text` from `sender`; return a line saying so.

    Raises `RemoteError` when the sandbox cannot be reached or refuses.
    """
    body = {"from": sender, "text": text, "to": to}
    answer = await _control(root_url, token, "POST", "incoming", body)
    webhook = answer["webhook"]
    if webhook is None:
        posted = "no webhook URL is set, so nothing was posted"
    elif webhook["error"] is not None:
        posted = f"posting to {webhook['url']} failed: {webhook['error']}"
    else:
        posted = f"posted to {webhook['url']}: HTTP {webhook['status']}"
    return f"Received message {answer['uid']} from {sender}; {posted}."


async def set_webhook(
    root_url: str, token: str, url: str | None, encoding: str = "json"
) -> str:
    """Point the sandbox's webhook at `url` (None: no webhook); return a line."""
    body = {"url": url, "encoding": encoding}
    answer = await _control(root_url, token, "PUT", "webhook", body)
    if answer["url"] is None:
        return "Webhook off: incoming messages are only listed by GET sms."
    return f"Webhook set to {answer['url']} ({answer['encoding']})."
