"""Async client for the TextBoost SMS (Ultimate SMS) HTTP API, v3 family."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
import ipaddress
import json
import logging
import math
import re
from typing import Any, Final
from urllib.parse import quote, urlsplit

import aiohttp

from .exceptions import (
    AuthenticationFailed,
    CannotConnect,
    InvalidBaseUrl,
    InvalidResponse,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    RequestRejected,
    TextBoostError,
)
from .models import (
    Balance,
    Contact,
    ContactGroup,
    Message,
    MessageType,
    Page,
    Profile,
    RateLimitInfo,
    RecipientResult,
    RecipientState,
    SendResult,
    SentMessage,
    VoiceGender,
)
from .phone import normalize_phone, normalize_recipients

_LOGGER = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://www.textboostsms.com/api/v3/"
DEFAULT_TIMEOUT: Final = 10.0
MAX_RECIPIENTS_PER_REQUEST: Final = 100
SCHEDULE_FORMAT: Final = "%Y-%m-%d %H:%M"
_MAX_PAGES: Final = 1000
_REDACTED: Final = "**REDACTED**"

AUTH_MESSAGES: Final = frozenset(
    {"Unauthenticated.", "These credentials do not match our records."}
)
THROTTLE_MESSAGE: Final = "Too Many Attempts."
NOT_FOUND_PREFIX: Final = "No query results"
SUCCESS_MESSAGES: Final = frozenset(
    {"Message is scheduled successfully.", "Your message was successfully delivered"}
)


def normalize_base_url(url: str) -> str:
    """Return the v3 API root for what a user typed, ending in ``/api/v3/``.

    Accepts ``https://host``, ``https://host/``, ``https://host/api/v3`` and
    ``https://host/api/v3/`` (and ``/api/http``, which shares the token).
    Plain ``http://`` is refused except for loopback addresses.
    """
    try:
        parts = urlsplit(url.strip())
        host, _ = parts.hostname, parts.port  # both raise on a bad IPv6 or port
    except ValueError:
        raise InvalidBaseUrl("host") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidBaseUrl("scheme")
    if not host or parts.username or parts.password or parts.query or parts.fragment:
        raise InvalidBaseUrl("host")
    if parts.scheme == "http" and not _is_loopback(host):
        raise InvalidBaseUrl("insecure")
    path = parts.path.rstrip("/")
    for suffix in ("/api/v3", "/api/http"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    return f"{parts.scheme}://{parts.netloc}{path}/api/v3/"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from the ``Retry-After`` header (a number or an HTTP date)."""
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


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name, "")
    try:
        return int(value) if value.isascii() and value.isdigit() else None
    except ValueError:  # over 4300 digits
        return None


def _as_dict(data: object) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidResponse("expected an object in the answer")
    return data


class TextBoostClient:
    """A client for one TextBoost account.

    The session is injected (Home Assistant's shared one in the integration).
    The token goes into the ``Authorization`` header only; it is never part of
    a ``repr``, an exception text or a log line.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Bind the client to a session, a token and an API root."""
        self._session = session
        self._token = token
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
        }
        self.base_url = normalize_base_url(base_url)
        # "connect" covers everything until the request could be written, so
        # a timeout there means certainly-not-sent; "sock_read" is after that.
        self._timeout = aiohttp.ClientTimeout(
            total=None, connect=timeout, sock_read=timeout
        )
        self.rate_limit: RateLimitInfo | None = None

    def __repr__(self) -> str:
        """Describe the client without its token."""
        return f"TextBoostClient(base_url={self.base_url!r})"

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, _REDACTED) if self._token else text

    async def _request(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> tuple[Any, str | None]:
        """Make one request and return the envelope's ``data`` and ``message``."""
        try:
            async with self._session.request(
                method,
                self.base_url + path,
                json=body,
                params=params,
                headers=self._headers,
                timeout=self._timeout,
            ) as response:
                raw = await response.read()
                status, response_headers = response.status, response.headers
        except (aiohttp.ConnectionTimeoutError, aiohttp.ClientConnectorError) as err:
            _LOGGER.debug(
                "%s %s: cannot connect (%s)", method, path, type(err).__name__
            )
            raise CannotConnect(
                f"Cannot connect to the TextBoost server ({type(err).__name__})"
            ) from None
        except TimeoutError:
            _LOGGER.debug("%s %s: no answer in time", method, path)
            raise OutcomeUnknown(
                "The TextBoost server did not answer in time"
            ) from None
        except aiohttp.ClientError as err:
            _LOGGER.debug(
                "%s %s: connection lost (%s)", method, path, type(err).__name__
            )
            raise OutcomeUnknown(
                f"The connection to the TextBoost server was lost ({type(err).__name__})"
            ) from None
        self.rate_limit = RateLimitInfo(
            limit=_header_int(response_headers, "X-RateLimit-Limit"),
            remaining=_header_int(response_headers, "X-RateLimit-Remaining"),
        )
        _LOGGER.debug("%s %s: HTTP %s, %d bytes", method, path, status, len(raw))
        return self._read_envelope(status, response_headers, raw)

    def _read_envelope(
        self, status: int, headers: Mapping[str, str], raw: bytes
    ) -> tuple[Any, str | None]:
        if status == 429:
            raise RateLimited(_retry_after(headers))
        if status >= 500:
            # A failing server or proxy may have acted on the request first,
            # whatever its body says.
            if not _is_json(raw):
                raise InvalidResponse(
                    f"The TextBoost server answered HTTP {status} with a body that is not JSON"
                )
            raise OutcomeUnknown(f"The TextBoost server failed with HTTP {status}")
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
        message = self._scrub(message) if isinstance(message, str) else None
        outcome = payload.get("status")
        if outcome == "success":
            return payload.get("data"), message
        if message in AUTH_MESSAGES or status == 401:
            raise AuthenticationFailed("The API token was refused")
        if message == THROTTLE_MESSAGE:
            raise RateLimited(_retry_after(headers))
        if outcome == "error":
            if message and message.startswith(NOT_FOUND_PREFIX):
                raise NotFound(message, http_status=status)
            raise RequestRejected(message or f"HTTP {status}", http_status=status)
        raise InvalidResponse(
            f"The TextBoost server answered HTTP {status} without a status"
        )

    # Account

    async def me(self) -> Profile:
        """The account profile (its echoed token is dropped)."""
        data, _ = await self._request("GET", "me")
        return Profile.from_api(_as_dict(data))

    async def balance(self) -> Balance:
        """The remaining balance and its expiry."""
        data, _ = await self._request("GET", "balance")
        return Balance.from_api(_as_dict(data))

    # Messages

    async def send(
        self,
        recipients: Sequence[str | int],
        message: str | None,
        *,
        message_type: MessageType = MessageType.PLAIN,
        sender_id: str | None = None,
        schedule_time: datetime | None = None,
        dlt_template_id: str | None = None,
        language: str | None = None,
        gender: VoiceGender | None = None,
        media_url: str | None = None,
    ) -> SendResult:
        """Send one message to any number of recipients.

        Recipients are normalised (``InvalidRecipientError`` names every bad
        one) and sent in requests of at most 100. ``schedule_time`` is wall
        time in the account's time zone. If the first request fails, its
        exception is raised; if a later one fails, the result says so per
        recipient and the remaining requests are not made.
        """
        numbers = normalize_recipients(recipients)
        body: dict[str, str] = {"type": str(message_type)}
        if message:
            body["message"] = message
        optional = {
            "sender_id": sender_id,
            "schedule_time": schedule_time.strftime(SCHEDULE_FORMAT)
            if schedule_time
            else None,
            "dlt_template_id": dlt_template_id,
            "language": language,
            "gender": str(gender) if gender else None,
            "media_url": media_url,
        }
        body.update({k: v for k, v in optional.items() if v})
        chunks = [
            numbers[i : i + MAX_RECIPIENTS_PER_REQUEST]
            for i in range(0, len(numbers), MAX_RECIPIENTS_PER_REQUEST)
        ]
        results: list[RecipientResult] = []
        server_messages: list[str] = []
        requests = 0
        for index, chunk in enumerate(chunks):
            requests += 1
            try:
                data, server_message = await self._request(
                    "POST", "sms/send", body={"recipient": ",".join(chunk), **body}
                )
                chunk_results = _chunk_results(
                    chunk, data, server_message, scheduled=bool(schedule_time)
                )
            except TextBoostError as err:
                if index == 0:
                    raise
                results.extend(_failed(chunk, err))
                for rest in chunks[index + 1 :]:
                    results.extend(
                        RecipientResult(
                            n, RecipientState.NOT_SENT, error="Not attempted"
                        )
                        for n in rest
                    )
                break
            if server_message:
                server_messages.append(server_message)
            results.extend(chunk_results)
        return SendResult(
            recipients=results,
            requests=requests,
            server_message=" ".join(server_messages) or None,
        )

    async def get_message(self, uid: str) -> Message:
        """One message by its uid."""
        data, _ = await self._request("GET", f"sms/{_q(uid)}")
        return Message.from_api(_as_dict(data))

    async def list_messages(self, page: int = 1) -> Page[Message]:
        """One page (25) of sent and received messages, newest first."""
        data, _ = await self._request("GET", "sms", params={"page": str(page)})
        return Page.from_api(data, Message.from_api)

    def iter_messages(self) -> AsyncIterator[Message]:
        """Every message, page after page."""
        return self._iterate(self.list_messages)

    # Contact groups

    async def create_group(self, name: str) -> ContactGroup:
        """Create a contact group."""
        data, _ = await self._request("POST", "contacts", body={"name": name})
        return ContactGroup.from_api(_as_dict(data))

    async def get_group(self, group_uid: str) -> ContactGroup:
        """One contact group by uid."""
        data, _ = await self._request("POST", f"contacts/{_q(group_uid)}/show")
        return ContactGroup.from_api(_as_dict(data))

    async def rename_group(self, group_uid: str, name: str) -> ContactGroup:
        """Give a contact group a new name."""
        data, _ = await self._request(
            "PATCH", f"contacts/{_q(group_uid)}", body={"name": name}
        )
        return ContactGroup.from_api(_as_dict(data))

    async def delete_group(self, group_uid: str) -> None:
        """Delete a contact group and its contacts."""
        await self._request("DELETE", f"contacts/{_q(group_uid)}")

    async def list_groups(self, page: int = 1) -> Page[ContactGroup]:
        """One page (25) of contact groups."""
        data, _ = await self._request("GET", "contacts", params={"page": str(page)})
        return Page.from_api(data, ContactGroup.from_api)

    def iter_groups(self) -> AsyncIterator[ContactGroup]:
        """Every contact group, page after page."""
        return self._iterate(self.list_groups)

    # Contacts

    async def add_contact(
        self,
        group_uid: str,
        phone: str | int,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> Contact:
        """Add a contact to a group."""
        data, _ = await self._request(
            "POST",
            f"contacts/{_q(group_uid)}/store",
            body=_contact_body(phone, first_name, last_name),
        )
        return Contact.from_api(_as_dict(data))

    async def get_contact(self, group_uid: str, contact_uid: str) -> Contact:
        """One contact of a group."""
        data, _ = await self._request(
            "POST",
            f"contacts/{_q(group_uid)}/search/{_q(contact_uid)}",
        )
        return Contact.from_api(_as_dict(data))

    async def update_contact(
        self,
        group_uid: str,
        contact_uid: str,
        phone: str | int,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> Contact:
        """Change a contact's number or name."""
        data, _ = await self._request(
            "PATCH",
            f"contacts/{_q(group_uid)}/update/{_q(contact_uid)}",
            body=_contact_body(phone, first_name, last_name),
        )
        return Contact.from_api(_as_dict(data))

    async def delete_contact(self, group_uid: str, contact_uid: str) -> None:
        """Remove a contact from a group."""
        await self._request(
            "DELETE",
            f"contacts/{_q(group_uid)}/delete/{_q(contact_uid)}",
        )

    async def list_contacts(self, group_uid: str, page: int = 1) -> Page[Contact]:
        """One page (25) of a group's contacts."""
        data, _ = await self._request(
            "POST",
            f"contacts/{_q(group_uid)}/all",
            params={"page": str(page)},
        )
        return Page.from_api(data, Contact.from_api)

    def iter_contacts(self, group_uid: str) -> AsyncIterator[Contact]:
        """Every contact of a group, page after page."""

        async def page_of(page: int) -> Page[Contact]:
            return await self.list_contacts(group_uid, page)

        return self._iterate(page_of)

    @staticmethod
    async def _iterate[T](
        fetch: Callable[[int], Awaitable[Page[T]]],
    ) -> AsyncIterator[T]:
        page: int | None = 1
        while page is not None and page <= _MAX_PAGES:
            current = await fetch(page)
            for item in current.items:
                yield item
            # A server that ignores ?page= must not make this loop forever.
            following = current.next_page
            page = following if following is not None and following > page else None


def _q(uid: str) -> str:
    """A uid made safe as one segment of a URL path."""
    return quote(uid, safe="")


def _contact_body(
    phone: str | int, first_name: str | None, last_name: str | None
) -> dict[str, str]:
    number = normalize_phone(phone)
    body = {"phone": number if number is not None else str(phone)}
    if first_name:
        body["first_name"] = first_name
    if last_name:
        body["last_name"] = last_name
    return body


def _failed(chunk: list[str], err: TextBoostError) -> list[RecipientResult]:
    """Per-recipient results of a request that failed as a whole."""
    if err.certainly_not_sent:
        state = RecipientState.NOT_SENT
    elif isinstance(err, OutcomeUnknown):
        state = RecipientState.UNKNOWN
    else:
        state = RecipientState.REJECTED
    return [
        RecipientResult(n, state, error=str(err), error_type=type(err).__name__)
        for n in chunk
    ]


def _chunk_results(
    chunk: list[str], data: object, server_message: str | None, *, scheduled: bool
) -> list[RecipientResult]:
    """Per-recipient results of one accepted request."""
    if isinstance(data, dict):
        rows: list[object] = [data]
    elif isinstance(data, list):
        rows = data
    else:
        # A scheduled send to several numbers answers with no details at all.
        state = RecipientState.SCHEDULED if scheduled else RecipientState.ACCEPTED
        return [RecipientResult(n, state) for n in chunk]
    sent_rows = [SentMessage.from_api(_as_dict(row)) for row in rows]
    if len(chunk) == 1 and len(sent_rows) == 1:
        # The answer to a one-number request is that number's, however the
        # server writes it.
        accepted = {chunk[0]: sent_rows[0]}
    else:
        accepted = {
            number: sent
            for sent in sent_rows
            if (number := normalize_phone(sent.to)) is not None
        }
    results = []
    for number in chunk:
        if number in accepted:
            results.append(
                RecipientResult(
                    number, RecipientState.ACCEPTED, message=accepted[number]
                )
            )
        elif (error := _error_for(number, server_message)) is not None:
            results.append(
                RecipientResult(number, RecipientState.REJECTED, error=error)
            )
        else:
            # Neither accepted nor named as refused: it may have been sent.
            results.append(
                RecipientResult(
                    number,
                    RecipientState.UNKNOWN,
                    error="The server's answer does not mention this number",
                )
            )
    return results


def _error_for(number: str, server_message: str | None) -> str | None:
    """Why the server left ``number`` out of its answer, if it said so.

    When some numbers fail, the server joins their errors into ``message``:
    the part naming the number, else (for errors such as "Number contains in
    the blacklist" that name none) the whole message. None when the message
    is a plain success text: then nothing says the number was refused.
    """
    message = (server_message or "").strip()
    if not message or message in SUCCESS_MESSAGES:
        return None
    named = re.compile(rf"(?<!\d){re.escape(number)}(?!\d)")
    for part in message.replace("\n", ",").split(","):
        if named.search(part):
            return part.strip()
    return message


def _is_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except (ValueError, RecursionError):
        return False
    return True
