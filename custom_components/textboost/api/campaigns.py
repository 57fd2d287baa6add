"""Campaigns: ``POST sms/campaign`` and ``GET campaign/{uid}/view``.

A campaign sends one message to whole contact groups in one request, without
the 100-recipient limit of ``sms/send``, and is followed by its counts per
delivery status (WIRE-NOTES "Listing, incoming messages and campaigns"). The
notes name the fields ``contact_list_id`` and ``uid`` only; the rest is read
defensively.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .exceptions import InvalidResponse
from .models import MessageType, delivery_state
from .parsing import parse_lenient_count
from .sending import SCHEDULE_FORMAT
from .transport import Transport, as_dict, path_segment


@dataclass(frozen=True, slots=True)
class Campaign:
    """A campaign the server accepted."""

    uid: str
    #: The server's text; when some numbers were skipped, their errors joined.
    server_message: str | None = None


@dataclass(frozen=True, slots=True)
class CampaignReport:
    """How far a campaign's messages got."""

    uid: str
    #: Messages of the campaign, whatever their status.
    total: int
    #: Messages per delivery status as the server names it ("Delivered", ...).
    statuses: dict[str, int] = field(default_factory=dict)

    def count(self, state: str) -> int:
        """Messages in a ``delivery_state``: ``pending``, ``delivered``, ``failed``."""
        return sum(n for s, n in self.statuses.items() if delivery_state(s) == state)

    @classmethod
    def from_api(cls, uid: str, data: Mapping[str, Any]) -> CampaignReport:
        """Build from ``campaign/{uid}/view``: ``{uid, total, statuses}``.

        Counts that are not whole numbers are left out; a missing ``total``
        is the sum of the counts. Raises ``InvalidResponse`` when
        ``statuses`` is there but is not an object.
        """
        raw = data.get("statuses", {})
        if not isinstance(raw, dict):
            raise InvalidResponse("the campaign's statuses are not an object")
        statuses = {
            str(status): count
            for status, value in raw.items()
            if (count := parse_lenient_count(value)) is not None
        }
        total = parse_lenient_count(data.get("total"))
        return cls(
            uid=str(data.get("uid") or uid),
            total=sum(statuses.values()) if total is None else total,
            statuses=statuses,
        )


class CampaignEndpoints(Transport):
    """Sending to contact groups and following the result."""

    async def send_campaign(
        self,
        group_uids: Sequence[str],
        message: str,
        *,
        message_type: MessageType = MessageType.PLAIN,
        sender_id: str | None = None,
        schedule_time: datetime | None = None,
    ) -> Campaign:
        """Send ``message`` to every contact of the groups (``POST sms/campaign``).

        ``group_uids`` go comma separated in ``contact_list_id``;
        ``message_type`` is ``plain`` or ``unicode``; ``schedule_time`` is
        naive wall time in the account's zone, as for ``send``. Raises
        ``ValueError`` without a group, else the client's exceptions: a
        campaign whose answer did not come back (``OutcomeUnknown``) may have
        been sent and must not be repeated automatically; an unknown group is
        ``NotFound``.
        """
        if not group_uids:
            raise ValueError("a campaign needs at least one contact group")
        body = {
            "contact_list_id": ",".join(group_uids),
            "type": str(message_type),
            "message": message,
        }
        if sender_id:
            body["sender_id"] = sender_id
        if schedule_time:
            body["schedule_time"] = schedule_time.strftime(SCHEDULE_FORMAT)
        data, server_message = await self._request("POST", "sms/campaign", body=body)
        uid = as_dict(data).get("uid")
        if not isinstance(uid, str) or not uid:
            raise InvalidResponse("the campaign answer has no uid")
        return Campaign(uid=uid, server_message=server_message)

    async def get_campaign(self, uid: str) -> CampaignReport:
        """A campaign's counts per delivery status (``GET campaign/{uid}/view``).

        Raises ``NotFound`` for an unknown uid, else the client's exceptions.
        """
        data, _ = await self._request("GET", f"campaign/{path_segment(uid)}/view")
        return CampaignReport.from_api(uid, as_dict(data))
