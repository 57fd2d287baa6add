"""From what a user asked for to a message in the outbox.

The actions and both notify flavours come through here, so every check runs
before any request is sent, in one place: the account, the text, the sender,
the voice, the media, the schedule and the recipients (numbers and groups).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import re
from typing import Any, Literal

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .api import (
    VOICE_LANGUAGES,
    ContactGroup,
    Encoding,
    InvalidRecipientError,
    MessageType,
    VoiceGender,
    count_segments,
    non_gsm7_characters,
    normalize_phone,
    normalize_recipients,
    normalize_sender_id,
    pick_encoding,
)
from .api.sending import SUCCESS_MESSAGES
from .const import (
    CONF_MAX_SEGMENTS,
    CONF_QUEUE_TTL,
    CONF_SENDER_ID,
    CONF_VOICE_GENDER,
    CONF_VOICE_LANGUAGE,
    DEFAULT_MAX_SEGMENTS,
    DEFAULT_QUEUE_TTL,
    DEFAULT_VOICE_GENDER,
    DEFAULT_VOICE_LANGUAGE,
    DOMAIN,
)
from .data import TextBoostConfigEntry
from .errors import invalid
from .media import async_publish_snapshot, external_url, keep_until
from .outbox import OutgoingMessage, SendOutcome
from .schedule import account_zone, server_schedule_time

_MEDIA_URL = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)
#: A notify target made of digits and the punctuation people type in numbers.
_NUMBER_LIKE = re.compile(r"^[\d\s()+\-./,;]*\d[\d\s()+\-./,;]*$")

type MessageKind = Literal["sms", "voice", "mms"]


@dataclass(slots=True)
class SendRequest:
    """What a user asked to send, before any check.

    ``recipients`` as typed (text or int); ``groups``: uids or names; a naive
    ``schedule`` is in Home Assistant's zone; ``encoding``: auto/gsm7/unicode.
    """

    kind: MessageKind
    recipients: list[str | int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    message: str | None = None
    sender_id: str | None = None
    schedule: datetime | None = None
    dlt_template_id: str | None = None
    encoding: str = "auto"
    language: str | None = None
    gender: str | None = None
    media_url: str | None = None
    camera_entity_id: str | None = None


def resolve_entry(hass: HomeAssistant, entry_id: str | None) -> TextBoostConfigEntry:
    """The account an action is for: the one named, or the only one loaded.

    Raises ``ServiceValidationError``: ``unknown_entry``, ``entry_not_loaded``,
    ``no_loaded_entry`` or ``entry_required`` (several loaded, none named).
    """
    if entry_id:
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            raise invalid("unknown_entry", entry_id=entry_id)
        if entry.state is not ConfigEntryState.LOADED:
            raise invalid("entry_not_loaded", account=entry.title)
        return entry
    loaded = hass.config_entries.async_loaded_entries(DOMAIN)
    if not loaded:
        raise invalid("no_loaded_entry")
    if len(loaded) > 1:
        raise invalid("entry_required")
    return loaded[0]


async def async_resolve_groups(
    hass: HomeAssistant, entry: TextBoostConfigEntry, wanted: Iterable[str]
) -> list[ContactGroup]:
    """Find groups by uid or by name (case-insensitive); name every unknown one.

    Each group once, in the order asked. The groups coordinator's list comes
    first; ``GET contacts`` is read only when a name is not in it (WIRE-NOTES
    "Endpoints"). Raises ``ServiceValidationError`` for an unknown group and
    the client's ``TextBoostError`` when the groups cannot be read (mapped by
    the caller).
    """
    names = [w.strip() for w in wanted if w and w.strip()]
    if not names:
        return []
    known = [state.group for state in entry.runtime_data.groups.groups.values()]
    found, missing = _match_groups(known, names)
    if missing:
        fresh = [g async for g in entry.runtime_data.client.iter_groups()]
        found, missing = _match_groups(fresh, names)
    if missing:
        raise invalid("unknown_group", group=", ".join(missing))
    return found


def _match_groups(
    groups: list[ContactGroup], names: list[str]
) -> tuple[list[ContactGroup], list[str]]:
    found: list[ContactGroup] = []
    missing: list[str] = []
    for name in names:
        match = next(
            (
                g
                for g in groups
                if g.uid == name or g.name.casefold() == name.casefold()
            ),
            None,
        )
        if match is None:
            missing.append(name)
        elif match not in found:
            found.append(match)
    return found, missing


async def async_group_numbers(
    hass: HomeAssistant, entry: TextBoostConfigEntry, groups: list[ContactGroup]
) -> list[str]:
    """Every number in the groups (all pages), without repeats.

    Digit strings (``normalize_phone``); a phone that cannot be a number is
    skipped. Raises the client's ``TextBoostError`` (mapped by the caller).
    """
    numbers: dict[str, None] = {}
    client = entry.runtime_data.client
    for group in groups:
        async for contact in client.iter_contacts(group.uid):
            number = normalize_phone(contact.phone)
            if number is not None:
                numbers[number] = None
    return list(numbers)


def split_targets(
    entry: TextBoostConfigEntry, targets: Iterable[str | int]
) -> tuple[list[str | int], list[str]]:
    """Sort notify targets into phone numbers and contact groups.

    A known group (by uid or name) is a group even when it looks like a
    number; anything else made of digits and phone punctuation is a number
    (so that a mistyped one is named as a bad number, not an unknown group).
    Returns ``(numbers as given, groups as stripped text)``.
    """
    known: set[str] = set()
    for state in entry.runtime_data.groups.groups.values():
        known.update((state.group.uid, state.group.name.casefold()))
    numbers: list[str | int] = []
    groups: list[str] = []
    for target in targets:
        text = str(target).strip()
        if text in known or text.casefold() in known:
            groups.append(text)
        elif isinstance(target, int) or _NUMBER_LIKE.match(text):
            numbers.append(target)
        elif text:
            groups.append(text)
    return numbers, groups


async def async_send(
    hass: HomeAssistant, entry: TextBoostConfigEntry, request: SendRequest
) -> SendOutcome:
    """Check a request, resolve its recipients and hand it to the outbox.

    Raises ``ServiceValidationError`` for bad input, ``HomeAssistantError``
    from the guard rails (``daily_cap_reached``, ``loop_breaker``) or an MMS
    snapshot (``camera_failed``, ``media_storage_full``), and the client's
    ``TextBoostError`` when groups cannot be read; what became of the
    message itself is in the returned ``SendOutcome``. A schedule to several
    numbers goes to the server as wall time in the account's zone; one to a
    single number, or with no exact wall time, is held by the outbox
    (WIRE-NOTES "Sending rules").
    """
    options = entry.options
    message = (request.message or "").strip() or None
    if request.kind != "mms" and message is None:
        raise invalid("empty_message")

    sender_id = _check_sender_id(request.sender_id or options.get(CONF_SENDER_ID))

    outgoing = OutgoingMessage(
        message_type=MessageType.PLAIN,
        recipients=[],
        message=message,
        sender_id=sender_id,
        dlt_template_id=request.dlt_template_id or None,
    )
    if request.kind == "sms":
        _check_text(
            outgoing,
            request.encoding,
            options.get(CONF_MAX_SEGMENTS, DEFAULT_MAX_SEGMENTS),
        )
    elif request.kind == "voice":
        _check_voice(outgoing, request, options)
    else:
        outgoing.message_type = MessageType.MMS
        _check_media_url(hass, request)

    send_at = _check_schedule(request.schedule)
    numbers = _check_numbers(request.recipients)
    # Guard rails (guard_rails.py): before any request, then again with the
    # numbers of the contact groups.
    guard = entry.runtime_data.guard
    parts = outgoing.segments or 1
    guard.check(numbers, parts)
    groups = await async_resolve_groups(hass, entry, request.groups)
    if groups:
        numbers = list(
            dict.fromkeys([*numbers, *await async_group_numbers(hass, entry, groups)])
        )
    if not numbers:
        raise invalid("no_recipients")
    outgoing.recipients = numbers
    guard.check(numbers, parts)

    if request.kind == "mms":
        # A snapshot is kept until the provider's last possible fetch: after
        # the latest send (schedule, then the queue lifetime), a day more.
        lifetime = timedelta(minutes=options.get(CONF_QUEUE_TTL, DEFAULT_QUEUE_TTL))
        outgoing.media_url = request.media_url or await async_publish_snapshot(
            hass, str(request.camera_entity_id), keep_until(send_at, lifetime)
        )
    if send_at is not None and len(numbers) > 1:
        # The server schedules messages to several numbers, in the account's
        # zone and to the minute, when a wall time names the instant exactly.
        account = entry.runtime_data.account.data
        wall = server_schedule_time(
            send_at, account_zone(account.time_zone, account.profile.timezone)
        )
        if wall is not None:
            outgoing.schedule_time = wall
            send_at = None
    # Otherwise (one number, which the server would send at once, or a wall
    # time that is ambiguous or inexact), the outbox holds it until send_at.
    guard.count_request(numbers)
    outcome = await entry.runtime_data.outbox.async_send(outgoing, send_at)
    guard.record(outcome, parts)
    return outcome


def _without_boilerplate(server_message: str | None) -> str | None:
    """Keep ``server_message`` only when it says more than the boilerplate.

    The server answers "Your message was successfully delivered" while the
    status is still Enroute, and "Message is scheduled successfully." for
    immediate sends (WIRE-NOTES, "Endpoints"): neither is a fact about the
    message. Refusals the server joins into that field stay.
    """
    text = server_message or ""
    for boilerplate in SUCCESS_MESSAGES:
        text = text.replace(boilerplate, "")
    return text.strip() or None


def _check_sender_id(value: str | None) -> str | None:
    """1 to 11 letters and digits as given, or a phone number as digits."""
    sender = (value or "").strip()
    if not sender:
        return None
    if (normalized := normalize_sender_id(sender)) is not None:
        return normalized
    raise invalid("invalid_sender_id", sender_id=sender)


def _check_text(outgoing: OutgoingMessage, encoding: str, max_segments: int) -> None:
    text = outgoing.message or ""
    if encoding == Encoding.GSM7:
        if bad := non_gsm7_characters(text):
            raise invalid("not_gsm7", characters=" ".join(bad))
        chosen = Encoding.GSM7
    elif encoding == Encoding.UCS2:
        chosen = Encoding.UCS2
    else:
        chosen = pick_encoding(text)
    segments = count_segments(text, chosen)
    if segments > max_segments:
        raise invalid(
            "too_many_segments", segments=str(segments), maximum=str(max_segments)
        )
    outgoing.message_type = (
        MessageType.PLAIN if chosen is Encoding.GSM7 else MessageType.UNICODE
    )
    outgoing.encoding = str(chosen)
    outgoing.segments = segments


def _check_voice(outgoing: OutgoingMessage, request: SendRequest, options: Any) -> None:
    # The server's codes are lower case ("en-gb", "female"); people write
    # "en-GB" and "Female": accept any case and send the server's.
    given = request.language or options.get(CONF_VOICE_LANGUAGE, DEFAULT_VOICE_LANGUAGE)
    language = str(given).strip().lower()
    if language not in VOICE_LANGUAGES:
        raise invalid("invalid_language", language=str(given))
    given = request.gender or options.get(CONF_VOICE_GENDER, DEFAULT_VOICE_GENDER)
    gender = str(given).strip().lower()
    if gender not in {g.value for g in VoiceGender}:
        raise invalid("invalid_gender", gender=str(given))
    outgoing.message_type = MessageType.VOICE
    outgoing.language = language
    outgoing.gender = VoiceGender(gender)


def _check_media_url(hass: HomeAssistant, request: SendRequest) -> None:
    if request.media_url:
        if not _MEDIA_URL.match(request.media_url):
            raise invalid("invalid_media_url", url=request.media_url)
    elif request.camera_entity_id:
        external_url(hass)
    else:
        raise invalid("media_required")


def _check_schedule(schedule: datetime | None) -> datetime | None:
    if schedule is None:
        return None
    if schedule.tzinfo is None:
        schedule = schedule.replace(tzinfo=dt_util.get_default_time_zone())
    if schedule <= dt_util.now():
        shown = dt_util.as_local(schedule).strftime("%Y-%m-%d %H:%M:%S")
        raise invalid("schedule_in_past", schedule=shown)
    return dt_util.as_utc(schedule)


def _check_numbers(recipients: list[str | int]) -> list[str]:
    if not recipients:
        return []
    try:
        return normalize_recipients(recipients)
    except InvalidRecipientError as err:
        if not err.invalid:
            return []
        raise invalid("invalid_recipients", recipients=", ".join(err.invalid)) from err


def outcome_response(outcome: SendOutcome) -> dict[str, Any]:
    """A send's outcome as action response data (costs as floats, times ISO 8601).

    A dict: ``queue_id``, ``requests``, ``server_message`` (None if only
    boilerplate), ``recipients`` (dicts of ``recipient``, ``state``, ``uid``,
    ``status``, ``cost``, ``segments``, ``encoding``, ``error``) and, with no
    request made, ``send_at`` (UTC; None unless held for a schedule).
    """
    encoding = outcome.encoding
    response: dict[str, Any] = {
        "queue_id": outcome.queue_id,
        "requests": outcome.requests,
        "server_message": _without_boilerplate(outcome.server_message),
        "recipients": [
            {
                "recipient": r.recipient,
                "state": str(r.state),
                "uid": r.uid,
                "status": r.status,
                "cost": float(r.cost) if r.cost is not None else None,
                "segments": r.segments,
                "encoding": encoding,
                "error": r.error,
            }
            for r in outcome.recipients
        ],
    }
    if outcome.requests == 0:
        response["send_at"] = outcome.send_at.isoformat() if outcome.send_at else None
    return response
