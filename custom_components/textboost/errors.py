"""Where client errors become Home Assistant errors a user can read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.exceptions import HomeAssistantError

from .api import (
    AuthenticationFailed,
    CannotConnect,
    InvalidResponse,
    OutcomeUnknown,
    RateLimited,
    RequestRejected,
    SenderIdRejected,
    ServiceUnavailable,
    TextBoostError,
)
from .const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .coordinator import TextBoostConfigEntry


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


def error_key(err: TextBoostError) -> str:
    """The translation key of a failed read (coordinators and look-ups)."""
    return next(
        (key for kind, key in _READ_ERROR_KEYS if isinstance(err, kind)),
        "unexpected_error",
    )


def action_error(
    hass: HomeAssistant,
    entry: TextBoostConfigEntry,
    err: TextBoostError,
    *,
    sending: bool = False,
) -> HomeAssistantError:
    """The error an action raises for a client error.

    An authentication failure also asks the user for a new token. When a send
    may have reached the server, the message says so: the user must check
    before sending again, because a repeat costs a second message.
    """
    if isinstance(err, AuthenticationFailed):
        entry.async_start_reauth(hass)
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
