"""Where client errors and send outcomes become Home Assistant errors.

Every mapping lives here; only the action wrapper (``services``), the notify
platform and the coordinators call it. Starting a reauth is left to the
call site, as in core's ``ntfy/notify.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import UpdateFailed

from .api import (
    AuthenticationFailed,
    CannotConnect,
    InvalidResponse,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    RequestRejected,
    SenderIdRejected,
    ServiceUnavailable,
    TextBoostError,
    mask_phone,
)
from .const import DOMAIN
from .outbox import RecipientState, SendOutcome

#: The model the server names when it does not know a contact group.
GROUP_MODEL: Final = "ContactGroups"

_READ_ERROR_KEYS: tuple[tuple[type[TextBoostError], str], ...] = (
    (AuthenticationFailed, "auth_failed"),
    (RateLimited, "rate_limited"),
    (CannotConnect, "cannot_connect"),
    (InvalidResponse, "invalid_response"),
    (ServiceUnavailable, "service_unavailable"),
    (OutcomeUnknown, "no_answer"),
    (SenderIdRejected, "sender_id_rejected"),
    (RequestRejected, "rejected"),
)


def invalid(key: str, **placeholders: str) -> ServiceValidationError:
    """A translated validation error: the user's input cannot be used.

    ``key`` names an ``exceptions`` entry of ``strings.json``; the string
    ``placeholders`` fill it. Returned, not raised: the caller raises it.
    """
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def error_key(err: TextBoostError) -> str:
    """The translation key of a failed read (coordinators and look-ups).

    The key of the first class of ``_READ_ERROR_KEYS`` that ``err`` is an
    instance of (``NotFound`` gives ``rejected``), else ``unexpected_error``.
    """
    return next(
        (key for kind, key in _READ_ERROR_KEYS if isinstance(err, kind)),
        "unexpected_error",
    )


def read_error(err: TextBoostError) -> ConfigEntryAuthFailed | UpdateFailed:
    """What a coordinator raises for a failed read: reauth, or a retry later.

    Returned, not raised: ``ConfigEntryAuthFailed`` for a refused token (the
    ``DataUpdateCoordinator`` then starts a reauth), else ``UpdateFailed``
    with ``error_key``'s key and the error's text as ``{error}``.
    """
    if isinstance(err, AuthenticationFailed):
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="auth_failed"
        )
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key=error_key(err),
        translation_placeholders={"error": str(err)},
    )


def action_error(err: TextBoostError, *, sending: bool = False) -> HomeAssistantError:
    """The error an action or notify raises for a client error.

    When a send may have reached the server, the message says so: the user
    must check before sending again, because a repeat costs a second message.
    The caller starts a reauth for ``AuthenticationFailed``.

    Returned, not raised. The key is ``error_key``'s; with ``sending``,
    ``send_outcome_unknown`` for any ``OutcomeUnknown`` and ``send_rejected``
    for a plain refusal (``SenderIdRejected`` keeps its own). ``{error}`` is
    the server's text for a refusal, else the error's text.
    """
    key = error_key(err)
    placeholders = {"error": str(err)}
    if isinstance(err, RequestRejected):
        placeholders["error"] = err.message
    if sending and isinstance(err, OutcomeUnknown):
        key = "send_outcome_unknown"
    elif sending and isinstance(err, RequestRejected) and key == "rejected":
        key = "send_rejected"
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def send_error(outcome: SendOutcome) -> HomeAssistantError | None:
    """The error of a send that reached no recipient, else None.

    A whole-request failure maps like ``action_error``; a send where every
    recipient was refused or of unknown fate names each (number masked to
    its last digits) and the server's reason (key ``send_refused_all``,
    placeholder ``{errors}``: ``"…670: reason; …"``). Returned, not raised.
    """
    if outcome.failure is not None:
        return action_error(outcome.failure, sending=True)
    if not outcome.nothing_went_out:
        return None
    refused = outcome.in_state(RecipientState.REJECTED, RecipientState.UNKNOWN)
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="send_refused_all",
        translation_placeholders={
            "errors": "; ".join(
                f"{mask_phone(r.recipient)}: {r.error}" for r in refused
            )
        },
    )


def not_found_error(err: NotFound, data: Mapping[str, Any]) -> HomeAssistantError:
    """The error of an action whose record the server does not have.

    ``data`` is the action's call data; the field that named the record
    decides the key: ``group`` (with ``contact``: ``unknown_contact`` unless
    the server names ``ContactGroups``, else ``unknown_group``),
    ``message_id`` (``unknown_incoming_message``), ``uid``
    (``unknown_message``). Any other action maps like ``action_error``.
    The server names the model it looked up ("No query results for model
    [...ContactGroups] ..."); the caller reads the groups again after
    ``unknown_group``. Returned, not raised.
    """
    if (group := data.get("group")) is not None:
        contact = data.get("contact")
        if contact is not None and err.model != GROUP_MODEL:
            return invalid("unknown_contact", contact=contact, group=group)
        return invalid("unknown_group", group=group)
    if (message_id := data.get("message_id")) is not None:
        return invalid("unknown_incoming_message", message_id=message_id)
    if (uid := data.get("uid")) is not None:
        return invalid("unknown_message", uid=uid)
    return action_error(err)


def warn_in_repairs(
    hass: HomeAssistant,
    issue_id: str,
    translation_key: str,
    placeholders: dict[str, str],
) -> None:
    """Raise (or update) a warning in Settings > Repairs.

    Not fixable from the dialog: its text says what to do. The same
    ``issue_id`` replaces the earlier text; ``ir.async_delete_issue`` ends it.
    ``translation_key`` names an ``issues`` entry of ``strings.json``, filled
    by ``placeholders`` (``issue_registry.async_create_issue``).
    """
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=translation_key,
        translation_placeholders=placeholders,
    )
