"""The transport: base URL, session, one request, timeouts and paging.

``Transport`` makes requests and turns connection failures into the client's
exceptions; ``envelope.read_envelope`` classifies whatever came back. The
endpoint modules (``account``, ``sending``, ``messages``, ``address_book``)
build on it, and ``TextBoostClient`` joins them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
import ipaddress
import logging
from typing import Any, Final, Literal
from urllib.parse import quote, urlsplit

import aiohttp

from .envelope import rate_limit_info, read_envelope
from .exceptions import CannotConnect, InvalidBaseUrl, InvalidResponse, OutcomeUnknown
from .models import Page, RateLimitInfo

_LOGGER = logging.getLogger(__name__)

#: TextBoost's own API root; other brands of the platform differ only in host
#: (WIRE-NOTES "Addresses and authentication").
DEFAULT_BASE_URL: Final = "https://www.textboostsms.com/api/v3/"
#: Seconds allowed to connect, and then between two reads of the answer.
DEFAULT_TIMEOUT: Final = 10.0
#: Pages an iterator reads at most, against a server that never ends a list.
MAX_PAGES: Final = 1000
_REDACTED: Final = "**REDACTED**"

#: The two API families that share one token (WIRE-NOTES "Addresses and
#: authentication"): ``api/v3`` takes it as a Bearer header, ``api/http`` as
#: the request parameter ``api_token``.
type Family = Literal["v3", "http"]


def normalize_base_url(url: str) -> str:
    """Return the v3 API root for what a user typed, ending in ``/api/v3/``.

    Accepts ``https://host``, ``https://host/``, ``https://host/api/v3`` and
    ``https://host/api/v3/`` (and ``/api/http``, which shares the token:
    WIRE-NOTES "Addresses and authentication"), with any path before them.

    Raises:
        InvalidBaseUrl: ``reason`` is ``scheme`` (not http or https),
            ``insecure`` (plain ``http://`` to anything but a loopback
            address) or ``host`` (no host, a bad port or IPv6 address, user
            info, a query or a fragment).
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


def as_dict(data: object) -> dict[str, Any]:
    """The envelope's ``data`` as an object; ``InvalidResponse`` otherwise."""
    if not isinstance(data, dict):
        raise InvalidResponse("expected an object in the answer")
    return data


def path_segment(uid: str) -> str:
    """A uid made safe as one segment of a URL path."""
    return quote(uid, safe="")


async def iterate_pages[T](
    fetch: Callable[[int], Awaitable[Page[T]]],
) -> AsyncIterator[T]:
    """Yield every item of a paginated list, from page 1 on.

    Stops at the last page, after ``MAX_PAGES`` pages, or when the server
    does not advance (one that ignores ``?page=`` must not loop forever).
    Raises whatever ``fetch`` raises.
    """
    page: int | None = 1
    while page is not None and page <= MAX_PAGES:
        current = await fetch(page)
        for item in current.items:
            yield item
        following = current.next_page
        page = following if following is not None and following > page else None


class Transport:
    """Requests to one account's API root over an injected session.

    The token goes into the ``Authorization`` header only; it is never part
    of a ``repr``, an exception text or a log line.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Bind to a session, a token and an API root.

        ``base_url`` goes through ``normalize_base_url`` (which raises
        ``InvalidBaseUrl``); ``timeout`` is in seconds, for connecting and
        then for each read of the answer (there is no total limit).
        """
        self._session = session
        self._token = token
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
        }
        #: The normalised API root, ending in ``/api/v3/``.
        self.base_url = normalize_base_url(base_url)
        self._http_url = self.base_url.removesuffix("v3/") + "http/"
        # "connect" covers everything until the request could be written, so
        # a timeout there means certainly-not-sent; "sock_read" is after that.
        self._timeout = aiohttp.ClientTimeout(
            total=None, connect=timeout, sock_read=timeout
        )
        #: The throttling headers of the last answer; None before the first.
        self.rate_limit: RateLimitInfo | None = None

    def __repr__(self) -> str:
        """Describe the client without its token."""
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, _REDACTED) if self._token else text

    async def _request(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        family: Family = "v3",
    ) -> tuple[Any, str | None]:
        """Make one request and return the envelope's ``data`` and ``message``.

        ``family`` ``http`` sends the token as ``api_token`` in the query
        instead of the header; neither the URL nor the query is ever logged.
        Raises ``CannotConnect`` when the request was never written,
        ``OutcomeUnknown`` when it may have been (a read timeout, a lost
        connection), and whatever ``read_envelope`` raises for the answer.
        """
        url, headers = self.base_url + path, self._headers
        if family == "http":
            url, headers = self._http_url + path, {"Accept": "application/json"}
            params = {**(params or {}), "api_token": self._token}
        try:
            async with self._session.request(
                method,
                url,
                json=body,
                params=params,
                headers=headers,
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
        self.rate_limit = rate_limit_info(response_headers)
        _LOGGER.debug("%s %s: HTTP %s, %d bytes", method, path, status, len(raw))
        return read_envelope(status, response_headers, raw, self._scrub)
