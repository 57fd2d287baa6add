"""What a route handler may read and change: the account and its switches.

`Sandbox` satisfies this protocol; handlers are typed against it so that the
route modules need not import the facade (the imports stay one-way:
facade → pipeline → routes → context/state).
"""

from __future__ import annotations

from typing import Protocol

from .const import ListOrder
from .state import BalanceShape, ContactShape, ReportShape, SandboxState
from .webhook import WebhookEncoding, WebhookPost


class SandboxContext(Protocol):
    """The switches and data the routes work on (see `Sandbox` for each)."""

    token: str
    state: SandboxState
    balance_shape: BalanceShape
    contact_shape: ContactShape
    report_shape: ReportShape
    delivery_delay: float
    slow_seconds: float
    latency: float
    retry_after: int | None
    rate_limit: int
    list_order: ListOrder
    list_filters: bool
    list_rows: ReportShape
    sender_id_verification: bool
    approved_sender_ids: set[str]
    webhook_url: str | None
    webhook_encoding: WebhookEncoding
    webhook_posts: list[WebhookPost]
