"""What every action shares: field names, schema fragments, the handler type."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Final

from homeassistant.core import ServiceCall, ServiceResponse
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from ..data import TextBoostConfigEntry

ATTR_CONFIG_ENTRY: Final = "config_entry"
ATTR_RECIPIENTS: Final = "recipients"
ATTR_GROUPS: Final = "groups"
ATTR_MESSAGE: Final = "message"
ATTR_SENDER_ID: Final = "sender_id"
ATTR_SCHEDULE: Final = "schedule"
ATTR_DLT_TEMPLATE_ID: Final = "dlt_template_id"
ATTR_ENCODING: Final = "encoding"
ATTR_LANGUAGE: Final = "language"
ATTR_GENDER: Final = "gender"
ATTR_MEDIA_URL: Final = "media_url"
ATTR_CAMERA: Final = "camera_entity_id"
ATTR_UID: Final = "uid"
ATTR_PAGE: Final = "page"
ATTR_COUNT: Final = "count"
ATTR_GROUP: Final = "group"
ATTR_NAME: Final = "name"
ATTR_CONTACT: Final = "contact"
ATTR_PHONE: Final = "phone"
ATTR_FIRST_NAME: Final = "first_name"
ATTR_LAST_NAME: Final = "last_name"

#: The optional account field every action has.
ENTRY: Final[dict[vol.Marker, Any]] = {vol.Optional(ATTR_CONFIG_ENTRY): cv.string}
#: The schema of an action that takes nothing but the account.
ENTRY_ONLY_SCHEMA: Final = vol.Schema(ENTRY)
#: A page number: 1 and up.
PAGE: Final = vol.All(vol.Coerce(int), vol.Range(min=1))
#: A group (name or uid), a contact uid or a name: text that is not blank.
FILLED: Final = vol.All(cv.string, vol.Strip, vol.Length(min=1))

type Handler = Callable[[ServiceCall, TextBoostConfigEntry], Awaitable[ServiceResponse]]
"""An action's body: the call and its resolved account in, response data out.

It may raise the client's ``TextBoostError``; the registry's wrapper turns that
into a translated Home Assistant error.
"""
