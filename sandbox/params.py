"""How the sandbox reads requests: paths, bodies and Laravel-style parameters.

A request reaches a route handler as a `Call`: its family (`api/v3` or
`api/http`), its path relative to the family prefix, and its parameters
(query merged with a JSON or form body, as Laravel's `$request->input()`
does). Parameters are read the Laravel way: trimmed, and empty means missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .const import FAMILY_PREFIXES, Family
from .envelope import ApiError
from .faults import normalize_path

NUMBER = re.compile(r"\d{7,15}")
"""A phone number once cleaned: 7 to 15 digits (WIRE-NOTES, `recipient`)."""

_NUMBER_JUNK = re.compile(r"[+()\-\s]")
_ALPHANUMERIC_SENDER = re.compile(r"[A-Za-z0-9]{1,11}")
_SCHEDULE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


@dataclass(frozen=True, slots=True)
class Call:
    """One API request, as a route handler sees it."""

    method: str
    family: Family | None
    path: str
    """Path relative to the family prefix, e.g. "sms/send"."""
    route: str
    """The full path without its leading slash, as Laravel names the route."""
    params: dict[str, Any]
    headers: Mapping[str, str]
    wants_json: bool
    base: str
    """The family's base URL, e.g. "http://127.0.0.1:8765/api/v3/"."""


def wants_json(accept: str) -> bool:
    """Return whether the first type of an `Accept` header is JSON."""
    first = accept.split(",", 1)[0]
    return "/json" in first or "+json" in first


def split_path(path: str) -> tuple[Family | None, str]:
    """Split an absolute path into its family (None: neither) and relative path."""
    for family, prefix in FAMILY_PREFIXES.items():
        if path.startswith(prefix) or path == prefix.rstrip("/"):
            return family, normalize_path(path[len(prefix) :])
    return None, normalize_path(path)


def parse_body(raw: bytes, content_type: str) -> object:
    """Parse a JSON or form body; None when empty, of another type or broken."""
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


def text(params: Mapping[str, Any], key: str, *, status: int = 200) -> str | None:
    """Read a request parameter the Laravel way: trimmed, empty means missing.

    Numbers and booleans are read as their text; any other non-string raises
    `ApiError` "The {key} must be a string." with HTTP `status`.
    """
    value = params.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        name = key.replace("_", " ")
        raise ApiError(f"The {name} must be a string.", status)
    return value.strip() or None


def required(params: Mapping[str, Any], key: str, *, status: int = 200) -> str:
    """Read a parameter Laravel validates as `required`, read as `text` reads it.

    Raises `ApiError` "The {key} field is required." (underscores read as spaces,
    as Laravel names fields) with HTTP `status` when it is missing or empty.
    """
    value = text(params, key, status=status)
    if value is None:
        name = key.replace("_", " ")
        raise ApiError(f"The {name} field is required.", status)
    return value


def page(params: Mapping[str, Any]) -> int:
    """Return the `page` parameter (from 1); 1 when missing or not a number."""
    try:
        number = int(str(params.get("page", 1)))
    except ValueError:
        return 1
    return max(number, 1)


def clean_number(raw: str) -> str:
    """Strip `+ ( ) -` and white space from a phone number."""
    return _NUMBER_JUNK.sub("", raw)


def valid_sender(sender: str) -> bool:
    """Return whether `sender` is a phone number or 1 to 11 letters and digits."""
    phone = sender.removeprefix("+")
    return bool(NUMBER.fullmatch(phone) or _ALPHANUMERIC_SENDER.fullmatch(sender))


def is_http_url(url: str | None) -> bool:
    """Return whether `url` is an absolute http(s) URL."""
    if url is None:
        return False
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def parse_schedule(value: str | None) -> datetime | None:
    """Read `schedule_time` (`Y-m-d H:i`) as a naive account-time-zone time.

    Raises `ApiError` when the format does not match (WIRE-NOTES, `schedule_time`).
    """
    if value is None:
        return None
    failure = ApiError("The schedule time does not match the format Y-m-d H:i.")
    if not _SCHEDULE.fullmatch(value):
        raise failure
    try:
        # Naive on purpose: read in the account's time zone, like `Sandbox.now()`.
        return datetime.fromisoformat(value)
    except ValueError:
        raise failure from None
