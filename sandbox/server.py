"""A local TextBoost-SMS-compatible HTTP server and its test-facing API.

The server speaks the wire described in `WIRE-NOTES.md`: the `api/v3` family
(bearer token) and the `api/http` family (`api_token` parameter), the
`status`/`message`/`data` envelope with most failures as HTTP 200, Laravel
paginators, HTML pages when JSON was not asked for, and rate-limit headers.
Tests steer it through `Sandbox`: its state, its request log and its faults.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Mapping
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
import hmac
import json
import math
import re
import time
from typing import Any, Final, Literal
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from .faults import (
    PROCESSING_FAULTS,
    CannedResponse,
    Fault,
    FaultHit,
    FaultQueue,
    normalize_path,
)
from .gsm import Encoding, count_segments
from .state import (
    BalanceShape,
    Contact,
    ContactShape,
    Group,
    Message,
    SandboxState,
    new_uid,
)

DEFAULT_TOKEN: Final = "49|SandboxToken0123456789abcdefghijklmnopqrstu"  # noqa: S105, RUF100
"""The (fake) API token a `Sandbox` accepts unless told otherwise."""

REDACTED: Final = "**REDACTED**"
PER_PAGE: Final = 25
MAX_RECIPIENTS: Final = 100
DEFAULT_SENDER: Final = "TextBoost"
RATE_LIMIT: Final = 1000
RATE_WINDOW: Final = 60.0

Family = Literal["v3", "http"]
FAMILY_PREFIXES: Final[dict[Family, str]] = {"v3": "/api/v3/", "http": "/api/http/"}

MESSAGE_TYPES: Final = frozenset(
    {"plain", "unicode", "voice", "mms", "whatsapp", "viber", "otp"}
)
VOICE_LANGUAGES: Final = frozenset(
    {
        "cy-gb", "da-dk", "de-de", "el-gr", "en-au", "en-gb", "en-gb-wls", "en-in",
        "en-us", "es-es", "es-mx", "es-us", "fr-ca", "fr-fr", "id-id", "is-is",
        "it-it", "ja-jp", "ko-kr", "ms-my", "nb-no", "nl-nl", "pl-pl", "pt-br",
        "pt-pt", "ro-ro", "ru-ru", "sv-se", "ta-in", "th-th", "tr-tr", "vi-vn",
        "zh-cn", "zh-hk",
    }
)  # fmt: skip
VOICE_GENDERS: Final = frozenset({"male", "female"})

UNAUTHENTICATED: Final = "Unauthenticated."
BAD_CREDENTIALS: Final = "These credentials do not match our records."
TOO_MANY_ATTEMPTS: Final = "Too Many Attempts."
NOT_ENOUGH_BALANCE: Final = (
    "There is not enough balance available to send this message. "
    "Please recharge your account."
)
SENT_ONE: Final = "Your message was successfully delivered"
SCHEDULED: Final = "Message is scheduled successfully."

_NUMBER = re.compile(r"\d{7,15}")
_NUMBER_JUNK = re.compile(r"[+()\-\s]")
_ALPHANUMERIC_SENDER = re.compile(r"[A-Za-z0-9]{1,11}")
_SCHEDULE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
_HTML_TITLES: Final = {
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
    500: "Server Error",
}


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """A request that reached the sandbox, with the token redacted everywhere."""

    method: str
    path: str
    """Path relative to the family prefix, e.g. "sms/send" (no slashes around)."""
    family: Family | None
    """"v3" or "http"; None for a path outside both API families."""
    query: dict[str, str]
    body: Any
    """Parsed JSON (or form) body, None when there was none or it did not parse."""
    headers: dict[str, str]
    fault: Fault | None
    """The injected fault this request consumed, if any."""


@dataclass(slots=True)
class _Reply:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> web.Response:
        return web.Response(
            status=self.status,
            body=self.body,
            headers={**self.headers, "Content-Type": self.content_type},
        )


@dataclass(frozen=True, slots=True)
class _Call:
    method: str
    family: Family | None
    path: str
    route: str
    params: dict[str, Any]
    headers: Mapping[str, str]
    wants_json: bool
    base: str


@dataclass(frozen=True, slots=True)
class _SendOrder:
    numbers: list[str]
    sender: str
    type: str
    text: str
    schedule: datetime | None
    language: str | None
    gender: str | None
    media_url: str | None
    dlt_template_id: str | None


class _ApiError(Exception):
    """A failure answered with the error envelope."""

    def __init__(self, message: str, status: int = 200) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class _NotFoundError(Exception):
    """An unknown id: an error envelope for JSON clients, else an HTML 404."""

    def __init__(self, model: str, uid: str) -> None:
        self.message = f"No query results for model [App\\Models\\{model}] {uid}"
        super().__init__(self.message)


_Handler = Callable[[_Call, dict[str, str]], _Reply]


def _json_reply(payload: object, status: int = 200) -> _Reply:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return _Reply(status, body, "application/json")


def _success(
    data: object, message: str | None = None, *, with_data: bool = True
) -> _Reply:
    payload: dict[str, object] = {"status": "success", "message": message}
    if with_data:
        payload["data"] = data
    return _json_reply(payload)


def _error(message: str, status: int = 200) -> _Reply:
    return _json_reply({"status": "error", "message": message}, status)


def _html(status: int) -> _Reply:
    title = _HTML_TITLES[status]
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body><div>{status} | {title}</div></body>\n"
        "</html>\n"
    )
    return _Reply(status, page.encode(), "text/html; charset=UTF-8")


def _wants_json(accept: str) -> bool:
    first = accept.split(",", 1)[0]
    return "/json" in first or "+json" in first


def _split_path(path: str) -> tuple[Family | None, str]:
    for family, prefix in FAMILY_PREFIXES.items():
        if path.startswith(prefix) or path == prefix.rstrip("/"):
            return family, normalize_path(path[len(prefix) :])
    return None, normalize_path(path)


def _parse_body(raw: bytes, content_type: str) -> object:
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            return json.loads(text)
        except ValueError:
            return None
    if content_type == "application/x-www-form-urlencoded":
        return dict(parse_qsl(text, keep_blank_values=True))
    return None


def _text(params: Mapping[str, Any], key: str, *, status: int = 200) -> str | None:
    """Read a request parameter the Laravel way: trimmed, empty means missing."""
    value = params.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        name = key.replace("_", " ")
        raise _ApiError(f"The {name} must be a string.", status)
    return value.strip() or None


def _page(params: Mapping[str, Any]) -> int:
    try:
        page = int(str(params.get("page", 1)))
    except ValueError:
        return 1
    return max(page, 1)


def _paginate(items: list[Any], page: int, url: str) -> dict[str, Any]:
    """Build a Laravel length-aware paginator for one page of `items`."""
    total = len(items)
    last = max(1, math.ceil(total / PER_PAGE))
    start = (page - 1) * PER_PAGE
    chunk = items[start : start + PER_PAGE]

    def page_url(number: int) -> str:
        return f"{url}?page={number}"

    prev_url = page_url(page - 1) if page > 1 else None
    next_url = page_url(page + 1) if page < last else None
    links: list[dict[str, Any]] = [
        {"url": prev_url, "label": "&laquo; Previous", "active": False},
        *(
            {"url": page_url(number), "label": str(number), "active": number == page}
            for number in range(1, last + 1)
        ),
        {"url": next_url, "label": "Next &raquo;", "active": False},
    ]
    return {
        "current_page": page,
        "data": chunk,
        "first_page_url": page_url(1),
        "from": start + 1 if chunk else None,
        "last_page": last,
        "last_page_url": page_url(last),
        "links": links,
        "next_page_url": next_url,
        "path": url,
        "per_page": PER_PAGE,
        "prev_page_url": prev_url,
        "to": start + len(chunk) if chunk else None,
        "total": total,
    }


def _iso(moment: datetime | None) -> str | None:
    """Format an aware time the way Laravel serialises dates."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _display_expiry(moment: datetime | None) -> str:
    """Format like PHP `d M Y g:i A`, e.g. "31 Dec 2026 11:59 PM"."""
    if moment is None:
        return ""
    hour = moment.hour % 12 or 12
    return f"{moment:%d %b %Y} {hour}:{moment:%M %p}"


def clean_number(raw: str) -> str:
    """Strip `+ ( ) -` and white space from a phone number."""
    return _NUMBER_JUNK.sub("", raw)


def _valid_sender(sender: str) -> bool:
    phone = sender.removeprefix("+")
    return bool(_NUMBER.fullmatch(phone) or _ALPHANUMERIC_SENDER.fullmatch(sender))


def _is_http_url(url: str | None) -> bool:
    if url is None:
        return False
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _parse_schedule(value: str | None) -> datetime | None:
    if value is None:
        return None
    error = _ApiError("The schedule time does not match the format Y-m-d H:i.")
    if not _SCHEDULE.fullmatch(value):
        raise error
    try:
        # Naive on purpose: read in the account's time zone, like `Sandbox.now()`.
        return datetime.fromisoformat(value)
    except ValueError:
        raise error from None


class Sandbox:
    """A TextBoost SMS server on loopback, and the switches tests steer it with.

    Attributes:
        token: the only API token accepted.
        state: the account data (`SandboxState`); tests may change it freely.
        balance_shape: which key `GET balance` uses.
        contact_shape: "old" (`first_name`/`last_name`) or "new" (`custom_fields`).
        delivery_delay: seconds (time.monotonic) before a sent message is final.
        slow_seconds: how long the SLOW fault holds a response back.
        retry_after: `Retry-After` value of the HTTP_429 fault (None: no header).
        rate_limit: requests allowed per rolling minute (1000 like the server).
        requests: every request that reached the server, token redacted.

    """

    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        """Create a sandbox accepting `token`; call `start()` to serve it."""
        self.token = token
        self.state = SandboxState()
        self.balance_shape = BalanceShape.REMAINING_BALANCE
        self.contact_shape: ContactShape = "old"
        self.delivery_delay = 1.0
        self.slow_seconds = 15.0
        self.retry_after: int | None = 7
        self.rate_limit = RATE_LIMIT
        self.requests: list[LoggedRequest] = []
        self._faults = FaultQueue()
        self._hits: deque[float] = deque()
        self._busy: set[RequestHandler] = set()
        self._closing = asyncio.Event()
        self._request_seen = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._host = "127.0.0.1"
        self._port = 0
        self._routes: list[tuple[str, re.Pattern[str], _Handler]] = [
            ("GET", re.compile(r"me"), self._get_me),
            ("GET", re.compile(r"balance"), self._get_balance),
            ("POST", re.compile(r"sms/send"), self._send_sms),
            ("GET", re.compile(r"sms"), self._list_sms),
            ("GET", re.compile(r"sms/(?P<uid>[^/]+)"), self._get_sms),
            ("GET", re.compile(r"contacts"), self._list_groups),
            ("POST", re.compile(r"contacts"), self._create_group),
            ("POST", re.compile(r"contacts/(?P<group>[^/]+)/show"), self._show_group),
            ("PATCH", re.compile(r"contacts/(?P<group>[^/]+)"), self._rename_group),
            ("DELETE", re.compile(r"contacts/(?P<group>[^/]+)"), self._delete_group),
            (
                "POST",
                re.compile(r"contacts/(?P<group>[^/]+)/store"),
                self._store_contact,
            ),
            (
                "POST",
                re.compile(r"contacts/(?P<group>[^/]+)/search/(?P<uid>[^/]+)"),
                self._search_contact,
            ),
            (
                "PATCH",
                re.compile(r"contacts/(?P<group>[^/]+)/update/(?P<uid>[^/]+)"),
                self._update_contact,
            ),
            (
                "DELETE",
                re.compile(r"contacts/(?P<group>[^/]+)/delete/(?P<uid>[^/]+)"),
                self._delete_contact,
            ),
            ("POST", re.compile(r"contacts/(?P<group>[^/]+)/all"), self._list_contacts),
        ]

    # ------------------------------------------------------------------ life cycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on `host`:`port` (port 0 picks a free port)."""
        if self._runner is not None:
            msg = "the sandbox is already started"
            raise RuntimeError(msg)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        self._runner = runner
        self._host = host
        self._closing.clear()
        await self._listen(port)
        self._port = int(runner.addresses[0][1])

    async def close(self) -> None:
        """Stop serving; held (SLOW) responses are released at once."""
        self._closing.set()
        runner, self._runner, self._site = self._runner, None, None
        if runner is not None:
            await runner.cleanup()

    async def refuse_connections(self) -> None:
        """Stop listening: new connections are refused until `accept_connections`.

        Idle keep-alive connections are dropped too, so a client cannot slip
        through on a pooled connection; busy ones close once they answered.
        """
        runner = self._require_runner()
        site, self._site = self._site, None
        if site is None:
            return
        await site.stop()
        if runner.server is not None:
            for connection in runner.server.connections:
                if connection in self._busy:
                    connection.close()
                else:
                    connection.force_close()

    async def accept_connections(self) -> None:
        """Listen again, on the same port as before."""
        self._require_runner()
        if self._site is None:
            await self._listen(self._port)

    async def _listen(self, port: int) -> None:
        site = web.TCPSite(self._require_runner(), self._host, port)
        await site.start()
        self._site = site

    def _require_runner(self) -> web.AppRunner:
        if self._runner is None:
            msg = "the sandbox is not running; call start() first"
            raise RuntimeError(msg)
        return self._runner

    @property
    def root_url(self) -> str:
        """The server root, e.g. "http://127.0.0.1:8765"."""
        self._require_runner()
        return f"http://{self._host}:{self._port}"

    @property
    def base_url(self) -> str:
        """The `api/v3` base URL, e.g. "http://127.0.0.1:8765/api/v3/"."""
        return f"{self.root_url}/api/v3/"

    @property
    def http_base_url(self) -> str:
        """The `api/http` base URL, e.g. "http://127.0.0.1:8765/api/http/"."""
        return f"{self.root_url}/api/http/"

    # ---------------------------------------------------------------- test helpers

    def now(self) -> datetime:
        """Return the current naive time in the account's time zone."""
        return datetime.now(UTC).astimezone(self._zone()).replace(tzinfo=None)

    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.state.profile.timezone)

    def inject(self, fault: Fault, count: int = 1, *, path: str | None = None) -> None:
        """Apply `fault` to the next `count` requests (only those for `path`)."""
        self._faults.add(fault, count, path=path)

    def inject_response(
        self,
        status: int,
        body: bytes,
        content_type: str,
        count: int = 1,
        *,
        path: str | None = None,
    ) -> None:
        """Answer the next `count` requests (for `path`) with this exact response."""
        canned = CannedResponse(status, body, content_type)
        self._faults.add(Fault.CANNED_RESPONSE, count, path=path, canned=canned)

    def clear_faults(self) -> None:
        """Forget every fault not yet consumed."""
        self._faults.clear()

    @property
    def pending_faults(self) -> int:
        """How many requests the injected faults will still spoil."""
        return len(self._faults)

    def requests_to(self, path: str, method: str | None = None) -> list[LoggedRequest]:
        """Return the logged requests for `path` (e.g. "sms/send"), maybe by method."""
        target = normalize_path(path)
        return [
            req
            for req in self.requests
            if req.path == target and (method is None or req.method == method.upper())
        ]

    def clear_requests(self) -> None:
        """Empty the request log."""
        self.requests.clear()

    async def wait_for_request(
        self, path: str | None = None, *, count: int = 1
    ) -> LoggedRequest:
        """Wait until `count` requests (for `path`, if given) reached the server.

        Returns the `count`-th of them. Handy while a SLOW response is held
        back; wrap it in `asyncio.timeout()` to bound the wait.
        """
        while True:
            seen = self.requests if path is None else self.requests_to(path)
            if len(seen) >= count:
                return seen[count - 1]
            self._request_seen.clear()
            await self._request_seen.wait()

    def add_group(self, name: str, contacts: int = 0) -> str:
        """Create a group with `contacts` generated contacts; return its uid."""
        uid = new_uid()
        self.state.groups[uid] = Group(uid, name)
        for index in range(1, contacts + 1):
            self.add_contact(uid, f"3161000{index:04d}", "Contact", str(index))
        return uid

    def add_contact(
        self,
        group_uid: str,
        phone: str,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> str:
        """Add a contact to a group (KeyError if it is unknown); return its uid."""
        group = self.state.groups[group_uid]
        uid = new_uid()
        group.contacts[uid] = Contact(uid, phone, first_name, last_name)
        return uid

    def add_message(
        self,
        to: str,
        message: str,
        *,
        status: str = "Delivered",
        sender: str = DEFAULT_SENDER,
        sent_at: datetime | None = None,
    ) -> str:
        """Store a message as if it had been sent earlier; return its uid."""
        segments = count_segments(message)
        msg = Message(
            uid=new_uid(),
            to=to,
            sender=sender,
            message=message,
            type="plain" if segments.encoding is Encoding.GSM7 else "unicode",
            cost=self.state.unit_price * segments.segments,
            segments=segments.segments,
            status=status,
            sent_at=sent_at or datetime.now(UTC),
            sent_monotonic=time.monotonic(),
        )
        self.state.messages.append(msg)
        return msg.uid

    def sent_messages(self) -> list[Message]:
        """Return every stored message, oldest first, with up-to-date statuses."""
        self._advance()
        return list(self.state.messages)

    def complete_deliveries(self) -> None:
        """Make every message that has left (not those still scheduled) final now."""
        self._advance()
        for msg in self.state.messages:
            if msg.status == "Enroute":
                msg.status = self._final_status(msg)

    def _final_status(self, msg: Message) -> str:
        return self.state.final_status.get(msg.to, "Delivered")

    def _advance(self) -> None:
        """Send scheduled messages whose time came; finish deliveries past the delay."""
        now = self.now()
        zone = self._zone()
        mono = time.monotonic()
        for msg in self.state.messages:
            if (
                msg.status == "Scheduled"
                and msg.scheduled_for is not None
                and msg.scheduled_for <= now
            ):
                msg.status = "Enroute"
                msg.sent_at = msg.scheduled_for.replace(tzinfo=zone).astimezone(UTC)
                msg.sent_monotonic = mono
            if (
                msg.status == "Enroute"
                and msg.sent_monotonic is not None
                and mono - msg.sent_monotonic >= self.delivery_delay
            ):
                msg.status = self._final_status(msg)

    # -------------------------------------------------------------- request flow

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self._busy.add(request.protocol)
        try:
            return await self._answer(request)
        finally:
            self._busy.discard(request.protocol)

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        family, path = _split_path(request.path)
        query = dict(request.query)
        body = _parse_body(raw, request.content_type)
        hit = self._faults.take(path)
        self._log(request, family=family, path=path, query=query, body=body, hit=hit)
        if hit is not None and hit.fault not in PROCESSING_FAULTS:
            reply = self._fault_reply(hit)
        else:
            params = {**query, **body} if isinstance(body, dict) else dict(query)
            prefix = FAMILY_PREFIXES[family] if family is not None else "/"
            call = _Call(
                method=request.method,
                family=family,
                path=path,
                route=request.path.lstrip("/"),
                params=params,
                headers=request.headers,
                wants_json=_wants_json(request.headers.get("Accept", "")),
                base=f"{request.url.origin()}{prefix}",
            )
            reply = self._dispatch(call)
        reply.headers.update(self._rate_headers())
        if hit is not None and hit.fault is Fault.SLOW:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self.slow_seconds)
        elif hit is not None and hit.fault is Fault.MALFORMED_JSON:
            truncated = reply.body[: len(reply.body) // 2]
            reply = _Reply(200, truncated, "application/json", reply.headers)
        elif hit is not None and hit.fault is Fault.DISCONNECT:
            return await self._send_partial(request, reply)
        response = reply.response()
        if self._site is None:  # refusing connections: do not keep this one
            response.force_close()
        return response

    @staticmethod
    async def _send_partial(request: web.Request, reply: _Reply) -> web.StreamResponse:
        """Send the head and half the body, then drop the connection."""
        response = web.StreamResponse(
            status=reply.status,
            headers={**reply.headers, "Content-Type": reply.content_type},
        )
        response.content_length = len(reply.body)
        await response.prepare(request)
        await response.write(reply.body[: len(reply.body) // 2])
        if request.transport is not None:
            request.transport.close()
        return response

    def _scrub_text(self, text: str) -> str:
        """Replace the token wherever it appears in `text`."""
        return text.replace(self.token, REDACTED) if self.token else text

    def _scrub_strings(self, mapping: Mapping[str, str]) -> dict[str, str]:
        return {
            self._scrub_text(key): self._scrub_text(value)
            for key, value in mapping.items()
        }

    def _scrub(self, value: object) -> object:
        """Replace the token wherever it appears inside a parsed body."""
        if isinstance(value, str):
            return self._scrub_text(value)
        if isinstance(value, dict):
            return {self._scrub(key): self._scrub(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._scrub(item) for item in value]
        return value

    def _log(
        self,
        request: web.Request,
        *,
        family: Family | None,
        path: str,
        query: dict[str, str],
        body: object,
        hit: FaultHit | None,
    ) -> None:
        headers = {
            key: f"Bearer {REDACTED}" if key.lower() == "authorization" else value
            for key, value in request.headers.items()
        }
        if "api_token" in query:
            query = {**query, "api_token": REDACTED}
        if isinstance(body, dict) and "api_token" in body:
            body = {**body, "api_token": REDACTED}
        self.requests.append(
            LoggedRequest(
                method=request.method,
                path=self._scrub_text(path),
                family=family,
                query=self._scrub_strings(query),
                body=self._scrub(body),
                headers=self._scrub_strings(headers),
                fault=hit.fault if hit is not None else None,
            )
        )
        self._request_seen.set()

    def _fault_reply(self, hit: FaultHit) -> _Reply:
        if hit.fault is Fault.HTTP_500_HTML:
            return _html(500)
        if hit.fault is Fault.HTTP_429:
            reply = _json_reply({"message": TOO_MANY_ATTEMPTS}, 429)
            if self.retry_after is not None:
                reply.headers["Retry-After"] = str(self.retry_after)
            return reply
        if hit.fault is Fault.TOO_MANY_ATTEMPTS:
            return _error(TOO_MANY_ATTEMPTS)
        if hit.fault is Fault.UNAUTHENTICATED:
            return _error(UNAUTHENTICATED)
        if hit.fault is Fault.INSUFFICIENT_BALANCE:
            return _error(NOT_ENOUGH_BALANCE)
        canned = hit.canned
        assert canned is not None  # only CANNED_RESPONSE is left
        return _Reply(canned.status, canned.body, canned.content_type)

    def _dispatch(self, call: _Call) -> _Reply:
        allowed: list[str] = []
        if call.family is not None:
            for method, pattern, handler in self._routes:
                match = pattern.fullmatch(call.path)
                if match is None:
                    continue
                if method == call.method:
                    return self._run(call, handler, match.groupdict())
                allowed.append(method)
        if allowed:
            if not call.wants_json:
                return _html(405)
            supported = ", ".join(allowed)
            return _error(
                f"The {call.method} method is not supported for route {call.route}. "
                f"Supported methods: {supported}.",
                405,
            )
        if not call.wants_json:
            return _html(404)
        return _error(f"The route {call.route} could not be found.", 404)

    def _run(self, call: _Call, handler: _Handler, args: dict[str, str]) -> _Reply:
        denied = self._authenticate(call)
        if denied is not None:
            return denied
        if not self._take_rate_limit_slot():
            reply = _error(TOO_MANY_ATTEMPTS) if call.wants_json else _html(429)
            reply.headers["Retry-After"] = str(self._retry_after_seconds())
            return reply
        try:
            return handler(call, args)
        except _NotFoundError as err:
            return _error(err.message) if call.wants_json else _html(404)
        except _ApiError as err:
            return _error(err.message, err.status)

    def _token_matches(self, supplied: object) -> bool:
        return isinstance(supplied, str) and hmac.compare_digest(
            supplied.encode(), self.token.encode()
        )

    def _authenticate(self, call: _Call) -> _Reply | None:
        if call.family == "v3":
            scheme, _, supplied = call.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not self._token_matches(supplied.strip()):
                return _error(UNAUTHENTICATED) if call.wants_json else _html(401)
        elif not self._token_matches(call.params.get("api_token")):
            return _error(BAD_CREDENTIALS)
        self.state.profile.last_access_at = datetime.now(UTC)
        return None

    def _prune_hits(self, now: float) -> None:
        while self._hits and now - self._hits[0] >= RATE_WINDOW:
            self._hits.popleft()

    def _take_rate_limit_slot(self) -> bool:
        now = time.monotonic()
        self._prune_hits(now)
        if len(self._hits) >= self.rate_limit:
            return False
        self._hits.append(now)
        return True

    def _retry_after_seconds(self) -> int:
        now = time.monotonic()
        oldest = self._hits[0] if self._hits else now
        return max(1, math.ceil(oldest + RATE_WINDOW - now))

    def _rate_headers(self) -> dict[str, str]:
        self._prune_hits(time.monotonic())
        remaining = max(0, self.rate_limit - len(self._hits))
        return {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(remaining),
        }

    # ------------------------------------------------------------ account routes

    def _get_me(self, call: _Call, args: dict[str, str]) -> _Reply:
        profile = self.state.profile
        return _success(
            {
                "uid": profile.uid,
                "api_token": self.token,
                "first_name": profile.first_name,
                "last_name": profile.last_name,
                "email": profile.email,
                "locale": profile.locale,
                "timezone": profile.timezone,
                "last_access_at": _iso(profile.last_access_at),
            }
        )

    def _get_balance(self, call: _Call, args: dict[str, str]) -> _Reply:
        state = self.state
        value: str | int
        if state.balance_display is not None:
            value = state.balance_display
        elif state.unlimited:
            value = "Unlimited"
        elif self.balance_shape is BalanceShape.SMS_CREDIT_BALANCE:
            value = int(state.balance)
        else:
            value = f"{state.balance:,.2f}"
        return _success(
            {
                str(self.balance_shape): value,
                "expired_on": _display_expiry(state.expires_on),
            }
        )

    # ---------------------------------------------------------------- SMS routes

    def _message_json(self, msg: Message) -> dict[str, Any]:
        return {
            "uid": msg.uid,
            "to": msg.to,
            "from": msg.sender,
            "message": msg.message,
            "customer_status": msg.status,
            "cost": str(msg.cost),
        }

    def _get_sms(self, call: _Call, args: dict[str, str]) -> _Reply:
        self._advance()
        msg = self.state.find_message(args["uid"])
        if msg is None:
            raise _NotFoundError("Reports", args["uid"])
        return _success(self._message_json(msg))

    def _list_sms(self, call: _Call, args: dict[str, str]) -> _Reply:
        self._advance()
        items = [
            {
                **self._message_json(msg),
                "sms_type": msg.type,
                "direction": msg.direction,
                "sent_at": _iso(msg.sent_at),
            }
            for msg in reversed(self.state.messages)
        ]
        return _success(_paginate(items, _page(call.params), f"{call.base}sms"))

    @staticmethod
    def _read_send_order(params: Mapping[str, Any]) -> _SendOrder:
        recipient = _text(params, "recipient")
        if recipient is None:
            raise _ApiError("The recipient field is required.")
        sms_type = _text(params, "type")
        if sms_type is None:
            raise _ApiError("The type field is required.")
        if sms_type not in MESSAGE_TYPES:
            raise _ApiError("The selected type is invalid.")
        text = _text(params, "message")
        if text is None and sms_type != "mms":
            raise _ApiError("The message field is required.")
        schedule = _parse_schedule(_text(params, "schedule_time"))
        language = _text(params, "language")
        gender = _text(params, "gender")
        if sms_type == "voice" and (
            language not in VOICE_LANGUAGES or gender not in VOICE_GENDERS
        ):
            raise _ApiError("Language and gender parameters are required")
        media_url = _text(params, "media_url")
        if sms_type == "mms" and not _is_http_url(media_url):
            raise _ApiError("Valid media url is required.")
        numbers = [clean_number(part) for part in recipient.split(",")]
        numbers = [number for number in numbers if number]
        if not numbers:
            raise _ApiError("The recipient field is required.")
        if len(numbers) > MAX_RECIPIENTS:
            raise _ApiError("You cannot send more than 100 SMS in a single request.")
        sender = _text(params, "sender_id")
        if sender is not None and not _valid_sender(sender):
            raise _ApiError(
                f"Originator {sender} is not authorized to send this message"
            )
        return _SendOrder(
            numbers=numbers,
            sender=sender or DEFAULT_SENDER,
            type=sms_type,
            text=text or "",
            schedule=schedule,
            language=language,
            gender=gender,
            media_url=media_url,
            dlt_template_id=_text(params, "dlt_template_id"),
        )

    def _send_sms(self, call: _Call, args: dict[str, str]) -> _Reply:
        order = self._read_send_order(call.params)
        blacklist = {clean_number(number) for number in self.state.blacklist}
        accepted: list[str] = []
        errors: list[str] = []
        for number in order.numbers:
            if not _NUMBER.fullmatch(number):
                errors.append(f"{number} is a invalid phone number")
            elif number in blacklist:
                errors.append("Number contains in the blacklist")
            else:
                accepted.append(number)
        if not accepted:
            raise _ApiError(", ".join(errors))

        sms_type, segments = order.type, 1
        if sms_type not in {"voice", "mms"}:
            counted = count_segments(order.text, force_unicode=sms_type == "unicode")
            segments = counted.segments
            if sms_type == "plain" and counted.encoding is Encoding.UCS2:
                sms_type = "unicode"
        cost = self.state.unit_price * segments
        if not self.state.unlimited:
            total = cost * len(accepted)
            if total > self.state.balance:
                raise _ApiError(NOT_ENOUGH_BALANCE)
            self.state.balance -= total

        single = len(order.numbers) == 1
        scheduled = order.schedule is not None and not single
        sent = [
            self._store_message(
                order,
                number=number,
                sms_type=sms_type,
                segments=segments,
                cost=cost,
                scheduled=scheduled,
            )
            for number in accepted
        ]
        self._advance()
        if single:
            msg = sent[0]
            data = {
                "uid": msg.uid,
                "to": msg.to,
                "from": msg.sender,
                "message": msg.message,
                "status": msg.status,
                "cost": str(msg.cost),
                "sms_count": msg.segments,
            }
            return _success(data, SENT_ONE)
        message = ", ".join(errors) if errors else SCHEDULED
        if scheduled:
            return _success(None, message, with_data=False)
        items = [{**self._message_json(msg), "sms_count": msg.segments} for msg in sent]
        return _success(items, message)

    def _store_message(
        self,
        order: _SendOrder,
        *,
        number: str,
        sms_type: str,
        segments: int,
        cost: Decimal,
        scheduled: bool,
    ) -> Message:
        msg = Message(
            uid=new_uid(),
            to=number,
            sender=order.sender,
            message=order.text,
            type=sms_type,
            cost=cost,
            segments=segments,
            status="Scheduled" if scheduled else "Enroute",
            scheduled_for=order.schedule,
            language=order.language,
            gender=order.gender,
            media_url=order.media_url,
            dlt_template_id=order.dlt_template_id,
            sent_at=None if scheduled else datetime.now(UTC),
            sent_monotonic=None if scheduled else time.monotonic(),
        )
        self.state.messages.append(msg)
        return msg

    # ------------------------------------------------------------- group routes

    def _group(self, uid: str) -> Group:
        group = self.state.groups.get(uid)
        if group is None:
            raise _NotFoundError("ContactGroups", uid)
        return group

    @staticmethod
    def _group_json(group: Group) -> dict[str, Any]:
        return {"uid": group.uid, "name": group.name}

    @staticmethod
    def _read_name(params: Mapping[str, Any]) -> str:
        name = _text(params, "name", status=422)
        if name is None:
            raise _ApiError("The name field is required.", 422)
        return name

    def _list_groups(self, call: _Call, args: dict[str, str]) -> _Reply:
        items = [self._group_json(group) for group in self.state.groups.values()]
        return _success(_paginate(items, _page(call.params), f"{call.base}contacts"))

    def _create_group(self, call: _Call, args: dict[str, str]) -> _Reply:
        name = self._read_name(call.params)
        uid = new_uid()
        group = self.state.groups[uid] = Group(uid, name)
        return _success(self._group_json(group), "Contact group successfully created")

    def _show_group(self, call: _Call, args: dict[str, str]) -> _Reply:
        return _success(self._group_json(self._group(args["group"])))

    def _rename_group(self, call: _Call, args: dict[str, str]) -> _Reply:
        group = self._group(args["group"])
        group.name = self._read_name(call.params)
        return _success(self._group_json(group), "Contact group successfully updated")

    def _delete_group(self, call: _Call, args: dict[str, str]) -> _Reply:
        group = self._group(args["group"])
        del self.state.groups[group.uid]
        return _success(None, "Contact group successfully deleted")

    # ----------------------------------------------------------- contact routes

    @staticmethod
    def _contact(group: Group, uid: str) -> Contact:
        contact = group.contacts.get(uid)
        if contact is None:
            raise _NotFoundError("Contacts", uid)
        return contact

    def _contact_json(self, contact: Contact) -> dict[str, Any]:
        if self.contact_shape == "new":
            return {
                "uid": contact.uid,
                "phone": contact.phone,
                "status": "subscribe",
                "custom_fields": {
                    "FIRST_NAME": contact.first_name,
                    "LAST_NAME": contact.last_name,
                },
            }
        return {
            "uid": contact.uid,
            "phone": contact.phone,
            "first_name": contact.first_name,
            "last_name": contact.last_name,
        }

    @staticmethod
    def _read_phone(
        params: Mapping[str, Any], group: Group, exclude: str | None = None
    ) -> str:
        raw = _text(params, "phone", status=422)
        if raw is None:
            raise _ApiError("The phone field is required.", 422)
        phone = raw.removeprefix("+")
        if not _NUMBER.fullmatch(phone):
            raise _ApiError("The phone must be a number.", 422)
        for other in group.contacts.values():
            if other.phone == phone and other.uid != exclude:
                raise _ApiError("The phone has already been taken.", 422)
        return phone

    def _store_contact(self, call: _Call, args: dict[str, str]) -> _Reply:
        group = self._group(args["group"])
        phone = self._read_phone(call.params, group)
        contact = Contact(
            uid=new_uid(),
            phone=phone,
            first_name=_text(call.params, "first_name", status=422),
            last_name=_text(call.params, "last_name", status=422),
        )
        group.contacts[contact.uid] = contact
        return _success(self._contact_json(contact), "Contact successfully added")

    def _search_contact(self, call: _Call, args: dict[str, str]) -> _Reply:
        contact = self._contact(self._group(args["group"]), args["uid"])
        return _success(self._contact_json(contact))

    def _update_contact(self, call: _Call, args: dict[str, str]) -> _Reply:
        group = self._group(args["group"])
        contact = self._contact(group, args["uid"])
        phone = self._read_phone(call.params, group, exclude=contact.uid)
        first_name = _text(call.params, "first_name", status=422)
        last_name = _text(call.params, "last_name", status=422)
        contact.phone = phone
        if "first_name" in call.params:
            contact.first_name = first_name
        if "last_name" in call.params:
            contact.last_name = last_name
        return _success(self._contact_json(contact), "Contact successfully updated")

    def _delete_contact(self, call: _Call, args: dict[str, str]) -> _Reply:
        group = self._group(args["group"])
        contact = self._contact(group, args["uid"])
        del group.contacts[contact.uid]
        return _success(None, "Contact successfully deleted")

    def _list_contacts(self, call: _Call, args: dict[str, str]) -> _Reply:
        group = self._group(args["group"])
        items = [self._contact_json(contact) for contact in group.contacts.values()]
        url = f"{call.base}contacts/{group.uid}/all"
        return _success(_paginate(items, _page(call.params), url))
