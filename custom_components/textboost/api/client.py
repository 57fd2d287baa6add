"""Async client for the TextBoost SMS (Ultimate SMS) HTTP API, v3 family.

Where things are:

* ``transport.py``: base URL, session, one request, timeouts, paging;
* ``envelope.py``: reading an answer, error classification, rate headers;
* ``account.py``, ``sending.py``, ``messages.py``, ``campaigns.py``,
  ``address_book.py``: the endpoints, joined here into ``TextBoostClient``.
"""

from __future__ import annotations

from .account import AccountEndpoints
from .address_book import AddressBookEndpoints
from .campaigns import CampaignEndpoints
from .messages import MessageEndpoints
from .sending import MAX_RECIPIENTS_PER_REQUEST, SCHEDULE_FORMAT, SendingEndpoints
from .transport import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, normalize_base_url

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "MAX_RECIPIENTS_PER_REQUEST",
    "SCHEDULE_FORMAT",
    "TextBoostClient",
    "normalize_base_url",
]


class TextBoostClient(
    AccountEndpoints,
    SendingEndpoints,
    MessageEndpoints,
    CampaignEndpoints,
    AddressBookEndpoints,
):
    """A client for one TextBoost account.

    ``TextBoostClient(session, token, base_url=DEFAULT_BASE_URL, *,
    timeout=10.0)``: the aiohttp session is injected (Home Assistant's shared
    one in the integration); ``base_url`` is normalised by
    ``normalize_base_url``; ``timeout`` is in seconds. The token goes into
    the ``Authorization`` header only; it is never part of a ``repr``, an
    exception text or a log line. ``rate_limit`` holds the throttling
    headers of the last answer.

    Every method raises a ``TextBoostError`` subclass on failure; see
    ``exceptions.py`` for which ones mean a request may be repeated.
    """
