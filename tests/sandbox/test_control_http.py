"""The test-control HTTP API under `/_sandbox/`, its client and `python -m sandbox text`."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from sandbox import Sandbox
from sandbox.__main__ import main
from sandbox.remote import RemoteError, set_webhook, text_the_house

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def control(
    session: aiohttp.ClientSession,
    sandbox: Sandbox,
    method: str,
    endpoint: str,
    body: Any,
    token: str | None = None,
) -> tuple[int, Any]:
    """Call the control API; return the status and the decoded answer."""
    headers = {"Authorization": f"Bearer {token or sandbox.token}"}
    async with session.request(
        method,
        f"{sandbox.root_url}/_sandbox/{endpoint}",
        data=body if isinstance(body, bytes) else None,
        json=None if isinstance(body, bytes) else body,
        headers=headers,
    ) as response:
        return response.status, await response.json()


async def test_text_the_house_over_http(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    status, answer = await control(
        session,
        sandbox,
        "POST",
        "incoming",
        {"from": "+31612345678", "text": "HEAT ON"},
    )
    assert status == 200
    assert answer == {"uid": answer["uid"], "webhook": None}
    [msg] = sandbox.sent_messages()
    assert (msg.uid, msg.direction, msg.sender, msg.message) == (
        answer["uid"],
        "incoming",
        "31612345678",
        "HEAT ON",
    )
    assert sandbox.requests == []  # control calls are not wire traffic


async def test_set_and_clear_the_webhook_over_http(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    body = {"url": "http://ha.local:8123/api/webhook/abcdef123456", "encoding": "form"}
    status, answer = await control(session, sandbox, "PUT", "webhook", body)
    assert (status, answer) == (
        200,
        {"url": "http://ha.local:8123/api/webhook/abcd****", "encoding": "form"},
    )
    assert (sandbox.webhook_url, sandbox.webhook_encoding) == (body["url"], "form")
    status, answer = await control(session, sandbox, "PUT", "webhook", {"url": None})
    assert (status, answer) == (200, {"url": None, "encoding": "json"})
    assert sandbox.webhook_url is None


@pytest.mark.parametrize(
    ("method", "endpoint", "body", "token", "expected"),
    [
        ("POST", "incoming", {}, "1|wrong", (401, "Unauthenticated.")),
        ("POST", "nothing", {}, None, (404, "No control endpoint /_sandbox/nothing")),
        ("GET", "incoming", {}, None, (405, "Use POST for /_sandbox/incoming")),
        (
            "POST",
            "incoming",
            b"not json",
            None,
            (400, "The body must be a JSON object"),
        ),
        ("POST", "incoming", [], None, (400, "The body must be a JSON object")),
        (
            "POST",
            "incoming",
            {"from": "+31612345678", "text": " "},
            None,
            (400, "'text' must be a non-empty string"),
        ),
        (
            "PUT",
            "webhook",
            {"url": "http://x/y", "encoding": "xml"},
            None,
            (400, '\'encoding\' must be "json" or "form"'),
        ),
    ],
)
async def test_control_refusals(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    method: str,
    endpoint: str,
    body: Any,
    token: str | None,
    expected: tuple[int, str],
) -> None:
    status, answer = await control(session, sandbox, method, endpoint, body, token)
    assert (status, answer) == (expected[0], {"error": expected[1]})
    assert sandbox.sent_messages() == []


async def test_the_remote_client_says_what_happened(sandbox: Sandbox) -> None:
    root, token = sandbox.root_url, sandbox.token
    line = await text_the_house(root, token, "+31612345678", "HEAT ON")
    [msg] = sandbox.sent_messages()
    assert line == (
        f"Received message {msg.uid} from +31612345678; "
        "no webhook URL is set, so nothing was posted."
    )
    assert await set_webhook(root, token, f"{root}/api/webhook/abcdef") == (
        f"Webhook set to {root}/api/webhook/abcd**** (json)."
    )
    line = await text_the_house(root, token, "+31612345678", "again", to="31970")
    assert line.endswith(f"posted to {root}/api/webhook/abcd****: HTTP 404.")
    assert sandbox.sent_messages()[-1].to == "31970"
    sandbox.webhook_url = "http://127.0.0.1:9/api/webhook/abcdef"
    line = await text_the_house(root, token, "+31612345678", "third")
    assert line.endswith(
        "posting to http://127.0.0.1:9/api/webhook/abcd**** failed: "
        "ClientConnectorError."
    )
    assert await set_webhook(root, token, None) == (
        "Webhook off: incoming messages are only listed by GET sms."
    )
    with pytest.raises(RemoteError, match=r"^Unauthenticated\.$"):
        await text_the_house(root, "1|wrong", "+31612345678", "x")
    await sandbox.close()
    with pytest.raises(RemoteError, match="no sandbox answering at http://127"):
        await text_the_house(root, token, "+31612345678", "x")


async def test_cli_text_and_webhook_commands(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    # main() runs its own event loop: call it from a worker thread.
    root = sandbox.root_url
    await asyncio.to_thread(
        main, ["text", "--sandbox", root, "--from", "+31612345678", "HEAT ON"]
    )
    [msg] = sandbox.sent_messages()
    assert msg.message == "HEAT ON"
    assert capsys.readouterr().out.startswith(f"Received message {msg.uid} from")
    await asyncio.to_thread(
        main,
        [
            "webhook",
            "--sandbox",
            root,
            "http://h/api/webhook/0123456",
            "--encoding",
            "form",
        ],
    )
    assert (
        capsys.readouterr().out
        == "Webhook set to http://h/api/webhook/0123**** (form).\n"
    )
    assert sandbox.webhook_encoding == "form"
    await asyncio.to_thread(main, ["webhook", "--sandbox", root, "off"])
    assert sandbox.webhook_url is None
    with pytest.raises(SystemExit) as stopped:
        await asyncio.to_thread(
            main, ["text", "--sandbox", root, "--token", "1|x", "--from", "1", "x"]
        )
    assert stopped.value.code == 1
    assert capsys.readouterr().err == "error: Unauthenticated.\n"
