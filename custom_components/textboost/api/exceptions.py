"""Errors raised by the TextBoost client.

Every failure of a request becomes one of these classes. The hierarchy draws
one line exactly, because a message must never be paid for twice:

* ``CannotConnect`` and ``RateLimited`` mean the request certainly did not
  reach the application: it may be sent again.
* ``OutcomeUnknown`` (and its subclasses ``ServiceUnavailable`` and
  ``InvalidResponse``) mean the request may have reached the server and may
  have been acted on: it must not be sent again automatically.
* ``AuthenticationFailed`` and ``RequestRejected`` (with ``NotFound`` and
  ``SenderIdRejected``) are the server's own, definite answers: nothing was
  sent.

What each kind tells a user: ``ServiceUnavailable`` is an outage of the
server or of a proxy in front of it (HTTP 5xx: try later);
``InvalidResponse`` is an answer that is not the API's (the base URL points
elsewhere); ``SenderIdRejected`` names the sender ID option.
"""

from __future__ import annotations

import re

_MODEL = re.compile(r"model \[(?:[^\]]*\\)?([A-Za-z_]+)\]")
_ORIGINATOR = re.compile(r"\bOriginator (.+?) is not authori[sz]ed", re.IGNORECASE)


class TextBoostError(Exception):
    """Base class of every error raised by the client."""

    #: True when the request certainly did not reach the application, so that
    #: repeating it cannot cause a second message.
    certainly_not_sent: bool = False


class AuthenticationFailed(TextBoostError):
    """The server refused the API token."""


class RequestRejected(TextBoostError):
    """The server understood the request and refused it, with a reason."""

    def __init__(self, message: str, *, http_status: int = 200) -> None:
        """Keep the server's own message."""
        super().__init__(message)
        self.message = message
        self.http_status = http_status


class NotFound(RequestRejected):
    """The server has no record with that id ("No query results for model ...")."""

    def __init__(self, message: str, *, http_status: int = 200) -> None:
        """Keep the message and the name of the model that was looked up."""
        super().__init__(message, http_status=http_status)
        match = _MODEL.search(message)
        #: The model's class name, such as ``ContactGroups`` or ``Contacts``.
        self.model = match.group(1) if match else None


class SenderIdRejected(RequestRejected):
    """The server refused the message for its sender ID.

    The account verifies sender IDs (WIRE-NOTES "Sending rules"): the sender
    was missing ("Sender ID is required ...") or is not one approved for the
    account ("Originator ACME is not authorized to send this message").
    """

    def __init__(self, message: str, *, http_status: int = 200) -> None:
        """Keep the message and the sender it names, when it names one."""
        super().__init__(message, http_status=http_status)
        match = _ORIGINATOR.search(message)
        #: The refused sender as the server wrote it; None when it was missing.
        self.sender_id = match.group(1) if match else None


class RateLimited(TextBoostError):
    """The server or a proxy in front of it throttled the request."""

    certainly_not_sent = True

    def __init__(self, retry_after: float | None = None) -> None:
        """Keep the delay the server asked for, when it gave one."""
        text = "Too many requests"
        if retry_after is not None:
            text += f"; retry after {retry_after:g} s"
        super().__init__(text)
        self.retry_after = retry_after


class CannotConnect(TextBoostError):
    """No connection could be made: the request was never written."""

    certainly_not_sent = True


class OutcomeUnknown(TextBoostError):
    """The request may have reached the server, but no usable answer came back."""


class ServiceUnavailable(OutcomeUnknown):
    """The server or a proxy in front of it failed (HTTP 5xx), whatever the body.

    An outage, not a wrong address: the request may still have been acted on
    before the failure.
    """

    def __init__(self, http_status: int, retry_after: float | None = None) -> None:
        """Keep the HTTP status (500 to 599) and the delay asked for, if any.

        ``retry_after`` is in seconds, from the ``Retry-After`` header that a
        server in maintenance mode (Laravel answers HTTP 503) or a proxy may
        send; None when absent.
        """
        super().__init__(f"The TextBoost server failed with HTTP {http_status}")
        self.http_status = http_status
        self.retry_after = retry_after


class InvalidResponse(OutcomeUnknown):
    """The answer is not the TextBoost envelope: likely not the API at all.

    A non-JSON body with HTTP 2xx, 3xx or 4xx (a web page where the API was
    expected), or JSON without the envelope's fields.
    """


class InvalidRecipientError(TextBoostError, ValueError):
    """One or more recipients cannot be phone numbers."""

    def __init__(self, invalid: list[str]) -> None:
        """Name every entry that was refused."""
        self.invalid = invalid
        if invalid:
            text = "Not a phone number: " + ", ".join(invalid)
        else:
            text = "No recipients"
        super().__init__(text)


class InvalidBaseUrl(TextBoostError, ValueError):
    """The API base URL cannot be used."""

    def __init__(self, reason: str) -> None:
        """Say why (``scheme``, ``insecure`` or ``host``)."""
        super().__init__(f"Invalid API base URL ({reason})")
        self.reason = reason
