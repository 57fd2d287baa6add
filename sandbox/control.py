"""The test-control API: filling the sandbox account without going over the wire.

These are what a test (or `python -m sandbox`'s demo data) uses to set the
scene: groups with contacts, and messages "sent earlier". They change
`SandboxState` directly; `Sandbox` exposes them as methods.
"""

from __future__ import annotations

from datetime import UTC, datetime
import time

from .const import DEFAULT_SENDER
from .gsm import Encoding, count_segments
from .state import Contact, Group, Message, SandboxState, new_uid


def add_group(state: SandboxState, name: str, contacts: int = 0) -> str:
    """Create a group with `contacts` generated contacts; return its uid."""
    uid = new_uid()
    state.groups[uid] = Group(uid, name)
    for index in range(1, contacts + 1):
        add_contact(state, uid, f"3161000{index:04d}", "Contact", str(index))
    return uid


def add_contact(
    state: SandboxState,
    group_uid: str,
    phone: str,
    first_name: str | None = None,
    last_name: str | None = None,
) -> str:
    """Add a contact to a group (KeyError if it is unknown); return its uid."""
    group = state.groups[group_uid]
    uid = new_uid()
    group.contacts[uid] = Contact(uid, phone, first_name, last_name)
    return uid


def add_message(
    state: SandboxState,
    to: str,
    message: str,
    *,
    status: str = "Delivered",
    sender: str = DEFAULT_SENDER,
    sent_at: datetime | None = None,
) -> str:
    """Store a message as if it had been sent at `sent_at` (default now); return its uid.

    Its type, parts and cost follow the text as for a real send (GSM-7 →
    `plain`, else `unicode`; cost = parts x `state.unit_price`).
    """
    segments = count_segments(message)
    msg = Message(
        uid=new_uid(),
        to=to,
        sender=sender,
        message=message,
        type="plain" if segments.encoding is Encoding.GSM7 else "unicode",
        cost=state.unit_price * segments.segments,
        segments=segments.segments,
        status=status,
        sent_at=sent_at or datetime.now(UTC),
        sent_monotonic=time.monotonic(),
    )
    state.messages.append(msg)
    return msg.uid
