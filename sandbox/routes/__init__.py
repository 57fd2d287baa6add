"""The route table: which handler answers which method and path.

Paths are relative to a family prefix (`api/v3/` or `api/http/`); both
families share one table, as on the real server. The first pattern that
matches the whole path with the request's method wins; a path that matches
only with other methods is answered 405 (see `sandbox.pipeline`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import re
from typing import Final

from ..context import SandboxContext
from ..envelope import Reply
from ..params import Call
from . import account, campaigns, contacts, groups, messages, reports

Handler = Callable[[SandboxContext, Call, dict[str, str]], Reply]
"""A route handler: (sandbox, call, path arguments) -> reply; raises `ApiError`."""


@dataclass(frozen=True, slots=True)
class Route:
    """One line of the route table."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler


def _route(method: str, pattern: str, handler: Handler) -> Route:
    return Route(method, re.compile(pattern), handler)


_GROUP = r"contacts/(?P<group>[^/]+)"

ROUTES: Final[tuple[Route, ...]] = (
    _route("GET", r"me", account.get_me),
    _route("GET", r"balance", account.get_balance),
    _route("POST", r"sms/send", messages.send_sms),
    _route("POST", r"sms/campaign", campaigns.send_campaign),
    _route("GET", r"campaign/(?P<uid>[^/]+)/view", campaigns.view_campaign),
    _route("GET", r"sms", reports.list_sms),
    _route("GET", r"sms/(?P<uid>[^/]+)", reports.get_sms),
    _route("GET", r"contacts", groups.list_groups),
    _route("POST", r"contacts", groups.create_group),
    _route("POST", rf"{_GROUP}/show", groups.show_group),
    _route("PATCH", _GROUP, groups.rename_group),
    _route("DELETE", _GROUP, groups.delete_group),
    _route("POST", rf"{_GROUP}/store", contacts.store_contact),
    _route("POST", rf"{_GROUP}/search/(?P<uid>[^/]+)", contacts.search_contact),
    _route("PATCH", rf"{_GROUP}/update/(?P<uid>[^/]+)", contacts.update_contact),
    _route("DELETE", rf"{_GROUP}/delete/(?P<uid>[^/]+)", contacts.delete_contact),
    _route("POST", rf"{_GROUP}/all", contacts.list_contacts),
)
"""Every API route, in matching order."""
