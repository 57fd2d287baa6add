"""Message reports: ``GET sms/{uid}`` and the ``GET sms`` list."""

from __future__ import annotations

from collections.abc import AsyncIterator

from .models import Message, Page
from .transport import Transport, as_dict, iterate_pages, path_segment


class MessageEndpoints(Transport):
    """Reading the reports of sent and received messages."""

    async def get_message(self, uid: str) -> Message:
        """One message report by its uid (``GET sms/{uid}``).

        ``Message.status`` is the delivery status (``customer_status`` on
        older servers, ``status`` on current ones: WIRE-NOTES "Endpoints").
        Raises ``NotFound`` for an unknown uid, else the client's exceptions.
        """
        data, _ = await self._request("GET", f"sms/{path_segment(uid)}")
        return Message.from_api(as_dict(data))

    async def list_messages(self, page: int = 1) -> Page[Message]:
        """One page (25) of sent and received message reports (``GET sms``).

        The order differs between servers (WIRE-NOTES "Listing"): do not
        rely on it.
        """
        data, _ = await self._request("GET", "sms", params={"page": str(page)})
        return Page.from_api(data, Message.from_api)

    def iter_messages(self) -> AsyncIterator[Message]:
        """Every listed message report: ⌈reports/25⌉ requests, at most 1,000."""
        return iterate_pages(self.list_messages)
