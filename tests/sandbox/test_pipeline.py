"""Authentication and routing: what every request goes through."""

from __future__ import annotations

import aiohttp
import pytest

from sandbox import DEFAULT_TOKEN, Sandbox

from .helpers import JSON_ACCEPT, call

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_me_echoes_the_token(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    answer = await call(session, sandbox, "GET", "me")
    assert answer.status == 200
    envelope = answer.json
    assert envelope["status"] == "success"
    data = envelope["data"]
    profile = sandbox.state.profile
    assert data == {
        "uid": profile.uid,
        "api_token": DEFAULT_TOKEN,
        "first_name": "Sandy",
        "last_name": "Box",
        "email": "sandbox@example.com",
        "locale": "en",
        "timezone": "Europe/Amsterdam",
        "last_access_at": data["last_access_at"],
    }
    assert len(profile.uid) == 13
    assert data["last_access_at"].endswith("Z")
    assert answer.headers["X-RateLimit-Limit"] == "1000"
    assert answer.headers["X-RateLimit-Remaining"] == "999"


@pytest.mark.parametrize(
    "headers",
    [
        {"Accept": "application/json"},
        {"Accept": "application/json", "Authorization": "Bearer 1|wrong"},
        {"Accept": "application/json", "Authorization": f"Token {DEFAULT_TOKEN}"},
    ],
)
async def test_bad_bearer_token_is_http_200_error(
    sandbox: Sandbox, session: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    answer = await call(session, sandbox, "GET", "balance", headers=headers)
    assert answer.status == 200
    assert answer.json == {"status": "error", "message": "Unauthenticated."}
    assert answer.headers["X-RateLimit-Limit"] == "1000"


async def test_bad_bearer_token_without_json_is_html_401(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    answer = await call(session, sandbox, "GET", "me", headers={"Accept": "text/html"})
    assert answer.status == 401
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "<html" in answer.text


async def test_http_family_takes_api_token_from_query_or_body(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    token = {"api_token": sandbox.token}
    answer = await call(session, sandbox, "GET", "me", params=token, family="http")
    assert answer.json["data"]["api_token"] == sandbox.token
    answer = await call(
        session,
        sandbox,
        "POST",
        "sms/send",
        body={**token, "recipient": "31612345678", "type": "plain", "message": "hi"},
        family="http",
    )
    assert answer.json["status"] == "success"
    assert [req.family for req in sandbox.requests] == ["http", "http"]


@pytest.mark.parametrize("params", [{}, {"api_token": "1|wrong"}])
async def test_http_family_rejects_bad_credentials(
    sandbox: Sandbox, session: aiohttp.ClientSession, params: dict[str, str]
) -> None:
    answer = await call(session, sandbox, "GET", "me", params=params, family="http")
    assert answer.status == 200
    assert answer.json == {
        "status": "error",
        "message": "These credentials do not match our records.",
    }


async def test_http_family_reads_form_bodies(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    async with session.post(
        sandbox.http_base_url + "contacts",
        data={"api_token": sandbox.token, "name": "Form group"},
        headers=JSON_ACCEPT,
    ) as response:
        envelope = await response.json()
    assert envelope["data"]["name"] == "Form group"
    assert sandbox.requests[-1].body == {
        "api_token": "**REDACTED**",
        "name": "Form group",
    }


async def test_unknown_route(sandbox: Sandbox, session: aiohttp.ClientSession) -> None:
    answer = await call(session, sandbox, "GET", "nothing/here")
    assert answer.status == 404
    assert answer.json == {
        "status": "error",
        "message": "The route api/v3/nothing/here could not be found.",
    }
    answer = await call(
        session, sandbox, "GET", "nothing", headers={"Accept": "text/html"}
    )
    assert answer.status == 404
    assert "<html" in answer.text
    async with session.get(sandbox.root_url + "/elsewhere", headers=JSON_ACCEPT) as r:
        assert r.status == 404
        assert (await r.json())["status"] == "error"
    async with session.get(sandbox.root_url + "/api/v3", headers=JSON_ACCEPT) as r:
        assert r.status == 404
    assert [(req.family, req.path) for req in sandbox.requests] == [
        ("v3", "nothing/here"),
        ("v3", "nothing"),
        (None, "elsewhere"),
        ("v3", ""),
    ]


async def test_wrong_method(sandbox: Sandbox, session: aiohttp.ClientSession) -> None:
    answer = await call(session, sandbox, "PUT", "me")
    assert answer.status == 405
    assert answer.json == {
        "status": "error",
        "message": "The PUT method is not supported for route api/v3/me. "
        "Supported methods: GET.",
    }
    answer = await call(session, sandbox, "PUT", "me", headers={"Accept": "*/*"})
    assert answer.status == 405
    assert "<html" in answer.text


async def test_trailing_slash_is_ignored(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    answer = await call(session, sandbox, "GET", "balance/")
    assert answer.json["status"] == "success"
    assert sandbox.requests_to("balance")[0].path == "balance"
