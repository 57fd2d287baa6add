"""Notify: a legacy service per account, and an entity per saved recipient."""

from __future__ import annotations

from typing import Any

from homeassistant.components.notify import NotifyEntity, NotifyEntityFeature
from homeassistant.components.notify.const import ATTR_DATA, ATTR_TARGET, ATTR_TITLE
from homeassistant.components.notify.legacy import BaseNotificationService
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType

from .api import AuthenticationFailed, TextBoostError
from .const import CONF_PHONE, SUBENTRY_RECIPIENT
from .data import TextBoostConfigEntry
from .entity import TextBoostEntity
from .errors import action_error, invalid, send_error
from .messaging import (
    MessageKind,
    SendRequest,
    async_send,
    resolve_entry,
    split_targets,
)
from .outbox import warn_not_sent

PARALLEL_UPDATES = 0

DATA_KEYS = {
    "sender_id",
    "type",
    "encoding",
    "media_url",
    "camera_entity_id",
    "language",
    "gender",
}
MESSAGE_KINDS: dict[str, MessageKind] = {"sms": "sms", "voice": "voice", "mms": "mms"}
#: Data that only one type of message uses; given with another type, it would
#: be dropped silently, so it is refused.
KIND_KEYS: dict[str, MessageKind] = {
    "encoding": "sms",
    "language": "voice",
    "gender": "voice",
    "media_url": "mms",
    "camera_entity_id": "mms",
}
ENCODINGS = ("auto", "gsm7", "unicode")


async def async_get_service(
    hass: HomeAssistant,
    config: ConfigType,
    discovery_info: DiscoveryInfoType | None = None,
) -> TextBoostNotificationService | None:
    """Create the legacy notify service of an account (loaded by discovery)."""
    if discovery_info is None:
        return None
    return TextBoostNotificationService(discovery_info["entry_id"])


class TextBoostNotificationService(BaseNotificationService):
    """``notify.<name>``: ``target`` is a list of numbers or contact groups."""

    def __init__(self, entry_id: str) -> None:
        """Serve one account."""
        self._entry_id = entry_id

    async def async_send_message(self, message: str = "", **kwargs: Any) -> None:
        """Send an SMS, a voice call or an MMS to the targets.

        Without a target (the ``alert`` integration gives none), the message
        goes to every saved recipient of the account. A title becomes the
        first line.
        """
        entry = resolve_entry(self.hass, self._entry_id)
        data: dict[str, Any] = dict(kwargs.get(ATTR_DATA) or {})
        if unknown := set(data) - DATA_KEYS:
            raise invalid("unknown_notify_data", keys=", ".join(sorted(unknown)))
        kind = MESSAGE_KINDS.get(str(data.get("type", "sms")).lower())
        if kind is None:
            raise invalid("invalid_notify_type", type=str(data["type"]))
        for key in sorted(data):
            if (needs := KIND_KEYS.get(key)) is not None and needs != kind:
                raise invalid("notify_data_needs_type", data_key=key, type=needs)
        encoding = str(data.get("encoding", "auto")).lower()
        if encoding not in ENCODINGS:
            raise invalid("invalid_notify_encoding", encoding=str(data["encoding"]))
        targets: list[str | int] = list(kwargs.get(ATTR_TARGET) or [])
        if not targets:
            targets = saved_recipients(entry)
        if not targets:
            raise invalid("no_notify_target")
        numbers, groups = split_targets(entry, targets)
        if title := kwargs.get(ATTR_TITLE):
            message = f"{title}\n{message}"
        await async_notify(
            self.hass,
            entry,
            SendRequest(
                kind=kind,
                recipients=numbers,
                groups=groups,
                message=message,
                sender_id=data.get("sender_id"),
                encoding=encoding,
                language=data.get("language"),
                gender=data.get("gender"),
                media_url=data.get("media_url"),
                camera_entity_id=data.get("camera_entity_id"),
            ),
        )


async def async_notify(
    hass: HomeAssistant, entry: TextBoostConfigEntry, request: SendRequest
) -> None:
    """Send for notify: the boundary where outcomes become errors and log lines.

    Notify has no response to read, so every refused recipient, and every one
    whose fate is unknown, is logged as a warning (number masked); the outbox
    fires a status event for each. A send that reached nobody raises.
    """
    try:
        outcome = await async_send(hass, entry, request)
    except TextBoostError as err:
        if isinstance(err, AuthenticationFailed):
            entry.async_start_reauth(hass)
        raise action_error(err) from err
    if (error := send_error(outcome)) is not None:
        if isinstance(outcome.failure, AuthenticationFailed):
            entry.async_start_reauth(hass)
        raise error
    warn_not_sent(outcome.refusals(), context="Notify")


def saved_recipients(entry: TextBoostConfigEntry) -> list[str | int]:
    """The numbers of the account's saved recipients (config subentries)."""
    return [
        subentry.data[CONF_PHONE]
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_RECIPIENT
    ]


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TextBoostConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a notify entity for each saved recipient."""
    for subentry in entry.subentries.values():
        if subentry.subentry_type != SUBENTRY_RECIPIENT:
            continue
        async_add_entities(
            [RecipientNotifyEntity(entry, subentry)],
            config_subentry_id=subentry.subentry_id,
        )


class RecipientNotifyEntity(TextBoostEntity, NotifyEntity):
    """Texts one saved recipient; ``title`` becomes the first line."""

    _attr_supported_features = NotifyEntityFeature.TITLE

    _attr_name = None

    def __init__(self, entry: TextBoostConfigEntry, subentry: ConfigSubentry) -> None:
        """Bind to one recipient of one account, on the recipient's device."""
        super().__init__(
            entry,
            EntityDescription(key=f"recipient_{subentry.subentry_id}"),
            subentry,
        )
        self._entry = entry
        self._phone: str = subentry.data[CONF_PHONE]

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send an SMS to the recipient."""
        text = f"{title}\n{message}" if title else message
        await async_notify(
            self.hass,
            self._entry,
            SendRequest(kind="sms", recipients=[self._phone], message=text),
        )
